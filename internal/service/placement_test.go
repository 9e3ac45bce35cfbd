package service_test

import (
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestPlacementSuggestsByPlaceTradeAndRoom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		// Two more branches: one in Gongshu doing construction, one in
		// Xiaoshan; MB (Hangzhou, no region) already exists.
		gongshu, err := w.svc.CreateOrg(ctx, county, service.NewOrg{ParentID: w.orgs["M"].ID, Name: "拱墅建筑支部", Side: domain.SideMobile,
			Kind: domain.KindBranch, RegionCode: "330105", Industry: "E"})
		noErr(t, err)
		_, err = w.svc.CreateOrg(ctx, county, service.NewOrg{ParentID: w.orgs["M"].ID, Name: "萧山支部", Side: domain.SideMobile,
			Kind: domain.KindBranch, RegionCode: "330109", Industry: "C"})
		noErr(t, err)
		id, err := w.svc.CreatePerson(ctx, county, service.NewPerson{Name: "周建", CityCode: "330100", DistrictCode: "330105",
			Industry: "E", OriginOrgID: w.orgs["V"].ID,
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID}})
		noErr(t, err)
		sg, err := w.svc.SuggestPlacement(ctx, county, id)
		if err != nil || len(sg) < 2 || sg[0].Org.ID != gongshu {
			t.Fatalf("suggestions %+v %v", sg, err)
		}
		rules := map[string]bool{}
		for _, r := range sg[0].Reasons {
			rules[r.Rule] = true
		}
		if !rules["placement.same_district"] || !rules["placement.same_industry"] || !rules["placement.has_room"] {
			t.Fatalf("reasons %+v", sg[0].Reasons)
		}
		if sg[1].Org.Name != "萧山支部" {
			t.Fatalf("second choice %s, want the same city's branch", sg[1].Org.Name)
		}
		p, _ := w.svc.Person(ctx, county, id)
		noErr(t, w.svc.Place(ctx, county, id, gongshu, p.Membership.Version))
		// A stale version is refused, not overwritten.
		wantCode(t, w.svc.Place(ctx, county, id, w.orgs["MB"].ID, p.Membership.Version), domain.CodeConflict, "")
		p, _ = w.svc.Person(ctx, county, id)
		if p.Membership.MobileOrgID != gongshu {
			t.Fatalf("placed in %d", p.Membership.MobileOrgID)
		}
		// Workers are not placed.
		worker, err := w.svc.CreatePerson(ctx, county, service.NewPerson{Name: "吴工", OriginOrgID: w.orgs["T"].ID})
		noErr(t, err)
		_, err = w.svc.SuggestPlacement(ctx, county, worker)
		wantCode(t, err, domain.CodeRule, "placement.not_member")
		// The host may not place anyone.
		_, err = w.svc.SuggestPlacement(ctx, w.actor(t, "host"), id)
		wantCode(t, err, domain.CodeNotFound, "")
	})
}

func TestCoverage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.people(t) // 单雄信 placed in MB, covered by A1; 张伟 is no member
		county := w.actor(t, "county")
		// An unplaced member, and one placed in M2 (covered only by a draft
		// and an expired agreement).
		_, err := w.svc.CreatePerson(ctx, county, service.NewPerson{Name: "未安排", CityCode: "320500", OriginOrgID: w.orgs["V"].ID,
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID}})
		noErr(t, err)
		_, err = w.svc.CreatePerson(ctx, county, service.NewPerson{Name: "二号", CityCode: "330100", OriginOrgID: w.orgs["V"].ID,
			Membership: &domain.Membership{Status: domain.StatusProbationary, HomeOrgID: w.orgs["V"].ID, MobileOrgID: w.orgs["M2"].ID}})
		noErr(t, err)
		c, err := w.svc.Coverage(ctx, county)
		if err != nil || c.Members != 3 || c.Placed != 2 || c.Covered != 1 || len(c.NotCovered) != 2 {
			t.Fatalf("coverage %+v %v", c, err)
		}
		if c.ByCity[0].Key != "330100" || c.ByCity[0].Members != 2 || c.ByCity[0].Covered != 1 {
			t.Fatalf("by city %+v", c.ByCity)
		}
		// After A1 ends, nobody is covered.
		w.clock.Set(w.clock.Now().AddDate(1, 1, 0))
		if c, _ := w.svc.Coverage(ctx, county); c.Covered != 0 {
			t.Fatalf("covered after the agreement ended: %+v", c)
		}
	})
}

func TestPersonHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, _ := w.people(t)
		county := w.actor(t, "county")
		p, _ := w.svc.Person(ctx, county, member)
		noErr(t, w.svc.Place(ctx, county, member, w.orgs["MB"].ID, p.Membership.Version))
		h, err := w.svc.PersonHistory(ctx, county, member)
		if err != nil || len(h) != 2 || h[0].Kind != "placed" || h[1].Kind != "registered" {
			t.Fatalf("history %+v %v", h, err)
		}
		_, err = w.svc.PersonHistory(ctx, w.actor(t, "cases"), member)
		wantCode(t, err, domain.CodeNotFound, "")
	})
}
