package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache is SQLite's read pool with its statements prepared once:
// SQLite parses and plans every statement it is handed, and for the
// people queries that was half of a request's time in the database
// (measured). database/sql prepares a cached Stmt again on each pool
// connection that runs it, and only once there. PostgreSQL needs none of
// this: pgx caches prepared statements per connection by itself.
type stmtCache struct {
	*sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// stmtCacheMax bounds the distinct statements kept; queries past it run
// unprepared. The store builds a few dozen shapes of query.
const stmtCacheMax = 512

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{DB: db, stmts: map[string]*sql.Stmt{}} }

// stmt returns the prepared statement of query, or nil when it is not
// cached and cannot be.
func (c *stmtCache) stmt(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts) >= stmtCacheMax {
		return nil
	}
	st, err := c.DB.PrepareContext(ctx, query)
	if err != nil {
		// Let the query itself report the error.
		return nil
	}
	c.stmts[query] = st
	return st
}

// QueryContext runs a cached statement.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a cached statement for one row.
func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the statements and the pool.
func (c *stmtCache) Close() error {
	c.mu.Lock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
	c.mu.Unlock()
	return c.DB.Close()
}
