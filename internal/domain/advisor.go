package domain

// Thresholds are the structure rules' numbers (party-rules.md §1.1). They
// are data, stored as a setting, so a county whose rules differ changes
// them without a release.
type Thresholds struct {
	BranchMinFull      int `json:"branch_min_full"`      // a branch needs at least this many full members (3)
	BranchCommitteeAt  int `json:"branch_committee_at"`  // full members from which a branch elects a committee (7)
	GeneralBranchAbove int `json:"general_branch_above"` // members past which a branch may become a general branch (50)
	CommitteeAt        int `json:"committee_at"`         // members from which a committee is formed, with approval (100)
}

// DefaultThresholds are the numbers of the sector regulations.
func DefaultThresholds() Thresholds {
	return Thresholds{BranchMinFull: 3, BranchCommitteeAt: 7, GeneralBranchAbove: 50, CommitteeAt: 100}
}

// OrgCounts are the figures the advisor works from.
type OrgCounts struct {
	Full         int // full (正式) members placed here
	Probationary int // probationary (预备) members placed here
	Children     int // active child organizations
}

// Total is all members, full and probationary.
func (c OrgCounts) Total() int { return c.Full + c.Probationary }

// Advice is one note of the structure advisor: the rule (a message ID)
// and the figures that trigger it.
type Advice struct {
	Rule string
	Args map[string]any
}

// Advise applies the thresholds to one organization. Only full members
// count toward the 3- and 7-member rules, since probationary members can
// neither vote nor be elected.
func Advise(kind OrgKind, c OrgCounts, t Thresholds) []Advice {
	var out []Advice
	note := func(rule string, args map[string]any) { out = append(out, Advice{Rule: rule, Args: args}) }
	switch kind {
	case KindBranch:
		if c.Full < t.BranchMinFull {
			note("advice.branch_too_small", map[string]any{"Full": c.Full, "Min": t.BranchMinFull})
		}
		if c.Full >= t.BranchCommitteeAt {
			note("advice.branch_committee", map[string]any{"Full": c.Full, "At": t.BranchCommitteeAt})
		}
		if c.Total() > t.GeneralBranchAbove {
			note("advice.may_become_general_branch", map[string]any{"Total": c.Total(), "Above": t.GeneralBranchAbove})
		}
	case KindGeneralBranch:
		if c.Total() >= t.CommitteeAt {
			note("advice.may_become_committee", map[string]any{"Total": c.Total(), "At": t.CommitteeAt})
		}
	}
	return out
}
