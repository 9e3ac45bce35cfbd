package domain

import (
	"strings"
	"time"
)

// OrgKind is what kind of organization a record is.
type OrgKind string

// Party organization kinds (party-rules.md §1.1) and the attached mass
// organizations (§1.3).
const (
	KindCommittee     OrgKind = "committee"      // 基层党委
	KindGeneralBranch OrgKind = "general_branch" // 党总支
	KindBranch        OrgKind = "branch"         // 党支部
	KindGroup         OrgKind = "group"          // 党小组
	KindUnion         OrgKind = "union"          // 工会
	KindYouthLeague   OrgKind = "youth_league"   // 共青团
	KindWomen         OrgKind = "womens_fed"     // 妇联
	KindOffice        OrgKind = "office"         // an organization department or similar working body (组织部)
)

// OrgKinds lists the kinds in display order.
func OrgKinds() []OrgKind {
	return []OrgKind{KindCommittee, KindGeneralBranch, KindBranch, KindGroup, KindOffice, KindUnion, KindYouthLeague, KindWomen}
}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, x := range OrgKinds() {
		if k == x {
			return true
		}
	}
	return false
}

// Mass reports whether k is an attached mass organization.
func (k OrgKind) Mass() bool { return k == KindUnion || k == KindYouthLeague || k == KindWomen }

// rank orders Party kinds for upgrades: a group may become a branch, a
// branch a general branch, a general branch a committee.
func (k OrgKind) rank() int {
	switch k {
	case KindGroup:
		return 1
	case KindBranch:
		return 2
	case KindGeneralBranch:
		return 3
	case KindCommittee:
		return 4
	}
	return 0
}

// CanUpgradeTo reports whether an organization of kind k may become to.
func (k OrgKind) CanUpgradeTo(to OrgKind) bool {
	return k.rank() > 0 && to.rank() > k.rank()
}

// CanContain reports whether an organization of kind parent may have a
// child of kind child: a group only inside a branch; branches inside
// general branches, committees or offices; mass organizations under any
// Party organization; nothing under a group or a mass organization.
func (parent OrgKind) CanContain(child OrgKind) bool {
	switch {
	case parent == KindGroup || parent.Mass():
		return false
	case child.Mass():
		return true
	case child == KindGroup:
		return parent == KindBranch
	case child == KindBranch:
		return parent != KindBranch
	default: // committee, general branch, office
		return parent == KindCommittee || parent == KindOffice
	}
}

// OrgStatus is where an organization stands in its life.
type OrgStatus string

// The statuses. Upgrades keep the status active; the history records them.
const (
	StatusActive    OrgStatus = "active"
	StatusMerged    OrgStatus = "merged"
	StatusDissolved OrgStatus = "dissolved"
)

// Industries are the GB/T 4754-2017 sections (门类).
const Industries = "ABCDEFGHIJKLMNOPQRST"

// ValidIndustry reports whether s is empty or one GB/T 4754 section letter.
func ValidIndustry(s string) bool { return s == "" || (len(s) == 1 && strings.Contains(Industries, s)) }

// OrgEventKind names a recorded change of an organization.
type OrgEventKind string

// The events of an organization's history.
const (
	EventFounded   OrgEventKind = "founded"
	EventEdited    OrgEventKind = "edited"
	EventUpgraded  OrgEventKind = "upgraded"
	EventMerged    OrgEventKind = "merged"    // this one was merged into Other
	EventAbsorbed  OrgEventKind = "absorbed"  // Other was merged into this one
	EventDissolved OrgEventKind = "dissolved" // with its reason
	EventOfficer   OrgEventKind = "officer"   // an officer appointed or ended
)

// OrgEvent is one entry of an organization's history.
type OrgEvent struct {
	ID         int64
	OrgID      OrgID
	Kind       OrgEventKind
	On         Date // when it took effect (the decision's date)
	FromKind   OrgKind
	ToKind     OrgKind
	OtherID    OrgID // the other organization of a merge
	OtherName  string
	Note       string
	Members    int // member count stated at the time (e.g. 13 at founding), 0 unknown
	ActorName  string
	RecordedAt time.Time
}

// Officer is a position held in an organization for a term.
type Officer struct {
	ID       int64
	OrgID    OrgID
	Name     string
	Position string // secretary, deputy_secretary, organization, propaganda, discipline, member, leader
	From, To Date   // To zero: in office
	Phone    string // masked at the edges like every phone
}

// Positions lists the officer positions in display order.
func Positions() []string {
	return []string{"secretary", "deputy_secretary", "organization", "propaganda", "discipline", "member", "leader"}
}
