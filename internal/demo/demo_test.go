package demo_test

import (
	"context"
	"testing"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/demo"
	"gongjian/internal/domain"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

var ctx = context.Background()

// small is the scenario at the tests' scale: 2,000 people, 26 members.
func small() demo.Scenario {
	sc := demo.Guannan()
	sc.People = 2000
	return sc
}

func newService(t *testing.T, db *store.DB) *service.Service {
	t.Helper()
	keys, err := seal.New("std")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(db, service.Config{Keys: keys, PasswordParams: auth.TestParams})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestGuannanLoadsOncePerRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := newService(t, db)
		sc := small()
		res, err := sc.Load(ctx, svc)
		if err != nil || !res.Loaded || !res.Present {
			t.Fatalf("first load: %+v %v", res, err)
		}
		all, err := svc.AllAccounts(ctx, "", 0)
		if err != nil || len(all) != len(sc.Accounts) {
			t.Fatalf("%d accounts (%v), want %d", len(all), err, len(sc.Accounts))
		}
		byName := map[string]service.AccountView{}
		for _, v := range all {
			byName[v.Name] = v
		}
		roles := map[string]bool{}
		for _, a := range sc.Accounts {
			roles[a.Role] = true
			v := byName[a.Name]
			if len(v.Grants) != 1 || v.Grants[0].Role != a.Role || v.Grants[0].OrgName != a.Org {
				t.Errorf("%s grants %+v, want %s@%s", a.Name, v.Grants, a.Role, a.Org)
			}
			if v.TOTPEnabled != (a.TOTPSecret != "") {
				t.Errorf("%s TOTP enabled %v", a.Name, v.TOTPEnabled)
			}
			if _, _, err := svc.Login(ctx, service.LoginInput{Name: a.Name, Password: a.Password, Address: "10.0.0.9"}); err != nil {
				t.Errorf("login %s: %v", a.Name, err)
			}
		}
		if len(roles) != len(authz.Roles()) {
			t.Errorf("roles covered %v, want all %d", roles, len(authz.Roles()))
		}
		orgs, _ := store.CountOrgs(ctx, db.Read())
		again, err := sc.Load(ctx, svc)
		if err != nil || again.Loaded || !again.Present {
			t.Fatalf("second load: %+v %v", again, err)
		}
		if n, _ := store.CountOrgs(ctx, db.Read()); n != orgs || n != 76 {
			t.Fatalf("orgs %d after the second load, %d after the first", n, orgs)
		}
		if brk, _, err := svc.VerifyAuditChain(ctx); brk != nil || err != nil {
			t.Fatalf("audit chain: %+v %v", brk, err)
		}
	})
}

func TestGuannanLeavesRealDataAlone(t *testing.T) {
	db := storetest.SQLite(t)
	svc := newService(t, db)
	if _, err := svc.BootstrapAccount(ctx, service.NewAccount{Name: "realuser", Password: "Gongjian-2026-test"}); err != nil {
		t.Fatal(err)
	}
	res, err := small().Load(ctx, svc)
	if err != nil || res.Loaded || res.Present {
		t.Fatalf("load into a used database: %+v %v", res, err)
	}
	if n, _ := store.CountOrgs(ctx, db.Read()); n != 0 {
		t.Fatalf("%d organizations created in a used database", n)
	}
}

// A load cut short (the process killed between steps) resumes: the marker
// still says "loading", and every step skips what exists.
func TestGuannanResumesAnInterruptedLoad(t *testing.T) {
	db := storetest.SQLite(t)
	svc := newService(t, db)
	sc := small()
	half := sc
	half.Steps = append([]demo.Step{sc.Steps[0]}, demo.Step{Name: "crash", Run: func(ctx context.Context, l *demo.Loader) error {
		if err := l.EnsureAccount(ctx, sc.Accounts[0]); err != nil {
			return err
		}
		return domain.ErrForbidden // stands in for the kill
	}})
	if _, err := half.Load(ctx, svc); err == nil {
		t.Fatal("the interrupted load reported success")
	}
	res, err := sc.Load(ctx, svc)
	if err != nil || !res.Loaded {
		t.Fatalf("resumed load: %+v %v", res, err)
	}
	n, _ := store.CountAccounts(ctx, db.Read())
	if n != len(sc.Accounts) {
		t.Fatalf("%d accounts after resuming, want %d", n, len(sc.Accounts))
	}
}
