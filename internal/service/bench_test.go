package service_test

import (
	"fmt"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// BenchmarkLogin is one password sign-in with the production argon2id
// parameters: the hash, the lock checks, the session and the audit entry.
func BenchmarkLogin(b *testing.B) {
	benchDBs(b, func(b *testing.B, db *store.DB) {
		svc := benchService(b, db, auth.DefaultParams)
		if _, err := svc.BootstrapAccount(ctx, service.NewAccount{Name: "bench", Password: goodPassword}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			// A new address each time keeps the per-address throttle out of it.
			if _, _, err := svc.Login(ctx, service.LoginInput{Name: "bench", Password: goodPassword, Address: fmt.Sprint(i)}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAuthenticate is what every signed-in request pays: resolving
// the session cookie to an actor.
func BenchmarkAuthenticate(b *testing.B) {
	benchDBs(b, func(b *testing.B, db *store.DB) {
		svc := benchService(b, db, auth.TestParams)
		id, err := svc.BootstrapAccount(ctx, service.NewAccount{Name: "bench", Password: goodPassword})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.CreateOrg(ctx, tx, domain.Org{Name: "org", Side: domain.SideOrigin}, time.Now())
			return err
		}); err != nil {
			b.Fatal(err)
		}
		if err := svc.BootstrapGrant(ctx, id, authz.RoleMember, "org"); err != nil {
			b.Fatal(err)
		}
		tok, _, err := svc.Login(ctx, service.LoginInput{Name: "bench", Password: goodPassword, Address: "a"})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if _, err := svc.Authenticate(ctx, tok, "a"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchDBs(b *testing.B, body func(*testing.B, *store.DB)) {
	b.Run("sqlite", func(b *testing.B) { body(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { body(b, storetest.Postgres(b)) })
}

func benchService(b *testing.B, db *store.DB, p auth.Params) *service.Service {
	keys, err := seal.New(seal.SuiteStd)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := service.New(db, service.Config{Clock: clock.System{}, Keys: keys, PasswordParams: p})
	if err != nil {
		b.Fatal(err)
	}
	return svc
}
