package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestLoginMemberIsFullyIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "wangfang", authz.RoleMember)
		tok, p := e.login(t, "WangFang", goodPassword)
		if p.Stage != service.StageFull || p.Actor.Name != "wangfang" {
			t.Fatalf("principal %+v", p)
		}
		got, err := e.svc.Authenticate(ctx, tok, "10.0.0.1")
		if err != nil || got.Account.ID != p.Account.ID {
			t.Fatalf("authenticate: %v", err)
		}
		if !slices.Contains(auditActions(t, db), "session.login") {
			t.Fatal("login not audited")
		}
	})
}

func TestWrongPasswordAndUnknownAccountLookAlike(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "wangfang", authz.RoleMember)
		_, _, err1 := e.svc.Login(ctx, service.LoginInput{Name: "wangfang", Password: "wrong", Address: "a"})
		_, _, err2 := e.svc.Login(ctx, service.LoginInput{Name: "nobody", Password: "wrong", Address: "a"})
		wantCode(t, err1, domain.CodeInvalid, "login.failed")
		wantCode(t, err2, domain.CodeInvalid, "login.failed")
	})
}

func TestSixthAttemptLocked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "lisi", authz.RoleMember)
		for i := 0; i < 5; i++ {
			_, _, err := e.svc.Login(ctx, service.LoginInput{Name: "lisi", Password: "bad", Address: "10.1.1.1"})
			wantCode(t, err, domain.CodeInvalid, "login.failed")
			e.clock.Advance(time.Minute)
		}
		// The sixth attempt is refused even with the right password.
		_, _, err := e.svc.Login(ctx, service.LoginInput{Name: "lisi", Password: goodPassword, Address: "10.1.1.1"})
		wantCode(t, err, domain.CodeLocked, "auth.locked")
		// Another account from another address is not affected.
		e.account(t, "zhaoliu", authz.RoleMember)
		e.login(t, "zhaoliu", goodPassword)
		// Fifteen minutes after the fifth failure the lock lifts.
		e.clock.Advance(15 * time.Minute)
		e.login(t, "lisi", goodPassword)
		if !slices.Contains(auditActions(t, db), "session.login_refused") {
			t.Fatal("lock refusal not audited")
		}
	})
}

func TestAddressThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "victim", authz.RoleMember)
		for i := 0; i < 30; i++ {
			e.svc.Login(ctx, service.LoginInput{Name: "guess" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Password: "x", Address: "6.6.6.6"})
		}
		_, _, err := e.svc.Login(ctx, service.LoginInput{Name: "victim", Password: goodPassword, Address: "6.6.6.6"})
		wantCode(t, err, domain.CodeLocked, "auth.throttled")
		e.login(t, "victim", goodPassword) // from another address
	})
}

func TestSessionTimeouts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "idle", authz.RoleMember)
		tok, _ := e.login(t, "idle", goodPassword)
		e.clock.Advance(29 * time.Minute)
		if _, err := e.svc.Authenticate(ctx, tok, "a"); err != nil {
			t.Fatalf("active at 29 min: %v", err)
		}
		e.clock.Advance(30 * time.Minute)
		_, err := e.svc.Authenticate(ctx, tok, "a")
		wantCode(t, err, domain.CodeUnauthorized, "session.expired")

		// Absolute lifetime: active every 20 minutes, still ends at 12 h.
		tok, _ = e.login(t, "idle", goodPassword)
		for i := 0; i < 12*3-1; i++ {
			e.clock.Advance(20 * time.Minute)
			if _, err := e.svc.Authenticate(ctx, tok, "a"); err != nil {
				t.Fatalf("after %d steps: %v", i+1, err)
			}
		}
		e.clock.Advance(20 * time.Minute)
		_, err = e.svc.Authenticate(ctx, tok, "a")
		wantCode(t, err, domain.CodeUnauthorized, "session.expired")
	})
}

func TestLogoutEndsSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "bye", authz.RoleMember)
		tok, p := e.login(t, "bye", goodPassword)
		if err := e.svc.Logout(ctx, p); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Authenticate(ctx, tok, "a")
		wantCode(t, err, domain.CodeUnauthorized, "")
	})
}

func TestAdminMustEnrolThenUseTOTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "secoff", authz.RoleSecOfficer)
		tok, p := e.login(t, "secoff", goodPassword)
		if p.Stage != service.StageEnrol {
			t.Fatalf("stage %s, want enrol", p.Stage)
		}
		// The password alone gives no officer rights: the session is not full.
		enr, err := e.svc.BeginTOTPEnrol(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := totp.GenerateCode(enr.Secret, e.clock.Now())
		_, _, err = e.svc.ConfirmTOTPEnrol(ctx, p, "000000")
		wantCode(t, err, domain.CodeInvalid, "totp.wrong")
		newTok, p2, err := e.svc.ConfirmTOTPEnrol(ctx, p, code)
		if err != nil || p2.Stage != service.StageFull || newTok == tok {
			t.Fatalf("confirm: stage %s, rotated %v, %v", p2.Stage, newTok != tok, err)
		}
		if _, err := e.svc.Authenticate(ctx, tok, "a"); err == nil {
			t.Fatal("the pre-MFA token still works after rotation")
		}

		// Next sign-in asks for the code.
		e.clock.Advance(time.Minute)
		_, p3 := e.login(t, "secoff", goodPassword)
		if p3.Stage != service.StageTOTP {
			t.Fatalf("stage %s, want totp", p3.Stage)
		}
		_, _, err = e.svc.VerifyTOTP(ctx, p3, "123456")
		wantCode(t, err, domain.CodeInvalid, "totp.wrong")
		code, _ = totp.GenerateCode(enr.Secret, e.clock.Now())
		_, p4, err := e.svc.VerifyTOTP(ctx, p3, code)
		if err != nil || p4.Stage != service.StageFull {
			t.Fatalf("verify: %v %s", err, p4.Stage)
		}
		// The same code cannot be replayed in another session.
		_, p5 := e.login(t, "secoff", goodPassword)
		_, _, err = e.svc.VerifyTOTP(ctx, p5, code)
		wantCode(t, err, domain.CodeInvalid, "totp.wrong")

		// Beginning a replacement leaves the old authenticator in force
		// until the new one is confirmed.
		if _, err := e.svc.BeginTOTPEnrol(ctx, p4); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Minute)
		_, p6 := e.login(t, "secoff", goodPassword)
		if p6.Stage != service.StageTOTP {
			t.Fatalf("pending replacement switched TOTP off: stage %s", p6.Stage)
		}
		code, _ = totp.GenerateCode(enr.Secret, e.clock.Now())
		if _, _, err := e.svc.VerifyTOTP(ctx, p6, code); err != nil {
			t.Fatalf("old authenticator refused while a replacement is pending: %v", err)
		}
	})
}

func TestTwoServersShareSessions(t *testing.T) {
	// Two services on one database stand for two serve processes behind a
	// load balancer: a login on one is valid on the other.
	dsn, ok := storetest.NewPGSchema(t)
	if !ok {
		return
	}
	open := func() *store.DB {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	}
	a := newEnv(t, open())
	b := newEnvWithKeys(t, open(), a.keys, a.clock)
	a.account(t, "shared", authz.RoleMember)
	tok, _ := a.login(t, "shared", goodPassword)
	p, err := b.svc.Authenticate(ctx, tok, "a")
	if err != nil || p.Account.Name != "shared" {
		t.Fatalf("second server: %v", err)
	}
	if err := b.svc.Logout(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.Authenticate(ctx, tok, "a"); err == nil {
		t.Fatal("logout on one server did not end the session on the other")
	}
}
