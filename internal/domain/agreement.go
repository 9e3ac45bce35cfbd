package domain

import "time"

// AgreementID identifies a co-management agreement.
type AgreementID int64

// Capability is something an agreement lets the host side do for the
// members of the mobile organizations it covers.
type Capability string

// The fixed list of capabilities an agreement may grant.
const (
	CapViewBasic     Capability = "view_basic"     // members' basic data
	CapViewSensitive Capability = "view_sensitive" // ID numbers and phones, revealed one at a time
	CapAttendance    Capability = "attendance"     // record attendance
	CapFeedback      Capability = "feedback"       // performance feedback and evaluations
	CapCultivation   Capability = "cultivation"    // cultivation opinions for member development
	CapCases         Capability = "cases"          // handle service cases
	CapFunds         Capability = "funds"          // view the mobile organization's funds
)

// Capabilities lists every capability in display order.
func Capabilities() []Capability {
	return []Capability{CapViewBasic, CapViewSensitive, CapAttendance, CapFeedback, CapCultivation, CapCases, CapFunds}
}

// Valid reports whether c is on the fixed list.
func (c Capability) Valid() bool {
	for _, x := range Capabilities() {
		if c == x {
			return true
		}
	}
	return false
}

// AgreementState is the stored state; "expired" is derived from the
// validity and the date, so it holds at the exact instant without a job.
type AgreementState string

// The states.
const (
	AgreementDraft      AgreementState = "draft"
	AgreementInForce    AgreementState = "in_force"
	AgreementExpired    AgreementState = "expired" // derived: in force but past its end
	AgreementTerminated AgreementState = "terminated"
	AgreementPending    AgreementState = "pending" // derived: signed, not yet begun
)

// Agreement is a co-management agreement (共建共管协议) between the origin
// organization, the mobile organizations it covers and the host
// organizations that take part.
type Agreement struct {
	ID           AgreementID
	Title        string
	OriginID     OrgID
	OriginName   string
	Mobile       []OrgRef
	Host         []OrgRef
	Capabilities []Capability
	ValidFrom    Date
	ValidTo      Date
	State        AgreementState // stored: draft, in_force or terminated
	SignedOn     Date
	// Folded records that the mobile organizations are managed in the host
	// committee's sequence (纳入街道党委序列); SitsIn that the mobile
	// secretary attends host committee meetings (列席).
	Folded       bool
	SitsIn       bool
	Document     string // stored file name of the signed document, empty if none
	DocumentName string // the name it was uploaded with
	RenewedFrom  AgreementID
	TerminatedOn Date
	Reason       string
	CreatedAt    time.Time
	Version      int64
}

// OrgRef names an organization briefly.
type OrgRef struct {
	ID   OrgID
	Name string
}

// StateOn is the agreement's state on a civil date: a signed agreement is
// pending before its start, in force through its last day, expired after.
func (a Agreement) StateOn(today Date) AgreementState {
	if a.State != AgreementInForce {
		return a.State
	}
	switch {
	case today.Before(a.ValidFrom):
		return AgreementPending
	case today.After(a.ValidTo):
		return AgreementExpired
	}
	return AgreementInForce
}

// Grants reports whether the agreement grants c.
func (a Agreement) Grants(c Capability) bool {
	for _, x := range a.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}

// RenewalDue reports whether an in-force agreement ends within 60 days.
func (a Agreement) RenewalDue(today Date) bool {
	return a.StateOn(today) == AgreementInForce && !a.ValidTo.After(today.AddDays(60))
}
