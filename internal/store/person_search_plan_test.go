package store_test

import (
	"context"
	"fmt"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/pinyin"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// A text search walks either its term's people or its scope's people
// within the stretch of the pinyin order the term spans, and its total is
// the term's count when the scope holds the whole register. Each choice
// is pinned here (which walk a query takes) together with its answer,
// page by page and counted every way, against the register read back:
// a surname (a short stretch) in a small scope and in a large one, a
// given name's character (a stretch as long as the register), initials,
// a longer name, and the county before and after it holds everyone.
func TestPersonSearchPlans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		orgs := buildPlanWorld(t, db)
		scope := func(names ...string) authz.OrgFilter {
			var f authz.OrgFilter
			for _, n := range names {
				f.Prefixes = append(f.Prefixes, orgs[n].Path)
			}
			return f
		}
		full := domain.StatusFull
		cases := []struct {
			f    store.PersonQuery
			walk string
		}{
			{store.PersonQuery{Scope: scope("M"), Name: "赵"}, "stretch+short"},    // few people, a common surname
			{store.PersonQuery{Scope: scope("T"), Name: "赵"}, "stretch+short"},    // most people: the stretch is smaller than the term
			{store.PersonQuery{Scope: scope("T"), Name: "伟"}, "term+short"},       // a given name's character spans the register
			{store.PersonQuery{Scope: scope("M"), Pinyin: "zh"}, "stretch+short"}, // initials or pinyin
			{store.PersonQuery{Scope: scope("C"), Name: "赵"}, "stretch+short"},    // the county, not yet everyone
			{store.PersonQuery{Scope: scope("T"), Name: "钱"}, "term+short"},       // a rare surname: its own people
			{store.PersonQuery{Scope: scope("M", "X"), Name: "赵"}, "stretch+short"},
		}
		after := []struct {
			f    store.PersonQuery
			walk string
		}{
			{store.PersonQuery{Scope: scope("C"), Name: "赵"}, "term+short+known"},
			{store.PersonQuery{Scope: scope("C"), Pinyin: "zhao"}, "term+short+known"},
			{store.PersonQuery{Scope: scope("C"), Org: orgs["C"].Path, Name: "伟"}, "term+short+known"},
			{store.PersonQuery{Scope: scope("C"), Name: "赵伟明"}, "term+short"},             // the name is checked on each
			{store.PersonQuery{Scope: scope("C"), Name: "赵", Status: full}, "term+short"}, // the status too
			{store.PersonQuery{Scope: scope("C"), Name: "赵", Employer: "建工"}, "term+short"},
			{store.PersonQuery{Scope: scope("M"), Name: "赵"}, "stretch+short"},
		}
		check := func(round string, cases []struct {
			f    store.PersonQuery
			walk string
		}) {
			people := readTruth(t, db)
			names := store.NewOrgNames()
			for i, c := range cases {
				walk, err := store.PlanWalk(ctx, db.Read(), c.f)
				if err != nil || walk != c.walk {
					t.Errorf("%s, query %d %+v: walks %q (%v), want %q", round, i, c.f, walk, err, c.walk)
				}
				want := wantOf(people, c.f)
				if len(want) == 0 {
					t.Fatalf("%s, query %d: no answer to check", round, i)
				}
				checkQuery(t, db, c.f, want, names, fmt.Sprintf("%s, query %d", round, i))
			}
		}
		check("before", cases)
		// The second tree's people move into the county's, which then
		// holds the whole register.
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE persons SET origin_org_id = $1 WHERE origin_org_id = $2`, orgs["V"].ID, orgs["X"].ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("after", after)
	})
}

// buildPlanWorld registers 300 people: half of them surnamed 赵 (a
// surname no given name uses), the rest 孙 or 李 and five 钱; given names
// from 伟明华强. Most are from V (under T, under C); a tenth are members
// placed in the mobile organization M; one in fifteen is from X, a second
// tree.
func buildPlanWorld(t *testing.T, db *store.DB) map[string]domain.Org {
	t.Helper()
	ctx := context.Background()
	orgs := createTree(t, db, []treeOrg{{"C", "", domain.SideOrigin}, {"T", "C", domain.SideOrigin},
		{"V", "T", domain.SideOrigin}, {"M", "C", domain.SideMobile}, {"X", "", domain.SideOrigin}})
	given := []rune("伟明华强")
	var people []store.PersonRow
	for i := range 300 {
		name := []string{"赵", "孙", "赵", "李"}[i%4]
		if i%60 == 1 {
			name = "钱"
		}
		name += string(given[i%4])
		if i%3 > 0 {
			name += string(given[(i/3)%4])
		}
		py := pinyin.Of(name)
		p := store.PersonRow{SortKey: py.Sort, IDIndex: fmt.Appendf(nil, "plan-%04d", i)}
		p.Name, p.Pinyin, p.Initials, p.CityCode = name, py.Full, py.Initials, "320500"
		if i%2 == 0 {
			p.Employer = "杭州建工"
		}
		people = append(people, p)
	}
	if err := db.Tx(ctx, func(tx store.Tx) error {
		for i := range people {
			p := &people[i]
			p.OriginOrgID = orgs["V"].ID
			switch {
			case i%15 == 7:
				p.OriginOrgID = orgs["X"].ID
			case i%10 == 0:
				p.Membership = &domain.Membership{Status: domain.StatusFull, HomeOrgID: orgs["V"].ID, MobileOrgID: orgs["M"].ID}
			case i%10 == 5:
				p.Membership = &domain.Membership{Status: domain.StatusProbationary, HomeOrgID: orgs["V"].ID}
			}
		}
		_, err := store.InsertPersons(ctx, tx, people, "imported", "{}", "test", domain.NewDate(2026, 1, 1), importNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return orgs
}
