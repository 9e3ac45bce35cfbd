package service_test

import (
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The cache of resolved actors never serves access the database no longer
// grants: a change to grants, accounts, agreements or organizations —
// made through this service, through another server on the same database
// or by plain SQL — shows at the next request, and so does the day an
// agreement ends.
func TestCachedActorsFollowEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		token := func(name string) string {
			t.Helper()
			tok, _, err := w.svc.BootstrapAPIToken(ctx, w.accounts[name], "test", 0)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		// reaches authenticates twice (the second time from the cache) and
		// tells whether the actor may read people at org.
		reaches := func(tok, org string) bool {
			t.Helper()
			var can [2]bool
			for i := range can {
				p, err := w.svc.AuthenticateAPIToken(ctx, tok, "127.0.0.1")
				if err != nil {
					t.Fatalf("authenticate: %v", err)
				}
				can[i] = p.Actor.CanAt(authz.PersonRead, authz.Target{Path: w.orgs[org].Path}).Allowed
			}
			if can[0] != can[1] {
				t.Fatalf("the cached actor differs from the fresh one at %s", org)
			}
			return can[0]
		}
		host, home, mobile := token("host"), token("home"), token("mobile")
		if !reaches(host, "MB") || !reaches(home, "V") || !reaches(mobile, "MB") {
			t.Fatal("the world's reach is not as built")
		}

		// Midnight after the agreement's last day, with nothing written:
		// two minutes, within the cache's lifetime.
		now := w.clock.Now()
		w.clock.Set(time.Date(2026, 12, 31, 15, 59, 0, 0, time.UTC)) // 23:59 on 31 December in Beijing
		if !reaches(host, "MB") {
			t.Fatal("the agreement's last minute reaches nothing")
		}
		w.clock.Advance(2 * time.Minute)
		if reaches(host, "MB") {
			t.Error("an agreement past its end still reaches")
		}
		w.clock.Set(now)
		if !reaches(host, "MB") {
			t.Error("the agreement in force reaches nothing")
		}

		// Terminated through the service.
		county := w.actor(t, "county")
		ag, err := w.svc.Agreement(ctx, county, w.a1)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.TerminateAgreement(ctx, county, w.a1, ag.Agreement.Version, domain.Today(now), "合作终止"); err != nil {
			t.Fatal(err)
		}
		if reaches(host, "MB") {
			t.Error("a terminated agreement still reaches")
		}

		// A grant removed by plain SQL, as another program would.
		grants, err := store.Grants(ctx, db.Read(), w.accounts["home"])
		if err != nil || len(grants) != 1 {
			t.Fatalf("grants %v %v", grants, err)
		}
		if err := db.Tx(ctx, func(tx store.Tx) error {
			return store.RemoveGrant(ctx, tx, w.accounts["home"], grants[0].ID)
		}); err != nil {
			t.Fatal(err)
		}
		if reaches(home, "V") {
			t.Error("a removed grant still reaches")
		}

		// An account disabled by a second server on the same database.
		other, err := service.New(db, service.Config{Clock: w.clock, Keys: w.keys})
		if err != nil {
			t.Fatal(err)
		}
		if err := other.BootstrapSetDisabled(ctx, w.accounts["mobile"], true); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.AuthenticateAPIToken(ctx, mobile, "127.0.0.1"); domain.CodeOf(err) != domain.CodeUnauthorized {
			t.Errorf("a disabled account's token: %v", err)
		}

		// A session sees a change as a token does.
		tok, p, err := w.svc.Login(ctx, service.LoginInput{Name: "county", Password: goodPassword, Address: "a"})
		if err != nil || p.Stage != service.StageFull {
			t.Fatalf("login: %v %v", p.Stage, err)
		}
		for range 2 {
			if p, err = w.svc.Authenticate(ctx, tok, "a"); err != nil || !p.Actor.CanAt(authz.PersonRead, authz.Target{Path: w.orgs["V"].Path}).Allowed {
				t.Fatalf("session: %v", err)
			}
		}
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE orgs SET status = 'dissolved' WHERE id = $1`, w.orgs["C"].ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if p, err = w.svc.Authenticate(ctx, tok, "a"); err != nil || p.Actor.CanAt(authz.PersonRead, authz.Target{Path: w.orgs["V"].Path}).Allowed {
			t.Errorf("a grant at a dissolved organization still reaches (%v)", err)
		}
	})
}
