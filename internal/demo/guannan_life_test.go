package demo_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/clock"
	"gongjian/internal/demo"
	"gongjian/internal/domain"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// TestGuannanLife loads the scenario with its life once per database and
// reads it three ways (the readings write nothing, so they share it).
func TestGuannanLife(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := lifeLoaded(t, db, lifeNow)
		t.Run("meetings", func(t *testing.T) { lifeMeetings(t, db, svc) })
		t.Run("rhythm", func(t *testing.T) { lifeRhythm(t, db, svc) })
		t.Run("conduct", func(t *testing.T) { lifeConduct(t, db, svc) })
	})
}

// lifeNow is the demo's today in the life tests: 29 November 2026, 10:00
// in Beijing.
var lifeNow = time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)

// lifeLoaded is the scenario with 10,000 people (128 members) and its
// three years of life, loaded under a fake clock at now.
func lifeLoaded(t *testing.T, db *store.DB, now time.Time) *service.Service {
	t.Helper()
	keys, err := seal.New("std")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(db, service.Config{Clock: clock.NewFake(now), Keys: keys, PasswordParams: auth.TestParams})
	if err != nil {
		t.Fatal(err)
	}
	sc := demo.Guannan()
	sc.People = 10_000
	if _, err := sc.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	return svc
}

// lifeMeetings: every kind of meeting is held, joint theme days
// have a host co-organizer, the sheets come from placement, and what is
// still to come is planned with its members expected.
func lifeMeetings(t *testing.T, db *store.DB, svc *service.Service) {
	county := actor(t, svc, "county")
	for _, k := range domain.MeetingKinds() {
		rows, err := svc.ListMeetings(ctx, county, service.MeetingFilter{Kind: k, State: domain.MeetingHeld, Limit: 5000})
		if err != nil || len(rows) == 0 {
			t.Errorf("%s: %d held (%v)", k, len(rows), err)
			continue
		}
		joint := 0
		for _, r := range rows {
			if r.CoOrgID != 0 {
				joint++
			}
			switch {
			case r.Place == "" || r.Topic == "" || r.Minutes == "":
				t.Errorf("%s %d: place %q topic %q minutes %q", k, r.ID, r.Place, r.Topic, r.Minutes)
			case r.HeldOn.After(svc.Today()) || r.HeldOn.Before(domain.NewDate(2023, 12, 1)):
				t.Errorf("%s %d held on %s", k, r.ID, r.HeldOn)
			case service.ExpectsNobody(k) && r.Expected != 0:
				t.Errorf("%s %d expects %d", k, r.ID, r.Expected)
			}
		}
		if k == domain.MeetingThemeDay && joint == 0 {
			t.Error("no joint theme day")
		}
		if k == domain.MeetingSitIn && joint != len(rows) {
			t.Errorf("%d of %d sit-ins with a host", joint, len(rows))
		}
	}
	// A joint theme day's co-organizer is the host party of an
	// agreement in force that covers the organization: the Hangzhou
	// branches meet with the Gongshu street.
	hz := org(t, db, hzBranch)
	rows, err := svc.ListMeetings(ctx, county, service.MeetingFilter{Org: hz.ID, Kind: domain.MeetingThemeDay, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rows, func(r store.MeetingRow) bool { return r.CoOrgName == gongshu }) {
		t.Errorf("no theme day of %s with %s", hzBranch, gongshu)
	}
	// Every held joint theme day has its host side: named officers of
	// the co-organizer and a headcount, apart from the members' sheet.
	for _, r := range rows {
		if r.CoOrgID == 0 || r.State != domain.MeetingHeld {
			continue
		}
		v, err := svc.Meeting(ctx, county, r.ID)
		if err != nil || v.HostCount.Named < 2 || v.HostCount.Unnamed < 6 || v.HostCount.PartyMembers < 1 {
			t.Errorf("joint theme day %d of %s: host side %+v (%v)", r.ID, hzBranch, v.HostCount, err)
		}
	}
	// A sheet is the members placed there that day; most came.
	view, err := svc.Meeting(ctx, county, rows[len(rows)-1].ID)
	if err != nil || view.Count.Expected == 0 || view.Count.Present*2 < view.Count.Expected || view.Count.Unmarked != 0 {
		t.Errorf("latest theme day of %s: %+v (%v)", hzBranch, view.Count, err)
	}
	// December's organizational life meetings are planned, with
	// their members expected and told.
	planned, err := svc.ListMeetings(ctx, county, service.MeetingFilter{State: domain.MeetingPlanned, Limit: 100})
	if err != nil || len(planned) == 0 {
		t.Fatalf("%d planned (%v)", len(planned), err)
	}
	for _, p := range planned {
		if !p.HeldOn.After(svc.Today()) || p.Expected == 0 && !service.ExpectsNobody(p.Kind) {
			t.Errorf("planned %s on %s expects %d", p.Kind, p.HeldOn, p.Expected)
		}
	}
	// One audit entry for the bulk of it.
	entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "life.", Limit: 10})
	if len(entries) != 1 {
		t.Errorf("life audit %+v", entries)
	}
}

// lifeRhythm: the county's rhythm table shows the intended gaps
// and no other, by month, quarter and year, and the current month's theme
// day is due where it was left out on purpose.
func lifeRhythm(t *testing.T, db *store.DB, svc *service.Service) {
	county := actor(t, svc, "county")
	rules, err := svc.RhythmRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	intended := demo.LifeGaps(svc.Today(), rules)
	due := 0
	for _, p := range []domain.Period{domain.Monthly, domain.Quarterly, domain.Yearly} {
		table, err := svc.RhythmTable(ctx, county, service.RhythmQuery{Period: p})
		if err != nil {
			t.Fatal(err)
		}
		if table.Orgs < 20 {
			t.Errorf("%s: %d organizations", p, table.Orgs)
		}
		var got, want []string
		for _, r := range table.Rows {
			for _, c := range r.Cells {
				key := fmt.Sprintf("%s %s %s", r.Org.Name, r.Meeting, c.Span.Key)
				switch c.State {
				case service.CellGap:
					got = append(got, key)
				case service.CellDue:
					due++
					if r.Meeting == domain.MeetingThemeDay && !slices.ContainsFunc(intended, func(g demo.LifeGap) bool {
						return g.Org == r.Org.Name && g.Kind == r.Meeting && g.Span.First == c.Span.First
					}) {
						t.Errorf("due but not intended: %s", key)
					}
				}
			}
			for _, g := range intended {
				if g.Org == r.Org.Name && g.Kind == r.Meeting && g.Span.Last.Before(svc.Today()) &&
					slices.ContainsFunc(table.Spans, func(s domain.Span) bool { return s.First == g.Span.First }) {
					want = append(want, fmt.Sprintf("%s %s %s", g.Org, g.Kind, g.Span.Key))
				}
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s gaps:\n got %q\nwant %q", p, got, want)
		}
		if p == domain.Monthly && len(got) < 3 {
			t.Errorf("monthly gaps %q", got)
		}
	}
	if due < 2 {
		t.Errorf("%d due cells", due)
	}
}

// lifeConduct: attendance in a plausible band, members flagged
// for six months' absence (each out of contact), host feedback every
// quarter of its agreement, yearly evaluations within the excellent share
// and with a follow-up task, dues arrears and six-month cases; the host
// sees only its agreement's members.
func lifeConduct(t *testing.T, db *store.DB, svc *service.Service) {
	county, host, ended := actor(t, svc, "county"), actor(t, svc, "gongshu"), actor(t, svc, "wuzhong")
	root, hzOrg := org(t, db, "中共灌南县委员会"), org(t, db, hangzhou)

	att, err := svc.OrgAttendance(ctx, county, root.ID, service.AttendanceRange{}, false)
	if err != nil {
		t.Fatal(err)
	}
	rate := float64(att.Tally.Present) / float64(att.Tally.Expected)
	if att.Tally.Expected < 1000 || rate < 0.75 || rate > 0.95 || att.Tally.Leave == 0 || att.Tally.Excused == 0 || att.Tally.Unmarked != 0 {
		t.Errorf("county attendance %+v, rate %.2f", att.Tally, rate)
	}
	flags, err := svc.AbsenceFlags(ctx, county, service.AbsenceSearch{Limit: 100})
	if err != nil || flags.Total == 0 {
		t.Fatalf("%d flagged (%v)", flags.Total, err)
	}
	for _, f := range flags.Rows {
		var state string
		db.Read().QueryRowContext(ctx, `SELECT contact_state FROM memberships WHERE person_id = $1`, f.PersonID).Scan(&state)
		if state == "ok" || f.Since.After(flags.Cutoff) {
			t.Errorf("flagged %s (%s) since %s", f.Name, state, f.Since)
		}
	}

	// Feedback from the Gongshu street every quarter of its agreement
	// (from January last year), acknowledged or returned by the home
	// side except part of the last quarter's.
	today := svc.Today()
	for _, sp := range domain.Spans(domain.Quarterly, domain.NewDate(today.Time().Year()-1, 1, 1), today) {
		if !sp.Last.AddDays(20).Before(today) {
			continue
		}
		page, err := svc.ListFeedback(ctx, host, service.FeedbackSearch{Quarter: sp.Key, Limit: 500})
		if err != nil || !slices.ContainsFunc(page.Feedback, func(f domain.Feedback) bool { return f.WriterOrgName == gongshu }) {
			t.Errorf("%s: %d feedback (%v)", sp.Key, len(page.Feedback), err)
		}
		for _, f := range page.Feedback {
			if !strings.HasPrefix(f.MobileOrgName, hangzhou) {
				t.Errorf("%s: feedback on %s in %s by %s", sp.Key, f.PersonName, f.MobileOrgName, f.WriterOrgName)
			}
		}
	}
	waiting, err := svc.FeedbackWaiting(ctx, county, service.FeedbackSearch{Limit: 500})
	if err != nil || len(waiting.Feedback) == 0 {
		t.Errorf("%d feedback waiting (%v)", len(waiting.Feedback), err)
	}
	// The Taihuwan street's agreement ended: its officer sees none.
	if page, err := svc.ListFeedback(ctx, ended, service.FeedbackSearch{Limit: 10}); err != nil || len(page.Feedback) != 0 {
		t.Errorf("ended host sees %d feedback (%v)", len(page.Feedback), err)
	}
	// The host sees the Hangzhou members' attendance, not Suzhou's.
	if _, err := svc.OrgAttendance(ctx, host, hzOrg.ID, service.AttendanceRange{}, true); err != nil {
		t.Errorf("host on Hangzhou attendance: %v", err)
	}
	if _, err := svc.OrgAttendance(ctx, host, org(t, db, suzhou).ID, service.AttendanceRange{}, false); domain.CodeOf(err) != domain.CodeNotFound {
		t.Errorf("host on Suzhou attendance: %v", err)
	}
	meetings, err := svc.ListMeetings(ctx, host, service.MeetingFilter{Limit: 5000})
	if err != nil || len(meetings) == 0 {
		t.Fatalf("host sees %d meetings (%v)", len(meetings), err)
	}
	for _, m := range meetings {
		if !strings.HasPrefix(m.OrgPath, hzOrg.Path) {
			t.Fatalf("host sees a meeting of %s", m.OrgName)
		}
	}

	// Evaluations: every year confirmed, the excellent share kept, an
	// unqualified rating with its follow-up.
	unqualified := 0
	for _, y := range []int{2023, 2026} {
		d, err := svc.EvaluationDistribution(ctx, county, y)
		if err != nil {
			t.Fatal(err)
		}
		unqualified += d.Total.Confirmed[domain.RatingUnqualified]
	}
	for _, y := range []int{2024, 2025} {
		d, err := svc.EvaluationDistribution(ctx, county, y)
		if err != nil || d.Total.Confirmed[domain.RatingQualified] == 0 || d.Total.Confirmed[domain.RatingExcellent] == 0 {
			t.Errorf("%d: %+v (%v)", y, d.Total, err)
		}
		for _, r := range d.Rows {
			if r.Confirmed[domain.RatingExcellent]*3 > r.Total() {
				t.Errorf("%d %s: %+v over the excellent share", y, r.OrgName, r.Confirmed)
			}
		}
		unqualified += d.Total.Confirmed[domain.RatingUnqualified]
	}
	tasks, err := svc.ListFollowUps(ctx, county, service.FollowUpSearch{Limit: 100})
	if err != nil || unqualified == 0 || len(tasks.FollowUps) == 0 {
		t.Errorf("%d unqualified, %d follow-ups (%v)", unqualified, len(tasks.FollowUps), err)
	}
	if d, err := svc.EvaluationDistribution(ctx, host, 2025); err != nil || d.Total.Total() == 0 {
		t.Errorf("host distribution %+v (%v)", d.Total, err)
	} else {
		for _, r := range d.Rows {
			if o, err := store.OrgByID(ctx, db.Read(), r.OrgID); err != nil || !strings.HasPrefix(o.Path, hzOrg.Path) {
				t.Errorf("host sees the ratings of %s", r.OrgName)
			}
		}
	}

	// Dues: most paid this month, some owing, a few six months and more.
	dues, err := svc.OrgDues(ctx, county, root.ID, service.OrgDuesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if dues.Paid*2 < dues.Members || dues.Arrears == 0 || len(dues.Lapsed) == 0 || dues.NoStandard != 0 || dues.Collected == 0 {
		t.Errorf("dues: %d members, %d paid, %d unpaid, %d in arrears, %d lapsed, %d without a standard, collected %d",
			dues.Members, dues.Paid, dues.Unpaid, dues.Arrears, len(dues.Lapsed), dues.NoStandard, dues.Collected)
	}
	if _, err := svc.OrgDues(ctx, host, hzOrg.ID, service.OrgDuesQuery{}); domain.CodeOf(err) != domain.CodeForbidden {
		t.Errorf("host on dues: %v", err)
	}
}
