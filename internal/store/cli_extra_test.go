package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestBackupSQLite(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if err := db.Tx(ctx, func(tx store.Tx) error {
		_, err := store.CreateAccount(ctx, tx, store.AccountRow{Account: domain.Account{Name: "alice", DisplayName: "Alice"},
			PasswordHash: "x"}, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	appendN(t, db, 3)
	if err := store.IntegrityCheck(ctx, db); err != nil {
		t.Fatalf("live database: %v", err)
	}
	dir := t.TempDir()
	dest := filepath.Join(dir, "backup.db")
	size, err := store.Backup(ctx, db, dest)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dest); err != nil || st.Size() != size || size == 0 {
		t.Fatalf("backup file: %v, size %d, reported %d", err, st.Size(), size)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("the folder holds %d entries, want only the backup", len(ents))
	}
	copyDB, err := store.Open(ctx, "sqlite:"+dest)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if err := store.IntegrityCheck(ctx, copyDB); err != nil {
		t.Fatal(err)
	}
	if n, err := store.CountAccounts(ctx, copyDB.Read()); err != nil || n != 1 {
		t.Fatalf("backup has %d accounts (%v), want 1", n, err)
	}
	if brk, n, err := store.VerifyAudit(ctx, copyDB.Read(), chain); err != nil || brk != nil || n != 3 {
		t.Fatalf("backup audit chain: %+v after %d (%v)", brk, n, err)
	}
	if _, err := store.Backup(ctx, db, dest); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second backup to the same file: %v, want ErrExist", err)
	}
}

func TestBackupNeedsSQLite(t *testing.T) {
	db := storetest.Postgres(t)
	ctx := context.Background()
	if _, err := store.Backup(ctx, db, filepath.Join(t.TempDir(), "x.db")); !errors.Is(err, store.ErrNotSQLite) {
		t.Fatalf("backup on PostgreSQL: %v", err)
	}
	if err := store.IntegrityCheck(ctx, db); !errors.Is(err, store.ErrNotSQLite) {
		t.Fatalf("integrity check on PostgreSQL: %v", err)
	}
}
