package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongjian/internal/store"
)

// tamper changes the audit log as someone with direct database access
// would: first the append-only triggers go, then the row changes.
func tamper(t *testing.T, db *store.DB, stmt string) {
	t.Helper()
	err := db.Tx(ctx, func(tx store.Tx) error {
		drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
		if tx.Dialect() == store.Postgres {
			drop = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
		}
		for _, s := range append(drop, stmt) {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAuditVerify(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		s.run(ctx, "demo", "--load-only", "--people", "2000").want(t, 0)
		ok := s.run(ctx, "audit", "verify")
		ok.want(t, 0, "audit chain intact: ")
		if !strings.HasSuffix(strings.TrimSpace(ok.out), " entries") {
			t.Fatalf("unexpected output %q", ok.out)
		}
		tamper(t, s.open(t), `UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 4`)
		broken := s.run(ctx, "audit", "verify")
		broken.want(t, 1, "audit chain broken at entry 4 (altered)")
		broken.oneErrorLine(t)
		s.lang = "zh-CN"
		s.run(ctx, "audit", "verify").want(t, 1, "第 4 条")
	})
}

// Without the key the chain cannot be checked, and a fresh key must never
// be made up for it (every entry would then look altered).
func TestAuditVerifyNeedsTheKey(t *testing.T) {
	s := sqliteSite(t)
	s.run(ctx, "demo", "--load-only", "--people", "2000").want(t, 0)
	os.Rename(filepath.Join(s.dir, "gj.key"), filepath.Join(s.dir, "moved.key"))
	r := s.run(ctx, "audit", "verify")
	r.want(t, 2, "does not exist", "--secret-file")
	if _, err := os.Stat(filepath.Join(s.dir, "gj.key")); err == nil {
		t.Fatal("audit verify created a new key")
	}
	// serve, too, refuses to start a used database with a new key.
	s.run(ctx, "serve", "--addr", "127.0.0.1:0").want(t, 2, "already holds data sealed with a key")
}

// --crypto-suite picks the algorithms of a new key file; left unset it
// takes the file as it is, set it must match.
func TestCryptoSuite(t *testing.T) {
	s := sqliteSite(t)
	s.run(ctx, "demo", "--load-only", "--people", "2000", "--crypto-suite", "gm").want(t, 0)
	s.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
	s.run(ctx, "audit", "verify", "--crypto-suite", "gm").want(t, 0, "audit chain intact")
	r := s.run(ctx, "audit", "verify", "--crypto-suite", "std")
	r.want(t, 2, "another suite than --crypto-suite std")
	r.oneErrorLine(t)
	s.run(ctx, "audit", "verify", "--crypto-suite", "sm9").want(t, 2, "must be std or gm")
}
