package domain

import (
	"fmt"
	"slices"
	"time"
)

// MeetingKind is a kind of organizational life (party-rules.md §3).
type MeetingKind string

// The kinds the rules require, and the two co-management adds: a joint
// meeting co-organized by a host organization is any kind with a
// co-organizer, so only the mobile secretary's sitting in at a host
// committee meeting (列席) is a kind of its own.
const (
	MeetingAssembly    MeetingKind = "assembly"     // 支部党员大会
	MeetingCommittee   MeetingKind = "committee"    // 支委会
	MeetingGroup       MeetingKind = "group"        // 党小组会
	MeetingLecture     MeetingKind = "lecture"      // 党课
	MeetingThemeDay    MeetingKind = "theme_day"    // 主题党日
	MeetingLifeMeeting MeetingKind = "life_meeting" // 组织生活会
	MeetingEvaluation  MeetingKind = "evaluation"   // 民主评议党员
	MeetingSitIn       MeetingKind = "sit_in"       // 列席 a host committee meeting
)

// MeetingKinds lists the kinds in display order.
func MeetingKinds() []MeetingKind {
	return []MeetingKind{MeetingThemeDay, MeetingAssembly, MeetingCommittee, MeetingGroup, MeetingLecture,
		MeetingLifeMeeting, MeetingEvaluation, MeetingSitIn}
}

// Valid reports whether k is a known kind.
func (k MeetingKind) Valid() bool { return slices.Contains(MeetingKinds(), k) }

// Period is the span a rhythm rule counts meetings in.
type Period string

// The periods, by calendar in Beijing time.
const (
	Monthly   Period = "month"
	Quarterly Period = "quarter"
	Yearly    Period = "year"
)

// Valid reports whether p is a known period.
func (p Period) Valid() bool { return p == Monthly || p == Quarterly || p == Yearly }

// Span is one period: its key ("2026-10", "2026-Q4", "2026") and its first
// and last days.
type Span struct {
	Period Period
	Key    string
	First  Date
	Last   Date
}

// SpanOf is the period of kind p that holds day d.
func SpanOf(p Period, d Date) Span {
	t := d.Time()
	y, m := t.Year(), t.Month()
	switch p {
	case Monthly:
		first := NewDate(y, m, 1)
		return Span{p, fmt.Sprintf("%04d-%02d", y, int(m)), first, Date{first.Time().AddDate(0, 1, -1)}}
	case Quarterly:
		q := (int(m)-1)/3 + 1
		first := NewDate(y, time.Month(3*q-2), 1)
		return Span{p, fmt.Sprintf("%04d-Q%d", y, q), first, Date{first.Time().AddDate(0, 3, -1)}}
	}
	return Span{Yearly, fmt.Sprintf("%04d", y), NewDate(y, 1, 1), NewDate(y, 12, 31)}
}

// Next is the span after s.
func (s Span) Next() Span { return SpanOf(s.Period, s.Last.AddDays(1)) }

// Holds reports whether d falls in s.
func (s Span) Holds(d Date) bool { return !d.Before(s.First) && !d.After(s.Last) }

// Spans lists the periods of kind p that overlap [from, to], in order.
func Spans(p Period, from, to Date) []Span {
	var out []Span
	for s := SpanOf(p, from); !s.First.After(to); s = s.Next() {
		out = append(out, s)
	}
	return out
}

// RhythmRule says how often an organization must hold a kind of meeting:
// at least Min in each Period, for organizations of the listed kinds that
// have at least MinFull full members (a branch holds committee meetings
// only once it has a committee, at seven full members). Lead is how many
// days before the period ends the secretary is reminded when none is held.
type RhythmRule struct {
	Meeting  MeetingKind `json:"meeting"`
	OrgKinds []OrgKind   `json:"org_kinds"`
	MinFull  int         `json:"min_full,omitempty"`
	Period   Period      `json:"period"`
	Min      int         `json:"min"`
	Lead     int         `json:"lead_days"`
	// Verified is false where party-rules.md marks the frequency
	// unverified; the table is data a county officer may change.
	Verified bool `json:"verified"`
}

// AppliesTo reports whether the rule binds an organization of kind k with
// full full members.
func (r RhythmRule) AppliesTo(k OrgKind, full int) bool {
	if full < r.MinFull {
		return false
	}
	for _, x := range r.OrgKinds {
		if x == k {
			return true
		}
	}
	return false
}

// DefaultRhythm is the table of party-rules.md §3: theme Party day monthly,
// branch assembly and Party lecture quarterly, committee and group meetings
// monthly, the organizational life meeting and the democratic evaluation
// yearly.
func DefaultRhythm() []RhythmRule {
	branches := []OrgKind{KindBranch}
	return []RhythmRule{
		{Meeting: MeetingThemeDay, OrgKinds: branches, Period: Monthly, Min: 1, Lead: 7, Verified: true},
		{Meeting: MeetingAssembly, OrgKinds: branches, Period: Quarterly, Min: 1, Lead: 14, Verified: true},
		{Meeting: MeetingCommittee, OrgKinds: []OrgKind{KindBranch}, MinFull: 7, Period: Monthly, Min: 1, Lead: 7, Verified: true},
		{Meeting: MeetingCommittee, OrgKinds: []OrgKind{KindGeneralBranch, KindCommittee}, Period: Monthly, Min: 1, Lead: 7, Verified: true},
		{Meeting: MeetingGroup, OrgKinds: []OrgKind{KindGroup}, Period: Monthly, Min: 1, Lead: 7, Verified: true},
		{Meeting: MeetingLecture, OrgKinds: branches, Period: Quarterly, Min: 1, Lead: 14},
		{Meeting: MeetingLifeMeeting, OrgKinds: branches, Period: Yearly, Min: 1, Lead: 45, Verified: true},
		{Meeting: MeetingEvaluation, OrgKinds: branches, Period: Yearly, Min: 1, Lead: 45, Verified: true},
	}
}

// CheckRhythm validates a rhythm table before it is saved.
func CheckRhythm(rules []RhythmRule) error {
	seen := map[[2]string]bool{}
	for i, r := range rules {
		row := map[string]any{"Row": i + 1}
		switch {
		case !r.Meeting.Valid() || r.Meeting == MeetingSitIn:
			return Invalid("meeting", "rhythm.meeting_invalid", row)
		case !r.Period.Valid():
			return Invalid("period", "rhythm.period_invalid", row)
		case r.Min < 1 || r.Min > 31:
			return Invalid("min", "rhythm.min_invalid", row)
		case len(r.OrgKinds) == 0:
			return Invalid("org_kinds", "rhythm.kinds_empty", row)
		case r.Lead < 0 || r.Lead > 90 || r.MinFull < 0:
			return Invalid("lead_days", "rhythm.lead_invalid", row)
		}
		for _, k := range r.OrgKinds {
			if !k.Valid() || k.Mass() {
				return Invalid("org_kinds", "rhythm.kinds_invalid", row)
			}
			// Two rules for one meeting and one kind of organization would
			// count each gap twice.
			if seen[[2]string{string(r.Meeting), string(k)}] {
				return Invalid("org_kinds", "rhythm.kinds_twice", row)
			}
			seen[[2]string{string(r.Meeting), string(k)}] = true
		}
	}
	return nil
}

// Gap is a period in which an organization held fewer meetings of a kind
// than a rule requires.
type Gap struct {
	Meeting MeetingKind
	Span    Span
	Held    int
	Min     int
	// Open is true while the period has not ended: still time to hold it.
	Open bool
	// Due is true for an open gap within the rule's reminder lead.
	Due bool
}

// Gaps checks one organization's held meetings (dates by kind) against the
// rules that bind it, for every period overlapping [from, today]. Periods
// that began before the organization was founded are not counted.
func Gaps(rules []RhythmRule, k OrgKind, full int, founded Date, held map[MeetingKind][]Date, from, today Date) []Gap {
	var out []Gap
	for _, r := range rules {
		if !r.AppliesTo(k, full) {
			continue
		}
		for _, s := range Spans(r.Period, from, today) {
			if !founded.IsZero() && s.First.Before(founded) {
				continue
			}
			n := 0
			for _, d := range held[r.Meeting] {
				if s.Holds(d) {
					n++
				}
			}
			if n >= r.Min {
				continue
			}
			open := !today.After(s.Last)
			out = append(out, Gap{Meeting: r.Meeting, Span: s, Held: n, Min: r.Min, Open: open,
				Due: open && !today.Before(s.Last.AddDays(-r.Lead))})
		}
	}
	return out
}

// MeetingID identifies a meeting.
type MeetingID int64

// MeetingState is where a meeting stands.
type MeetingState string

// The states: a meeting is planned, then held (with its minutes) or
// cancelled. Only held meetings count for the rhythm.
const (
	MeetingPlanned   MeetingState = "planned"
	MeetingHeld      MeetingState = "held"
	MeetingCancelled MeetingState = "cancelled"
)

// AttendanceStatus is one person's attendance at one meeting.
type AttendanceStatus string

// The statuses. Leave is asked for with a reason and approved by the
// secretary; excused is the secretary's own decision (on duty, ill …).
// Absent without either counts towards the six months of party-rules.md
// §2.4.
const (
	AttendUnmarked AttendanceStatus = "unmarked"
	AttendPresent  AttendanceStatus = "present"
	AttendAbsent   AttendanceStatus = "absent"
	AttendLeave    AttendanceStatus = "leave"
	AttendExcused  AttendanceStatus = "excused"
)

// AttendanceStatuses lists them in display order.
func AttendanceStatuses() []AttendanceStatus {
	return []AttendanceStatus{AttendPresent, AttendLeave, AttendExcused, AttendAbsent, AttendUnmarked}
}
