package service_test

import (
	"slices"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// memberAt registers a full member of home (origin side) placed in mobile
// (empty: unplaced), without ID number, and returns its id.
func (w *world) memberAt(t *testing.T, name, home, mobile string) domain.PersonID {
	t.Helper()
	m := &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs[home].ID, JoinedOn: domain.NewDate(2010, 7, 1)}
	if mobile != "" {
		m.MobileOrgID = w.orgs[mobile].ID
	}
	id, err := w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: name, OriginOrgID: w.orgs[home].ID, Membership: m})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) reached(t *testing.T, id domain.PersonID, on domain.Date) {
	t.Helper()
	if _, err := w.svc.RecordContact(ctx, w.actor(t, "county"), id, service.ContactInput{On: on, Channel: "phone", Reached: true}); err != nil {
		t.Fatal(err)
	}
}

func (w *world) stateOf(t *testing.T, id domain.PersonID) domain.ContactState {
	t.Helper()
	p, err := w.svc.Person(ctx, w.actor(t, "county"), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Membership.ContactState
}

func (w *world) events(t *testing.T, id domain.PersonID, kind string) int {
	t.Helper()
	evs, err := w.svc.PersonHistory(ctx, w.actor(t, "county"), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func TestContactThresholdBoundaries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		today := w.svc.Today() // 2026-11-29
		cases := []struct {
			name string
			last domain.Date
			want domain.ContactState
		}{
			{"甲", domain.NewDate(2026, 8, 30), domain.ContactOK},
			{"乙", domain.NewDate(2026, 8, 29), domain.ContactAtRisk},
			{"丙", domain.NewDate(2026, 8, 28), domain.ContactAtRisk},
			{"丁", domain.NewDate(2026, 5, 30), domain.ContactAtRisk},
			{"戊", domain.NewDate(2026, 5, 29), domain.ContactLost},
			{"己", domain.NewDate(2025, 1, 2), domain.ContactLost},
		}
		ids := map[string]domain.PersonID{}
		for _, c := range cases {
			ids[c.name] = w.memberAt(t, c.name, "V", "MB")
			w.reached(t, ids[c.name], c.last)
		}
		// An applicant is not a Party member: never flagged.
		app, err := w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: "申请人", OriginOrgID: w.orgs["V"].ID,
			Membership: &domain.Membership{Status: domain.StatusApplicant, HomeOrgID: w.orgs["V"].ID}})
		noErr(t, err)
		w.reached(t, app, domain.NewDate(2025, 1, 2))
		res, err := w.svc.CheckContacts(ctx, today)
		noErr(t, err)
		if res.AtRisk != 3 || res.Lost != 2 || res.Recovered != 0 {
			t.Fatalf("run %+v", res)
		}
		for _, c := range cases {
			if got := w.stateOf(t, ids[c.name]); got != c.want {
				t.Errorf("%s last reached %s: %s, want %s", c.name, c.last, got, c.want)
			}
			if want := map[bool]int{true: 1, false: 0}[c.want != domain.ContactOK]; w.events(t, ids[c.name], "contact_state") != want {
				t.Errorf("%s: %d contact_state events, want %d", c.name, w.events(t, ids[c.name], "contact_state"), want)
			}
		}
		if w.stateOf(t, app) != domain.ContactOK {
			t.Error("an applicant was flagged")
		}
		// A second run the same day changes nothing and writes no event.
		res, err = w.svc.CheckContacts(ctx, today)
		noErr(t, err)
		if res.AtRisk+res.Lost+res.Recovered != 0 || w.events(t, ids["乙"], "contact_state") != 1 {
			t.Fatalf("second run %+v", res)
		}
		// Thresholds are data: at 1 and 2 months 甲 is at risk, 丙 lost.
		noErr(t, w.svc.SetContactThresholds(ctx, w.actor(t, "county"), domain.ContactThresholds{AtRiskMonths: 1, LostMonths: 3}))
		res, err = w.svc.CheckContacts(ctx, today)
		noErr(t, err)
		if w.stateOf(t, ids["甲"]) != domain.ContactAtRisk || w.stateOf(t, ids["丙"]) != domain.ContactLost || res.AtRisk != 1 || res.Lost != 3 {
			t.Fatalf("with 1/3 months: %+v", res)
		}
		var audits int
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'contact.check'`).Scan(&audits)
		if audits != 3 {
			t.Errorf("%d audit entries for 3 runs", audits)
		}
	})
}

func TestNullLastContactCountsFromRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		id := w.memberAt(t, "新登记", "V", "") // registered 2026-11-29, never reached
		for _, c := range []struct {
			today domain.Date
			want  domain.ContactState
		}{
			{domain.NewDate(2026, 11, 29), domain.ContactOK},
			{domain.NewDate(2027, 2, 28), domain.ContactOK},
			{domain.NewDate(2027, 3, 1), domain.ContactAtRisk},
			{domain.NewDate(2027, 5, 29), domain.ContactLost},
		} {
			_, err := w.svc.CheckContacts(ctx, c.today)
			noErr(t, err)
			if got := w.stateOf(t, id); got != c.want {
				t.Errorf("on %s: %s, want %s", c.today, got, c.want)
			}
		}
	})
}

func TestReachedContactClearsTheWarning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		id := w.memberAt(t, "失联者", "V", "MB")
		w.reached(t, id, domain.NewDate(2026, 1, 5))
		_, err := w.svc.CheckContacts(ctx, w.svc.Today())
		noErr(t, err)
		if w.stateOf(t, id) != domain.ContactLost {
			t.Fatal("not lost")
		}
		// An attempt that fails is a step taken; the state stays.
		home := w.actor(t, "home")
		_, err = w.svc.RecordContact(ctx, home, id, service.ContactInput{On: domain.NewDate(2026, 11, 20), Channel: "visit", Note: "家中无人"})
		noErr(t, err)
		if w.stateOf(t, id) != domain.ContactLost {
			t.Fatal("a failed attempt cleared the state")
		}
		page, err := w.svc.ContactWarnings(ctx, home, service.WarningSearch{})
		noErr(t, err)
		if len(page.Rows) != 1 || page.Rows[0].Attempts != 1 || page.Rows[0].AttemptWith != "visit" || page.Rows[0].AttemptNote != "家中无人" ||
			page.Rows[0].LastContactOn.String() != "2026-01-05" || page.Rows[0].LastChannel != "phone" || page.Lost != 1 {
			t.Fatalf("list %+v", page)
		}
		// A contact reached today clears it at once, with an event.
		_, err = w.svc.RecordContact(ctx, home, id, service.ContactInput{On: w.svc.Today(), Channel: "message", Reached: true})
		noErr(t, err)
		if w.stateOf(t, id) != domain.ContactOK || w.events(t, id, "contact_state") != 2 {
			t.Fatalf("state %s, %d events", w.stateOf(t, id), w.events(t, id, "contact_state"))
		}
		list, err := w.svc.Contacts(ctx, home, id)
		noErr(t, err)
		if len(list) != 3 || list[0].Channel != "message" || !list[0].Reached || list[0].ActorName != "home" {
			t.Fatalf("contacts %+v", list)
		}
	})
}

func TestContactInputRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, _ := w.people(t) // born 1949-12-31
		county := w.actor(t, "county")
		for _, c := range []struct {
			in    service.ContactInput
			field string
		}{
			{service.ContactInput{On: w.svc.Today().AddDays(1), Channel: "phone"}, "on"},
			{service.ContactInput{Channel: "phone"}, "on"},
			{service.ContactInput{On: domain.NewDate(1949, 12, 30), Channel: "phone"}, "on"},
			{service.ContactInput{On: w.svc.Today(), Channel: "carrier_pigeon"}, "channel"},
			{service.ContactInput{On: w.svc.Today(), Channel: "phone", Note: string(make([]rune, 501))}, "note"},
		} {
			_, err := w.svc.RecordContact(ctx, county, member, c.in)
			if e := domain.AsError(err); err == nil || e.Code != domain.CodeInvalid || e.Field != c.field {
				t.Errorf("%+v: %v, want invalid %s", c.in, err, c.field)
			}
		}
		// The host reads through the agreement but may not write; an
		// organization outside the person's reach does not find it.
		_, err := w.svc.RecordContact(ctx, w.actor(t, "host"), member, service.ContactInput{On: w.svc.Today(), Channel: "phone"})
		wantCode(t, err, domain.CodeNotFound, "")
		if list, _ := store.Contacts(ctx, db.Read(), member, 10); len(list) != 0 {
			t.Fatalf("refused contacts stored: %+v", list)
		}
		if _, err := w.svc.Contacts(ctx, w.actor(t, "host"), member); err != nil {
			t.Fatalf("host reading contacts: %v", err)
		}
		if _, err := w.svc.Contacts(ctx, w.actor(t, "cases"), member); domain.CodeOf(err) != domain.CodeNotFound {
			t.Fatalf("case handler reading contacts: %v", err)
		}
	})
}

func TestContactThresholdSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		for _, bad := range []domain.ContactThresholds{{AtRiskMonths: 0, LostMonths: 6}, {AtRiskMonths: 6, LostMonths: 6},
			{AtRiskMonths: 4, LostMonths: 3}, {AtRiskMonths: 3, LostMonths: 99}} {
			if err := w.svc.SetContactThresholds(ctx, county, bad); domain.CodeOf(err) != domain.CodeInvalid {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		// A branch secretary and the security officer may not.
		for _, name := range []string{"home", "mobile", "secofficer"} {
			err := w.svc.SetContactThresholds(ctx, w.actor(t, name), domain.ContactThresholds{AtRiskMonths: 2, LostMonths: 4})
			wantCode(t, err, domain.CodeForbidden, "")
		}
		if th, _ := w.svc.ContactThresholds(ctx); th != domain.DefaultContactThresholds() {
			t.Fatalf("refused changes stored: %+v", th)
		}
		noErr(t, w.svc.SetContactThresholds(ctx, county, domain.ContactThresholds{AtRiskMonths: 2, LostMonths: 4}))
		if th, _ := w.svc.ContactThresholds(ctx); th.AtRiskMonths != 2 || th.LostMonths != 4 {
			t.Fatalf("stored %+v", th)
		}
		acts := auditActions(t, db)
		if n := len(slices.DeleteFunc(slices.Clone(acts), func(s string) bool { return s != "contact.thresholds" })); n != 4 {
			t.Errorf("%d threshold audit entries (3 refusals, 1 change): %v", n, acts)
		}
	})
}

func TestFlaggedNoticesArriveOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.memberAt(t, "甲", "V", "MB")
		b := w.memberAt(t, "乙", "V", "MB")
		w.reached(t, a, domain.NewDate(2026, 1, 5))
		w.reached(t, b, domain.NewDate(2026, 7, 5))
		today := w.svc.Today()
		res, err := w.svc.CheckContacts(ctx, today)
		noErr(t, err)
		if res.Notices != 2 {
			t.Fatalf("run %+v", res)
		}
		inbox := func(name string) []store.Notification {
			t.Helper()
			n, err := store.Notifications(ctx, db.Read(), w.accounts[name], 0, 10)
			noErr(t, err)
			return n
		}
		// The home secretary of V, and the mobile secretary of M (the
		// nearest to MB): one notice each, counting both members.
		for _, name := range []string{"home", "mobile"} {
			got := inbox(name)
			if len(got) != 1 || got[0].MsgID != "contact.notice.flagged" || got[0].Args != `{"AtRisk":1,"Lost":1,"Org":"组织`+map[string]string{"home": "V", "mobile": "MB"}[name]+`"}` {
				t.Fatalf("%s inbox %+v", name, got)
			}
		}
		if len(inbox("county")) != 0 || len(inbox("host")) != 0 {
			t.Fatal("notices beyond the nearest secretaries")
		}
		// A second server that saw the old states flags them again the
		// same day: the notices do not repeat.
		_, err = db.Read().QueryContext(ctx, `SELECT 1`)
		noErr(t, err)
		noErr(t, db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE memberships SET contact_state = 'ok'`)
			return err
		}))
		_, err = w.svc.CheckContacts(ctx, today)
		noErr(t, err)
		if len(inbox("home")) != 1 || len(inbox("mobile")) != 1 {
			t.Fatal("a notice arrived twice")
		}
	})
}

func TestWarningListScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		placed := w.memberAt(t, "驻杭", "V", "MB")
		other := w.memberAt(t, "镇上", "T", "M2")
		home := w.memberAt(t, "在家", "V", "")
		for _, id := range []domain.PersonID{placed, other, home} {
			w.reached(t, id, domain.NewDate(2026, 1, 5))
		}
		w.reached(t, home, domain.NewDate(2026, 7, 5)) // at risk, not lost
		_, err := w.svc.CheckContacts(ctx, w.svc.Today())
		noErr(t, err)
		hostID, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: "host2", Password: goodPassword})
		noErr(t, err)
		noErr(t, w.svc.BootstrapGrant(ctx, hostID, authz.RoleHostOfficer, w.orgs["H2"].Name))
		w.accounts["host2"] = hostID
		want := map[string][]string{
			"county": {"镇上", "驻杭", "在家"}, // by last contact; 镇上 and 驻杭 tie, then pinyin
			"home":   {"驻杭", "在家"},
			"mobile": {"驻杭"},
			"host":   {"驻杭"}, // through the agreement covering M
			"host2":  nil,
			"cases":  nil,
		}
		for name, names := range want {
			page, err := w.svc.ContactWarnings(ctx, w.actor(t, name), service.WarningSearch{})
			noErr(t, err)
			var got []string
			for _, r := range page.Rows {
				got = append(got, r.Name)
			}
			if !slices.Equal(got, names) || page.Total != len(names) {
				t.Errorf("%s sees %v (total %d), want %v", name, got, page.Total, names)
			}
		}
		county := w.actor(t, "county")
		page, err := w.svc.ContactWarnings(ctx, county, service.WarningSearch{State: domain.ContactAtRisk})
		noErr(t, err)
		if len(page.Rows) != 1 || page.Rows[0].Name != "在家" || page.AtRisk != 1 || page.Lost != 2 || page.Total != 1 {
			t.Fatalf("at risk only: %+v", page)
		}
		page, err = w.svc.ContactWarnings(ctx, county, service.WarningSearch{Org: w.orgs["M"].ID, Limit: 1, Page: 1})
		noErr(t, err)
		if len(page.Rows) != 1 || page.Rows[0].Name != "驻杭" || page.Pages != 1 {
			t.Fatalf("under M: %+v", page)
		}
		// An organization outside the scope is not found.
		_, err = w.svc.ContactWarnings(ctx, w.actor(t, "home"), service.WarningSearch{Org: w.orgs["T"].ID})
		wantCode(t, err, domain.CodeNotFound, "")
	})
}
