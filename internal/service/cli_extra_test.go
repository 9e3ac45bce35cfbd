package service_test

import (
	"slices"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestBootstrapSetDisabled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		id := e.account(t, "leaver", authz.RoleMember)
		tok, _ := e.login(t, "leaver", goodPassword)
		if err := e.svc.BootstrapSetDisabled(ctx, id, true); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Authenticate(ctx, tok, "a"); err == nil {
			t.Fatal("disabled account's session still works")
		}
		_, _, err := e.svc.Login(ctx, service.LoginInput{Name: "leaver", Password: goodPassword, Address: "a"})
		wantCode(t, err, domain.CodeInvalid, "login.disabled")
		if err := e.svc.BootstrapSetDisabled(ctx, id, false); err != nil {
			t.Fatal(err)
		}
		e.login(t, "leaver", goodPassword)
		wantCode(t, e.svc.BootstrapSetDisabled(ctx, 9999, true), domain.CodeNotFound, "")
		acts := auditActions(t, db)
		if !slices.Contains(acts, "account.disable") || !slices.Contains(acts, "account.enable") {
			t.Fatalf("audit %v lacks the disable and enable", acts)
		}
	})
}

func TestAllAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "bob", authz.RoleAuditor)
		e.account(t, "alice", authz.RoleMember)
		got, err := e.svc.AllAccounts(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Name != "alice" || len(got[0].Grants) != 1 || got[0].Grants[0].OrgName == "" {
			t.Fatalf("got %+v", got)
		}
		next, err := e.svc.AllAccounts(ctx, "alice", 1)
		if err != nil || len(next) != 1 || next[0].Name != "bob" {
			t.Fatalf("second page %+v (%v)", next, err)
		}
	})
}
