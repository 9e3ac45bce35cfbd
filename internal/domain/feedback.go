package domain

import (
	"regexp"
	"slices"
	"strconv"
	"time"
)

// Performance feedback (表现反馈): each quarter the host side (under an
// agreement that grants CapFeedback) and the mobile organization write a
// short structured note on each co-managed member, and the home
// organization acknowledges it or returns it with a comment.

// FeedbackID identifies one feedback.
type FeedbackID int64

// Participation is how a member took part in organizational life during
// the quarter, on a fixed scale.
type Participation string

// The participation scale, best first.
const (
	ParticipationAlways    Participation = "always"    // 按时参加
	ParticipationMostly    Participation = "mostly"    // 大多参加
	ParticipationSometimes Participation = "sometimes" // 有时参加
	ParticipationRarely    Participation = "rarely"    // 很少参加
)

// Participations lists the scale, best first.
func Participations() []Participation {
	return []Participation{ParticipationAlways, ParticipationMostly, ParticipationSometimes, ParticipationRarely}
}

// Valid reports whether p is on the scale.
func (p Participation) Valid() bool { return slices.Contains(Participations(), p) }

// Conduct is how a member conducted themselves at work and where they
// live, on a fixed scale.
type Conduct string

// The conduct scale, best first.
const (
	ConductExemplary Conduct = "exemplary" // 表现突出
	ConductGood      Conduct = "good"      // 表现良好
	ConductFair      Conduct = "fair"      // 表现一般
	ConductPoor      Conduct = "poor"      // 表现较差
)

// Conducts lists the scale, best first.
func Conducts() []Conduct { return []Conduct{ConductExemplary, ConductGood, ConductFair, ConductPoor} }

// Valid reports whether c is on the scale.
func (c Conduct) Valid() bool { return slices.Contains(Conducts(), c) }

// FeedbackState is where a feedback stands between the two sides.
type FeedbackState string

// The states: sent to the home organization, which acknowledges it or
// returns it with a comment; a returned feedback may be revised and sent
// again.
const (
	FeedbackSent         FeedbackState = "sent"
	FeedbackAcknowledged FeedbackState = "acknowledged"
	FeedbackReturned     FeedbackState = "returned"
)

// FeedbackStates lists them in display order.
func FeedbackStates() []FeedbackState {
	return []FeedbackState{FeedbackSent, FeedbackReturned, FeedbackAcknowledged}
}

// Valid reports whether s is a known state.
func (s FeedbackState) Valid() bool { return slices.Contains(FeedbackStates(), s) }

// Feedback is one quarter's feedback on one member from one writing
// organization (a host organization party to an agreement, or the mobile
// organization where the member takes part).
type Feedback struct {
	ID            FeedbackID
	PersonID      PersonID
	PersonName    string
	IDNumber      Masked
	Quarter       string // "2026-Q4"
	WriterOrgID   OrgID
	WriterOrgName string
	WriterSide    Side // host or mobile
	Agreement     AgreementID
	HomeOrgID     OrgID // the home organization when it was written: it answers
	HomeOrgName   string
	MobileOrgID   OrgID // where the member took part when it was written
	MobileOrgName string
	Participation Participation
	Conduct       Conduct
	Remarks       string
	State         FeedbackState
	Comment       string // the home side's comment on its last answer
	AuthorID      AccountID
	AuthorName    string
	SentAt        time.Time
	AnsweredBy    string
	AnswererID    AccountID
	AnsweredAt    *time.Time
	Revision      int // 1 when first sent, one more for each revision
	Version       int64
}

// FeedbackEvent is one step in a feedback's history: sent, revised (with
// the values then), acknowledged or returned (with the comment).
type FeedbackEvent struct {
	Kind          string
	Participation Participation
	Conduct       Conduct
	Remarks       string
	Comment       string
	ActorName     string
	At            time.Time
}

var quarterRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)

// ParseQuarter reads a quarter's key, "2026-Q4", into its span.
func ParseQuarter(s string) (Span, bool) {
	m := quarterRE.FindStringSubmatch(s)
	if m == nil {
		return Span{}, false
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	if y < 2000 {
		return Span{}, false
	}
	return SpanOf(Quarterly, NewDate(y, time.Month(3*q-2), 1)), true
}
