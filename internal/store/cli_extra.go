package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrNotSQLite reports an operation that only a SQLite database supports;
// PostgreSQL has its own tools (pg_dump, pg_basebackup, amcheck).
var ErrNotSQLite = errors.New("store: only a SQLite database supports this")

// IntegrityCheck runs PRAGMA integrity_check on a SQLite database and
// returns nil when it answers "ok", else an error listing what it found.
func IntegrityCheck(ctx context.Context, db *DB) error {
	if db.dialect != SQLite {
		return ErrNotSQLite
	}
	return integrityCheck(ctx, db.read)
}

func integrityCheck(ctx context.Context, q Q) error {
	rows, err := q.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("store: integrity check: %w", err)
		}
		found = append(found, line)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if len(found) != 1 || found[0] != "ok" {
		return fmt.Errorf("store: integrity check failed: %s", strings.Join(found, "; "))
	}
	return nil
}

// Backup writes a consistent copy of a SQLite database to dest and returns
// its size. VACUUM INTO takes a snapshot without stopping writers (copying
// the live file would miss the WAL). The copy goes to a temporary file in
// dest's folder, is checked with integrity_check, synced, and only then
// linked to dest, so dest is either absent or a verified backup. An
// existing dest is never replaced.
func Backup(ctx context.Context, db *DB, dest string) (int64, error) {
	if db.dialect != SQLite {
		return 0, ErrNotSQLite
	}
	if _, err := os.Lstat(dest); err == nil {
		return 0, fmt.Errorf("store: backup: %s: %w", dest, fs.ErrExist)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-"+hex.EncodeToString(rnd[:]))
	defer os.Remove(tmp) // after the link, only the extra name goes
	if err := vacuumInto(ctx, db.Path, tmp); err != nil {
		return 0, err
	}
	if err := checkFile(ctx, tmp); err != nil {
		return 0, err
	}
	size, err := syncFile(tmp)
	if err != nil {
		return 0, err
	}
	if err := os.Link(tmp, dest); err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return 0, err
	}
	return size, nil
}

// vacuumInto copies the database at path to dest through a connection of
// its own: the read pool is query_only, which refuses VACUUM INTO, and the
// write pool's one connection would hold up every writer for the length of
// the copy. In WAL mode this read snapshot blocks nobody.
func vacuumInto(ctx context.Context, path, dest string) error {
	c, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `VACUUM INTO $1`, dest); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// checkFile opens a SQLite file read-only and runs integrity_check on it.
func checkFile(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: open backup: %w", err)
	}
	defer c.Close()
	if err := integrityCheck(ctx, c); err != nil {
		return fmt.Errorf("store: the backup copy is damaged: %w", err)
	}
	return nil
}

func syncFile(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("store: sync backup: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	return st.Size(), nil
}

// syncDir makes a new directory entry durable: without it a power loss
// right after the link can lose the backup's name.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("store: sync %s: %w", dir, err)
	}
	return nil
}
