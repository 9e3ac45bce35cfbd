package service_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// Rates count the expected lines of held meetings only, in the period
// (both ends included): present over expected, with leave, excused,
// absent and unmarked beside it. A guest's line, a planned or cancelled
// meeting's, and a meeting outside the period count for nothing.
func TestAttendanceRates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.memberAt(t, "甲", "V", "MB")
		b := w.memberAt(t, "乙", "V", "MB")
		c := w.memberAt(t, "丙", "T", "M2")
		P, L, E, X, U := domain.AttendPresent, domain.AttendLeave, domain.AttendExcused, domain.AttendAbsent, domain.AttendUnmarked
		w.meeting(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 3, 1), domain.MeetingHeld, map[domain.PersonID]domain.AttendanceStatus{a: P, b: X})
		w.meeting(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 4, 10), domain.MeetingHeld, map[domain.PersonID]domain.AttendanceStatus{a: L, b: P})
		w.meeting(t, "M", domain.MeetingLecture, domain.NewDate(2026, 5, 10), domain.MeetingHeld, map[domain.PersonID]domain.AttendanceStatus{a: E, b: U})
		w.meeting(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 6, 30), domain.MeetingHeld, map[domain.PersonID]domain.AttendanceStatus{a: P, b: P})
		w.meeting(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 7, 1), domain.MeetingHeld, map[domain.PersonID]domain.AttendanceStatus{a: X})
		w.meeting(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 6, 15), domain.MeetingCancelled, map[domain.PersonID]domain.AttendanceStatus{a: X})
		w.meeting(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 6, 16), domain.MeetingPlanned, map[domain.PersonID]domain.AttendanceStatus{a: U})
		w.meeting(t, "M2", domain.MeetingThemeDay, domain.NewDate(2026, 4, 1), domain.MeetingHeld, map[domain.PersonID]domain.AttendanceStatus{c: P})
		// A guest (not expected) present at M2's meeting.
		noErr(t, db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, person_id, expected, status)
				SELECT id, $1, FALSE, 'present' FROM meetings WHERE org_id = $2`, a, w.orgs["M2"].ID)
			return err
		}))
		county := w.actor(t, "county")
		spring := service.AttendanceRange{From: domain.NewDate(2026, 3, 1), To: domain.NewDate(2026, 6, 30)}
		r, err := w.svc.PersonAttendance(ctx, county, a, spring)
		noErr(t, err)
		if want := (domain.Tally{Expected: 4, Present: 2, Leave: 1, Excused: 1}); r.Tally != want || r.Tally.Percent() != 50 || r.Flag != nil {
			t.Fatalf("甲 in spring: %+v, want %+v", r.Tally, want)
		}
		r, err = w.svc.PersonAttendance(ctx, county, b, spring)
		noErr(t, err)
		if want := (domain.Tally{Expected: 4, Present: 2, Absent: 1, Unmarked: 1}); r.Tally != want {
			t.Fatalf("乙 in spring: %+v, want %+v", r.Tally, want)
		}
		// The default period: the twelve months up to today (29 November).
		r, err = w.svc.PersonAttendance(ctx, county, a, service.AttendanceRange{})
		noErr(t, err)
		if r.From != domain.NewDate(2025, 11, 30) || r.To != domain.NewDate(2026, 11, 29) || r.Tally.Expected != 5 || r.Tally.Absent != 1 {
			t.Fatalf("甲's year: %s–%s %+v", r.From, r.To, r.Tally)
		}
		_, err = w.svc.PersonAttendance(ctx, county, a, service.AttendanceRange{From: domain.NewDate(2026, 7, 1), To: domain.NewDate(2026, 6, 1)})
		wantCode(t, err, domain.CodeInvalid, "attendance.range_invalid")

		// M's subtree: its own lecture and MB's theme days.
		o, err := w.svc.OrgAttendance(ctx, county, w.orgs["M"].ID, spring, true)
		noErr(t, err)
		if want := (domain.Tally{Expected: 8, Present: 4, Leave: 1, Excused: 1, Absent: 1, Unmarked: 1}); o.Tally != want || !o.CanMembers {
			t.Fatalf("M in spring: %+v, want %+v", o.Tally, want)
		}
		if len(o.Members) != 2 || o.Members[0].PersonID != a || o.Members[0].Present != 2 || o.Members[1].Absent != 1 {
			t.Fatalf("M's members %+v", o.Members)
		}
		o, err = w.svc.OrgAttendance(ctx, county, w.orgs["MB"].ID, spring, true)
		noErr(t, err)
		if o.Tally.Expected != 6 {
			t.Fatalf("MB alone: %+v", o.Tally)
		}
		// The host (view basic data on M through A1) sees the members' own
		// lines; the case handler only the organization's rate.
		o, err = w.svc.OrgAttendance(ctx, w.actor(t, "host"), w.orgs["MB"].ID, spring, true)
		noErr(t, err)
		if !o.CanMembers || len(o.Members) != 2 {
			t.Fatalf("host: %+v", o)
		}
		o, err = w.svc.OrgAttendance(ctx, w.actor(t, "cases"), w.orgs["MB"].ID, spring, true)
		noErr(t, err)
		if o.CanMembers || o.Members != nil || o.Tally.Expected != 6 {
			t.Fatalf("case handler: %+v", o)
		}
		_, err = w.svc.ExportOrgAttendance(ctx, w.actor(t, "cases"), w.orgs["MB"].ID, spring)
		wantCode(t, err, domain.CodeForbidden, "")
		_, err = w.svc.ExportOrgAttendance(ctx, w.actor(t, "mobile"), w.orgs["MB"].ID, spring)
		noErr(t, err)
		// Out of reach: not found.
		_, err = w.svc.PersonAttendance(ctx, w.actor(t, "host"), c, spring)
		wantCode(t, err, domain.CodeNotFound, "")
		_, err = w.svc.OrgAttendance(ctx, w.actor(t, "home"), w.orgs["MB"].ID, spring, false)
		wantCode(t, err, domain.CodeNotFound, "")
		acts := auditActions(t, db)
		if !slices.Contains(acts, "attendance.export") {
			t.Errorf("no export audit in %v", acts)
		}
	})
}

// monthlyAbsences holds a theme day at MB on the 15th of each month from
// first to last (inclusive), with p's status from status.
func (w *world) monthlyAbsences(t *testing.T, p domain.PersonID, first, last domain.Date, status func(domain.Date) domain.AttendanceStatus) {
	t.Helper()
	for d := first; !d.After(last); d = d.AddMonths(1) {
		w.meeting(t, "MB", domain.MeetingThemeDay, d, domain.MeetingHeld, map[domain.PersonID]domain.AttendanceStatus{p: status(d)})
	}
}

func flaggedIDs(t *testing.T, w *world, name string) []domain.PersonID {
	t.Helper()
	page, err := w.svc.AbsenceFlags(ctx, w.actor(t, name), service.AbsenceSearch{})
	noErr(t, err)
	var out []domain.PersonID
	for _, r := range page.Rows {
		out = append(out, r.PersonID)
	}
	return out
}

// A member absent without reason from every meeting since 15 April is
// flagged on 15 October (exactly six months), not on 14 October; a leave
// in the run, or a meeting attended, breaks it; unmarked lines neither
// break nor count.
func TestAbsenceFlagBoundary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		away := w.memberAt(t, "缺席", "V", "MB")
		leave := w.memberAt(t, "请假", "V", "MB")
		present := func(d domain.Date) bool { return d.Before(domain.NewDate(2026, 4, 15)) }
		w.monthlyAbsences(t, away, domain.NewDate(2026, 1, 15), domain.NewDate(2026, 11, 15), func(d domain.Date) domain.AttendanceStatus {
			switch {
			case present(d):
				return domain.AttendPresent
			case d == domain.NewDate(2026, 8, 15):
				return domain.AttendUnmarked
			}
			return domain.AttendAbsent
		})
		w.monthlyAbsences(t, leave, domain.NewDate(2026, 1, 16), domain.NewDate(2026, 11, 16), func(d domain.Date) domain.AttendanceStatus {
			switch {
			case d.Before(domain.NewDate(2026, 3, 16)):
				return domain.AttendPresent
			case d == domain.NewDate(2026, 7, 16):
				return domain.AttendLeave
			}
			return domain.AttendAbsent
		})
		w.at(domain.NewDate(2026, 10, 14))
		if got := flaggedIDs(t, w, "county"); len(got) != 0 {
			t.Fatalf("flagged a day early: %v", got)
		}
		w.at(domain.NewDate(2026, 10, 15))
		page, err := w.svc.AbsenceFlags(ctx, w.actor(t, "county"), service.AbsenceSearch{})
		noErr(t, err)
		if page.Total != 1 || len(page.Rows) != 1 || page.Rows[0].PersonID != away || page.Rows[0].Since != domain.NewDate(2026, 4, 15) ||
			page.Rows[0].LastAbsent != domain.NewDate(2026, 10, 15) || page.Rows[0].Missed != 6 || page.Cutoff != domain.NewDate(2026, 4, 15) {
			t.Fatalf("on 15 October: %+v", page)
		}
		r, err := w.svc.PersonAttendance(ctx, w.actor(t, "county"), away, service.AttendanceRange{})
		noErr(t, err)
		if r.Flag == nil || r.Flag.Since != domain.NewDate(2026, 4, 15) {
			t.Fatalf("the person's own report has no flag: %+v", r)
		}
		r, err = w.svc.PersonAttendance(ctx, w.actor(t, "county"), leave, service.AttendanceRange{})
		noErr(t, err)
		if r.Flag != nil {
			t.Fatal("a run broken by leave is flagged")
		}
		// With a rule of three months, the run after the leave (since 16
		// August) is long enough by 16 November.
		noErr(t, w.svc.SetAbsenceRule(ctx, w.actor(t, "county"), domain.AbsenceRule{Months: 3}))
		w.at(domain.NewDate(2026, 11, 16))
		if got := flaggedIDs(t, w, "county"); !slices.Equal(got, []domain.PersonID{away, leave}) {
			t.Fatalf("with three months: %v", got)
		}
		wantCode(t, w.svc.SetAbsenceRule(ctx, w.actor(t, "county"), domain.AbsenceRule{Months: 0}), domain.CodeInvalid, "absence.months_range")
		wantCode(t, w.svc.SetAbsenceRule(ctx, w.actor(t, "mobile"), domain.AbsenceRule{Months: 6}), domain.CodeForbidden, "")
		// A meeting attended ends the run.
		w.meeting(t, "MB", domain.MeetingLecture, domain.NewDate(2026, 11, 16), domain.MeetingHeld,
			map[domain.PersonID]domain.AttendanceStatus{away: domain.AttendPresent})
		if got := flaggedIDs(t, w, "county"); !slices.Equal(got, []domain.PersonID{leave}) {
			t.Fatalf("after attending: %v", got)
		}
	})
}

// The list is scoped like the lost-contact list: the home secretary sees
// the members of V, the mobile secretary and the host (through A1) those
// placed in M's subtree, nobody else's; the daily check tells the home
// and the mobile secretaries once per member and month.
func TestAbsenceListScopeAndNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		placed := w.memberAt(t, "驻杭", "V", "MB")
		other := w.memberAt(t, "镇上", "T", "MB")
		absent := func(domain.Date) domain.AttendanceStatus { return domain.AttendAbsent }
		w.monthlyAbsences(t, placed, domain.NewDate(2026, 3, 15), domain.NewDate(2026, 11, 15), absent)
		w.monthlyAbsences(t, other, domain.NewDate(2026, 3, 15), domain.NewDate(2026, 11, 15), absent)
		w.at(domain.NewDate(2026, 11, 20))
		for name, want := range map[string][]domain.PersonID{"county": {placed, other}, "home": {placed}, "mobile": {placed, other},
			"host": {placed, other}, "member": nil, "auditor": nil} {
			got := flaggedIDs(t, w, name)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s sees %v, want %v", name, got, want)
			}
		}
		_, err := w.svc.ExportAbsenceFlags(ctx, w.actor(t, "auditor"), service.AbsenceSearch{})
		wantCode(t, err, domain.CodeForbidden, "")
		res, err := w.svc.CheckRhythm(ctx, w.svc.Today())
		noErr(t, err)
		if res.Flagged != 2 || res.Notices != 2 {
			t.Fatalf("check %+v", res)
		}
		absenceNotices := func(name string) []store.Notification {
			t.Helper()
			all, err := store.Notifications(ctx, db.Read(), w.accounts[name], 0, 100)
			noErr(t, err)
			return slices.DeleteFunc(all, func(n store.Notification) bool { return n.Kind != "absence" })
		}
		if got := absenceNotices("home"); len(got) != 1 || got[0].DedupeKey != fmt.Sprintf("absence:%d:2026-11", placed) ||
			got[0].MsgID != "absence.notice.flagged" || !strings.Contains(got[0].Args, `"Since":"2026-03-15"`) {
			t.Fatalf("home secretary's notices %+v", got)
		}
		if got := absenceNotices("mobile"); len(got) != 2 {
			t.Fatalf("mobile secretary's notices %+v", got)
		}
		// T has no secretary of its own: the county officer answers for it.
		if got := absenceNotices("county"); len(got) != 1 || !strings.Contains(got[0].DedupeKey, fmt.Sprint(other)) {
			t.Fatalf("county officer's notices %+v", got)
		}
		// The same month again: nothing new; the next month: again.
		_, err = w.svc.CheckRhythm(ctx, w.svc.Today())
		noErr(t, err)
		if len(absenceNotices("home")) != 1 {
			t.Fatal("a second notice in the same month")
		}
		w.held(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 12, 15))
		w.at(domain.NewDate(2026, 12, 20))
		_, err = w.svc.CheckRhythm(ctx, w.svc.Today())
		noErr(t, err)
		if got := absenceNotices("home"); len(got) != 2 || !strings.HasSuffix(got[0].DedupeKey, ":2026-12") {
			t.Fatalf("December's notices %+v", got)
		}
	})
}
