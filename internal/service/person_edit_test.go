package service_test

import (
	"strings"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// editOf is the edit form of a person as it stands: masked values left
// empty, so they are kept.
func editOf(p domain.Person) service.NewPerson {
	return service.NewPerson{Name: p.Name, Ethnicity: p.Ethnicity, Education: p.Education, HometownCode: p.HometownCode,
		HometownVillage: p.HometownVillage, LeftHomeOn: p.LeftHomeOn, CityCode: p.CityCode, DistrictCode: p.DistrictCode,
		Address: p.Address, Employer: p.Employer, EmployerUSCC: p.EmployerUSCC, Industry: p.Industry, Occupation: p.Occupation}
}

func TestUpdatePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, _ := w.people(t)
		county := w.actor(t, "county")
		p, err := w.svc.Person(ctx, county, member)
		noErr(t, err)
		in := editOf(p)
		in.Employer, in.Occupation = "杭州建工二公司", "木工"
		noErr(t, w.svc.UpdatePerson(ctx, county, member, in, p.Version))
		q, _ := w.svc.Person(ctx, county, member)
		if q.Employer != "杭州建工二公司" || q.Occupation != "木工" || q.IDNumber != p.IDNumber || q.Phone != p.Phone ||
			q.Gender != p.Gender || q.BirthOn != p.BirthOn || q.Version != p.Version+1 || w.events(t, member, "edited") != 1 {
			t.Fatalf("after edit %+v", q)
		}
		// The ID number and phone kept: still found by them.
		page, err := w.svc.SearchPersons(ctx, county, service.PersonSearch{Text: "11010519491231002X"})
		noErr(t, err)
		if len(page.People) != 1 {
			t.Fatal("the kept ID number lost its index")
		}
		// The stale version changes nothing.
		in.Employer = "别的公司"
		wantCode(t, w.svc.UpdatePerson(ctx, county, member, in, p.Version), domain.CodeConflict, "error.stale")
		// Bad input changes nothing either.
		in.Employer, in.CityCode = "别的公司", "99999x"
		err = w.svc.UpdatePerson(ctx, county, member, in, q.Version)
		wantField(t, err, domain.CodeInvalid, "org.region_unknown", "city_code")
		in.CityCode, in.Phone = "330100", "12345"
		wantField(t, w.svc.UpdatePerson(ctx, county, member, in, q.Version), domain.CodeInvalid, "", "phone")
		if r, _ := w.svc.Person(ctx, county, member); r.Version != q.Version || r.Employer != q.Employer {
			t.Fatalf("a refused edit changed the record: %+v", r)
		}
		// A new city is a move, with both cities in the event.
		in = editOf(q)
		in.CityCode, in.Phone = "320500", "13912340000"
		noErr(t, w.svc.UpdatePerson(ctx, county, member, in, q.Version))
		evs, _ := w.svc.PersonHistory(ctx, county, member)
		if evs[0].Kind != "moved" || !strings.Contains(evs[0].Detail, `"from_city":"330100"`) || !strings.Contains(evs[0].Detail, `"to_city":"320500"`) {
			t.Fatalf("event %+v", evs[0])
		}
		r, _ := w.svc.Person(ctx, county, member)
		if r.Phone != "139****0000" {
			t.Fatalf("phone %q", r.Phone)
		}
		// The audit entry shows masked values only.
		var d string
		db.Read().QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'person.update' ORDER BY seq DESC LIMIT 1`).Scan(&d)
		if !strings.Contains(d, "139****0000") || strings.Contains(d, "13912340000") || strings.Contains(d, "12345678") {
			t.Fatalf("audit detail %s", d)
		}
	})
}

func TestUpdatePersonIDNumberNeedsSensitive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, worker := w.people(t)
		home := w.actor(t, "home") // person:write at V, no sensitive-data permission
		p, _ := w.svc.Person(ctx, home, member)
		in := editOf(p)
		in.IDNumber = "110105194912310046"
		wantCode(t, w.svc.UpdatePerson(ctx, home, member, in, p.Version), domain.CodeForbidden, "")
		if q, _ := w.svc.Person(ctx, home, member); q.Version != p.Version {
			t.Fatal("a refused ID change wrote")
		}
		// The county officer may; a number another person holds is a
		// conflict on the field, and nothing changes.
		county := w.actor(t, "county")
		noErr(t, w.svc.UpdatePerson(ctx, county, member, in, p.Version))
		q, _ := w.svc.Person(ctx, county, member)
		if q.IDNumber != "110105********0046" || q.Gender != 2 {
			t.Fatalf("after ID change %+v", q)
		}
		wp, _ := w.svc.Person(ctx, county, worker)
		win := editOf(wp)
		win.IDNumber = "110105194912310046"
		wantField(t, w.svc.UpdatePerson(ctx, county, worker, win, wp.Version), domain.CodeConflict, "person.id_taken", "id_number")
		if r, _ := w.svc.Person(ctx, county, worker); r.Version != wp.Version || r.IDNumber != "" {
			t.Fatalf("a conflicting ID change wrote: %+v", r)
		}
		// A host officer reading through an agreement may not edit.
		wantCode(t, w.svc.UpdatePerson(ctx, w.actor(t, "host"), member, editOf(q), q.Version), domain.CodeNotFound, "")
	})
}

func TestChangeMembership(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		id := w.memberAt(t, "变更者", "V", "MB")
		county := w.actor(t, "county")
		p, _ := w.svc.Person(ctx, county, id)
		m := p.Membership
		base := service.MembershipChange{Status: m.Status, JoinedOn: m.JoinedOn, FullOn: domain.NewDate(2011, 7, 1), HomeOrgID: m.HomeOrgID,
			Reason: "更正档案", Version: m.Version}
		for _, c := range []struct {
			edit  func(*service.MembershipChange)
			field string
		}{
			{func(c *service.MembershipChange) { c.Reason = " " }, "reason"},
			{func(c *service.MembershipChange) { c.Status = "boss" }, "status"},
			{func(c *service.MembershipChange) { c.JoinedOn = domain.Date{} }, "joined_on"},
			{func(c *service.MembershipChange) { c.FullOn = c.JoinedOn }, "full_on"},
			{func(c *service.MembershipChange) { c.FullOn = domain.NewDate(2009, 1, 1) }, "full_on"},
			{func(c *service.MembershipChange) { c.JoinedOn = w.svc.Today().AddDays(1) }, "joined_on"},
			{func(c *service.MembershipChange) { c.On = w.svc.Today().AddDays(1) }, "on"},
			{func(c *service.MembershipChange) { c.HomeOrgID = w.orgs["M"].ID }, "home_org"},
			{func(c *service.MembershipChange) { c.HomeOrgID = w.orgs["H"].ID }, "home_org"},
		} {
			in := base
			c.edit(&in)
			err := w.svc.ChangeMembership(ctx, county, id, in)
			if e := domain.AsError(err); err == nil || e.Field != c.field {
				t.Errorf("%+v: %v, want a refusal on %s", in, err, c.field)
			}
		}
		if q, _ := w.svc.Person(ctx, county, id); q.Membership.Version != m.Version {
			t.Fatal("a refused change wrote")
		}
		// A correction of the dates and status, then a stale retry.
		in := base
		in.Status = domain.StatusProbationary
		in.FullOn = domain.Date{}
		noErr(t, w.svc.ChangeMembership(ctx, county, id, in))
		wantCode(t, w.svc.ChangeMembership(ctx, county, id, base), domain.CodeConflict, "error.stale")
		q, _ := w.svc.Person(ctx, county, id)
		if q.Membership.Status != domain.StatusProbationary || w.events(t, id, "status_changed") != 1 {
			t.Fatalf("after status change %+v", q.Membership)
		}
		// A transfer from V to T: the home secretary of V may not write at
		// T; the county may, and the origin follows the home.
		tr := service.MembershipChange{Status: q.Membership.Status, JoinedOn: q.Membership.JoinedOn, HomeOrgID: w.orgs["T"].ID,
			Reason: "迁回镇上", Version: q.Membership.Version}
		err := w.svc.ChangeMembership(ctx, w.actor(t, "home"), id, tr)
		wantField(t, err, domain.CodeInvalid, "membership.home_invalid", "home_org")
		noErr(t, w.svc.ChangeMembership(ctx, county, id, tr))
		r, _ := w.svc.Person(ctx, county, id)
		if r.Membership.HomeOrgID != w.orgs["T"].ID || r.OriginOrgID != w.orgs["T"].ID || w.events(t, id, "transferred") != 1 {
			t.Fatalf("after transfer %+v %+v", r, r.Membership)
		}
		evs, _ := w.svc.PersonHistory(ctx, county, id)
		if evs[0].Kind != "transferred" || evs[0].ActorName != "county" || !strings.Contains(evs[0].Detail, "迁回镇上") {
			t.Fatalf("event %+v", evs[0])
		}
		// V's secretary no longer reaches the member; the mobile side
		// still does (placed in MB) but may not move the home.
		if _, err := w.svc.Person(ctx, w.actor(t, "home"), id); domain.CodeOf(err) != domain.CodeNotFound {
			t.Fatalf("the old home still sees the member: %v", err)
		}
		back := tr
		back.HomeOrgID, back.Version = w.orgs["V"].ID, r.Membership.Version
		wantCode(t, w.svc.ChangeMembership(ctx, w.actor(t, "mobile"), id, back), domain.CodeForbidden, "")
		// Not a member: a rule.
		_, worker := w.people(t)
		wantCode(t, w.svc.ChangeMembership(ctx, county, worker, base), domain.CodeRule, "membership.not_member")
	})
}
