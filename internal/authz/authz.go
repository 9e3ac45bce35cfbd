// Package authz decides who may do what. Permissions are named
// "resource:verb"; roles bundle them; an Actor holds role grants bound to
// organizations. Can answers with a reason, so refusals can be explained
// and audited. Later issues add the scope of an actor (the organization
// subtrees and the agreement-granted mobile subtrees) and its SQL form.
package authz

import (
	"slices"

	"gongjian/internal/domain"
)

// Perm is a permission, "resource:verb".
type Perm string

// The foundation's permissions.
const (
	AuditRead      Perm = "audit:read"
	AuditExport    Perm = "audit:export"
	AuditVerify    Perm = "audit:verify"
	AccountRead    Perm = "account:read"
	AccountManage  Perm = "account:manage" // create, disable, reset password, unlock
	GrantManage    Perm = "grant:manage"
	PolicyManage   Perm = "policy:manage"
	SystemOperate  Perm = "system:operate" // backups, migrations, health
	SelfManage     Perm = "self:manage"    // own password, TOTP, language, API tokens
	OrgRead        Perm = "org:read"
	SensitiveRead  Perm = "sensitive:reveal"
	BusinessWrite  Perm = "business:write" // any write to business records
	DashboardsRead Perm = "dashboard:read"
)

// Role names. The three separated duties (三权分立) are system-wide; the
// business roles are granted at an organization.
const (
	RoleSysAdmin        = "sysadmin"
	RoleSecOfficer      = "secofficer"
	RoleAuditor         = "auditor"
	RoleCountyOfficer   = "county_officer"
	RoleHomeSecretary   = "home_secretary"
	RoleMobileSecretary = "mobile_secretary"
	RoleHostOfficer     = "host_officer"
	RoleMember          = "member"
	RoleCaseHandler     = "case_handler"
)

// RoleInfo describes a role.
type RoleInfo struct {
	Name       string
	Perms      []Perm
	SystemWide bool // granted without an organization
	NeedsMFA   bool // a second factor is mandatory for accounts holding it
	Admin      bool // one of the three separated duties
}

var roles = []RoleInfo{
	{Name: RoleSysAdmin, SystemWide: true, NeedsMFA: true, Admin: true,
		Perms: []Perm{SystemOperate, AccountRead}},
	{Name: RoleSecOfficer, SystemWide: true, NeedsMFA: true, Admin: true,
		Perms: []Perm{AccountRead, AccountManage, GrantManage, PolicyManage}},
	{Name: RoleAuditor, SystemWide: true, NeedsMFA: true, Admin: true,
		Perms: []Perm{AuditRead, AuditExport, AuditVerify, AccountRead}},
	{Name: RoleCountyOfficer, Perms: []Perm{OrgRead, OrgWrite, OrgRegisterHost, AgreementRead, AgreementWrite,
		PersonRead, PersonWrite, SensitiveRead, AttendanceRecord, FeedbackWrite, CultivationWrite, CaseHandle, FundsRead,
		DevelopmentApprove, DuesRead, DuesCollect, DuesRules, BusinessWrite, DashboardsRead, MeetingRead}},
	{Name: RoleHomeSecretary, Perms: []Perm{OrgRead, AgreementRead, PersonRead, PersonWrite, FeedbackWrite, DevelopmentApprove,
		DuesRead, DuesCollect, BusinessWrite, DashboardsRead, MeetingRead}},
	{Name: RoleMobileSecretary, Perms: []Perm{OrgRead, OrgWrite, AgreementRead, PersonRead, PersonWrite, AttendanceRecord,
		FeedbackWrite, CultivationWrite, CaseHandle, FundsRead, DuesRead, DuesCollect, BusinessWrite, DashboardsRead, MeetingRead}},
	{Name: RoleHostOfficer, Perms: []Perm{OrgRead, OrgWrite, AgreementRead, BusinessWrite, MeetingRead}},
	{Name: RoleMember, Perms: nil},
	{Name: RoleCaseHandler, Perms: []Perm{OrgRead, CaseHandle, BusinessWrite}},
}

// Roles lists every role in a stable order.
func Roles() []RoleInfo { return slices.Clone(roles) }

// Role returns the description of a role by name.
func Role(name string) (RoleInfo, bool) {
	for _, r := range roles {
		if r.Name == name {
			return r, true
		}
	}
	return RoleInfo{}, false
}

// Actor is the authenticated caller of a request.
type Actor struct {
	AccountID   domain.AccountID
	Name        string
	DisplayName string
	Grants      []domain.Grant
	// Reach is where the grants reach, resolved by the service for each
	// request from the organizations' paths and the agreements in force
	// on that day.
	Reach   []Reach
	Address string // client address, for the audit log
}

// System is the actor for work the program does on its own (migrations,
// demo loading, scheduled jobs).
var System = &Actor{Name: "system"}

// Decision is the answer to "may this actor do that", with the reason.
type Decision struct {
	Allowed bool
	Reason  string // a stable code: "role:auditor", "no_grant", "anonymous"
}

// Can tells whether the actor holds perm through any of its grants.
// Every signed-in account may manage itself.
func (a *Actor) Can(p Perm) Decision {
	if a == nil || (a.AccountID == 0 && a != System) {
		return Decision{Reason: "anonymous"}
	}
	if p == SelfManage {
		return Decision{Allowed: true, Reason: "self"}
	}
	for _, g := range a.Grants {
		if r, ok := Role(g.Role); ok && slices.Contains(r.Perms, p) {
			return Decision{Allowed: true, Reason: "role:" + r.Name}
		}
	}
	return Decision{Reason: "no_grant"}
}

// Has reports whether the actor holds the role (at any organization).
func (a *Actor) Has(role string) bool {
	return a != nil && slices.ContainsFunc(a.Grants, func(g domain.Grant) bool { return g.Role == role })
}

// NeedsMFA reports whether any of the grants makes a second factor
// mandatory.
func NeedsMFA(grants []domain.Grant) bool {
	for _, g := range grants {
		if r, ok := Role(g.Role); ok && r.NeedsMFA {
			return true
		}
	}
	return false
}

// CheckGrant validates adding role at org to an account that already holds
// existing: the role must exist, system-wide roles take no organization and
// business roles need one, and no account may hold two of the three
// separated duties (nor a duty together with a business role).
func CheckGrant(existing []domain.Grant, role string, org domain.OrgID) error {
	r, ok := Role(role)
	if !ok {
		return domain.Invalid("role", "grant.unknown_role", map[string]any{"Role": role})
	}
	if r.SystemWide && org != 0 {
		return domain.Invalid("org", "grant.system_role_no_org", map[string]any{"Role": role})
	}
	if !r.SystemWide && org == 0 {
		return domain.Invalid("org", "grant.org_required", map[string]any{"Role": role})
	}
	for _, g := range existing {
		other, _ := Role(g.Role)
		if g.Role != role && (r.Admin || other.Admin) {
			return domain.Rule("grant.separation_of_duties", map[string]any{"Role": role, "Held": g.Role})
		}
	}
	return nil
}
