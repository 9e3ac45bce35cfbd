package service

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// The host side of a joint meeting (decision 0012, item 11): the people
// of the co-organizing host organization who came, by name with their
// unit or post and whether Party members, or as a headcount when not
// named. They are not on the register — no ID number, no phone — and
// count apart from the members' sheet and its rates. Kept by whoever may
// keep the meeting's attendance (canRecord), so a host officer whose
// agreement grants attendance records its own people at a joint meeting
// its organization co-organizes, and nowhere else.

// HostAttendeeInput is one line of the host side: a person by name, or
// (no name) a headcount of people not named.
type HostAttendeeInput struct {
	Name        string
	Post        string
	PartyMember *bool // nil: not said
	Headcount   int   // for a line without a name; 0 or 1 for a named one
}

// Limits of a host line, in characters, and of a meeting's host side.
const (
	MaxHostName      = 50
	MaxHostPost      = 100
	MaxHostHeadcount = 9999
	MaxHostLines     = 200
)

// checkHostAttendee trims and checks a host line; a run of seven digits
// looks like an ID or phone number, which the host side's lines must not
// carry.
func checkHostAttendee(in *HostAttendeeInput) error {
	in.Name, in.Post = strings.TrimSpace(in.Name), strings.TrimSpace(in.Post)
	switch {
	case in.Name == "" && in.Headcount <= 0:
		return domain.Invalid("name", "meeting.host_name_required", nil)
	case in.Headcount < 0 || in.Headcount > MaxHostHeadcount:
		return domain.Invalid("headcount", "meeting.host_headcount_invalid", map[string]any{"Max": MaxHostHeadcount})
	case in.Name != "" && in.Headcount > 1:
		return domain.Invalid("headcount", "meeting.host_named_one", nil)
	case utf8.RuneCountInString(in.Name) > MaxHostName:
		return domain.Invalid("name", "meeting.host_name_too_long", map[string]any{"Max": MaxHostName})
	case utf8.RuneCountInString(in.Post) > MaxHostPost:
		return domain.Invalid("post", "meeting.host_post_too_long", map[string]any{"Max": MaxHostPost})
	case digitRun(in.Name) >= 7:
		return domain.Invalid("name", "meeting.host_no_numbers", nil)
	case digitRun(in.Post) >= 7:
		return domain.Invalid("post", "meeting.host_no_numbers", nil)
	}
	in.Headcount = max(in.Headcount, 1)
	return nil
}

// digitRun is the longest run of digits in s.
func digitRun(s string) int {
	best, n := 0, 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// hostsRecordable reads a meeting whose host side the actor may keep: one
// it may keep the attendance of, co-organized by a host organization,
// not cancelled, and begun.
func (s *Service) hostsRecordable(ctx context.Context, tx store.Tx, a *authz.Actor, id domain.MeetingID) (domain.Meeting, error) {
	m, err := s.meetingRecordable(ctx, tx, a, id)
	switch {
	case err != nil:
		return m, err
	case m.CoOrgID == 0:
		return m, domain.Rule("meeting.host_not_joint", nil)
	case m.State == domain.MeetingCancelled:
		return m, domain.Rule("meeting.cancelled", nil)
	case m.StartsAt.After(s.Now()):
		return m, domain.Rule("meeting.host_before_start", map[string]any{"When": beijing(m.StartsAt)})
	}
	return m, nil
}

// AddHostAttendee records one line of a joint meeting's host side.
func (s *Service) AddHostAttendee(ctx context.Context, a *authz.Actor, id domain.MeetingID, in HostAttendeeInput) (int64, error) {
	if err := checkHostAttendee(&in); err != nil {
		return 0, err
	}
	var line int64
	err := s.guarded(ctx, a, "meeting.host_add", fmt.Sprint(id), func(tx store.Tx) error {
		m, err := s.hostsRecordable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		hs, err := store.HostAttendees(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(hs) >= MaxHostLines {
			return domain.Rule("meeting.host_too_many", map[string]any{"Max": MaxHostLines})
		}
		for _, h := range hs {
			if in.Name != "" && h.Name == in.Name && h.Post == in.Post {
				return domain.Conflict("name", "meeting.host_duplicate", map[string]any{"Name": in.Name})
			}
		}
		h := domain.HostAttendee{MeetingID: m.ID, Name: in.Name, Post: in.Post, PartyMember: in.PartyMember,
			Headcount: in.Headcount, AddedBy: a.Name, AddedAt: s.Now()}
		if line, err = store.AddHostAttendee(ctx, tx, h); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "meeting.host_add", "meeting", fmt.Sprint(id), "ok", change{After: hostAudit(line, h)})
	})
	return line, err
}

// RemoveHostAttendee takes one line off a joint meeting's host side.
func (s *Service) RemoveHostAttendee(ctx context.Context, a *authz.Actor, id domain.MeetingID, line int64) error {
	return s.guarded(ctx, a, "meeting.host_remove", fmt.Sprint(id), func(tx store.Tx) error {
		if _, err := s.hostsRecordable(ctx, tx, a, id); err != nil {
			return err
		}
		h, err := store.HostAttendeeByID(ctx, tx, id, line)
		if err != nil {
			return err
		}
		if err := store.DeleteHostAttendee(ctx, tx, id, line); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "meeting.host_remove", "meeting", fmt.Sprint(id), "ok", change{Before: hostAudit(line, h)})
	})
}

func hostAudit(line int64, h domain.HostAttendee) map[string]any {
	return map[string]any{"line": line, "name": h.Name, "post": h.Post, "party_member": h.PartyMember, "headcount": h.Headcount}
}
