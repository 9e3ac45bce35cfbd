package service

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/seal"
	"gongjian/internal/store"
)

// QR check-in. The meeting page shows a code whose token names the meeting
// and a 30-second window, signed with the keyring's QR key; it carries
// nothing about any person. A token is good in its own window and the next
// (a scan at the turn still works), so the page fetches a new one every 25
// seconds. A member scans it while signed in and is checked in once.
//
// A member who must sign in first cannot finish within a minute, so the
// first visit with a fresh token leaves a "seen" stamp in that browser —
// the token, the instant, and a MAC — which admits the check-in for ten
// minutes more. The stamp is bound to the token, so it cannot admit
// another meeting, and it stays in the browser that scanned.

// CheckinWindow is how long one code is shown.
const CheckinWindow = 30 * time.Second

// SeenValid is how long after a fresh scan a member may still sign in and
// be checked in.
const SeenValid = 10 * time.Minute

func checkinWindow(t time.Time) int64 { return t.Unix() / int64(CheckinWindow/time.Second) }

// fresh reports whether a token of window w is good at t: its own window
// or the one after.
func fresh(w int64, t time.Time) bool {
	now := checkinWindow(t)
	return w == now || w == now-1
}

const macLen = 16

func (s *Service) checkinToken(id domain.MeetingID, w int64) string {
	b := make([]byte, 16, 16+macLen)
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	binary.BigEndian.PutUint64(b[8:], uint64(w))
	mac := s.cfg.Keys.MAC(seal.PurposeQR, []byte("checkin"), b)
	return base64.RawURLEncoding.EncodeToString(append(b, mac[:macLen]...))
}

// readCheckinToken checks a token's signature and returns its meeting and
// window.
func (s *Service) readCheckinToken(token string) (domain.MeetingID, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 16+macLen {
		return 0, 0, false
	}
	mac := s.cfg.Keys.MAC(seal.PurposeQR, []byte("checkin"), b[:16])
	if !hmac.Equal(b[16:], mac[:macLen]) {
		return 0, 0, false
	}
	return domain.MeetingID(binary.BigEndian.Uint64(b[:8])), int64(binary.BigEndian.Uint64(b[8:16])), true
}

func (s *Service) seenStamp(token string, at time.Time) string {
	b := make([]byte, 8, 8+macLen)
	binary.BigEndian.PutUint64(b, uint64(at.Unix()))
	mac := s.cfg.Keys.MAC(seal.PurposeQR, []byte("checkin-seen"), []byte(token), b)
	return base64.RawURLEncoding.EncodeToString(append(b, mac[:macLen]...))
}

func (s *Service) seenAt(token, stamp string) (time.Time, bool) {
	b, err := base64.RawURLEncoding.DecodeString(stamp)
	if err != nil || len(b) != 8+macLen {
		return time.Time{}, false
	}
	mac := s.cfg.Keys.MAC(seal.PurposeQR, []byte("checkin-seen"), []byte(token), b[:8])
	if !hmac.Equal(b[8:], mac[:macLen]) {
		return time.Time{}, false
	}
	return time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0), true
}

// verifyCheckin reads the meeting of a token that admits a check-in now:
// fresh, or presented fresh in this browser (seen) less than SeenValid ago.
func (s *Service) verifyCheckin(token, seen string) (domain.MeetingID, error) {
	id, w, ok := s.readCheckinToken(token)
	if !ok {
		return 0, domain.Invalid("token", "meeting.checkin_forged", nil)
	}
	now := s.Now()
	if fresh(w, now) {
		return id, nil
	}
	if at, ok := s.seenAt(token, seen); ok && fresh(w, at) && !at.After(now) && now.Sub(at) <= SeenValid {
		return id, nil
	}
	return id, domain.Rule("meeting.checkin_expired", nil)
}

// CheckinCode is what the meeting page shows: the current token, until
// when it is the current one, and the sheet's counts with the latest
// check-ins.
type CheckinCode struct {
	Token  string
	Until  time.Time
	Count  AttendanceCount
	Latest []domain.Attendance // the last few QR check-ins, newest first
}

// CheckinCode returns the code for a meeting open for check-in, for an
// actor who keeps its attendance.
func (s *Service) CheckinCode(ctx context.Context, a *authz.Actor, id domain.MeetingID) (CheckinCode, error) {
	q := s.db.Read()
	m, err := s.meetingRecordable(ctx, q, a, id)
	if err != nil {
		return CheckinCode{}, err
	}
	if !s.checkinOpen(m) {
		return CheckinCode{}, domain.Rule("meeting.checkin_closed", map[string]any{"Topic": m.Topic})
	}
	w := checkinWindow(s.Now())
	c := CheckinCode{Token: s.checkinToken(id, w), Until: time.Unix((w+1)*int64(CheckinWindow/time.Second), 0).UTC()}
	lines, err := store.MeetingAttendance(ctx, q, id)
	if err != nil {
		return c, err
	}
	c.Count = CountLines(lines)
	for _, l := range lines {
		if l.Method == domain.MethodQR && l.CheckedInAt != nil {
			c.Latest = append(c.Latest, l)
		}
	}
	slices.SortFunc(c.Latest, func(x, y domain.Attendance) int { return y.CheckedInAt.Compare(*x.CheckedInAt) })
	c.Latest = c.Latest[:min(len(c.Latest), 5)]
	return c, nil
}

// CheckinPreview is what a scan shows before the member confirms: the
// meeting, the member's line, and the seen stamp for the browser.
type CheckinPreview struct {
	Meeting domain.Meeting
	Line    domain.Attendance
	Seen    string
}

// SeeCheckin reads a scanned token. Anyone may present one: a visitor not
// signed in gets only the seen stamp (nil actor), to keep while signing
// in. A signed-in member gets the meeting and their line, or the refusal
// a check-in would meet, and nothing changes.
func (s *Service) SeeCheckin(ctx context.Context, a *authz.Actor, token, seen string) (CheckinPreview, error) {
	var p CheckinPreview
	id, err := s.verifyCheckin(token, seen)
	if err != nil {
		return p, err
	}
	if _, w, _ := s.readCheckinToken(token); fresh(w, s.Now()) {
		p.Seen = s.seenStamp(token, s.Now())
	} else {
		p.Seen = seen
	}
	if a == nil {
		return p, nil
	}
	st, err := s.checkinState(ctx, a, id)
	p.Meeting, p.Line = st.Meeting, st.Line
	return p, err
}

// checkinState reads, in one query, whether the member of the actor's
// account may check in to meeting id now, or why not: a meeting that does
// not exist (only a forged code names one), an account not linked to a
// member, a meeting not open today, a member not expected, one already
// present.
func (s *Service) checkinState(ctx context.Context, a *authz.Actor, id domain.MeetingID) (store.CheckinState, error) {
	if a == nil || a.AccountID == 0 {
		return store.CheckinState{}, domain.ErrUnauthorized
	}
	st, err := store.CheckinStateOf(ctx, s.db.Read(), a.AccountID, id)
	m, l := st.Meeting, st.Line
	switch {
	case domain.CodeOf(err) == domain.CodeNotFound:
		return st, domain.Invalid("token", "meeting.checkin_forged", nil)
	case err != nil:
		return st, err
	case st.Person == 0:
		return st, domain.Rule("meeting.account_not_linked", nil)
	case !s.checkinOpen(m):
		return st, domain.Rule("meeting.checkin_closed", map[string]any{"Topic": m.Topic})
	case !l.Expected:
		return st, domain.Rule("meeting.checkin_not_expected", map[string]any{"Topic": m.Topic, "Org": m.OrgName})
	case l.Status == domain.AttendPresent:
		return st, alreadyIn(l)
	}
	return st, nil
}

func alreadyIn(l domain.Attendance) error {
	when := ""
	if l.RecordedAt != nil {
		when = l.RecordedAt.In(domain.China).Format("15:04")
	}
	return domain.Conflict("token", "meeting.checkin_twice", map[string]any{"When": when})
}

// CheckIn checks the member linked to the actor's account in to the
// meeting of token, once. want, when not zero, is the meeting the caller
// meant: a token for another one is refused. Every refusal is audited and
// changes nothing. The write — the line, the contact it counts as, the
// audit entry — goes into the next batch (meeting_batch.go), which checks
// as it writes that the member may check in (store.CheckIn); only a scan
// it did not take reads the check-in view, for the reason.
func (s *Service) CheckIn(ctx context.Context, a *authz.Actor, want domain.MeetingID, token, seen string) (domain.Meeting, error) {
	id, err := s.verifyCheckin(token, seen)
	if err == nil && want != 0 && want != id {
		err = domain.Invalid("token", "meeting.checkin_other_meeting", nil)
	}
	if err == nil && (a == nil || a.AccountID == 0) {
		err = domain.ErrUnauthorized
	}
	if err != nil {
		return domain.Meeting{}, s.denied(ctx, a, "meeting.checkin", "meeting", fmt.Sprint(id), err)
	}
	// A scan not taken whose view finds no reason met a line or a meeting
	// that changed between the two (the sheet edited at that moment): it
	// is written again, a few times at most.
	for range 3 {
		d := s.checkins.write(s, &checkinWrite{actor: a, id: id, done: make(chan checkinDone, 1)})
		if d.err != errNotTaken {
			return d.m, d.err
		}
		st, err := s.checkinState(ctx, a, id)
		if err != nil {
			return st.Meeting, s.denied(ctx, a, "meeting.checkin", "meeting", fmt.Sprint(id), err)
		}
	}
	return domain.Meeting{}, fmt.Errorf("service: check in to meeting %d: not taken, and no reason found", id)
}
