package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names the database family behind a DB.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Q is what every query function needs: a connection pool or a transaction.
type Q interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a write transaction that knows its dialect and notes what its
// statements may have changed (txstate.go).
type Tx struct {
	*sql.Tx
	dialect Dialect
	st      *txState
}

// Dialect tells which database family the transaction runs on.
func (tx Tx) Dialect() Dialect { return tx.dialect }

// DB is an open database: a read pool and a write pool (the same pool on
// PostgreSQL).
type DB struct {
	dialect Dialect
	read    *sql.DB
	write   *sql.DB
	// batch is PostgreSQL's connections for the check-in batches alone
	// (checkInPipelined); nil on SQLite.
	batch *sql.DB
	// reader is what Read hands out: the read pool, on SQLite with its
	// statements prepared once (stmtcache.go).
	reader Q
	cache  *stmtCache
	count  *atomic.Int64 // round trips, on a Counted handle
	// Path is the SQLite file, empty on PostgreSQL.
	Path string
}

// Dialect tells which database family this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Read returns the pool for queries that do not write.
func (db *DB) Read() Q { return db.reader }

// Stats reports the write pool's connections and waits (on PostgreSQL
// the only pool): how often a request waited for a connection, and how
// many connections were closed for want of an idle slot.
func (db *DB) Stats() sql.DBStats { return db.write.Stats() }

// Close closes both pools.
func (db *DB) Close() error {
	var err error
	if db.cache != nil {
		err = db.cache.Close()
	} else {
		err = db.read.Close()
	}
	if db.write != db.read {
		err = errors.Join(err, db.write.Close())
	}
	if db.batch != nil {
		err = errors.Join(err, db.batch.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return err
	}
	return db.write.PingContext(ctx)
}

// ErrBadDSN reports a --db value that names no supported database.
var ErrBadDSN = errors.New("the database must be sqlite:PATH or a postgres:// URL")

// Open opens the database named by dsn: "sqlite:PATH" (PATH may be a file
// name; its folder must exist) or "postgres://…" / "postgresql://…".
// It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	}
	return nil, fmt.Errorf("%w (got %q)", ErrBadDSN, dsn)
}

// writerCacheKiB is the SQLite writer's page cache. Each 4 KiB page
// costs 8 KiB of memory (the pure-Go allocator under modernc.org/sqlite
// rounds a page and its header up to a power of two), so 64 MiB, the
// first choice, held 128 MiB once a 200,000-row import had filled it;
// 32 MiB imported as fast (6,059 rows/s against 5,987–6,116) and loaded
// the demo as fast, and took the import's peak from 293 to 244 MiB
// (measured 2026-11-30).
const writerCacheKiB = 32768

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("%w: the SQLite path %q is empty or has ? or #", ErrBadDSN, path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("store: the folder %q for the SQLite database does not exist", dir)
		}
	}
	// synchronous=FULL: every acknowledged commit survives power loss.
	// busy_timeout covers readers meeting a checkpoint; writers never
	// contend because the write pool has one connection.
	base := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(10000)&_pragma=secure_delete(1)"
	// The one writer keeps a large page cache (writerCacheKiB): a bulk
	// insert (a roster, the demo's people) otherwise spills dirty pages to
	// the WAL in mid-transaction, which cost most of its time with
	// SQLite's default 2 MiB (measured: 0.45 of 1 CPU second per 1,000
	// people).
	write, err := sql.Open("sqlite", base+"&_txlock=immediate&_pragma=cache_size("+strconv.Itoa(-writerCacheKiB)+")")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	// Readers map the file (up to 16 GiB) and keep SQLite's default
	// page cache. Any commit, by any connection, makes every reader drop
	// its whole page cache at its next transaction (WAL: the index header
	// changed), and freeing 64 MiB of pages one by one — each a madvise in
	// the pure-Go allocator — then reading them back with pread cost
	// 15–40% of a people request's CPU under a write every few seconds
	// (the outbox, a token's last use, any officer's edit). Mapped pages
	// are not copied and not dropped; measured at 200,000 people,
	// mapping cost less CPU per query than a 64 MiB cache for a person by
	// id (57 against 134 µs), a list page and a term walk, with or without
	// writes (decision 0007, "Since 2026-11-30").
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)&_pragma=mmap_size(17179869184)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	// Every reader stays open: database/sql keeps two idle connections by
	// default, so under load the others were closed after each query and
	// opened again — reading the schema and preparing the statements anew
	// each time (a third of a request's CPU at 16 clients, measured).
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	cache := newStmtCache(read)
	db := &DB{dialect: SQLite, read: read, write: write, reader: cache, cache: cache, Path: path}
	// The first write-pool connection creates the file and switches it to
	// WAL before any reader opens it in query-only mode.
	if err := write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	return db, nil
}

// pgConns bounds the PostgreSQL connections of one server process: four
// per core. A query holds its connection for a round trip and a few
// hundred microseconds of work, so a few per core keep the server busy;
// more only interleave the requests of a burst, which then all finish
// late. On two cores, 50 scanners at once answered with p99 213 / 298 ms
// (page / check-in) from 8 connections and 572 / 418 ms from 20, the
// machine equally loaded (decision 0013).
var pgConns = max(8, 4*runtime.GOMAXPROCS(0))

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadDSN, err)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	// Bounded waits, so a stuck lock or a forgotten transaction surfaces
	// as an error instead of a hung request.
	for k, v := range map[string]string{
		"lock_timeout":                        "10s",
		"statement_timeout":                   "60s",
		"idle_in_transaction_session_timeout": "60s",
		"timezone":                            "UTC",
	} {
		if _, ok := cfg.RuntimeParams[k]; !ok {
			cfg.RuntimeParams[k] = v
		}
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	pool := stdlib.OpenDB(*cfg)
	// Every connection stays open while it is used at all. With fewer idle
	// slots than connections (there were 10 of 20), each burst of requests
	// above the idle count opened new server processes and closed them
	// again on return, and a new one costs a fork, the sign-in and, for its
	// first queries, the catalog lookups and pgx's statement preparation:
	// ~100 times a request's queries (measured, decision 0013). A
	// connection idle for minutes is let go.
	pool.SetMaxOpenConns(pgConns)
	pool.SetMaxIdleConns(pgConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	var encoding string
	if err := pool.QueryRowContext(ctx, `SHOW server_encoding`).Scan(&encoding); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: cannot reach PostgreSQL at %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	// Names are Chinese, and a list's packed rows measure texts in UTF-8
	// bytes (person_summary.go).
	if encoding != "UTF8" {
		pool.Close()
		return nil, fmt.Errorf("store: the PostgreSQL database uses the %s encoding; gongjian needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')",
			encoding)
	}
	return &DB{dialect: Postgres, read: pool, write: pool, reader: pool, batch: batchPool(cfg)}, nil
}

// batchConns is how many connections the check-in batches have of their
// own: as many as may be in flight (service.checkinsInFlight).
const batchConns = 2

// batchPool opens the check-in batches' own connections. A batch carries
// every scan that arrived while the one before was written; in a burst,
// drawing its connection from the shared pool made all of them wait
// behind the pages' single reads, which database/sql hands connections
// to in no order (decision 0013, "session 8").
func batchPool(cfg *pgx.ConnConfig) *sql.DB {
	batch := stdlib.OpenDB(*cfg)
	batch.SetMaxOpenConns(batchConns)
	batch.SetMaxIdleConns(batchConns)
	batch.SetConnMaxIdleTime(5 * time.Minute)
	return batch
}

// Tx runs fn in one write transaction and commits when fn returns nil. On
// PostgreSQL a serialization failure or deadlock reruns fn (up to three
// times), so fn must not have effects outside the transaction.
func (db *DB) Tx(ctx context.Context, fn func(tx Tx) error) error {
	const attempts = 3
	var err error
	for i := 0; i < attempts; i++ {
		err = db.tx(ctx, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

type deferIndexKey struct{}

// DeferPersonIndex returns a context whose transactions leave the people
// they write marked stale instead of indexing them before they commit: a
// bulk load that runs many transactions (the demo) indexes everyone once
// at its end with IndexPersons, in bulk, far faster than batch by batch.
// Until then the people queries (lists, searches, counts) do not see the
// people written: use it only where nothing reads them meanwhile. Whatever
// is left stale (a load cut short) is indexed by the next transaction
// that is not deferred and writes people, organizations or memberships
// (txstate.go), by IndexPersons, and by Migrate at every start.
func DeferPersonIndex(ctx context.Context) context.Context {
	return context.WithValue(ctx, deferIndexKey{}, true)
}

// IndexPersons indexes every person left stale, in one transaction: by
// deferred transactions, by a migration, or by a load cut short.
func (db *DB) IndexPersons(ctx context.Context) error {
	return db.Tx(context.WithValue(ctx, deferIndexKey{}, false), func(tx Tx) error {
		tx.markPeople()
		return nil
	})
}

// begin starts a write transaction. On PostgreSQL it begins on a
// connection of its own (st.conn), so that the transaction's bulk writes
// can reach the driver's COPY on that connection (Tx.copyFrom).
func (db *DB) begin(ctx context.Context, st *txState) (*sql.Tx, error) {
	if db.dialect != Postgres {
		return db.write.BeginTx(ctx, nil)
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	st.conn = conn
	return tx, nil
}

func (db *DB) tx(ctx context.Context, fn func(tx Tx) error) (err error) {
	st := &txState{count: db.count}
	st.tick()
	tx, err := db.begin(ctx, st)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if st.conn != nil {
		defer st.conn.Close()
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	t := Tx{Tx: tx, dialect: db.dialect, st: st}
	if err = fn(t); err != nil {
		return err
	}
	// The people index follows what fn changed, in the same transaction,
	// unless a bulk load put it off (DeferPersonIndex) or fn wrote nothing
	// that marks people.
	if deferred, _ := ctx.Value(deferIndexKey{}).(bool); !deferred && st.people {
		if err = syncPersons(ctx, t); err != nil {
			return err
		}
	}
	st.tick()
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
