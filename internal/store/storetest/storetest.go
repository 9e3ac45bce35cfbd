// Package storetest gives every test its own freshly migrated database, on
// SQLite always and on PostgreSQL when one is reachable, so the same test
// body proves the same behaviour on both.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"gongjian/internal/store"
)

// DefaultPG is the PostgreSQL server tests use when GONGJIAN_TEST_PG is unset.
const DefaultPG = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// PGURL returns the test server's URL.
func PGURL() string {
	if v := os.Getenv("GONGJIAN_TEST_PG"); v != "" {
		return v
	}
	return DefaultPG
}

// Each runs body once per database, as subtests named "sqlite" and
// "postgres". When PostgreSQL cannot be reached the postgres subtest is
// skipped, except under CI=true, where it fails: CI must prove both.
func Each(t *testing.T, body func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { body(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { body(t, Postgres(t)) })
}

// EachPair is Each with two handles on the same database, as two servers
// (or a server and the command line) would have: what one writes, the
// other must see.
func EachPair(t *testing.T, body func(t *testing.T, a, b *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		a := SQLite(t)
		body(t, a, open(t, "sqlite:"+a.Path))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn, ok := NewPGSchema(t)
		if ok {
			body(t, open(t, dsn), open(t, dsn))
		}
	})
}

// SQLite opens a migrated database in a temporary file.
func SQLite(tb testing.TB) *store.DB {
	tb.Helper()
	return open(tb, "sqlite:"+filepath.Join(tb.TempDir(), "test.db"))
}

// Postgres opens a migrated database in a new schema of the test server;
// the schema is dropped when the test ends.
func Postgres(tb testing.TB) *store.DB {
	tb.Helper()
	dsn, ok := NewPGSchema(tb)
	if !ok {
		return nil
	}
	return open(tb, dsn)
}

// NewPGSchema creates an empty schema on the test server and returns a
// URL whose search_path points at it. It skips the test (fails under
// CI=true) when the server is unreachable.
func NewPGSchema(tb testing.TB) (string, bool) {
	tb.Helper()
	base := PGURL()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(context.Background())
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL is required under CI=true but %s is unreachable: %v", base, err)
		}
		tb.Skipf("PostgreSQL unreachable at %s: %v", base, err)
		return "", false
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "gjtest_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	// The schema's name is its connections' name too, so a test can tell
	// its own sessions in pg_stat_activity from other tests' on the server.
	q.Set("application_name", schema)
	u.RawQuery = q.Encode()
	return u.String(), true
}

func open(tb testing.TB, dsn string) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	// After the test body (cleanups run last first, so before Close): the
	// people index must say what the register says, whatever the test
	// wrote and however (decision 0007).
	tb.Cleanup(func() {
		if tb.Failed() {
			return
		}
		if err := store.CheckPersonIndex(ctx, db.Read()); err != nil && !errors.Is(err, sql.ErrConnDone) &&
			!strings.Contains(err.Error(), "database is closed") {
			tb.Errorf("after the test: %v", err)
		}
	})
	return db
}
