package service_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// beijingAt is an instant on the world's day (29 November 2026) in Beijing
// wall-clock time; the world's clock stands at 17:00 there.
func beijingAt(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, domain.China)
}

// member registers a member of V placed in the mobile organization key
// (none when key is empty).
func (w *world) member(t *testing.T, name, key string, status domain.MemberStatus) domain.PersonID {
	t.Helper()
	m := &domain.Membership{Status: status, HomeOrgID: w.orgs["V"].ID}
	if key != "" {
		m.MobileOrgID = w.orgs[key].ID
	}
	id, err := w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: name, OriginOrgID: w.orgs["V"].ID, Membership: m})
	noErr(t, err)
	return id
}

// linked makes a member account for person, linked to it, and returns its
// login name (w.actor finds it).
func (w *world) linked(t *testing.T, login string, person domain.PersonID) string {
	t.Helper()
	id, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: login, Password: goodPassword})
	noErr(t, err)
	noErr(t, w.svc.BootstrapGrant(ctx, id, authz.RoleMember, w.orgs["MB"].Name))
	noErr(t, w.db.Tx(ctx, func(tx store.Tx) error { return store.SetAccountPerson(ctx, tx, id, person) }))
	w.accounts[login] = id
	return login
}

func (w *world) plan(t *testing.T, who string, in service.NewMeeting) domain.MeetingID {
	t.Helper()
	if in.Kind == "" {
		in.Kind = domain.MeetingThemeDay
	}
	if in.Topic == "" {
		in.Topic = "学习党章"
	}
	if in.Place == "" && !in.Online {
		in.Place = "工地会议室"
	}
	id, err := w.svc.PlanMeeting(ctx, w.actor(t, who), in)
	noErr(t, err)
	return id
}

func (w *world) lines(t *testing.T, id domain.MeetingID) map[domain.PersonID]domain.Attendance {
	t.Helper()
	v, err := w.svc.Meeting(ctx, w.actor(t, "county"), id)
	noErr(t, err)
	out := map[domain.PersonID]domain.Attendance{}
	for _, l := range v.Lines {
		out[l.PersonID] = l
	}
	return out
}

// on lists who has a line, in id order.
func on(lines map[domain.PersonID]domain.Attendance) []domain.PersonID {
	return slices.Sorted(maps.Keys(lines))
}

// Planning fixes who is expected (members placed in the subtree, not
// applicants, not members elsewhere), tells those with a linked account
// once, and is audited; a cancellation tells them again.
func TestPlanMeetingExpectsMembersAndTellsThem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.member(t, "甲", "MB", domain.StatusFull)
		b := w.member(t, "乙", "MB", domain.StatusProbationary)
		w.member(t, "丙", "MB", domain.StatusActivist)
		w.member(t, "丁", "M2", domain.StatusFull)
		w.member(t, "戊", "", domain.StatusFull)
		login := w.linked(t, "dangyuan1", a)
		id := w.plan(t, "mobile", service.NewMeeting{OrgID: w.orgs["M"].ID, StartsAt: beijingAt(30, 9, 0), EndsAt: beijingAt(30, 11, 0)})
		got := on(w.lines(t, id))
		if !slices.Equal(got, []domain.PersonID{a, b}) {
			t.Fatalf("expected %v, want %v", got, []domain.PersonID{a, b})
		}
		v, _ := w.svc.Meeting(ctx, w.actor(t, "mobile"), id)
		if v.Meeting.HeldOn.String() != "2026-11-30" || v.Meeting.State != domain.MeetingPlanned || !v.CanWrite || !v.CanRecord {
			t.Fatalf("view %+v", v)
		}
		inbox, err := store.Notifications(ctx, db.Read(), w.accounts[login], 0, 10)
		if err != nil || len(inbox) != 1 || inbox[0].MsgID != "meeting.notice.planned" || !strings.Contains(inbox[0].Args, "学习党章") {
			t.Fatalf("inbox %+v %v", inbox, err)
		}
		noErr(t, w.svc.CancelMeeting(ctx, w.actor(t, "mobile"), id, 0, "台风停工"))
		inbox, _ = store.Notifications(ctx, db.Read(), w.accounts[login], 0, 10)
		if len(inbox) != 2 || inbox[0].MsgID != "meeting.notice.cancelled" {
			t.Fatalf("inbox after cancel %+v", inbox)
		}
		wantCode(t, w.svc.CancelMeeting(ctx, w.actor(t, "mobile"), id, 0, "再取消"), domain.CodeRule, "meeting.not_planned")
		actions := auditActions(t, db)
		if !slices.Contains(actions, "meeting.plan") || !slices.Contains(actions, "meeting.cancel") {
			t.Fatalf("audit %v", actions)
		}
	})
}

// A meeting dated in the past expects who was placed there that day, read
// back from the placements recorded since.
func TestExpectedFromPlacementHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.clock.Set(beijingAt(1, 10, 0))
		leaver := w.member(t, "走", "MB", domain.StatusFull)
		comer := w.member(t, "来", "M2", domain.StatusFull)
		stayer := w.member(t, "留", "MB", domain.StatusFull)
		w.clock.Set(beijingAt(20, 10, 0))
		county := w.actor(t, "county")
		for _, mv := range []struct {
			who domain.PersonID
			to  string
		}{{leaver, "M2"}, {comer, "MB"}} {
			p, err := w.svc.Person(ctx, county, mv.who)
			noErr(t, err)
			noErr(t, w.svc.Place(ctx, county, mv.who, w.orgs[mv.to].ID, p.Membership.Version))
		}
		w.clock.Set(beijingAt(29, 17, 0))
		for _, c := range []struct {
			day  int
			want []domain.PersonID
		}{{10, []domain.PersonID{leaver, stayer}}, {20, []domain.PersonID{comer, stayer}}, {25, []domain.PersonID{comer, stayer}}} {
			id := w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(c.day, 9, 0)})
			got := on(w.lines(t, id))
			if !slices.Equal(got, c.want) {
				t.Errorf("meeting on the %dth expects %v, want %v", c.day, got, c.want)
			}
		}
		// The committee above MB expects both who left for M2 and who came:
		// M2 is not under M.
		id := w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["M"].ID, StartsAt: beijingAt(10, 9, 0)})
		if got := w.lines(t, id); len(got) != 2 {
			t.Errorf("committee meeting on the 10th expects %v", on(got))
		}
	})
}

// Bad input when planning, and a meeting in the future recorded as held:
// refused with their messages, nothing changed.
func TestMeetingRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		mobile := w.actor(t, "mobile")
		mb := w.orgs["MB"].ID
		tomorrow := beijingAt(30, 9, 0)
		for _, c := range []struct {
			in    service.NewMeeting
			field string
			msg   string
		}{
			{service.NewMeeting{OrgID: mb, Kind: "party", Topic: "x", Place: "y", StartsAt: tomorrow}, "kind", "meeting.kind_invalid"},
			{service.NewMeeting{OrgID: mb, Kind: domain.MeetingGroup, Topic: " ", Place: "y", StartsAt: tomorrow}, "topic", "meeting.topic_required"},
			{service.NewMeeting{OrgID: mb, Kind: domain.MeetingGroup, Topic: "x", Place: "y"}, "starts_at", "meeting.start_required"},
			{service.NewMeeting{OrgID: mb, Kind: domain.MeetingGroup, Topic: "x", Place: "y", StartsAt: tomorrow, EndsAt: tomorrow}, "ends_at", "meeting.ends_before_start"},
			{service.NewMeeting{OrgID: mb, Kind: domain.MeetingGroup, Topic: "x", StartsAt: tomorrow}, "place", "meeting.place_required"},
			{service.NewMeeting{OrgID: mb, Kind: domain.MeetingSitIn, Topic: "x", Online: true, StartsAt: tomorrow}, "co_org", "meeting.sit_in_host_required"},
			{service.NewMeeting{OrgID: w.orgs["H"].ID, Kind: domain.MeetingGroup, Topic: "x", Place: "y", StartsAt: tomorrow}, "org", "meeting.org_invalid"},
			{service.NewMeeting{OrgID: mb, Kind: domain.MeetingThemeDay, Topic: "x", Place: "y", StartsAt: tomorrow, CoOrgID: w.orgs["H2"].ID}, "co_org", "meeting.co_org_no_agreement"},
			{service.NewMeeting{OrgID: mb, Kind: domain.MeetingSitIn, Topic: "x", Place: "y", StartsAt: tomorrow, CoOrgID: w.orgs["H"].ID}, "co_org", "meeting.sit_in_not_agreed"},
			{service.NewMeeting{OrgID: mb, Kind: domain.MeetingThemeDay, Topic: "x", Place: "y", StartsAt: tomorrow, CoOrgID: w.orgs["M2"].ID}, "co_org", "meeting.co_org_invalid"},
		} {
			_, err := w.svc.PlanMeeting(ctx, mobile, c.in)
			wantCode(t, err, domain.CodeInvalid, c.msg)
			if f := domain.AsError(err).Field; f != c.field {
				t.Errorf("%s names field %q, want %q", c.msg, f, c.field)
			}
		}
		// The home secretary sees V but may not plan there; the host may
		// not plan for the mobile organization it co-manages.
		_, err := w.svc.PlanMeeting(ctx, w.actor(t, "home"), service.NewMeeting{OrgID: w.orgs["V"].ID, Kind: domain.MeetingGroup,
			Topic: "x", Place: "y", StartsAt: tomorrow})
		wantCode(t, err, domain.CodeForbidden, "")
		_, err = w.svc.PlanMeeting(ctx, w.actor(t, "host"), service.NewMeeting{OrgID: mb, Kind: domain.MeetingGroup,
			Topic: "x", Place: "y", StartsAt: tomorrow})
		wantCode(t, err, domain.CodeForbidden, "")
		var n int
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings`).Scan(&n))
		if n != 0 {
			t.Fatalf("%d meetings after refusals", n)
		}

		id := w.plan(t, "mobile", service.NewMeeting{OrgID: mb, StartsAt: beijingAt(29, 19, 30)})
		wantCode(t, w.svc.RecordHeld(ctx, mobile, id, 0, "会议记录", ""), domain.CodeInvalid, "meeting.held_in_future")
		w.clock.Set(beijingAt(29, 21, 0))
		wantCode(t, w.svc.RecordHeld(ctx, mobile, id, 0, "  ", ""), domain.CodeInvalid, "meeting.minutes_required")
		v, _ := w.svc.Meeting(ctx, mobile, id)
		if v.Meeting.State != domain.MeetingPlanned || v.Meeting.Minutes != "" {
			t.Fatalf("refused hold changed the meeting: %+v", v.Meeting)
		}
		noErr(t, w.svc.RecordHeld(ctx, mobile, id, v.Meeting.Version, "学习了党章第一章", "每月第一个周六为主题党日"))
		wantCode(t, w.svc.RecordHeld(ctx, mobile, id, v.Meeting.Version, "再记", ""), domain.CodeConflict, "error.stale")
		v, _ = w.svc.Meeting(ctx, mobile, id)
		if v.Meeting.State != domain.MeetingHeld || v.Meeting.Decisions != "每月第一个周六为主题党日" {
			t.Fatalf("held meeting %+v", v.Meeting)
		}
		wantCode(t, w.svc.CancelMeeting(ctx, mobile, id, 0, "x"), domain.CodeRule, "meeting.not_planned")
	})
}

// The sheet: presence before the meeting begins, leave without a reason
// and someone who was not a member then are refused, all or nothing; a
// presence is a contact; holding marks the rest absent.
func TestAttendanceSheet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.member(t, "甲", "MB", domain.StatusFull)
		b := w.member(t, "乙", "MB", domain.StatusFull)
		c := w.member(t, "丙", "MB", domain.StatusFull)
		outsider := w.member(t, "外", "M", domain.StatusFull)
		mobile := w.actor(t, "mobile")
		id := w.plan(t, "mobile", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(29, 18, 0)})
		present := service.Mark{Person: a, Status: domain.AttendPresent}
		err := w.svc.MarkAttendance(ctx, mobile, id, []service.Mark{present})
		wantCode(t, err, domain.CodeInvalid, "meeting.not_started")
		// Leave may be given before the meeting, with its reason.
		noErr(t, w.svc.MarkAttendance(ctx, mobile, id, []service.Mark{{Person: b, Status: domain.AttendLeave, Reason: "值夜班"}}))
		w.clock.Set(beijingAt(29, 18, 30))
		err = w.svc.MarkAttendance(ctx, mobile, id, []service.Mark{present, {Person: outsider, Status: domain.AttendPresent}})
		wantCode(t, err, domain.CodeInvalid, "meeting.not_member_then")
		if e := domain.AsError(err); e.Args["Name"] != "外" || e.Args["Day"] != "2026-11-29" {
			t.Fatalf("refusal names %v", e.Args)
		}
		err = w.svc.MarkAttendance(ctx, mobile, id, []service.Mark{present, {Person: c, Status: domain.AttendLeave}})
		wantCode(t, err, domain.CodeInvalid, "meeting.leave_reason_required")
		if l := w.lines(t, id)[a]; l.Status != domain.AttendUnmarked {
			t.Fatalf("a refused sheet changed %+v", l)
		}
		noErr(t, w.svc.MarkAttendance(ctx, mobile, id, []service.Mark{present}))
		contacts, err := store.Contacts(ctx, db.Read(), a, 5)
		if err != nil || len(contacts) != 1 || contacts[0].Channel != "meeting" || !contacts[0].Reached || contacts[0].On.String() != "2026-11-29" {
			t.Fatalf("contacts %+v %v", contacts, err)
		}
		p, _ := w.svc.Person(ctx, w.actor(t, "county"), a)
		if p.Membership.LastContactOn.String() != "2026-11-29" {
			t.Fatalf("last contact %v", p.Membership.LastContactOn)
		}
		// The outsider joins as a guest; twice is refused.
		noErr(t, w.svc.AddGuest(ctx, mobile, id, outsider))
		wantCode(t, w.svc.AddGuest(ctx, mobile, id, outsider), domain.CodeConflict, "meeting.guest_already")
		noErr(t, w.svc.RecordHeld(ctx, mobile, id, 0, "记录", ""))
		lines := w.lines(t, id)
		for who, want := range map[domain.PersonID]domain.AttendanceStatus{a: domain.AttendPresent, b: domain.AttendLeave,
			c: domain.AttendAbsent, outsider: domain.AttendPresent} {
			if lines[who].Status != want {
				t.Errorf("%s is %s, want %s", lines[who].Name, lines[who].Status, want)
			}
		}
		if lines[outsider].Expected || lines[b].LeaveReason != "值夜班" || lines[b].LeaveState != domain.LeaveApproved {
			t.Fatalf("lines %+v", lines)
		}
		v, _ := w.svc.Meeting(ctx, mobile, id)
		if v.Count != (service.AttendanceCount{Expected: 3, Present: 1, Leave: 1, Absent: 1, Guests: 1}) {
			t.Fatalf("count %+v", v.Count)
		}
	})
}

// A member asks for leave from the phone; the secretary is told, decides,
// and the member is told.
func TestLeaveRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.member(t, "甲", "MB", domain.StatusFull)
		jia := w.actor(t, w.linked(t, "dangyuan1", a))
		id := w.plan(t, "mobile", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(30, 9, 0)})
		wantCode(t, w.svc.RequestLeave(ctx, jia, id, " "), domain.CodeInvalid, "meeting.leave_reason_required")
		noErr(t, w.svc.RequestLeave(ctx, jia, id, "母亲住院"))
		inbox, _ := store.Notifications(ctx, db.Read(), w.accounts["mobile"], 0, 10)
		if len(inbox) != 1 || inbox[0].MsgID != "meeting.notice.leave_requested" {
			t.Fatalf("secretary's inbox %+v", inbox)
		}
		own, err := w.svc.OwnMeetings(ctx, jia, 10)
		if err != nil || len(own) != 1 || own[0].Line.LeaveState != domain.LeaveRequested || !own[0].CanAskLeave {
			t.Fatalf("own meetings %+v %v", own, err)
		}
		wantCode(t, w.svc.DecideLeave(ctx, w.actor(t, "host"), id, a, true), domain.CodeForbidden, "")
		noErr(t, w.svc.DecideLeave(ctx, w.actor(t, "mobile"), id, a, true))
		wantCode(t, w.svc.DecideLeave(ctx, w.actor(t, "mobile"), id, a, false), domain.CodeRule, "meeting.no_leave_request")
		if l := w.lines(t, id)[a]; l.Status != domain.AttendLeave || l.LeaveReason != "母亲住院" {
			t.Fatalf("line %+v", l)
		}
		inbox, _ = store.Notifications(ctx, db.Read(), w.accounts["dangyuan1"], 0, 10)
		if len(inbox) != 2 || inbox[0].MsgID != "meeting.notice.leave_approved" {
			t.Fatalf("member's inbox %+v", inbox)
		}
		// A member of another organization has no line to ask leave from.
		other := w.actor(t, w.linked(t, "dangyuan2", w.member(t, "乙", "M2", domain.StatusFull)))
		wantCode(t, w.svc.RequestLeave(ctx, other, id, "忙"), domain.CodeNotFound, "")
		// An account not linked to a person is told so.
		wantCode(t, w.svc.RequestLeave(ctx, w.actor(t, "member"), id, "忙"), domain.CodeRule, "meeting.account_not_linked")
	})
}
