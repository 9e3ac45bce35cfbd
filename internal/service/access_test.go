package service_test

import (
	"slices"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// world is a small county: origin C → township T → village V; mobile M
// (with branch MB) and M2 under C; host street committees H and H2.
// Agreement A1 (M with H, in force: basic data, attendance, feedback),
// A2 (M2 with H, a draft), A3 (M2 with H, expired).
type world struct {
	*env
	orgs     map[string]domain.Org
	accounts map[string]domain.AccountID
	a1       domain.AgreementID
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{env: newEnv(t, db), orgs: map[string]domain.Org{}, accounts: map[string]domain.AccountID{}}
	mk := func(key, parent string, side domain.Side, kind domain.OrgKind) {
		in := service.NewOrg{Name: "组织" + key, Side: side, Kind: kind, FoundedOn: domain.NewDate(2005, 3, 1)}
		if parent != "" {
			in.ParentID = w.orgs[parent].ID
		}
		id, err := w.svc.BootstrapOrg(ctx, in)
		if err != nil {
			t.Fatalf("org %s: %v", key, err)
		}
		o, _ := store.OrgByID(ctx, db.Read(), id)
		w.orgs[key] = o
	}
	mk("C", "", domain.SideOrigin, domain.KindCommittee)
	mk("T", "C", domain.SideOrigin, domain.KindCommittee)
	mk("V", "T", domain.SideOrigin, domain.KindBranch)
	mk("M", "C", domain.SideMobile, domain.KindCommittee)
	mk("MB", "M", domain.SideMobile, domain.KindBranch)
	mk("M2", "C", domain.SideMobile, domain.KindBranch)
	mk("H", "", domain.SideHost, domain.KindCommittee)
	mk("H2", "", domain.SideHost, domain.KindCommittee)
	agree := func(mobile string, from, to domain.Date, sign bool, caps ...domain.Capability) domain.AgreementID {
		id, err := w.svc.BootstrapAgreement(ctx, service.NewAgreement{Title: "协议" + mobile + from.String(), OriginID: w.orgs["C"].ID,
			MobileIDs: []domain.OrgID{w.orgs[mobile].ID}, HostIDs: []domain.OrgID{w.orgs["H"].ID}, Capabilities: caps,
			ValidFrom: from, ValidTo: to})
		if err != nil {
			t.Fatalf("agreement: %v", err)
		}
		if sign {
			if err := w.svc.SignAgreement(ctx, authz.System, id, 0, from); err != nil {
				t.Fatalf("sign: %v", err)
			}
		}
		return id
	}
	w.a1 = agree("M", domain.NewDate(2026, 1, 1), domain.NewDate(2026, 12, 31), true,
		domain.CapViewBasic, domain.CapAttendance, domain.CapFeedback)
	agree("M2", domain.NewDate(2026, 6, 1), domain.NewDate(2027, 5, 31), false, domain.Capabilities()...)
	agree("M2", domain.NewDate(2024, 1, 1), domain.NewDate(2025, 12, 31), true, domain.Capabilities()...)
	for name, grant := range map[string][2]string{
		"county": {authz.RoleCountyOfficer, "C"}, "home": {authz.RoleHomeSecretary, "V"},
		"mobile": {authz.RoleMobileSecretary, "M"}, "host": {authz.RoleHostOfficer, "H"},
		"member": {authz.RoleMember, "MB"}, "cases": {authz.RoleCaseHandler, "M"},
		"auditor": {authz.RoleAuditor, ""}, "sysadmin": {authz.RoleSysAdmin, ""}, "secofficer": {authz.RoleSecOfficer, ""},
	} {
		id, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: name, Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		org := ""
		if grant[1] != "" {
			org = w.orgs[grant[1]].Name
		}
		if err := w.svc.BootstrapGrant(ctx, id, grant[0], org); err != nil {
			t.Fatal(err)
		}
		w.accounts[name] = id
	}
	return w
}

func (w *world) actor(t *testing.T, name string) *authz.Actor {
	t.Helper()
	a, err := w.svc.ActorFor(ctx, w.accounts[name])
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var (
	allPerms = []authz.Perm{authz.OrgRead, authz.OrgWrite, authz.AgreementRead, authz.AgreementWrite, authz.PersonRead, authz.PersonWrite,
		authz.SensitiveRead, authz.AttendanceRecord, authz.FeedbackWrite, authz.CultivationWrite, authz.CaseHandle,
		authz.FundsRead, authz.DevelopmentApprove, authz.DuesRead, authz.DuesCollect, authz.DuesRules, authz.MeetingRead}
	countyPerms = allPerms
	homePerms   = []authz.Perm{authz.OrgRead, authz.AgreementRead, authz.PersonRead, authz.PersonWrite, authz.FeedbackWrite, authz.DevelopmentApprove,
		authz.DuesRead, authz.DuesCollect, authz.MeetingRead}
	mobilePerms = []authz.Perm{authz.OrgRead, authz.OrgWrite, authz.AgreementRead, authz.PersonRead, authz.PersonWrite, authz.AttendanceRecord,
		authz.FeedbackWrite, authz.CultivationWrite, authz.CaseHandle, authz.FundsRead, authz.DuesRead, authz.DuesCollect, authz.MeetingRead}
	hostOwn     = []authz.Perm{authz.OrgRead, authz.OrgWrite, authz.AgreementRead, authz.MeetingRead}
	hostCovered = []authz.Perm{authz.OrgRead, authz.AgreementRead, authz.PersonRead, authz.AttendanceRecord, authz.FeedbackWrite, authz.MeetingRead}
	casePerms   = []authz.Perm{authz.OrgRead, authz.CaseHandle}
	allTargets  = []string{"C", "T", "V", "M", "MB", "M2", "H", "H2"}
)

// expected is the access matrix, written out by hand: role → target →
// the permissions allowed there. Every target not listed allows nothing.
// M is "in scope" for the host through the in-force agreement; M2 is
// covered only by a draft and by an expired agreement.
var expected = map[string]map[string][]authz.Perm{
	"county":     {"C": countyPerms, "T": countyPerms, "V": countyPerms, "M": countyPerms, "MB": countyPerms, "M2": countyPerms},
	"home":       {"V": homePerms},
	"mobile":     {"M": mobilePerms, "MB": mobilePerms},
	"host":       {"H": hostOwn, "M": hostCovered, "MB": hostCovered},
	"member":     {},
	"cases":      {"M": casePerms, "MB": casePerms},
	"auditor":    {},
	"sysadmin":   {},
	"secofficer": {},
}

func TestAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		cells := 0
		for role, targets := range expected {
			a := w.actor(t, role)
			for _, tn := range allTargets {
				o := w.orgs[tn]
				for _, p := range allPerms {
					want := slices.Contains(targets[tn], p)
					d := a.CanAt(p, authz.Target{ID: o.ID, Path: o.Path, Side: o.Side})
					if d.Allowed != want {
						t.Errorf("%s %s on %s: allowed=%v (%s), want %v", role, p, tn, d.Allowed, d.Reason, want)
					}
					cells++
				}
			}
		}
		if cells != len(expected)*len(allTargets)*len(allPerms) {
			t.Fatalf("matrix has %d cells", cells)
		}
		t.Logf("access matrix: %d roles × %d organizations × %d permissions = %d cells", len(expected), len(allTargets), len(allPerms), cells)
	})
}

// The host side loses its reach at the midnight (Beijing time) that ends
// the agreement, without any job running.
func TestHostReachEndsAtExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		m := w.orgs["M"]
		tgt := authz.Target{ID: m.ID, Path: m.Path, Side: m.Side}
		lastSecond := time.Date(2026, 12, 31, 23, 59, 59, 0, domain.China)
		w.clock.Set(lastSecond)
		if !w.actor(t, "host").CanAt(authz.AttendanceRecord, tgt).Allowed {
			t.Fatal("no reach on the agreement's last day")
		}
		orgs, err := w.svc.ListOrgs(ctx, w.actor(t, "host"), service.OrgFilter{})
		if err != nil || len(orgs) != 3 {
			t.Fatalf("host sees %d organizations on the last day (%v), want H, M, MB", len(orgs), err)
		}
		w.clock.Set(lastSecond.Add(time.Second))
		host := w.actor(t, "host")
		if d := host.CanAt(authz.AttendanceRecord, tgt); d.Allowed {
			t.Fatalf("reach survives expiry: %s", d.Reason)
		}
		orgs, _ = w.svc.ListOrgs(ctx, host, service.OrgFilter{})
		if len(orgs) != 1 || orgs[0].ID != w.orgs["H"].ID {
			t.Fatalf("after expiry host sees %v", orgs)
		}
		_, err = w.svc.Org(ctx, host, m.ID)
		wantCode(t, err, domain.CodeNotFound, "")
	})
}

func TestTerminationEndsReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		if err := w.svc.TerminateAgreement(ctx, county, w.a1, 0, w.svc.Today(), "双方协商终止"); err != nil {
			t.Fatal(err)
		}
		m := w.orgs["MB"]
		if w.actor(t, "host").CanAt(authz.PersonRead, authz.Target{ID: m.ID, Path: m.Path, Side: m.Side}).Allowed {
			t.Fatal("a terminated agreement still reaches")
		}
	})
}
