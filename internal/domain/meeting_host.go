package domain

import "time"

// HostAttendee is one line of the host side's attendance at a joint
// meeting (or a sitting-in): a named person from the co-organizing host
// organization — with a unit or post, and whether a Party member, when
// known — or, with no name, a headcount of people not named. The host
// side's people are not on the register: no ID number, no phone, and they
// count apart from the members' attendance.
type HostAttendee struct {
	ID          int64
	MeetingID   MeetingID
	Name        string // empty: a headcount line
	Post        string // unit and post, "拱墅区米市巷街道党工委 组织委员"
	PartyMember *bool  // nil: not said
	Headcount   int    // 1 for a named person
	AddedBy     string
	AddedAt     time.Time
}

// Named reports whether the line names a person (else it is a headcount).
func (h HostAttendee) Named() bool { return h.Name != "" }

// HostCount sums up the host side of a meeting: the people named, those
// only counted, all of them, and the named Party members.
type HostCount struct {
	Named, Unnamed, Total, PartyMembers int
}

// CountHosts sums up the host side's lines.
func CountHosts(hs []HostAttendee) HostCount {
	var c HostCount
	for _, h := range hs {
		if h.Named() {
			c.Named++
		} else {
			c.Unnamed += h.Headcount
		}
		if h.PartyMember != nil && *h.PartyMember {
			c.PartyMembers += h.Headcount
		}
	}
	c.Total = c.Named + c.Unnamed
	return c
}
