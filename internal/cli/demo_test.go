package cli_test

import (
	"strings"
	"testing"

	"gongjian/internal/demo"
	"gongjian/internal/store"
)

func TestDemoLoadOnly(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		first := s.run(ctx, "demo", "--load-only", "--people", "2000")
		first.want(t, 0, "Loaded the Guannan demo scenario", "Registered 2000 of 2000 people.", "2000 people, 26 of them members; the load took")
		for _, a := range demo.Guannan().Accounts {
			line := a.Name + " "
			if !strings.Contains(first.out, line) || !strings.Contains(first.out, a.Password) {
				t.Errorf("the output lacks account %s or its password", a.Name)
			}
			if a.TOTPSecret != "" && !strings.Contains(first.out, a.TOTPSecret) {
				t.Errorf("the output lacks the TOTP secret of %s", a.Name)
			}
		}
		if strings.Contains(first.out, "running at") {
			t.Error("--load-only started the server")
		}
		db := s.open(t)
		before, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 1})
		second := s.run(ctx, "demo", "--load-only", "--people", "2000")
		second.want(t, 0, "already loaded", "sysadmin")
		after, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 1})
		if len(before) != 1 || after[0].Seq != before[0].Seq {
			t.Fatal("the second run wrote to the database")
		}
	})
}

// The demo never mixes into a database with accounts of its own.
func TestDemoLeavesAUsedDatabaseAlone(t *testing.T) {
	s := sqliteSite(t)
	s.run(ctx, "user", "add", "realuser", "--password", "Gongjian-2026-test").want(t, 0)
	r := s.run(ctx, "demo", "--load-only", "--people", "2000")
	r.want(t, 0, "holds data of its own")
	if strings.Contains(r.out, "Demo-") {
		t.Fatal("demo passwords printed for a database that does not hold them")
	}
	if n, _ := store.CountOrgs(ctx, s.open(t).Read()); n != 0 {
		t.Fatalf("%d organizations added to a used database", n)
	}
}

// --people is a count of workers between 0 and demo.MaxPeople; 0 loads
// the organizations and accounts alone.
func TestDemoPeople(t *testing.T) {
	s := sqliteSite(t)
	for _, bad := range []string{"-1", "2000001", "many"} {
		r := s.run(ctx, "demo", "--load-only", "--people", bad)
		r.want(t, 2)
		r.oneErrorLine(t)
	}
	s.run(ctx, "demo", "--load-only", "--people", "-1").want(t, 2, "--people -1 is out of range")
	s.run(ctx, "demo", "--load-only", "--people", "0").want(t, 0, "0 people, 0 of them members")
	db := s.open(t)
	if n, _ := store.CountAccounts(ctx, db.Read()); n != len(demo.Guannan().Accounts) {
		t.Fatalf("%d accounts without people", n)
	}
	var persons int
	db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons`).Scan(&persons)
	if persons != 0 {
		t.Fatalf("%d people with --people 0", persons)
	}
}
