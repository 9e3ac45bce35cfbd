package domain

import (
	"slices"
	"time"
)

// The yearly democratic evaluation (民主评议党员, party-rules.md §3) as it
// runs under co-management: the organization where the member takes part
// proposes the rating, the host side gives its opinion where an agreement
// grants CapFeedback, the home organization confirms it (or changes it
// with a reason), and an unqualified rating opens a follow-up task.

// EvaluationID identifies one member's evaluation for one year.
type EvaluationID int64

// EvaluationState is where an evaluation stands.
type EvaluationState string

// The states: proposed (and perhaps commented by the host), confirmed.
const (
	EvaluationProposed  EvaluationState = "proposed"
	EvaluationConfirmed EvaluationState = "confirmed"
)

// Evaluation is one member's democratic evaluation for one year.
type Evaluation struct {
	ID         EvaluationID
	PersonID   PersonID
	PersonName string
	IDNumber   Masked
	Year       int
	// OrgID is the organization where the member takes part (the mobile
	// organization, or the home one for a member not placed): it proposes,
	// and the excellent share is counted in it.
	OrgID          OrgID
	OrgName        string
	HomeOrgID      OrgID
	HomeOrgName    string
	State          EvaluationState
	Proposed       Rating
	ProposalNote   string
	ProposedBy     string
	ProposerID     AccountID
	ProposedAt     time.Time
	HostOrgID      OrgID // zero until a host gives its opinion
	HostOrgName    string
	HostRating     Rating
	HostNote       string
	HostBy         string
	HostAt         *time.Time
	Rating         Rating // the confirmed rating; empty until confirmed
	ChangeReason   string // why the home side changed the proposed rating
	ConfirmedBy    string
	ConfirmerID    AccountID
	ConfirmedAt    *time.Time
	Version        int64
	FollowUpID     FollowUpID // the open or last follow-up of an unqualified rating
	FollowUpKind   FollowUpKind
	FollowUpDue    Date
	FollowUpClosed bool
}

// EvaluationPolicy is the county's setting for the evaluation: whether
// probationary members are rated (common practice says not; the rules
// are unverified) and the largest share of excellent ratings per
// organization and year (a third by the rules).
type EvaluationPolicy struct {
	RateProbationary bool `json:"rate_probationary"`
	ExcellentNum     int  `json:"excellent_num"`
	ExcellentDen     int  `json:"excellent_den"`
}

// DefaultEvaluationPolicy is party-rules.md §3: probationary members are
// not rated, at most a third are excellent.
func DefaultEvaluationPolicy() EvaluationPolicy {
	return EvaluationPolicy{ExcellentNum: 1, ExcellentDen: 3}
}

// Check validates a policy before it is saved.
func (p EvaluationPolicy) Check() error {
	if p.ExcellentNum < 0 || p.ExcellentDen < 1 || p.ExcellentNum > p.ExcellentDen {
		return Invalid("excellent_share", "evaluation.policy_share_invalid", nil)
	}
	return nil
}

// Rates reports whether a member of status s is rated under the policy.
func (p EvaluationPolicy) Rates(s MemberStatus) bool {
	return s == StatusFull || (s == StatusProbationary && p.RateProbationary)
}

// FollowUpID identifies a follow-up task.
type FollowUpID int64

// FollowUpKind is the organizational disposal an unqualified rating
// calls for (party-rules.md §3): education first, then one of these.
type FollowUpKind string

// The kinds, mildest first.
const (
	FollowUpCorrect  FollowUpKind = "correct"  // 限期改正
	FollowUpPersuade FollowUpKind = "persuade" // 劝退
	FollowUpRemove   FollowUpKind = "remove"   // 除名
)

// FollowUpKinds lists them, mildest first.
func FollowUpKinds() []FollowUpKind {
	return []FollowUpKind{FollowUpCorrect, FollowUpPersuade, FollowUpRemove}
}

// Valid reports whether k is a known kind.
func (k FollowUpKind) Valid() bool { return slices.Contains(FollowUpKinds(), k) }

// FollowUpOutcome is how a follow-up task was closed.
type FollowUpOutcome string

// The outcomes. Escalated closes the task and opens a harder one.
const (
	OutcomeCorrected FollowUpOutcome = "corrected" // 已按期改正
	OutcomeWithdrawn FollowUpOutcome = "withdrawn" // 经劝退，本人退党
	OutcomeRemoved   FollowUpOutcome = "removed"   // 已除名
	OutcomeEscalated FollowUpOutcome = "escalated" // 逾期未改，转为更重的处置
)

// FollowUpOutcomes lists them in display order.
func FollowUpOutcomes() []FollowUpOutcome {
	return []FollowUpOutcome{OutcomeCorrected, OutcomeWithdrawn, OutcomeRemoved, OutcomeEscalated}
}

// Valid reports whether o is a known outcome.
func (o FollowUpOutcome) Valid() bool { return slices.Contains(FollowUpOutcomes(), o) }

// FollowUp is the task an unqualified rating opens: a disposal with a due
// date, tracked until the home organization closes it.
type FollowUp struct {
	ID           FollowUpID
	EvaluationID EvaluationID
	Year         int
	PersonID     PersonID
	PersonName   string
	IDNumber     Masked
	HomeOrgID    OrgID
	HomeOrgName  string
	OrgID        OrgID
	OrgName      string
	Kind         FollowUpKind
	DueOn        Date
	Note         string
	Open         bool
	Outcome      FollowUpOutcome
	OutcomeNote  string
	OpenedBy     string
	OpenedAt     time.Time
	ClosedBy     string
	ClosedAt     *time.Time
	Version      int64
}

// Overdue reports whether an open task is past its due date on today.
func (f FollowUp) Overdue(today Date) bool { return f.Open && today.After(f.DueOn) }

// RatingCounts are the ratings of one organization (or the county) in one
// year: confirmed ones by rating, and those proposed but not confirmed.
type RatingCounts struct {
	OrgID     OrgID
	OrgName   string
	Confirmed map[Rating]int
	Pending   int
}

// Total is every member with an evaluation, confirmed or not.
func (c RatingCounts) Total() int {
	n := c.Pending
	for _, k := range c.Confirmed {
		n += k
	}
	return n
}

// Count is the number confirmed with rating r.
func (c RatingCounts) Count(r Rating) int { return c.Confirmed[r] }
