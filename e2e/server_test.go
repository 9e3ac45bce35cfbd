package e2e

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/clock"
	"gongjian/internal/demo"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/server"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

// demoPeople is the scale of the demo the browser tests run on: 26
// members among 2,000 workers load in a second or two.
const demoPeople = 2000

// site is the in-process server on a fresh database with the Guannan demo
// loaded.
type site struct {
	URL      string
	Scenario demo.Scenario
	Service  *service.Service
}

func startSite(t *testing.T, db *store.DB) *site {
	t.Helper()
	return startSiteWith(t, db, demoPeople)
}

// startSiteWith is startSite with the demo at another scale.
func startSiteWith(t *testing.T, db *store.DB, people int) *site {
	t.Helper()
	ctx := context.Background()
	keys, err := seal.New(seal.SuiteStd)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(db, service.Config{Clock: clock.System{}, Keys: keys, PasswordParams: auth.TestParams})
	if err != nil {
		t.Fatal(err)
	}
	sc := demo.Guannan()
	sc.People = people
	if _, err := sc.Load(ctx, svc); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Options{Service: svc, I18n: bundle, Static: static, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &site{URL: ts.URL, Scenario: sc, Service: svc}
}

func (s *site) account(t *testing.T, name string) demo.Account {
	t.Helper()
	for _, a := range s.Scenario.Accounts {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no demo account %q", name)
	return demo.Account{}
}

// nowish is used by TOTP codes: the site runs on the system clock.
func nowish() time.Time { return time.Now() }

// linkMember points the demo's member account at person, or at no one
// when person is 0: the demo links it to its own 孙小军, and a journey that
// needs another record, or an account not yet linked, says so first.
func linkMember(t *testing.T, db *store.DB, person domain.PersonID) {
	t.Helper()
	ctx := context.Background()
	acc, err := store.AccountByName(ctx, db.Read(), "member")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(ctx, func(tx store.Tx) error { return store.SetAccountPerson(ctx, tx, acc.ID, person) }); err != nil {
		t.Fatal(err)
	}
}

// placedIn counts the full and probationary members placed in org's
// subtree (its groups too): the people a meeting of org expects today.
func placedIn(t *testing.T, db *store.DB, org domain.Org) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM memberships m JOIN orgs o ON o.id = m.mobile_org_id
		WHERE o.path LIKE $1 AND m.status IN ('probationary', 'full')`, org.Path+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
