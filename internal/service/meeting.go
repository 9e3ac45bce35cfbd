package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// Meetings of organizational life (party-rules.md §3): planned with the
// members expected that day, then recorded as held with minutes, or
// cancelled. Who may do what (docs/decisions/0012-meetings.md):
//
//   - reading a meeting and its sheet needs meeting:read at the meeting's
//     organization — the organization's own side by role, the host side
//     through an agreement that grants attendance;
//   - planning, recording as held, cancelling and attaching files need
//     org:write there (the mobile secretary, the county);
//   - the attendance sheet, guests, leave decisions and the QR code need
//     attendance:record there; a host-side officer holding it through an
//     agreement may use it only at a joint meeting its own organization
//     co-organizes.

// NewMeeting is the input for planning a meeting. StartsAt and EndsAt are
// instants; the day the meeting counts for is StartsAt's day in Beijing.
type NewMeeting struct {
	OrgID     domain.OrgID
	Kind      domain.MeetingKind
	StartsAt  time.Time
	EndsAt    time.Time // optional
	Place     string
	Online    bool
	Topic     string
	Organizer string
	// CoOrgID is the host organization of a joint meeting, or for a
	// sitting-in the host committee whose meeting the secretary attends.
	CoOrgID domain.OrgID
}

// MaxTopic is the longest topic, in characters.
const MaxTopic = 200

func validateMeeting(in NewMeeting) error {
	switch {
	case !in.Kind.Valid():
		return domain.Invalid("kind", "meeting.kind_invalid", nil)
	case in.Topic == "":
		return domain.Invalid("topic", "meeting.topic_required", nil)
	case utf8.RuneCountInString(in.Topic) > MaxTopic:
		return domain.Invalid("topic", "meeting.topic_too_long", map[string]any{"Max": MaxTopic})
	case in.StartsAt.IsZero():
		return domain.Invalid("starts_at", "meeting.start_required", nil)
	case !in.EndsAt.IsZero() && !in.EndsAt.After(in.StartsAt):
		return domain.Invalid("ends_at", "meeting.ends_before_start", nil)
	case !in.EndsAt.IsZero() && in.EndsAt.Sub(in.StartsAt) > 24*time.Hour:
		return domain.Invalid("ends_at", "meeting.too_long", nil)
	case in.Place == "" && !in.Online:
		return domain.Invalid("place", "meeting.place_required", nil)
	case in.Kind == domain.MeetingSitIn && in.CoOrgID == 0:
		return domain.Invalid("co_org", "meeting.sit_in_host_required", nil)
	}
	return nil
}

// PlanMeeting records a planned meeting, fixes who is expected (the
// organization's members on its day; nobody for a sitting-in, where the
// secretary is the one who goes) and tells those with a linked account.
func (s *Service) PlanMeeting(ctx context.Context, a *authz.Actor, in NewMeeting) (domain.MeetingID, error) {
	in.Topic, in.Place, in.Organizer = strings.TrimSpace(in.Topic), strings.TrimSpace(in.Place), strings.TrimSpace(in.Organizer)
	if err := validateMeeting(in); err != nil {
		return 0, err
	}
	var id domain.MeetingID
	err := s.guarded(ctx, a, "meeting.plan", "", func(tx store.Tx) error {
		m, err := s.meetingParties(ctx, tx, a, in)
		if err != nil {
			return err
		}
		if id, err = store.CreateMeeting(ctx, tx, m, s.Now()); err != nil {
			return err
		}
		m.ID = id
		expected, err := s.expectedAt(ctx, tx, m)
		if err != nil {
			return err
		}
		if err := store.AddAttendance(ctx, tx, id, expected, true); err != nil {
			return err
		}
		if err := s.tellExpected(ctx, tx, m, "planned", "meeting.notice.planned"); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "meeting.plan", "meeting", fmt.Sprint(id), "ok",
			change{After: map[string]any{"org": m.OrgID, "kind": m.Kind, "starts_at": m.StartsAt, "topic": m.Topic,
				"co_org": m.CoOrgID, "expected": len(expected)}})
	})
	return id, err
}

// meetingParties checks the organization and the co-organizer of a new
// meeting and builds its record.
func (s *Service) meetingParties(ctx context.Context, tx store.Tx, a *authz.Actor, in NewMeeting) (domain.Meeting, error) {
	m := domain.Meeting{OrgID: in.OrgID, Kind: in.Kind, StartsAt: in.StartsAt, EndsAt: in.EndsAt, HeldOn: domain.Today(in.StartsAt),
		Place: in.Place, Online: in.Online, Topic: in.Topic, Organizer: in.Organizer, CoOrgID: in.CoOrgID, CreatedBy: a.Name,
		State: domain.MeetingPlanned}
	org, err := store.OrgByID(ctx, tx, in.OrgID)
	if err != nil || !(a == authz.System || a.CanAt(authz.OrgRead, target(org)).Allowed) {
		return m, domain.Invalid("org", "meeting.org_invalid", nil)
	}
	if a != authz.System && !a.CanAt(authz.OrgWrite, target(org)).Allowed {
		return m, domain.ErrForbidden
	}
	if !CanHoldMeetings(org) {
		return m, domain.Invalid("org", "meeting.org_not_party", map[string]any{"Org": org.Name})
	}
	m.OrgName, m.OrgPath = org.Name, org.Path
	if in.CoOrgID == 0 {
		return m, nil
	}
	co, err := store.OrgByID(ctx, tx, in.CoOrgID)
	if err != nil || co.Side != domain.SideHost || co.Status != domain.StatusActive {
		return m, domain.Invalid("co_org", "meeting.co_org_invalid", nil)
	}
	sitIn := in.Kind == domain.MeetingSitIn
	ok, err := store.CoOrganizerAgreed(ctx, tx, org.Path, co.Path, m.HeldOn, sitIn)
	if err != nil {
		return m, err
	}
	if !ok && sitIn {
		return m, domain.Invalid("co_org", "meeting.sit_in_not_agreed", map[string]any{"Host": co.Name, "Day": m.HeldOn.String()})
	}
	if !ok {
		return m, domain.Invalid("co_org", "meeting.co_org_no_agreement", map[string]any{"Host": co.Name, "Day": m.HeldOn.String()})
	}
	m.CoOrgName, m.CoOrgPath = co.Name, co.Path
	return m, nil
}

// expectedAt lists who a meeting expects: the members of its organization
// on its day, from the placement history when the day is past. A
// sitting-in expects nobody (the secretary who goes is the record), and
// so does a committee meeting: it is the committee's, whose members the
// register does not know as such, not the whole membership's (decision
// 0015); the minutes name who attended, and the secretary may add them as
// guests.
func (s *Service) expectedAt(ctx context.Context, q store.Q, m domain.Meeting) ([]domain.PersonID, error) {
	if ExpectsNobody(m.Kind) {
		return nil, nil
	}
	org, err := store.OrgByID(ctx, q, m.OrgID)
	if err != nil {
		return nil, err
	}
	return store.ExpectedMembers(ctx, q, org, m.HeldOn, m.HeldOn.Before(s.Today()))
}

// ExpectsNobody tells whether a meeting of kind k has no expected lines:
// a sitting-in and a committee meeting.
func ExpectsNobody(k domain.MeetingKind) bool {
	return k == domain.MeetingSitIn || k == domain.MeetingCommittee
}

// tellExpected puts a notice about m in the inbox of every expected member
// with a linked account, once per meeting and event.
func (s *Service) tellExpected(ctx context.Context, tx store.Tx, m domain.Meeting, event, msgID string) error {
	to, err := store.MeetingAccounts(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	return s.notify(ctx, tx, to, Notice{Kind: "meeting", MsgID: msgID, Link: "/me/meetings",
		Key:  fmt.Sprintf("meeting:%d:%s", m.ID, event),
		Args: map[string]any{"Topic": m.Topic, "Org": m.OrgName, "When": beijing(m.StartsAt)}})
}

// beijing writes an instant as Beijing wall-clock time, for notices.
func beijing(t time.Time) string { return t.In(domain.China).Format("2006-01-02 15:04") }

// guarded runs fn in one transaction; a refusal for want of permission is
// audited as denied.
func (s *Service) guarded(ctx context.Context, a *authz.Actor, action, id string, fn func(tx store.Tx) error) error {
	err := s.db.Tx(ctx, fn)
	if domain.CodeOf(err) == domain.CodeForbidden {
		return s.denied(ctx, a, action, "meeting", id, err)
	}
	return err
}

// meetingTarget is the policy's view of a meeting: its organization.
func meetingTarget(m domain.Meeting) authz.Target { return authz.Target{ID: m.OrgID, Path: m.OrgPath} }

// meetingFor reads a meeting the actor may see, or not found.
func (s *Service) meetingFor(ctx context.Context, q store.Q, a *authz.Actor, id domain.MeetingID) (domain.Meeting, error) {
	m, err := store.MeetingByID(ctx, q, id)
	if err != nil {
		return m, err
	}
	if a != authz.System && !a.CanAt(authz.MeetingRead, meetingTarget(m)).Allowed {
		return domain.Meeting{}, notFound()
	}
	return m, nil
}

// meetingWritable reads a meeting the actor may change (org:write), or
// not found / forbidden.
func (s *Service) meetingWritable(ctx context.Context, q store.Q, a *authz.Actor, id domain.MeetingID) (domain.Meeting, error) {
	m, err := s.meetingFor(ctx, q, a, id)
	if err != nil || a == authz.System || a.CanAt(authz.OrgWrite, meetingTarget(m)).Allowed {
		return m, err
	}
	return m, domain.ErrForbidden
}

// meetingRecordable reads a meeting whose attendance the actor may record,
// or not found / forbidden.
func (s *Service) meetingRecordable(ctx context.Context, q store.Q, a *authz.Actor, id domain.MeetingID) (domain.Meeting, error) {
	m, err := s.meetingFor(ctx, q, a, id)
	if err != nil || canRecord(a, m) {
		return m, err
	}
	return m, domain.ErrForbidden
}

// canRecord tells whether the actor may keep a meeting's attendance: by
// its own role there, or — holding attendance:record only through an
// agreement — at a joint meeting co-organized by its own organization.
func canRecord(a *authz.Actor, m domain.Meeting) bool {
	if a == authz.System {
		return true
	}
	own := ownReach(a)
	t := meetingTarget(m)
	if own.CanAt(authz.AttendanceRecord, t).Allowed {
		return true
	}
	return m.CoOrgID != 0 && a.CanAt(authz.AttendanceRecord, t).Allowed &&
		own.CanAt(authz.OrgRead, authz.Target{ID: m.CoOrgID, Path: m.CoOrgPath}).Allowed
}

// ownReach is the actor with only the reach of its own grants, without
// what agreements add.
func ownReach(a *authz.Actor) *authz.Actor {
	c := *a
	c.Reach = nil
	for _, r := range a.Reach {
		if r.Agreement == 0 {
			c.Reach = append(c.Reach, r)
		}
	}
	return &c
}

// MeetingView is a meeting's page: the record, its sheet, host side and
// files, what the actor may do, and whether check-in is open (a planned
// meeting on today's date).
type MeetingView struct {
	Meeting     domain.Meeting
	Lines       []domain.Attendance
	Hosts       []domain.HostAttendee // the host side of a joint meeting
	HostCount   domain.HostCount      // apart from Count: not in any rate
	Files       []domain.MeetingFile
	Count       AttendanceCount
	CanWrite    bool
	CanRecord   bool
	CheckinOpen bool
}

// AttendanceCount sums up a sheet.
type AttendanceCount struct {
	Expected, Present, Leave, Excused, Absent, Unmarked, Guests, QR, Requests int
}

// CountLines sums up a sheet: expected lines by status, guests apart.
func CountLines(lines []domain.Attendance) AttendanceCount {
	var c AttendanceCount
	for _, l := range lines {
		if !l.Expected {
			c.Guests++
			continue
		}
		c.Expected++
		switch l.Status {
		case domain.AttendPresent:
			c.Present++
		case domain.AttendLeave:
			c.Leave++
		case domain.AttendExcused:
			c.Excused++
		case domain.AttendAbsent:
			c.Absent++
		default:
			c.Unmarked++
		}
		if l.Method == domain.MethodQR {
			c.QR++
		}
		if l.LeaveState == domain.LeaveRequested {
			c.Requests++
		}
	}
	return c
}

// checkinOpen reports whether members may check in to m now.
func (s *Service) checkinOpen(m domain.Meeting) bool {
	return m.State == domain.MeetingPlanned && m.HeldOn == s.Today()
}

// Meeting returns a meeting's page for an actor who may see it.
func (s *Service) Meeting(ctx context.Context, a *authz.Actor, id domain.MeetingID) (MeetingView, error) {
	q := s.db.Read()
	m, err := s.meetingFor(ctx, q, a, id)
	if err != nil {
		return MeetingView{}, err
	}
	v := MeetingView{Meeting: m, CanRecord: canRecord(a, m), CheckinOpen: s.checkinOpen(m),
		CanWrite: a == authz.System || a.CanAt(authz.OrgWrite, meetingTarget(m)).Allowed}
	if v.Lines, err = store.MeetingAttendance(ctx, q, id); err != nil {
		return v, err
	}
	v.Count = CountLines(v.Lines)
	if m.CoOrgID != 0 {
		if v.Hosts, err = store.HostAttendees(ctx, q, id); err != nil {
			return v, err
		}
		v.HostCount = domain.CountHosts(v.Hosts)
	}
	v.Files, err = store.MeetingFiles(ctx, q, id)
	return v, err
}

// MeetingFilter narrows a list or calendar of meetings.
type MeetingFilter struct {
	Org      domain.OrgID // zero: wherever the actor may read
	From, To domain.Date
	Kind     domain.MeetingKind
	State    domain.MeetingState
	Newest   bool
	Limit    int
}

// ListMeetings lists the meetings the actor may read that f selects; an
// organization the actor cannot see is not found.
func (s *Service) ListMeetings(ctx context.Context, a *authz.Actor, f MeetingFilter) ([]store.MeetingRow, error) {
	_, rows, err := s.listMeetings(ctx, a, f)
	return rows, err
}

// MeetingCalendar is an organization's meetings over [From, To]: its own,
// its subtree's and those it co-organizes, as far as the actor may read
// them; CanPlan tells whether the actor may plan one there.
type MeetingCalendar struct {
	Org     domain.Org
	Rows    []store.MeetingRow
	CanPlan bool
}

// OrgMeetings returns an organization's calendar.
func (s *Service) OrgMeetings(ctx context.Context, a *authz.Actor, f MeetingFilter) (MeetingCalendar, error) {
	org, rows, err := s.listMeetings(ctx, a, f)
	return MeetingCalendar{Org: org, Rows: rows, CanPlan: CanHoldMeetings(org) && a.CanAt(authz.OrgWrite, target(org)).Allowed}, err
}

// CanHoldMeetings tells whether an organization keeps a meeting calendar
// of its own: an active Party organization on the origin or mobile side.
func CanHoldMeetings(o domain.Org) bool {
	return o.Side != domain.SideHost && !o.Kind.Mass() && o.Kind != domain.KindOffice && o.Status == domain.StatusActive
}

func (s *Service) listMeetings(ctx context.Context, a *authz.Actor, f MeetingFilter) (domain.Org, []store.MeetingRow, error) {
	q := s.db.Read()
	mq := store.MeetingQuery{Scope: a.Filter(authz.MeetingRead), From: f.From, To: f.To, Kind: f.Kind, State: f.State,
		Newest: f.Newest, Limit: f.Limit}
	var org domain.Org
	if f.Org != 0 {
		var err error
		if org, err = s.orgFor(ctx, q, a, f.Org); err != nil {
			return org, nil, err
		}
		mq.Org = org.Path
	}
	rows, err := store.ListMeetings(ctx, q, mq)
	return org, rows, err
}

// ExportMeetings is ListMeetings for a spreadsheet: throttled like every
// export, and audited.
func (s *Service) ExportMeetings(ctx context.Context, a *authz.Actor, f MeetingFilter) ([]store.MeetingRow, error) {
	if err := s.throttle(ctx, a, throttle.Export); err != nil {
		return nil, err
	}
	f.Limit = 5000
	list, err := s.ListMeetings(ctx, a, f)
	if err != nil {
		return nil, err
	}
	s.recordAlone(ctx, a, "meeting.export", "meeting", "", "ok", map[string]any{"rows": len(list), "filter": f})
	return list, nil
}

// RecordHeld records a meeting as held with its minutes and decisions
// (again, to correct them). A meeting that has not begun cannot have been
// held; expected members still unmarked are then absent.
func (s *Service) RecordHeld(ctx context.Context, a *authz.Actor, id domain.MeetingID, version int64, minutes, decisions string) error {
	minutes, decisions = strings.TrimSpace(minutes), strings.TrimSpace(decisions)
	return s.guarded(ctx, a, "meeting.hold", fmt.Sprint(id), func(tx store.Tx) error {
		m, err := s.meetingWritable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		switch {
		case m.State == domain.MeetingCancelled:
			return domain.Rule("meeting.cancelled", nil)
		case m.StartsAt.After(s.Now()):
			return domain.Invalid("starts_at", "meeting.held_in_future", map[string]any{"When": beijing(m.StartsAt)})
		case minutes == "":
			return domain.Invalid("minutes", "meeting.minutes_required", nil)
		case version != 0 && version != m.Version:
			return domain.ErrStale
		}
		before := m.State
		m.State, m.Minutes, m.Decisions = domain.MeetingHeld, minutes, decisions
		if err := store.SetMeetingState(ctx, tx, m, s.Now()); err != nil {
			return err
		}
		absent, err := store.MarkUnmarkedAbsent(ctx, tx, id, a.Name, s.Now())
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, "meeting.hold", "meeting", fmt.Sprint(id), "ok",
			change{Before: map[string]any{"state": before}, After: map[string]any{"state": m.State, "minutes": len([]rune(minutes)),
				"decisions": len([]rune(decisions)), "marked_absent": absent}})
	})
}

// CancelMeeting cancels a planned meeting with a reason and tells the
// expected members.
func (s *Service) CancelMeeting(ctx context.Context, a *authz.Actor, id domain.MeetingID, version int64, reason string) error {
	reason = strings.TrimSpace(reason)
	return s.guarded(ctx, a, "meeting.cancel", fmt.Sprint(id), func(tx store.Tx) error {
		m, err := s.meetingWritable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		switch {
		case m.State != domain.MeetingPlanned:
			return domain.Rule("meeting.not_planned", map[string]any{"State": string(m.State)})
		case reason == "":
			return domain.Invalid("reason", "meeting.reason_required", nil)
		case version != 0 && version != m.Version:
			return domain.ErrStale
		}
		m.State = domain.MeetingCancelled
		if err := store.SetMeetingState(ctx, tx, m, s.Now()); err != nil {
			return err
		}
		if err := s.tellExpected(ctx, tx, m, "cancelled", "meeting.notice.cancelled"); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "meeting.cancel", "meeting", fmt.Sprint(id), "ok",
			change{Before: map[string]any{"state": domain.MeetingPlanned}, After: map[string]any{"state": m.State, "reason": reason}})
	})
}
