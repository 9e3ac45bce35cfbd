package store_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// A list that takes its organizations' names from the cache shows what
// the joins show: after a rename by plain SQL (as another server or the
// command line would), after a new organization, and after a move.
func TestListPersonsOrgNamesCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := buildQueryWorld(t, db, rand.New(rand.NewPCG(7, 11)))
		names := store.NewOrgNames()
		q := store.PersonQuery{Scope: authz.OrgFilter{Prefixes: []string{w.orgs["C"].Path}}, Limit: 500}
		same := func(step string) {
			t.Helper()
			plain, err := store.ListPersons(ctx, db.Read(), q)
			if err != nil {
				t.Fatal(err)
			}
			named := q
			named.Names = names
			cached, err := store.ListPersons(ctx, db.Read(), named)
			if err != nil {
				t.Fatal(err)
			}
			if len(plain) == 0 || !reflect.DeepEqual(plain, cached) {
				t.Fatalf("%s: the cached names differ from the joined ones (%d and %d rows)", step, len(plain), len(cached))
			}
		}
		same("first")
		same("warm")
		exec := func(sql string, args ...any) {
			t.Helper()
			if err := db.Tx(ctx, func(tx store.Tx) error {
				_, err := tx.ExecContext(ctx, sql, args...)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE orgs SET name = 'T1 renamed' WHERE id = $1`, w.orgs["T1"].ID)
		exec(`UPDATE orgs SET name = 'MB1 renamed' WHERE id = $1`, w.orgs["MB1"].ID)
		same("renamed")
		var fresh domain.OrgID
		if err := db.Tx(ctx, func(tx store.Tx) error {
			var err error
			fresh, err = store.CreateOrg(ctx, tx, domain.Org{Name: "V4", Side: domain.SideOrigin, ParentID: w.orgs["T1"].ID}, importNow)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE persons SET origin_org_id = $1 WHERE id IN (SELECT id FROM persons WHERE origin_org_id = $2 ORDER BY id LIMIT 5)`,
			fresh, w.orgs["V1"].ID)
		same("a new organization")
		exec(`UPDATE memberships SET mobile_org_id = $1 WHERE mobile_org_id = $2`, w.orgs["M2"].ID, w.orgs["M1"].ID)
		same("moved")
	})
}
