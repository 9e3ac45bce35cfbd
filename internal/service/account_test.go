package service_test

import (
	"slices"
	"testing"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func officer(t *testing.T, e *env, name, role string) *authz.Actor {
	t.Helper()
	id := e.account(t, name, role)
	v, err := e.svc.Account(ctx, &authz.Actor{AccountID: id}, id)
	if err != nil {
		t.Fatal(err)
	}
	return &authz.Actor{AccountID: id, Name: name, Grants: v.Grants, Address: "10.0.0.9"}
}

func TestCreateAccountRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sec := officer(t, e, "sec", authz.RoleSecOfficer)
		_, err := e.svc.CreateAccount(ctx, sec, service.NewAccount{Name: "host1", Password: "short"})
		wantCode(t, err, domain.CodeInvalid, "auth.password.too_short")
		_, err = e.svc.CreateAccount(ctx, sec, service.NewAccount{Name: "host1", Password: "Host1-" + goodPassword})
		wantCode(t, err, domain.CodeInvalid, "auth.password.contains_name")
		id, err := e.svc.CreateAccount(ctx, sec, service.NewAccount{Name: "host1", DisplayName: "街道干部", Password: goodPassword, MustChange: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.CreateAccount(ctx, sec, service.NewAccount{Name: "HOST1", Password: goodPassword})
		wantCode(t, err, domain.CodeConflict, "account.name_taken")
		// A new account must change the officer-set password first.
		_, p := e.login(t, "host1", goodPassword)
		if p.Stage != service.StagePassword {
			t.Fatalf("stage %s, want password", p.Stage)
		}
		if err := e.svc.ChangeOwnPassword(ctx, p.Actor, p.TokenHash, goodPassword, goodPassword); domain.CodeOf(err) != domain.CodeInvalid {
			t.Fatalf("reusing the password: %v", err)
		}
		if err := e.svc.ChangeOwnPassword(ctx, p.Actor, p.TokenHash, goodPassword, "Another-Strong-2027"); err != nil {
			t.Fatal(err)
		}
		v, _ := e.svc.Account(ctx, sec, id)
		if v.MustChangePassword {
			t.Fatal("must-change flag not cleared")
		}
	})
}

func TestSeparationOfDuties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sec := officer(t, e, "sec", authz.RoleSecOfficer)
		aud := officer(t, e, "aud", authz.RoleAuditor)
		id := e.account(t, "admin", authz.RoleSysAdmin)
		wantCode(t, e.svc.Grant(ctx, sec, id, authz.RoleAuditor, ""), domain.CodeRule, "grant.separation_of_duties")
		// The auditor reads the log but changes nothing.
		_, err := e.svc.CreateAccount(ctx, aud, service.NewAccount{Name: "x", Password: goodPassword})
		wantCode(t, err, domain.CodeForbidden, "")
		wantCode(t, e.svc.Grant(ctx, aud, id, authz.RoleMember, "1"), domain.CodeForbidden, "")
		wantCode(t, e.svc.SetPasswordPolicy(ctx, aud, auth.DefaultPolicy()), domain.CodeForbidden, "")
		if _, err := e.svc.ListAudit(ctx, aud, store.AuditFilter{}); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.ListAudit(ctx, sec, store.AuditFilter{})
		wantCode(t, err, domain.CodeForbidden, "")
		actions := auditActions(t, db)
		if !slices.Contains(actions, "account.create") || !slices.Contains(actions, "grant.add") {
			t.Fatalf("actions %v", actions)
		}
		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Actor: "aud"})
		denied := 0
		for _, en := range entries {
			if en.Outcome == "denied" {
				denied++
			}
		}
		if denied != 3 {
			t.Fatalf("auditor's refused actions audited %d times, want 3", denied)
		}
		brk, _, err := e.svc.VerifyAudit(ctx, aud)
		if err != nil || brk != nil {
			t.Fatalf("chain after the whole scenario: %+v %v", brk, err)
		}
	})
}

func TestDisableEndsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sec := officer(t, e, "sec", authz.RoleSecOfficer)
		id := e.account(t, "leaver", authz.RoleMember)
		tok, _ := e.login(t, "leaver", goodPassword)
		if err := e.svc.SetDisabled(ctx, sec, id, true); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Authenticate(ctx, tok, "a"); err == nil {
			t.Fatal("disabled account's session still works")
		}
		_, _, err := e.svc.Login(ctx, service.LoginInput{Name: "leaver", Password: goodPassword, Address: "a"})
		wantCode(t, err, domain.CodeInvalid, "login.disabled")
	})
}

func TestOfficerRequiresTOTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sec := officer(t, e, "sec", authz.RoleSecOfficer)
		id := e.account(t, "hostofficer", authz.RoleHostOfficer)
		if _, p := e.login(t, "hostofficer", goodPassword); p.Stage != service.StageFull {
			t.Fatalf("stage %s before the requirement", p.Stage)
		}
		member := officer(t, e, "plain", authz.RoleMember)
		wantCode(t, e.svc.RequireTOTP(ctx, member, id, true), domain.CodeForbidden, "")
		if err := e.svc.RequireTOTP(ctx, sec, id, true); err != nil {
			t.Fatal(err)
		}
		if _, p := e.login(t, "hostofficer", goodPassword); p.Stage != service.StageEnrol {
			t.Fatalf("stage %s, want enrol once required", p.Stage)
		}
	})
}
