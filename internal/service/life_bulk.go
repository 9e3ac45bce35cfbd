package service

import (
	"context"
	"slices"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// HeldMeeting is a meeting recorded after the fact with its sheet.
type HeldMeeting struct {
	Meeting domain.Meeting
	Lines   []domain.Attendance   // MeetingID is filled in
	Hosts   []domain.HostAttendee // the host side of a joint meeting; MeetingID is filled in
}

// LifeRecords is organizational life recorded after the fact: what the
// meetings', feedback, evaluation and dues use cases would have left
// behind had they been used day by day.
type LifeRecords struct {
	Meetings    []HeldMeeting
	Feedback    []store.FeedbackRecord
	Evaluations []store.EvaluationRecord
	Standards   []domain.DuesStandard
	Payments    []domain.DuesPayment
}

// RecordLifeInBulk writes a batch of organizational life in one
// transaction with one audit entry (life.record_bulk, with the counts),
// for the program's own loaders (the demo, a migration from another
// system): the per-row use cases would take an audit entry, a permission
// check and a transaction for every line. Only the system actor may. The
// derived rows are the use cases' own: a presence, a payment and a
// feedback that saw the member are reached contacts (channel meeting,
// checkin, dues or feedback; one contact per payment date, naming its
// months), which move the member's last contact
// forward; nobody is notified of the past.
func (s *Service) RecordLifeInBulk(ctx context.Context, a *authz.Actor, r LifeRecords) error {
	if a != authz.System {
		return s.denied(ctx, a, "life.record_bulk", "meeting", "", domain.ErrForbidden)
	}
	today := s.Today()
	for _, m := range r.Meetings {
		if m.Meeting.State == domain.MeetingHeld && m.Meeting.HeldOn.After(today) {
			return domain.Invalid("starts_at", "meeting.held_in_future", map[string]any{"When": beijing(m.Meeting.StartsAt)})
		}
	}
	now := s.Now()
	return s.db.Tx(ctx, func(tx store.Tx) error {
		ms := make([]domain.Meeting, len(r.Meetings))
		for i, m := range r.Meetings {
			ms[i] = m.Meeting
		}
		ids, err := store.InsertMeetingRecords(ctx, tx, ms, now)
		if err != nil {
			return err
		}
		var lines []domain.Attendance
		var hosts []domain.HostAttendee
		var contacts []store.Contact
		for i, m := range r.Meetings {
			for _, h := range m.Hosts {
				h.MeetingID = ids[i]
				hosts = append(hosts, h)
			}
			for _, l := range m.Lines {
				l.MeetingID = ids[i]
				lines = append(lines, l)
				if l.Status == domain.AttendPresent {
					channel := "meeting"
					if l.Method == domain.MethodQR {
						channel = "checkin"
					}
					contacts = append(contacts, store.Contact{PersonID: l.PersonID, On: m.Meeting.HeldOn, Channel: channel,
						Reached: true, Note: m.Meeting.Topic, ActorName: l.RecordedBy, RecordedAt: now})
				}
			}
		}
		if err := store.InsertAttendanceLines(ctx, tx, lines); err != nil {
			return err
		}
		if err := store.InsertHostAttendees(ctx, tx, hosts); err != nil {
			return err
		}
		if err := store.InsertFeedbackRecords(ctx, tx, r.Feedback); err != nil {
			return err
		}
		for _, f := range r.Feedback {
			if c, ok := feedbackContact(f.Feedback, now); ok {
				contacts = append(contacts, c)
			}
		}
		if err := store.InsertEvaluationRecords(ctx, tx, r.Evaluations); err != nil {
			return err
		}
		if err := store.InsertDuesStandards(ctx, tx, r.Standards); err != nil {
			return err
		}
		if err := store.InsertDuesPayments(ctx, tx, r.Payments); err != nil {
			return err
		}
		contacts = append(contacts, paymentContacts(r.Payments, now)...)
		if err := store.AddContacts(ctx, tx, contacts); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "life.record_bulk", "meeting", "", "ok", map[string]any{"meetings": len(r.Meetings),
			"lines": len(lines), "host_lines": len(hosts), "feedback": len(r.Feedback), "evaluations": len(r.Evaluations), "standards": len(r.Standards),
			"payments": len(r.Payments), "contacts": len(contacts)})
	})
}

// paymentContacts is one reached contact per member and payment date, as
// RecordDues records for each payment of one or more months.
func paymentContacts(ps []domain.DuesPayment, now time.Time) []store.Contact {
	type key struct {
		person domain.PersonID
		on     domain.Date
	}
	months := map[key][]domain.Month{}
	by := map[key]string{}
	var order []key
	for _, p := range ps {
		k := key{p.PersonID, p.PaidOn}
		if _, ok := months[k]; !ok {
			order = append(order, k)
		}
		months[k], by[k] = append(months[k], p.Month), p.RecordedBy
	}
	out := make([]store.Contact, 0, len(order))
	for _, k := range order {
		ms := months[k]
		slices.Sort(ms)
		out = append(out, store.Contact{PersonID: k.person, On: k.on, Channel: "dues", Reached: true, Note: monthList(ms),
			ActorName: by[k], RecordedAt: now})
	}
	return out
}
