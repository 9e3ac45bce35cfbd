package cli_test

import (
	"strings"
	"testing"
	"time"

	"gongjian/internal/store"
)

// Two servers on one database start together: the lost-contact check,
// never run before, runs on start — once, on one of them.
func TestServesRunTheCheckOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		s.run(ctx, "migrate", "up").want(t, 0)
		_, stopA := startServe(t, s, "serve")
		_, stopB := startServe(t, s, "serve", "--job-interval", "12h")
		db := s.open(t)
		var last time.Time
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if last, _, _ = store.LastRun(ctx, db.Read(), "contact_check"); !last.IsZero() {
				break
			}
		}
		a, b := stopA(), stopB()
		if last.IsZero() {
			t.Fatalf("the check did not run\n%s\n%s", a.err, b.err)
		}
		if n := strings.Count(a.err+b.err, `"msg":"job ran"`); n != 1 {
			t.Errorf("%d runs logged, want 1\n%s\n%s", n, a.err, b.err)
		}
		var audits int
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'contact.check'`).Scan(&audits)
		if audits != 1 {
			t.Errorf("%d check runs audited, want 1", audits)
		}
	})
}
