package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"gongjian/internal/store/migrations"
)

// ErrTooNew reports a database written by a newer gongjian.
var ErrTooNew = errors.New("store: the database is newer than this program")

// Migration is the state of one schema version.
type Migration struct {
	Version int64
	Name    string
	Applied bool
}

func (db *DB) provider(pool *sql.DB, locked bool) (*goose.Provider, error) {
	dir, dialect := "sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.dialect == Postgres {
		dir, dialect = "postgres", goose.DialectPostgres
	}
	if db.dialect == Postgres && locked {
		// An advisory lock, so several servers starting at once on one
		// database migrate one after the other instead of racing.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 120)) // retry each second, up to two minutes
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, pool, sub, opts...)
}

// Versions returns the version the database is at and the newest version
// this binary knows.
// It reads from the read pool and takes no lock: /readyz asks it on every
// probe, and waiting behind the migration lock (which another server
// migrating the same PostgreSQL database holds) or behind a long SQLite
// write made a working server look unready.
func (db *DB) Versions(ctx context.Context) (current, known int64, err error) {
	p, err := db.provider(db.read, false)
	if err != nil {
		return 0, 0, err
	}
	return versions(ctx, p)
}

func versions(ctx context.Context, p *goose.Provider) (current, known int64, err error) {
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: read schema version: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		known = srcs[len(srcs)-1].Version
	}
	return current, known, nil
}

// Migrate brings the schema up to date. A database whose version is newer
// than this binary's migrations is refused untouched.
func (db *DB) Migrate(ctx context.Context) error {
	// The write pool: on a new database goose creates its version table.
	p, err := db.provider(db.write, true)
	if err != nil {
		return err
	}
	current, known, err := versions(ctx, p)
	if err != nil {
		return err
	}
	if current > known {
		return fmt.Errorf("%w: it is at schema version %d, this program knows up to %d; run a newer gongjian", ErrTooNew, current, known)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	// A migration may mark people for the people index (00015 marks
	// everyone); index them now rather than in the first user's request.
	return db.IndexPersons(ctx)
}

// MigrationStatus lists every known migration and whether it is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]Migration, error) {
	p, err := db.provider(db.write, false)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	out := make([]Migration, 0, len(st))
	for _, s := range st {
		out = append(out, Migration{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	return out, nil
}
