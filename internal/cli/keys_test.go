package cli_test

import (
	"testing"

	"gongjian/internal/store"
)

// keys rotate re-encrypts the demo's sealed values under a new key in the
// same key file; the audit chain stays intact and the values still open
// through a fresh process.
func TestKeysRotate(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		s.run(ctx, "demo", "--load-only", "--people", "2000").want(t, 0)
		s.run(ctx, "keys", "rotate", "--crypto-suite", "gm").want(t, 0, "new key 2 (gm)")
		db := s.open(t)
		var sealed string
		if err := db.Read().QueryRowContext(ctx, `SELECT totp_secret FROM accounts WHERE name = 'auditor'`).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if len(sealed) < 8 || sealed[:8] != "v1.gm.2." {
			t.Fatalf("the auditor's TOTP secret is sealed as %.12q…, want under key 2 (gm)", sealed)
		}
		s.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "keys.rotate"})
		if len(entries) != 1 {
			t.Fatalf("%d rotation entries", len(entries))
		}
		s.run(ctx, "keys", "bogus").want(t, 2, "usage: gongjian keys rotate")
	})
}
