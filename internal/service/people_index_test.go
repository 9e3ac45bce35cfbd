package service_test

import (
	"fmt"
	"slices"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The people index follows every way the service writes people and
// organizations — registration one by one and in bulk, a member's own
// move, an edit, a placement, a merge that moves a subtree — and the
// queries read from it see each change at once (decision 0007). The
// index is compared with the register after each step; storetest does it
// once more after the test.
func TestPeopleIndexFollowsTheServiceWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		exact := func(step string) {
			t.Helper()
			if err := store.CheckPersonIndex(ctx, db.Read()); err != nil {
				t.Fatalf("after %s: %v", step, err)
			}
		}
		byCity := func() string {
			t.Helper()
			c, err := w.svc.CountPersons(ctx, county, service.CountByCity, service.PersonSearch{})
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(c.Total, c.Cities)
		}
		byOrg := func(f service.PersonSearch) map[string]int {
			t.Helper()
			c, err := w.svc.CountPersons(ctx, county, service.CountByOrg, f)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, o := range c.Orgs {
				out[o.Org.Name] = o.Count
			}
			return out
		}
		search := func(text string) []string {
			t.Helper()
			page, err := w.svc.SearchPersons(ctx, county, service.PersonSearch{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			return names(page)
		}

		member, worker := w.linkedMember(t)
		exact("registration")
		if got := byCity(); got != "2 [{ 1} {330100 1}]" {
			t.Fatalf("by city after registration: %s", got)
		}

		// The member reports a move to Wuxi.
		if err := w.svc.ReportMove(ctx, w.actor(t, "member"), service.MoveReport{CityCode: "320200", DistrictCode: "320214",
			Employer: "无锡新吴电子厂", On: w.svc.Today().AddDays(-1)}); err != nil {
			t.Fatal(err)
		}
		exact("a reported move")
		if got := byCity(); got != "2 [{ 1} {320200 1}]" {
			t.Fatalf("by city after the move: %s", got)
		}

		// An edit renames the worker: the terms follow.
		p, err := w.svc.Person(ctx, county, worker)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.UpdatePerson(ctx, county, worker, service.NewPerson{Name: "李伟", CityCode: "310000"}, p.Version); err != nil {
			t.Fatal(err)
		}
		exact("an edit")
		if got, old := search("李伟"), search("张"); !slices.Equal(got, []string{"李伟"}) || len(old) != 0 {
			t.Fatalf("after the rename: 李伟 %v, 张 %v", got, old)
		}

		// A placement in a new branch under M.
		nb, err := w.svc.BootstrapOrg(ctx, service.NewOrg{Name: "组织MB2", Side: domain.SideMobile, Kind: domain.KindBranch,
			ParentID: w.orgs["M"].ID, FoundedOn: domain.NewDate(2010, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		m, _ := w.svc.Person(ctx, county, member)
		if err := w.svc.Place(ctx, county, member, nb, m.Membership.Version); err != nil {
			t.Fatal(err)
		}
		exact("a placement")
		if got := byOrg(service.PersonSearch{}); got["组织MB2"] != 1 || got["组织MB"] != 0 || got["组织M"] != 1 {
			t.Fatalf("by organization after the placement: %v", got)
		}

		// Three at once.
		id := func(seq int) string {
			n, _ := idcheck.CompleteID(fmt.Sprintf("32072419900101%03d", seq))
			return n
		}
		if _, err := w.svc.RegisterPeople(ctx, county, []service.NewPerson{
			{Name: "赵一", IDNumber: id(101), OriginOrgID: w.orgs["V"].ID, CityCode: "330100"},
			{Name: "赵二", IDNumber: id(103), OriginOrgID: w.orgs["V"].ID, CityCode: "330100",
				Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID, MobileOrgID: w.orgs["MB"].ID}},
			{Name: "赵三", IDNumber: id(105), OriginOrgID: w.orgs["T"].ID},
		}, nil); err != nil {
			t.Fatal(err)
		}
		exact("a bulk registration")
		if got := search("赵"); !slices.Equal(got, []string{"赵二", "赵三", "赵一"}) {
			t.Fatalf("赵: %v", got)
		}

		// M merges into a new committee: MB and MB2 move under it, paths
		// and all, and their people are counted there.
		n, err := w.svc.BootstrapOrg(ctx, service.NewOrg{Name: "组织N", Side: domain.SideMobile, Kind: domain.KindCommittee,
			ParentID: w.orgs["C"].ID, FoundedOn: domain.NewDate(2010, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		mo, _ := store.OrgByID(ctx, db.Read(), w.orgs["M"].ID)
		if err := w.svc.MergeOrg(ctx, county, mo.ID, n, service.Lifecycle{On: domain.NewDate(2020, 1, 1), Version: mo.Version}); err != nil {
			t.Fatal(err)
		}
		exact("a merge")
		if got := byOrg(service.PersonSearch{Org: n}); got["组织N"] != 2 || got["组织MB2"] != 1 || got["组织MB"] != 1 {
			t.Fatalf("by organization after the merge: %v", got)
		}
	})
}
