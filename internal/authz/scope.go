package authz

import (
	"strconv"
	"strings"

	"gongjian/internal/domain"
)

// Reach is one place an actor's grants reach: the subtree of the
// organization a role was granted at, or — for the host side — the subtree
// of a mobile organization that an in-force agreement covers, limited to
// the capabilities that agreement grants.
type Reach struct {
	Role  string
	OrgID domain.OrgID
	Path  string // the subtree's path prefix, "/1/4/"
	Side  domain.Side
	// Agreement is set for a reach that comes from an agreement; Caps are
	// then what that agreement grants.
	Agreement domain.AgreementID
	Caps      []domain.Capability
}

// Target is the organization a resource belongs to, as the policy sees it.
type Target struct {
	ID   domain.OrgID
	Path string
	Side domain.Side
}

// within reports whether path lies in the subtree at prefix.
func within(path, prefix string) bool { return prefix != "" && strings.HasPrefix(path, prefix) }

// The business permissions an organization-bound role can hold in its
// subtree.
const (
	OrgWrite           Perm = "org:write"           // create, edit, upgrade, merge, dissolve, officers
	OrgRegisterHost    Perm = "org:register_host"   // register a host-side organization (a counterparty)
	AgreementRead      Perm = "agreement:read"      // see agreements that touch the subtree
	AgreementWrite     Perm = "agreement:write"     // draft, sign, attach, renew, terminate
	PersonRead         Perm = "person:read"         // members' and workers' basic data
	PersonWrite        Perm = "person:write"        // register and edit people and memberships
	AttendanceRecord   Perm = "attendance:record"   // record attendance
	FeedbackWrite      Perm = "feedback:write"      // performance feedback and evaluations
	CultivationWrite   Perm = "cultivation:write"   // cultivation opinions on activists
	CaseHandle         Perm = "case:handle"         // service cases
	FundsRead          Perm = "funds:read"          // an organization's funds
	DevelopmentApprove Perm = "development:approve" // approvals in member development: origin only
	// Dues (docs/decisions/0011-dues.md): no agreement capability carries
	// them, so the host side never sees a member's declared income.
	DuesRead    Perm = "dues:read"    // members' dues standards, payments and arrears
	DuesCollect Perm = "dues:collect" // set standards, record payments, close months
	DuesRules   Perm = "dues:rules"   // the county's bands, flat amounts and limits
	MeetingRead Perm = "meeting:read" // meetings and their attendance sheets
)

// capabilityFor is the agreement capability a host-side reach needs for a
// permission; permissions absent here are never granted by an agreement.
var capabilityFor = map[Perm]domain.Capability{
	PersonRead:       domain.CapViewBasic,
	SensitiveRead:    domain.CapViewSensitive,
	AttendanceRecord: domain.CapAttendance,
	MeetingRead:      domain.CapAttendance,
	FeedbackWrite:    domain.CapFeedback,
	CultivationWrite: domain.CapCultivation,
	CaseHandle:       domain.CapCases,
	FundsRead:        domain.CapFunds,
}

// originOnly are permissions that only an origin-side grant can carry,
// whatever the role says.
var originOnly = map[Perm]bool{DevelopmentApprove: true}

// reachAllows tells whether one reach carries perm for target.
func reachAllows(r Reach, p Perm, t Target) (bool, string) {
	if !within(t.Path, r.Path) {
		return false, ""
	}
	if r.Agreement != 0 {
		if p == OrgRead || p == AgreementRead {
			return true, "agreement:" + strconv.FormatInt(int64(r.Agreement), 10)
		}
		c, ok := capabilityFor[p]
		if !ok {
			return false, ""
		}
		for _, x := range r.Caps {
			if x == c {
				return true, "agreement:" + strconv.FormatInt(int64(r.Agreement), 10) + ":" + string(c)
			}
		}
		return false, ""
	}
	if originOnly[p] && r.Side != domain.SideOrigin {
		return false, ""
	}
	info, ok := Role(r.Role)
	if !ok || !hasPerm(info, p) {
		return false, ""
	}
	return true, "role:" + r.Role + "@" + strconv.FormatInt(int64(r.OrgID), 10)
}

func hasPerm(r RoleInfo, p Perm) bool {
	for _, x := range r.Perms {
		if x == p {
			return true
		}
	}
	return false
}

// CanAt decides whether the actor may do p to a resource of the target
// organization, with the reason. Out of reach is "out_of_scope", which the
// service turns into not found.
func (a *Actor) CanAt(p Perm, t Target) Decision {
	if a == nil || a.AccountID == 0 {
		return Decision{Reason: "anonymous"}
	}
	for _, r := range a.Reach {
		if ok, why := reachAllows(r, p, t); ok {
			return Decision{Allowed: true, Reason: why}
		}
	}
	return Decision{Reason: "out_of_scope"}
}

// OrgFilter is a scope in the form a query needs: the organizations whose
// path starts with one of Prefixes. An empty filter matches nothing.
type OrgFilter struct {
	Prefixes []string
}

// Filter is the scope of perm over organizations.
func (a *Actor) Filter(p Perm) OrgFilter {
	var f OrgFilter
	if a == nil {
		return f
	}
	for _, r := range a.Reach {
		probe := Target{Path: r.Path, Side: r.Side}
		if ok, _ := reachAllows(r, p, probe); ok {
			f.Prefixes = append(f.Prefixes, r.Path)
		}
	}
	return f
}

// SQL renders the filter as a condition on pathCol, numbering its
// placeholders after args and returning the extended args.
func (f OrgFilter) SQL(pathCol string, args []any) (string, []any) {
	if len(f.Prefixes) == 0 {
		return "1 = 0", args
	}
	parts := make([]string, len(f.Prefixes))
	for i, p := range f.Prefixes {
		args = append(args, p+"%")
		parts[i] = pathCol + " LIKE $" + strconv.Itoa(len(args))
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// Empty reports whether the filter matches nothing.
func (f OrgFilter) Empty() bool { return len(f.Prefixes) == 0 }
