package domain

import "time"

// PersonID identifies a person record.
type PersonID int64

// Masked is a personal value as every list, page, export and API response
// shows it. The clear value lives only sealed in the store and in a
// deliberate, audited reveal.
type Masked string

// Person is one migrant worker, member or not. ID number and phone appear
// only masked here.
type Person struct {
	ID              PersonID
	Name            string
	Pinyin          string // full pinyin, "zhangwei"
	Initials        string // "zw"
	Gender          int    // GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 unstated
	Ethnicity       string // GB/T 3304 two-digit code
	IDNumber        Masked
	BirthOn         Date
	Phone           Masked
	Education       string
	HometownCode    string // GB/T 2260, down to township
	HometownVillage string
	LeftHomeOn      Date
	CityCode        string // where the person works now
	DistrictCode    string
	Address         string
	Employer        string
	EmployerUSCC    string
	Industry        string // GB/T 4754 section
	Occupation      string
	OriginOrgID     OrgID // the origin organization the person belongs to (home branch for members)
	OriginOrgName   string
	Membership      *Membership // nil for workers who are not members
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int64
}

// MemberStatus is where a person stands on the way into the Party.
type MemberStatus string

// The statuses (party-rules.md §4).
const (
	StatusApplicant    MemberStatus = "applicant"    // 入党申请人
	StatusActivist     MemberStatus = "activist"     // 入党积极分子
	StatusTarget       MemberStatus = "target"       // 发展对象
	StatusProbationary MemberStatus = "probationary" // 预备党员
	StatusFull         MemberStatus = "full"         // 正式党员
)

// MemberStatuses lists them in order.
func MemberStatuses() []MemberStatus {
	return []MemberStatus{StatusApplicant, StatusActivist, StatusTarget, StatusProbationary, StatusFull}
}

// Valid reports whether s is a known status.
func (s MemberStatus) Valid() bool {
	for _, x := range MemberStatuses() {
		if s == x {
			return true
		}
	}
	return false
}

// Membership is the Party side of a person: the home organization that
// holds the formal relationship and the mobile organization where the
// member takes part.
type Membership struct {
	Status        MemberStatus
	JoinedOn      Date
	FullOn        Date
	HomeOrgID     OrgID
	HomeOrgName   string
	MobileOrgID   OrgID // zero: not placed
	MobileOrgName string
	CertificateNo string
	CertificateTo Date
	// CertificateFrom is the activity certificate's issue date.
	CertificateFrom Date
	// LastContactOn is the latest day someone reached the member (or the
	// day the member was registered); ContactState is its reading against
	// the lost-contact thresholds, kept by the scheduled check.
	LastContactOn  Date
	ContactState   ContactState
	ContactStateOn Date
	Version        int64
}

// ContactState is where a member stands on the lost-contact warning
// (party-rules.md §2.4).
type ContactState string

// The contact states.
const (
	ContactOK     ContactState = "ok"
	ContactAtRisk ContactState = "at_risk" // no contact for the first threshold (3 months by default)
	ContactLost   ContactState = "lost"    // no contact for the second (6 months): 失联
)
