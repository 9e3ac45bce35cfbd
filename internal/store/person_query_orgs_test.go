package store_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
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

// A summary list reads fewer columns: its rows are the whole records'
// list fields, in the same order, nothing else filled, on every path
// (first page, counted short walk, later page).
func TestListPersonsSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := buildQueryWorld(t, db, rand.New(rand.NewPCG(7, 11)))
		// Texts that look like the packed row's own lengths and
		// separators, characters beyond the BMP, an empty employer.
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE persons SET name = name || $1, employer = $2
				WHERE id IN (SELECT id FROM persons ORDER BY id LIMIT 7)`, ":1,2𠮷", "9:a,b:c\x1f𠮷\n0:")
			if err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE persons SET employer = '' WHERE id IN (SELECT id FROM persons ORDER BY id DESC LIMIT 7)`)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		scope := authz.OrgFilter{Prefixes: []string{w.orgs["C"].Path}}
		compareSummaries(t, db, scope)
		// Every list field changed by plain SQL (as another program
		// would): the summaries follow at the commit.
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE persons SET gender = 3 - gender, id_masked = '1*', phone_masked = '2*',
				district_code = '320101', industry = 'F', version = version + 5 WHERE id % 3 = 0`)
			if err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE memberships SET status = 'probationary' WHERE person_id % 2 = 0`)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		compareSummaries(t, db, scope)
	})
}

// compareSummaries checks that summary rows are the whole records' list
// fields, in the same order, nothing else filled, on every path (first
// page, counted short walk, later page).
func compareSummaries(t *testing.T, db *store.DB, scope authz.OrgFilter) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []store.PersonQuery{
		{Scope: scope, Limit: 20},
		{Scope: scope, Limit: 20, Status: domain.StatusFull},
		{Scope: scope, Limit: 20, Name: "张"},
	} {
		q.Names = store.NewOrgNames()
		whole, _, _, err := store.ListCountPersons(ctx, db.Read(), q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		q.Summary = true
		short, _, _, err := store.ListCountPersons(ctx, db.Read(), q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(whole) == 0 || len(short) != len(whole) {
			t.Fatalf("%+v: %d summary rows, %d whole", q, len(short), len(whole))
		}
		members, odd := 0, 0
		for i, p := range whole {
			if strings.Contains(p.Name, "𠮷") {
				odd++
			}
			want := store.PersonRow{SortKey: p.SortKey, Person: domain.Person{ID: p.ID, Name: p.Name, Pinyin: p.Pinyin,
				Initials: p.Initials, Gender: p.Gender, IDNumber: p.IDNumber, Phone: p.Phone, CityCode: p.CityCode,
				DistrictCode: p.DistrictCode, Employer: p.Employer, Industry: p.Industry, OriginOrgID: p.OriginOrgID,
				OriginOrgName: p.OriginOrgName, Version: p.Version}}
			if m := p.Membership; m != nil {
				members++
				want.Membership = &domain.Membership{Status: m.Status, HomeOrgID: m.HomeOrgID, HomeOrgName: m.HomeOrgName,
					MobileOrgID: m.MobileOrgID, MobileOrgName: m.MobileOrgName}
			}
			if !reflect.DeepEqual(short[i], want) {
				t.Errorf("%+v row %d:\n got %+v\nwant %+v", q, i, short[i], want)
			}
		}
		if q.Name == "" && odd == 0 {
			t.Fatalf("%+v: the page should hold a name with the packed form's separators", q)
		}
		if members == 0 || whole[0].OriginOrgName == "" {
			t.Fatalf("%+v: the world should list members with named organizations", q)
		}
		q.After = short[len(short)-1].SortKey + "\x00" + strconv.FormatInt(int64(short[len(short)-1].ID), 10)
		later, _, _, err := store.ListCountPersons(ctx, db.Read(), q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(later) > 0 && later[0].SortKey < short[len(short)-1].SortKey {
			t.Errorf("%+v: the next page starts before the last row", q)
		}
	}
}
