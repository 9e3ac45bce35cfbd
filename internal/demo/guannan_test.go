package demo_test

import (
	"slices"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/demo"
	"gongjian/internal/domain"
	"gongjian/internal/region"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

const (
	county   = "中共灌南县委员会"
	hangzhou = "中共灌南县驻杭州流动党委"
	hzBranch = "中共灌南县驻杭州流动党委拱墅支部"
	suzhou   = "中共灌南县驻苏州流动党总支"
	gongshu  = "中共杭州市拱墅区运河湾街道工作委员会"
	taihuwan = "中共苏州市吴中区太湖湾街道工作委员会"
)

// loaded is a fresh database with the scenario loaded.
func loaded(t *testing.T, db *store.DB) *service.Service {
	t.Helper()
	svc := newService(t, db)
	if _, err := small().Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	return svc
}

func allOrgs(t *testing.T, db *store.DB) []domain.Org {
	t.Helper()
	orgs, err := store.ListOrgs(ctx, db.Read(), store.OrgQuery{Read: authz.OrgFilter{Prefixes: []string{"/"}}})
	if err != nil {
		t.Fatal(err)
	}
	return orgs
}

func org(t *testing.T, db *store.DB, name string) domain.Org {
	t.Helper()
	o, err := store.FindOrg(ctx, db.Read(), name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return o
}

func actor(t *testing.T, svc *service.Service, name string) *authz.Actor {
	t.Helper()
	row, err := store.AccountByName(ctx, svc.DB().Read(), name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.ActorFor(ctx, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func target(o domain.Org) authz.Target { return authz.Target{ID: o.ID, Path: o.Path, Side: o.Side} }

func TestGuannanOrganizations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := loaded(t, db)
		orgs := allOrgs(t, db)
		got := map[domain.Side]map[domain.OrgKind]int{}
		for _, o := range orgs {
			if got[o.Side] == nil {
				got[o.Side] = map[domain.OrgKind]int{}
			}
			got[o.Side][o.Kind]++
			if o.Status != domain.StatusActive || o.FoundedOn.IsZero() || o.RegionCode == "" {
				t.Errorf("%s: status %s, founded %v, region %q", o.Name, o.Status, o.FoundedOn, o.RegionCode)
			}
		}
		want := map[domain.Side]map[domain.OrgKind]int{
			domain.SideOrigin: {domain.KindCommittee: 12, domain.KindOffice: 1, domain.KindBranch: 22},
			domain.SideMobile: {domain.KindCommittee: 1, domain.KindGeneralBranch: 1, domain.KindBranch: 20, domain.KindGroup: 5,
				domain.KindUnion: 2, domain.KindYouthLeague: 1, domain.KindWomen: 1},
			domain.SideHost: {domain.KindCommittee: 4, domain.KindOffice: 6},
		}
		for side, kinds := range want {
			for kind, n := range kinds {
				if got[side][kind] != n {
					t.Errorf("%s %s: %d, want %d", side, kind, got[side][kind], n)
				}
			}
			if len(got[side]) != len(kinds) {
				t.Errorf("%s kinds %v, want %v", side, got[side], kinds)
			}
		}

		// The 14 mobile organizations stand directly under the county root.
		root := org(t, db, county)
		if root.ParentID != 0 || root.Side != domain.SideOrigin || root.Kind != domain.KindCommittee || root.RegionCode != "320724" {
			t.Errorf("county root %+v", root)
		}
		var top []string
		for _, o := range orgs {
			if o.ParentID == root.ID && o.Side == domain.SideMobile {
				if !slices.Contains([]domain.OrgKind{domain.KindCommittee, domain.KindGeneralBranch, domain.KindBranch}, o.Kind) {
					t.Errorf("top mobile %s is a %s", o.Name, o.Kind)
				}
				top = append(top, o.Name)
			}
			if o.Side == domain.SideHost && o.ParentID != 0 {
				t.Errorf("host %s is not a root", o.Name)
			}
			if o.Side == domain.SideMobile && !strings.HasPrefix(o.Path, root.Path) {
				t.Errorf("mobile %s outside the county's tree", o.Name)
			}
		}
		if len(top) != 14 {
			t.Errorf("%d mobile organizations under the county: %v", len(top), top)
		}

		// Hangzhou: founded as a branch with 13 members, upgraded to a
		// committee in April 2010 with 158.
		hz := org(t, db, hangzhou)
		if hz.Kind != domain.KindCommittee || hz.Industry != "E" || hz.RegionCode != "330105" {
			t.Errorf("Hangzhou %+v", hz)
		}
		events, err := store.OrgEvents(ctx, db.Read(), hz.ID)
		if err != nil {
			t.Fatal(err)
		}
		var path []domain.OrgEvent
		for _, e := range events {
			if e.Kind == domain.EventFounded || e.Kind == domain.EventUpgraded {
				path = append(path, e)
			}
		}
		if len(path) != 2 ||
			path[0].Kind != domain.EventFounded || path[0].ToKind != domain.KindBranch || path[0].Members != 13 || path[0].On.Time().Year() != 1998 ||
			path[1].Kind != domain.EventUpgraded || path[1].FromKind != domain.KindBranch || path[1].ToKind != domain.KindCommittee ||
			!strings.HasPrefix(path[1].On.String(), "2010-04-") || path[1].Members != 158 {
			t.Errorf("Hangzhou history %+v", path)
		}

		// Every mobile Party organization has a secretary in office;
		// committees and general branches a deputy and committee members.
		for _, o := range orgs {
			if o.Side != domain.SideMobile || o.Kind.Mass() {
				continue
			}
			officers, err := store.Officers(ctx, db.Read(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			inOffice := map[string]int{}
			for _, f := range officers {
				if f.To.IsZero() {
					inOffice[f.Position]++
				}
			}
			head := "secretary"
			if o.Kind == domain.KindGroup {
				head = "leader"
			}
			if inOffice[head] != 1 {
				t.Errorf("%s: %v in office", o.Name, inOffice)
			}
			if (o.Kind == domain.KindCommittee || o.Kind == domain.KindGeneralBranch) && (inOffice["deputy_secretary"] != 1 || len(inOffice) < 3) {
				t.Errorf("%s: committee %v", o.Name, inOffice)
			}
		}

		// The county officer at the root sees every organization: its
		// own two sides and the host counterparties it registers.
		seen, err := svc.ListOrgs(ctx, actor(t, svc, "county"), service.OrgFilter{})
		if err != nil || len(seen) != len(orgs) {
			t.Errorf("county sees %d of %d organizations (%v)", len(seen), len(orgs), err)
		}
	})
}

func TestGuannanAgreements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := loaded(t, db)
		all, err := store.ListAgreements(ctx, db.Read(), store.AgreementQuery{Scope: authz.OrgFilter{Prefixes: []string{"/"}}})
		if err != nil {
			t.Fatal(err)
		}
		today := svc.Today()
		states := map[domain.AgreementState]int{}
		renewal := 0
		root := org(t, db, county)
		for _, a := range all {
			states[a.StateOn(today)]++
			if a.RenewalDue(today) {
				renewal++
			}
			if a.OriginID != root.ID || a.Grants(domain.CapViewSensitive) {
				t.Errorf("%s: origin %d, capabilities %v", a.Title, a.OriginID, a.Capabilities)
			}
			if a.StateOn(today) == domain.AgreementTerminated && a.Reason == "" {
				t.Errorf("%s terminated without a reason", a.Title)
			}
		}
		want := map[domain.AgreementState]int{domain.AgreementInForce: 6, domain.AgreementExpired: 1,
			domain.AgreementTerminated: 1, domain.AgreementPending: 1, domain.AgreementDraft: 1}
		if !maps(states, want) || renewal != 1 {
			t.Errorf("states %v (renewal due %d), want %v and one renewal", states, renewal, want)
		}
		// The service's own filters agree.
		for state, n := range want {
			got, err := svc.ListAgreements(ctx, actor(t, svc, "county"), service.AgreementFilter{State: state})
			if err != nil || len(got) != n {
				t.Errorf("county lists %d %s agreements (%v), want %d", len(got), state, err, n)
			}
		}
		due, _ := svc.ListAgreements(ctx, actor(t, svc, "county"), service.AgreementFilter{State: "expiring"})
		if len(due) != 1 {
			t.Errorf("%d agreements due for renewal", len(due))
		}
		// Hangzhou's with its street: folded, sitting in, no sensitive data.
		hz := org(t, db, hangzhou)
		for _, a := range all {
			if len(a.Mobile) == 1 && a.Mobile[0].ID == hz.ID {
				if !a.Folded || !a.SitsIn || a.StateOn(today) != domain.AgreementInForce ||
					!slices.Equal(a.Capabilities, []domain.Capability{"attendance", "cases", "cultivation", "feedback", "view_basic"}) {
					t.Errorf("Hangzhou agreement %+v", a)
				}
			}
		}
	})
}

func maps(a, b map[domain.AgreementState]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// The host accounts: gongshu reaches the Hangzhou committee's subtree for
// what its agreement grants; wuzhong, whose agreement has expired, reaches
// nothing beyond its own street.
func TestGuannanHostReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := loaded(t, db)
		hz, branch, sz := org(t, db, hangzhou), org(t, db, hzBranch+"第一党小组"), org(t, db, suzhou)

		gs := actor(t, svc, "gongshu")
		for _, c := range []struct {
			p  authz.Perm
			o  domain.Org
			ok bool
		}{
			{authz.OrgRead, hz, true}, {authz.PersonRead, branch, true}, {authz.AttendanceRecord, branch, true},
			{authz.CultivationWrite, hz, true}, {authz.CaseHandle, branch, true},
			{authz.SensitiveRead, branch, false}, {authz.FundsRead, hz, false}, {authz.DevelopmentApprove, branch, false},
			{authz.OrgRead, sz, false}, {authz.OrgRead, org(t, db, county), false},
		} {
			if d := gs.CanAt(c.p, target(c.o)); d.Allowed != c.ok {
				t.Errorf("gongshu %s at %s: %+v, want %v", c.p, c.o.Name, d, c.ok)
			}
		}

		wz := actor(t, svc, "wuzhong")
		own := org(t, db, taihuwan)
		if len(wz.Reach) != 1 || wz.Reach[0].OrgID != own.ID {
			t.Errorf("wuzhong reach %+v", wz.Reach)
		}
		for _, o := range []domain.Org{sz, org(t, db, "中共灌南县驻苏州流动党总支木渎支部"), hz} {
			if d := wz.CanAt(authz.OrgRead, target(o)); d.Allowed {
				t.Errorf("wuzhong reads %s: %+v", o.Name, d)
			}
		}
		seen, err := svc.ListOrgs(ctx, wz, service.OrgFilter{})
		if err != nil || len(seen) != 1 || seen[0].ID != own.ID {
			t.Errorf("wuzhong sees %v (%v)", seen, err)
		}
		if !wz.CanAt(authz.OrgRead, target(own)).Allowed {
			t.Error("wuzhong cannot read its own street")
		}
	})
}

// Every region code of the scenario is a current unit of the region
// dictionary, and the origin side has a committee for every current
// township of Guannan County, with its township code.
func TestGuannanRegionCodes(t *testing.T) {
	db := storetest.SQLite(t)
	loaded(t, db)
	orgs := allOrgs(t, db)
	for _, o := range orgs {
		r, ok := region.Lookup(o.RegionCode)
		if !ok || r.Historical {
			t.Errorf("%s: region %s is not a current unit (%+v)", o.Name, o.RegionCode, r)
		}
	}
	towns := region.Children("320724")
	if len(towns) == 0 {
		t.Fatal("the region dictionary has no townships of 320724")
	}
	for _, town := range towns {
		o, err := store.FindOrg(ctx, db.Read(), "中共灌南县"+town.Name+"委员会")
		if err != nil || o.RegionCode != town.Code || o.Side != domain.SideOrigin || o.Kind != domain.KindCommittee {
			t.Errorf("town %s %s: %+v %v", town.Code, town.Name, o, err)
		}
	}
}

// The people at the tests' scale: 2,000 workers and 26 members, with a
// member or two in each situation; a person is found by the ID number
// DemoIDNumber gives, with the birth date and sex it encodes; the member
// account is linked to its person in the Hangzhou committee's Gongshu
// branch; one audit entry for the batch.
func TestGuannanPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := loaded(t, db)
		county := actor(t, svc, "county")
		members := true
		page, err := svc.SearchPersons(ctx, county, service.PersonSearch{Members: &members})
		if err != nil || page.Total != demo.MembersFor(2000) || page.Total != 26 {
			t.Fatalf("%d members (%v), want %d", page.Total, err, demo.MembersFor(2000))
		}
		var persons, unplaced, atRisk, lost, attempts, certified int
		db.Read().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM persons),
			(SELECT COUNT(*) FROM memberships WHERE mobile_org_id IS NULL),
			(SELECT COUNT(*) FROM memberships WHERE contact_state = 'at_risk' AND contact_state_on IS NOT NULL),
			(SELECT COUNT(*) FROM memberships WHERE contact_state = 'lost' AND contact_state_on IS NOT NULL),
			(SELECT COUNT(*) FROM person_contacts c JOIN memberships m ON m.person_id = c.person_id
				WHERE m.contact_state = 'lost' AND NOT c.reached AND c.on_date > m.last_contact_on),
			(SELECT COUNT(*) FROM memberships WHERE certificate_no <> '' AND certificate_from IS NOT NULL)`).
			Scan(&persons, &unplaced, &atRisk, &lost, &attempts, &certified)
		if persons != 2000 || unplaced != 2 || atRisk != 1 || lost != 1 || attempts < 1 || attempts > 2 || certified < 20 {
			t.Errorf("%d persons, %d unplaced, %d at risk, %d lost with %d attempts, %d certificates",
				persons, unplaced, atRisk, lost, attempts, certified)
		}

		for _, i := range []int{0, 777, 1999} {
			number := demo.DemoIDNumber(i)
			found, err := svc.SearchPersons(ctx, county, service.PersonSearch{Text: number})
			if err != nil || len(found.People) != 1 {
				t.Fatalf("person %d by ID number: %d found (%v)", i, len(found.People), err)
			}
			p := found.People[0]
			gender := 2 - int(number[16]-'0')%2
			if string(p.IDNumber) != number[:6]+"********"+number[14:] || p.BirthOn.Time().Format("20060102") != number[6:14] ||
				p.Gender != gender {
				t.Errorf("person %d: %s born %s gender %d for %s", i, p.IDNumber, p.BirthOn, p.Gender, number)
			}
		}

		row, err := store.AccountByName(ctx, db.Read(), "member")
		if err != nil || row.PersonID == 0 {
			t.Fatalf("member account %+v %v", row, err)
		}
		own, err := svc.OwnPerson(ctx, actor(t, svc, "member"))
		m := own.Membership
		if err != nil || own.ID != row.PersonID || own.Name != row.DisplayName || m == nil || m.MobileOrgName != hzBranch ||
			m.CertificateNo == "" || m.Status != domain.StatusFull {
			t.Errorf("the member's own record %+v %+v (%v), linked %d", own, m, err, row.PersonID)
		}

		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "person.", Limit: 10})
		if len(entries) != 1 || entries[0].Action != "person.register_bulk" {
			t.Errorf("people audit %+v", entries)
		}
	})
}
