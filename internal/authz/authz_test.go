package authz

import (
	"testing"

	"gongjian/internal/domain"
)

func grants(roles ...string) []domain.Grant {
	var out []domain.Grant
	for _, r := range roles {
		g := domain.Grant{Role: r}
		if info, _ := Role(r); !info.SystemWide {
			g.OrgID = 1
		}
		out = append(out, g)
	}
	return out
}

// The access matrix of the foundation: role × permission. Later issues add
// the scope cases (own org, other org, agreement-covered org).
func TestMatrix(t *testing.T) {
	all := []Perm{AuditRead, AuditExport, AuditVerify, AccountRead, AccountManage, GrantManage, PolicyManage,
		SystemOperate, SelfManage, OrgRead, SensitiveRead, BusinessWrite, DashboardsRead}
	allowed := map[string][]Perm{
		RoleSysAdmin:        {SystemOperate, AccountRead, SelfManage},
		RoleSecOfficer:      {AccountRead, AccountManage, GrantManage, PolicyManage, SelfManage},
		RoleAuditor:         {AuditRead, AuditExport, AuditVerify, AccountRead, SelfManage},
		RoleCountyOfficer:   {OrgRead, BusinessWrite, SensitiveRead, DashboardsRead, SelfManage},
		RoleHomeSecretary:   {OrgRead, BusinessWrite, DashboardsRead, SelfManage},
		RoleMobileSecretary: {OrgRead, BusinessWrite, DashboardsRead, SelfManage},
		RoleHostOfficer:     {OrgRead, BusinessWrite, SelfManage},
		RoleMember:          {SelfManage},
		RoleCaseHandler:     {OrgRead, BusinessWrite, SelfManage},
	}
	for _, r := range Roles() {
		a := &Actor{AccountID: 7, Grants: grants(r.Name)}
		want := map[Perm]bool{}
		for _, p := range allowed[r.Name] {
			want[p] = true
		}
		for _, p := range all {
			if got := a.Can(p).Allowed; got != want[p] {
				t.Errorf("%s can %s = %v, want %v", r.Name, p, got, want[p])
			}
		}
	}
	if len(allowed) != len(Roles()) {
		t.Errorf("matrix covers %d roles, there are %d", len(allowed), len(Roles()))
	}
}

func TestAuditorChangesNothing(t *testing.T) {
	a := &Actor{AccountID: 1, Grants: grants(RoleAuditor)}
	for _, p := range []Perm{BusinessWrite, AccountManage, GrantManage, PolicyManage, SystemOperate} {
		if a.Can(p).Allowed {
			t.Errorf("auditor may %s", p)
		}
	}
}

func TestAnonymousCannot(t *testing.T) {
	var a *Actor
	if a.Can(SelfManage).Allowed || (&Actor{}).Can(SelfManage).Allowed {
		t.Fatal("anonymous actor allowed")
	}
}

func TestCheckGrant(t *testing.T) {
	cases := []struct {
		name     string
		existing []string
		role     string
		org      domain.OrgID
		code     domain.Code
	}{
		{"ok business", nil, RoleCountyOfficer, 1, ""},
		{"ok duty", nil, RoleAuditor, 0, ""},
		{"unknown", nil, "king", 0, domain.CodeInvalid},
		{"duty with org", nil, RoleAuditor, 3, domain.CodeInvalid},
		{"business without org", nil, RoleMember, 0, domain.CodeInvalid},
		{"two duties", []string{RoleSysAdmin}, RoleAuditor, 0, domain.CodeRule},
		{"duty and business", []string{RoleCountyOfficer}, RoleSecOfficer, 0, domain.CodeRule},
		{"business and duty", []string{RoleAuditor}, RoleMember, 1, domain.CodeRule},
		{"two business", []string{RoleMember}, RoleHomeSecretary, 1, ""},
	}
	for _, c := range cases {
		err := CheckGrant(grants(c.existing...), c.role, c.org)
		if c.code == "" && err != nil || c.code != "" && domain.CodeOf(err) != c.code {
			t.Errorf("%s: got %v, want code %q", c.name, err, c.code)
		}
	}
}

func TestNeedsMFA(t *testing.T) {
	if !NeedsMFA(grants(RoleSecOfficer)) || NeedsMFA(grants(RoleMember, RoleCountyOfficer)) {
		t.Fatal("MFA requirement wrong")
	}
}
