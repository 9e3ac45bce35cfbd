package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// A person read as SQLite's one JSON value must equal the same person read
// column by column: texts with quotes, backslashes, control characters and
// characters beyond the BMP, empty and null fields, people with and
// without a membership, placed and unplaced, inside a transaction and
// from the read pool.
func TestPersonReadAsOneValue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		orgs := createTree(t, db, []treeOrg{{"C", "", domain.SideOrigin}, {"V", "C", domain.SideOrigin},
			{"M", "C", domain.SideMobile}})
		cert := domain.NewDate(2027, 6, 30)
		people := []store.PersonRow{
			{Person: domain.Person{Name: `阿不都热合曼·哈力木 "引号" \ 反斜杠`, Gender: 1, Ethnicity: "05", OriginOrgID: orgs["V"].ID,
				IDNumber: "320724********1375", Phone: "180****1807", Address: "tab\there\x01\u2028 𠀀𪚥", Employer: `A\"B`,
				BirthOn: domain.NewDate(1972, 11, 9), LeftHomeOn: domain.NewDate(2004, 3, 20)},
				SortKey: "a!00963f", IDSealed: "sealed-1", PhoneSealed: "sealed-2"},
			{Person: domain.Person{Name: "艾晨鹏", OriginOrgID: orgs["V"].ID, Membership: &domain.Membership{
				Status: domain.StatusFull, JoinedOn: domain.NewDate(2010, 7, 1), FullOn: domain.NewDate(2011, 7, 1),
				HomeOrgID: orgs["V"].ID, MobileOrgID: orgs["M"].ID, CertificateNo: "0012", CertificateTo: cert,
				CertificateFrom: domain.NewDate(2025, 7, 1)}}},
			{Person: domain.Person{Name: "单", OriginOrgID: orgs["C"].ID, Membership: &domain.Membership{
				Status: domain.StatusProbationary, HomeOrgID: orgs["C"].ID}}},
		}
		var ids []domain.PersonID
		if err := db.Tx(ctx, func(tx store.Tx) error {
			for i, p := range people {
				id, err := store.CreatePerson(ctx, tx, p, importNow.Add(time.Duration(i)*time.Microsecond))
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			_, err := tx.ExecContext(ctx, `UPDATE memberships SET contact_state = 'at_risk', contact_state_on = $2,
				last_contact_on = $3 WHERE person_id = $1`, ids[1], domain.NewDate(2026, 10, 1), domain.NewDate(2026, 7, 1))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		same := func(q store.Q) {
			t.Helper()
			for _, id := range ids {
				got, gotPaths, err := store.PersonWithPaths(ctx, q, id)
				want, wantPaths, err2 := store.PersonWithPaths(ctx, store.ColumnsOnly(q), id)
				if err != nil || err2 != nil {
					t.Fatal(err, err2)
				}
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotPaths, wantPaths) {
					t.Errorf("person %d:\n one value %+v %v\n columns  %+v %v", id, got, gotPaths, want, wantPaths)
				}
			}
			if _, _, err := store.PersonWithPaths(ctx, q, ids[len(ids)-1]+1); err != domain.ErrNotFound {
				t.Errorf("a missing person: %v, want not found", err)
			}
		}
		same(db.Read())
		if err := db.Tx(ctx, func(tx store.Tx) error { same(tx); return nil }); err != nil {
			t.Fatal(err)
		}
		p, paths, err := store.PersonWithPaths(ctx, db.Read(), ids[1])
		if err != nil || p.Membership == nil || p.Membership.ContactState != "at_risk" || len(paths) != 3 ||
			p.Address != "" || p.Membership.CertificateTo != cert {
			t.Errorf("placed member: %+v %v %v", p.Membership, paths, err)
		}
		if p, _, _ := store.PersonWithPaths(ctx, db.Read(), ids[0]); p.Address != people[0].Address || p.Membership != nil {
			t.Errorf("worker: address %q, membership %v", p.Address, p.Membership)
		}
	})
}
