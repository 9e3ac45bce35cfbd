package cli_test

import (
	"strings"
	"testing"
	"time"

	"gongjian/internal/store"
)

// Two servers on one database start together: the lost-contact check and
// the rhythm check, never run before, run on start — once each, on one of
// them; the dues jobs beside them run at most once each.
func TestServesRunTheCheckOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		s.run(ctx, "migrate", "up").want(t, 0)
		_, stopA := startServe(t, s, "serve")
		_, stopB := startServe(t, s, "serve", "--job-interval", "12h")
		db := s.open(t)
		var last time.Time
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			last, _, _ = store.LastRun(ctx, db.Read(), "contact_check")
			if rhythm, _, _ := store.LastRun(ctx, db.Read(), "rhythm_check"); !last.IsZero() && !rhythm.IsZero() {
				break
			}
		}
		a, b := stopA(), stopB()
		if last.IsZero() {
			t.Fatalf("the check did not run\n%s\n%s", a.err, b.err)
		}
		// The dues jobs start beside them; each runs at most once too.
		for job, most := range map[string]int{"contact_check": 1, "rhythm_check": 1, "dues_year": 1, "dues_check": 1,
			"development_check": 1} {
			n := 0
			for _, line := range strings.Split(a.err+b.err, "\n") {
				if strings.Contains(line, `"msg":"job ran"`) && strings.Contains(line, `"job":"`+job+`"`) {
					n++
				}
			}
			if n > most || ((job == "contact_check" || job == "rhythm_check") && n != 1) {
				t.Errorf("%s: %d runs logged\n%s\n%s", job, n, a.err, b.err)
			}
		}
		for _, action := range []string{"contact.check", "rhythm.check"} {
			var audits int
			db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = $1`, action).Scan(&audits)
			if audits != 1 {
				t.Errorf("%d %s runs audited, want 1", audits, action)
			}
		}
	})
}
