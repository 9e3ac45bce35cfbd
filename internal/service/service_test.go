package service_test

import (
	"context"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

var ctx = context.Background()

const goodPassword = "Gongjian-2026-test"

type env struct {
	svc   *service.Service
	db    *store.DB
	clock *clock.Fake
	keys  *seal.Keyring
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	keys, err := seal.New("std")
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWithKeys(t, db, keys, clock.NewFake(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)))
}

func newEnvWithKeys(t *testing.T, db *store.DB, keys *seal.Keyring, c *clock.Fake) *env {
	t.Helper()
	svc, err := service.New(db, service.Config{Clock: c, Keys: keys, PasswordParams: auth.TestParams, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return &env{svc: svc, db: db, clock: c, keys: keys}
}

// account makes an account holding role (at a fresh organization for
// business roles) and returns its id.
func (e *env) account(t *testing.T, name, role string) domain.AccountID {
	t.Helper()
	id, err := e.svc.BootstrapAccount(ctx, service.NewAccount{Name: name, DisplayName: name, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if role == "" {
		return id
	}
	org := ""
	if info, _ := authz.Role(role); !info.SystemWide {
		org = "组织-" + name
		if err := e.db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.CreateOrg(ctx, tx, domain.Org{Name: org, Side: domain.SideOrigin}, e.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.BootstrapGrant(ctx, id, role, org); err != nil {
		t.Fatal(err)
	}
	return id
}

func (e *env) login(t *testing.T, name, pw string) (string, service.Principal) {
	t.Helper()
	tok, p, err := e.svc.Login(ctx, service.LoginInput{Name: name, Password: pw, Address: "10.0.0.1"})
	if err != nil {
		t.Fatalf("login %s: %v", name, err)
	}
	return tok, p
}

func wantCode(t *testing.T, err error, code domain.Code, msgID string) {
	t.Helper()
	e := domain.AsError(err)
	if err == nil || e.Code != code || (msgID != "" && e.MsgID != msgID) {
		t.Fatalf("got %v, want %s %s", err, code, msgID)
	}
}

func auditActions(t *testing.T, db *store.DB) []string {
	t.Helper()
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}
