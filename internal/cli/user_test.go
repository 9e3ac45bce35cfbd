package cli_test

import (
	"strings"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

func TestUserCommands(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		weak := s.run(ctx, "user", "add", "alice", "--display-name", "张三", "--password", "short1A")
		weak.want(t, 2, "cannot create account alice", "at least 10 characters")
		weak.oneErrorLine(t)
		s.run(ctx, "user", "add", "alice", "--password", "alllowercaseletters").want(t, 2, "at least 3 of these four kinds")
		s.run(ctx, "user", "add", "alice", "--password", "Alice-2026-xyz").want(t, 2, "must not contain the account name")

		s.env["GONGJIAN_PASSWORD"] = "Gongjian-2026-test"
		s.run(ctx, "user", "add", "alice", "--display-name", "张三").want(t, 0, "Account alice created")
		s.run(ctx, "user", "add", "Alice").want(t, 2, "cannot create account Alice")
		delete(s.env, "GONGJIAN_PASSWORD")
		s.stdin = "Second-2026-pass\n"
		s.run(ctx, "user", "add", "--display-name", "李四", "bob").want(t, 0, "Account bob created")
		s.stdin = ""

		db := s.open(t)
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.CreateOrg(ctx, tx, domain.Org{Name: "中共灌南县委组织部", ShortName: "县委组织部", Side: domain.SideOrigin}, time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		s.run(ctx, "user", "grant", "alice", "county_officer", "--org", "县委组织部").want(t, 0, "Granted county_officer to alice")
		s.run(ctx, "user", "grant", "bob", "auditor").want(t, 0)
		s.run(ctx, "user", "grant", "bob", "secofficer").want(t, 2, "cannot grant secofficer to bob")
		s.run(ctx, "user", "grant", "bob", "member").want(t, 2, "cannot grant member to bob")
		s.run(ctx, "user", "grant", "alice", "member", "--org", "不存在的组织").want(t, 2, "不存在的组织")
		s.run(ctx, "user", "grant", "carol", "auditor").want(t, 2, "there is no account carol")

		s.run(ctx, "user", "disable", "bob").want(t, 0, "Account bob disabled")
		list := s.run(ctx, "user", "list")
		list.want(t, 0)
		want := "alice\t张三\tcounty_officer@中共灌南县委组织部\tfalse\tfalse\nbob\t李四\tauditor\ttrue\tfalse\n"
		if list.out != want {
			t.Fatalf("user list:\n%q\nwant\n%q", list.out, want)
		}
		s.run(ctx, "user", "disable", "bob", "--enable").want(t, 0, "Account bob enabled")
		if !strings.Contains(s.run(ctx, "user", "list").out, "bob\t李四\tauditor\tfalse") {
			t.Fatal("bob is still disabled")
		}

		s.run(ctx, "user", "passwd", "alice", "--password", "Gongjian-2026-test").want(t, 2, "cannot set the password of alice")
		s.run(ctx, "user", "passwd", "alice", "--password", "Another-2027-pass").want(t, 0, "password of alice was set")
		s.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
	})
}

func TestUserToken(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		s.env["GONGJIAN_PASSWORD"] = "Gongjian-2026-test"
		s.run(ctx, "user", "add", "alice").want(t, 0)
		s.run(ctx, "user", "add", "bob").want(t, 0)
		s.run(ctx, "user", "disable", "bob").want(t, 0)

		got := s.run(ctx, "user", "token", "alice", "--label", "load test", "--days", "1")
		got.want(t, 0)
		token := strings.TrimSpace(got.out)
		if !auth.IsAPIToken(token) {
			t.Fatalf("printed %q, not a token", got.out)
		}
		db := s.open(t)
		acc, err := store.APITokenAccount(ctx, db.Read(), auth.HashToken(token), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		alice, err := store.AccountByName(ctx, db.Read(), "alice")
		if err != nil || acc != alice.ID {
			t.Fatalf("token of account %d, want alice (%d): %v", acc, alice.ID, err)
		}
		if _, err := store.APITokenAccount(ctx, db.Read(), auth.HashToken(token), time.Now().Add(25*time.Hour)); err == nil {
			t.Fatal("a one-day token still works after 25 hours")
		}
		s.run(ctx, "user", "token", "bob").want(t, 2, "cannot issue a token to bob", "disabled")
		s.run(ctx, "user", "token", "carol").want(t, 2, "there is no account carol")
		s.run(ctx, "user", "token", "alice", "--days", "-1").want(t, 2, "gongjian user token NAME")
		s.run(ctx, "user", "token").want(t, 2, "gongjian user token NAME")
		s.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
	})
}
