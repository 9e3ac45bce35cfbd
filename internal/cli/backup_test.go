package cli_test

import (
	"os"
	"path/filepath"
	"testing"

	"gongjian/internal/demo"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestBackupSQLite(t *testing.T) {
	s := sqliteSite(t)
	s.run(ctx, "demo", "--load-only", "--people", "2000").want(t, 0)
	dest := filepath.Join(t.TempDir(), "gj-backup.db")
	r := s.run(ctx, "backup", dest)
	r.want(t, 0, "Backup written to "+dest, "integrity check ok")
	copyDB, err := store.Open(ctx, "sqlite:"+dest)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if err := store.IntegrityCheck(ctx, copyDB); err != nil {
		t.Fatal(err)
	}
	if n, err := store.CountAccounts(ctx, copyDB.Read()); err != nil || n != len(demo.Guannan().Accounts) {
		t.Fatalf("the backup holds %d accounts (%v), want the %d demo accounts", n, err, len(demo.Guannan().Accounts))
	}
	again := s.run(ctx, "backup", dest)
	again.want(t, 2, "already exists")
	again.oneErrorLine(t)
	s.run(ctx, "backup", filepath.Join(s.dir, "no", "such", "x.db")).want(t, 2, "does not exist")
	s.run(ctx, "backup").want(t, 2, "gongjian backup DEST")

	// A restore is a copy of the backup file into place: it must serve
	// and verify as the original did.
	restored := sqliteSite(t)
	data, _ := os.ReadFile(dest)
	os.WriteFile(filepath.Join(restored.dir, "gj.db"), data, 0o600)
	key, _ := os.ReadFile(filepath.Join(s.dir, "gj.key"))
	os.WriteFile(filepath.Join(restored.dir, "gj.key"), key, 0o600)
	restored.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
}

func TestBackupMissingDatabase(t *testing.T) {
	s := sqliteSite(t)
	s.run(ctx, "backup", filepath.Join(s.dir, "b.db")).want(t, 2, "does not exist")
	if _, err := os.Stat(filepath.Join(s.dir, "gj.db")); err == nil {
		t.Fatal("backup created the database it was asked to copy")
	}
}

func TestBackupPostgresPointsToPgDump(t *testing.T) {
	dsn, ok := storetest.NewPGSchema(t)
	if !ok {
		return
	}
	s := sqliteSite(t)
	s.dsn = dsn
	r := s.run(ctx, "backup", filepath.Join(s.dir, "b.dump"))
	r.want(t, 2, "pg_dump --format=custom", "docs/operations.md")
	r.oneErrorLine(t)
	if _, err := os.Stat(filepath.Join(s.dir, "b.dump")); err == nil {
		t.Fatal("a file was written")
	}
}
