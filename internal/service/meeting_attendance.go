package service

import (
	"context"
	"fmt"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// The attendance sheet: the secretary marks each expected member present,
// absent, on leave (with the reason) or excused; adds guests; decides the
// leave members ask for from their phones. A presence is a contact with
// the member, so it moves the lost-contact clock (store.AddContact).

// Mark is one line of a submitted sheet.
type Mark struct {
	Person domain.PersonID
	Status domain.AttendanceStatus
	Reason string // for leave and excused
}

// MarkAttendance applies a sheet: all marks or none. Someone without a
// line — not a member of the organization on the meeting's day — is
// refused by name: the secretary adds them as a guest instead.
func (s *Service) MarkAttendance(ctx context.Context, a *authz.Actor, id domain.MeetingID, marks []Mark) error {
	return s.guarded(ctx, a, "meeting.attendance", fmt.Sprint(id), func(tx store.Tx) error {
		m, err := s.meetingRecordable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if m.State == domain.MeetingCancelled {
			return domain.Rule("meeting.cancelled", nil)
		}
		var changed []map[string]any
		for _, mk := range marks {
			c, err := s.applyMark(ctx, tx, a, m, mk)
			if err != nil {
				return err
			}
			if c != nil {
				changed = append(changed, c)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		return s.record(ctx, tx, a, "meeting.attendance", "meeting", fmt.Sprint(id), "ok", map[string]any{"changes": changed})
	})
}

// applyMark writes one mark; it returns the change for the audit entry,
// nil when the line already read so.
func (s *Service) applyMark(ctx context.Context, tx store.Tx, a *authz.Actor, m domain.Meeting, mk Mark) (map[string]any, error) {
	mk.Reason = strings.TrimSpace(mk.Reason)
	if !mk.Status.Valid() {
		return nil, domain.Invalid("status", "meeting.status_invalid", map[string]any{"Value": string(mk.Status)})
	}
	l, err := store.AttendanceLine(ctx, tx, m.ID, mk.Person)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return nil, s.notOnSheet(ctx, tx, m, mk.Person)
	}
	if err != nil {
		return nil, err
	}
	attended := mk.Status == domain.AttendPresent || mk.Status == domain.AttendAbsent
	switch {
	case attended && m.StartsAt.After(s.Now()):
		return nil, domain.Invalid("status", "meeting.not_started", map[string]any{"Name": l.Name, "When": beijing(m.StartsAt)})
	case mk.Status == domain.AttendLeave && mk.Reason == "" && l.LeaveReason == "":
		return nil, domain.Invalid("reason", "meeting.leave_reason_required", map[string]any{"Name": l.Name})
	}
	before := l
	if l.Status == mk.Status && (mk.Reason == "" || mk.Reason == l.LeaveReason) {
		return nil, nil
	}
	l.Status = mk.Status
	switch mk.Status {
	case domain.AttendLeave:
		l.LeaveState = domain.LeaveApproved
		if mk.Reason != "" {
			l.LeaveReason = mk.Reason
		}
	case domain.AttendExcused:
		l.LeaveReason = mk.Reason
	}
	if mk.Status == domain.AttendPresent && before.Status != domain.AttendPresent {
		l.Method = domain.MethodSheet
	}
	now := s.Now()
	l.RecordedBy, l.RecordedAt = a.Name, &now
	if err := store.UpdateAttendance(ctx, tx, l); err != nil {
		return nil, err
	}
	if l.Status == domain.AttendPresent && before.Status != domain.AttendPresent {
		if err := s.metAt(ctx, tx, a, m, l.PersonID, "meeting"); err != nil {
			return nil, err
		}
	}
	return map[string]any{"person": l.PersonID, "from": before.Status, "to": l.Status, "reason": l.LeaveReason}, nil
}

// notOnSheet explains why a person has no line: the name and the
// organization and day they were not a member of.
func (s *Service) notOnSheet(ctx context.Context, q store.Q, m domain.Meeting, id domain.PersonID) error {
	name := fmt.Sprint(id)
	if p, err := store.PersonByID(ctx, q, id); err == nil {
		name = p.Name
	}
	return domain.Invalid("person", "meeting.not_member_then",
		map[string]any{"Name": name, "Org": m.OrgName, "Day": m.HeldOn.String()})
}

// metAt records a presence as a reached contact on the meeting's day.
func (s *Service) metAt(ctx context.Context, tx store.Tx, a *authz.Actor, m domain.Meeting, person domain.PersonID, channel string) error {
	_, err := store.AddContact(ctx, tx, store.Contact{PersonID: person, On: m.HeldOn, Channel: channel, Reached: true,
		Note: m.Topic, ActorName: a.Name, RecordedAt: s.Now()})
	return err
}

// AddGuest puts someone who is not expected — a member of another
// organization, a host organization's member — on the sheet as present.
// The actor must be able to see the person.
func (s *Service) AddGuest(ctx context.Context, a *authz.Actor, id domain.MeetingID, person domain.PersonID) error {
	return s.guarded(ctx, a, "meeting.guest", fmt.Sprint(id), func(tx store.Tx) error {
		m, err := s.meetingRecordable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		switch {
		case m.State == domain.MeetingCancelled:
			return domain.Rule("meeting.cancelled", nil)
		case m.StartsAt.After(s.Now()):
			return domain.Rule("meeting.guest_before_start", map[string]any{"When": beijing(m.StartsAt)})
		}
		p, err := s.personFor(ctx, tx, a, person, authz.PersonRead)
		if err != nil && a != authz.System {
			return domain.Invalid("person", "meeting.guest_unknown", nil)
		}
		now := s.Now()
		if err := store.AddGuest(ctx, tx, domain.Attendance{MeetingID: id, PersonID: person, Name: p.Name,
			Status: domain.AttendPresent, Method: domain.MethodSheet, RecordedBy: a.Name, RecordedAt: &now}); err != nil {
			return err
		}
		if err := s.metAt(ctx, tx, a, m, person, "meeting"); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "meeting.guest", "meeting", fmt.Sprint(id), "ok", map[string]any{"person": person})
	})
}

// ownPersonID is the person record linked to the actor's member account;
// an account without one is told so.
func (s *Service) ownPersonID(ctx context.Context, q store.Q, a *authz.Actor) (domain.PersonID, error) {
	p, err := s.ownPerson(ctx, q, a)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return 0, domain.Rule("meeting.account_not_linked", nil)
	}
	return p.ID, err
}

// RequestLeave is a member asking, from the phone, for leave from a
// meeting they are expected at, with the reason; the secretaries of the
// organization are told.
func (s *Service) RequestLeave(ctx context.Context, a *authz.Actor, id domain.MeetingID, reason string) error {
	reason = strings.TrimSpace(reason)
	return s.db.Tx(ctx, func(tx store.Tx) error {
		person, err := s.ownPersonID(ctx, tx, a)
		if err != nil {
			return err
		}
		m, err := store.MeetingByID(ctx, tx, id)
		if err != nil {
			return err
		}
		l, err := store.AttendanceLine(ctx, tx, id, person)
		if err != nil || !l.Expected {
			return notFound()
		}
		switch {
		case m.State != domain.MeetingPlanned:
			return domain.Rule("meeting.not_planned", map[string]any{"State": string(m.State)})
		case m.HeldOn.Before(s.Today()):
			return domain.Rule("meeting.leave_too_late", nil)
		case l.Status == domain.AttendPresent:
			return domain.Rule("meeting.leave_present", nil)
		case reason == "":
			return domain.Invalid("reason", "meeting.leave_reason_required", map[string]any{"Name": l.Name})
		}
		l.LeaveReason, l.LeaveState = reason, domain.LeaveRequested
		if err := store.UpdateAttendance(ctx, tx, l); err != nil {
			return err
		}
		to, err := s.responsibleFor(ctx, tx, m.OrgID, authz.RoleMobileSecretary, authz.RoleHomeSecretary)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, to, Notice{Kind: "meeting", MsgID: "meeting.notice.leave_requested",
			Args: map[string]any{"Name": l.Name, "Topic": m.Topic, "When": beijing(m.StartsAt)},
			Link: fmt.Sprintf("/meetings/%d", id), Key: fmt.Sprintf("meeting:%d:leave:%d", id, person)}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "meeting.leave_request", "meeting", fmt.Sprint(id), "ok",
			map[string]any{"person": person, "reason": reason})
	})
}

// DecideLeave approves or refuses a member's request for leave; the member
// is told.
func (s *Service) DecideLeave(ctx context.Context, a *authz.Actor, id domain.MeetingID, person domain.PersonID, approve bool) error {
	return s.guarded(ctx, a, "meeting.leave_decide", fmt.Sprint(id), func(tx store.Tx) error {
		m, err := s.meetingRecordable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		l, err := store.AttendanceLine(ctx, tx, id, person)
		if err != nil {
			return notFound()
		}
		if l.LeaveState != domain.LeaveRequested {
			return domain.Rule("meeting.no_leave_request", map[string]any{"Name": l.Name})
		}
		now := s.Now()
		l.LeaveState, l.RecordedBy, l.RecordedAt = domain.LeaveRefused, a.Name, &now
		msg := "meeting.notice.leave_refused"
		if approve {
			l.LeaveState, l.Status, msg = domain.LeaveApproved, domain.AttendLeave, "meeting.notice.leave_approved"
		}
		if err := store.UpdateAttendance(ctx, tx, l); err != nil {
			return err
		}
		acc, err := store.AccountByPerson(ctx, tx, person)
		switch {
		case err == nil && !acc.Disabled():
			if err := s.notify(ctx, tx, []domain.AccountID{acc.ID}, Notice{Kind: "meeting", MsgID: msg,
				Args: map[string]any{"Topic": m.Topic, "When": beijing(m.StartsAt)}, Link: "/me/meetings",
				Key: fmt.Sprintf("meeting:%d:leave_decided", id)}); err != nil {
				return err
			}
		case err != nil && domain.CodeOf(err) != domain.CodeNotFound:
			return err
		}
		return s.record(ctx, tx, a, "meeting.leave_decide", "meeting", fmt.Sprint(id), "ok",
			map[string]any{"person": person, "approved": approve})
	})
}

// ExportAttendance is a meeting's sheet for a spreadsheet: throttled like
// every export, and audited.
func (s *Service) ExportAttendance(ctx context.Context, a *authz.Actor, id domain.MeetingID) (MeetingView, error) {
	if err := s.throttle(ctx, a, throttle.Export); err != nil {
		return MeetingView{}, err
	}
	v, err := s.Meeting(ctx, a, id)
	if err != nil {
		return v, err
	}
	s.recordAlone(ctx, a, "meeting.attendance_export", "meeting", fmt.Sprint(id), "ok", map[string]any{"rows": len(v.Lines)})
	return v, nil
}

// OwnMeeting is one meeting on a member's phone, with what the member may
// do about it.
type OwnMeeting struct {
	store.PersonMeeting
	CanAskLeave bool
}

// OwnMeetings lists the meetings of the member linked to the actor's
// account: those ahead (where leave may be asked for) and the record of
// attendance, newest first.
func (s *Service) OwnMeetings(ctx context.Context, a *authz.Actor, limit int) ([]OwnMeeting, error) {
	q := s.db.Read()
	person, err := s.ownPersonID(ctx, q, a)
	if err != nil {
		return nil, err
	}
	rows, err := store.PersonMeetings(ctx, q, person, limit)
	if err != nil {
		return nil, err
	}
	out := make([]OwnMeeting, len(rows))
	today := s.Today()
	for i, r := range rows {
		out[i] = OwnMeeting{PersonMeeting: r, CanAskLeave: r.Line.Expected && r.Meeting.State == domain.MeetingPlanned &&
			!r.Meeting.HeldOn.Before(today) && r.Line.Status != domain.AttendPresent && r.Line.LeaveState != domain.LeaveApproved}
	}
	return out, nil
}
