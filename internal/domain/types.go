package domain

import "time"

// AccountID identifies an account.
type AccountID int64

// OrgID identifies an organization. Zero means "no organization", used for
// system-wide grants such as the three separated duties.
type OrgID int64

// Account is a person's or an office's login. Credentials are kept apart
// (see the auth package); this is what the rest of the product sees.
type Account struct {
	ID                 AccountID
	Name               string // login name, unique, lower case
	DisplayName        string
	Locale             string // "zh-CN" or "en"; empty means from the browser
	TOTPEnabled        bool
	TOTPRequired       bool // a security officer demands a second factor of this account
	MustChangePassword bool
	PasswordChangedAt  time.Time
	DisabledAt         *time.Time
	CreatedAt          time.Time
	Version            int64
	// PersonID is the person record that is the account's own (a member
	// signing in on a phone); zero when the account is not linked.
	PersonID PersonID
}

// Disabled reports whether the account may no longer sign in.
func (a Account) Disabled() bool { return a.DisabledAt != nil }

// Org is an organization of any side: a Party organization, an
// organization department, or an attached mass organization.
type Org struct {
	ID         OrgID
	ParentID   OrgID
	ParentName string
	Name       string
	ShortName  string
	Side       Side
	Kind       OrgKind
	Status     OrgStatus
	RegionCode string // GB/T 2260 code of where it sits
	Industry   string // GB/T 4754 section letter, empty for none
	FoundedOn  Date
	Phone      string // the office's phone (not a person's)
	Mailbox    string
	// Path is the chain of ids from the root, "/1/4/9/": subtree checks
	// and scope filters are prefix matches on it.
	Path      string
	CreatedAt time.Time
	Version   int64
}

// Side says to which party of the co-management mechanism an organization
// belongs.
type Side string

// The three sides.
const (
	SideOrigin Side = "origin" // the county and its townships and villages
	SideMobile Side = "mobile" // mobile organizations set up by the county in host cities
	SideHost   Side = "host"   // street, community and district organizations of the host city
)

// Valid reports whether s is one of the known sides.
func (s Side) Valid() bool { return s == SideOrigin || s == SideMobile || s == SideHost }

// Grant binds a role to an account at an organization ("role @ org").
type Grant struct {
	ID        int64
	AccountID AccountID
	Role      string
	OrgID     OrgID // zero for system-wide roles
	OrgName   string
	CreatedAt time.Time
}
