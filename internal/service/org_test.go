package service_test

import (
	"bytes"
	"strings"
	"testing"

	"gongjian/internal/auth"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestOrgPlacementRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		mk := func(parent string, side domain.Side, kind domain.OrgKind, region string) error {
			_, err := w.svc.CreateOrg(ctx, county, service.NewOrg{ParentID: w.orgs[parent].ID, Name: "新组织" + parent + string(kind) + region,
				Side: side, Kind: kind, RegionCode: region})
			return err
		}
		noErr(t, mk("V", domain.SideOrigin, domain.KindGroup, ""))
		wantField(t, mk("M", domain.SideOrigin, domain.KindBranch, ""), domain.CodeRule, "org.wrong_side", "parent")
		wantField(t, mk("C", domain.SideHost, domain.KindBranch, ""), domain.CodeRule, "org.wrong_side", "parent")
		wantField(t, mk("MB", domain.SideMobile, domain.KindBranch, ""), domain.CodeRule, "org.wrong_kind", "kind")
		wantField(t, mk("M", domain.SideMobile, domain.KindGroup, ""), domain.CodeRule, "org.wrong_kind", "kind")
		wantField(t, mk("M", domain.SideMobile, domain.KindBranch, "32072"), domain.CodeInvalid, "org.region_invalid", "region_code")
		// A mobile organization stands under the origin county that founded it.
		noErr(t, mk("C", domain.SideMobile, domain.KindBranch, "330105"))
		// Out of the mobile secretary's subtree: not even visible.
		_, err := w.svc.CreateOrg(ctx, w.actor(t, "mobile"), service.NewOrg{ParentID: w.orgs["T"].ID, Name: "x",
			Side: domain.SideOrigin, Kind: domain.KindBranch})
		wantField(t, err, domain.CodeInvalid, "org.parent_not_found", "parent")
		// A host officer may not found a root.
		_, err = w.svc.CreateOrg(ctx, w.actor(t, "host"), service.NewOrg{Name: "y", Side: domain.SideHost, Kind: domain.KindCommittee})
		wantCode(t, err, domain.CodeRule, "org.root_not_allowed")
	})
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantField(t *testing.T, err error, code domain.Code, msg, field string) {
	t.Helper()
	wantCode(t, err, code, msg)
	if f := domain.AsError(err).Field; f != field {
		t.Fatalf("field %q, want %q", f, field)
	}
}

// The Hangzhou path: founded as a branch with 13 members, upgraded to a
// committee in April 2010, recorded as events, never overwritten.
func TestUpgradeMergeDissolveKeepHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		id, err := w.svc.CreateOrg(ctx, county, service.NewOrg{ParentID: w.orgs["C"].ID, Name: "驻杭州流动党支部", Side: domain.SideMobile,
			Kind: domain.KindBranch, FoundedOn: domain.NewDate(1998, 6, 1), Members: 13})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := w.svc.Org(ctx, county, id)
		err = w.svc.UpgradeOrg(ctx, county, id, domain.KindGroup, service.Lifecycle{On: domain.NewDate(2010, 4, 1), Version: v.Org.Version})
		wantField(t, err, domain.CodeRule, "org.upgrade_invalid", "kind")
		err = w.svc.UpgradeOrg(ctx, county, id, domain.KindCommittee, service.Lifecycle{On: domain.NewDate(1990, 1, 1), Version: v.Org.Version})
		wantField(t, err, domain.CodeInvalid, "org.date_invalid", "on")
		if err := w.svc.UpgradeOrg(ctx, county, id, domain.KindCommittee, service.Lifecycle{On: domain.NewDate(2010, 4, 1),
			Members: 158, Version: v.Org.Version}); err != nil {
			t.Fatal(err)
		}
		// A second editor with the old version is refused, not overwritten.
		err = w.svc.UpgradeOrg(ctx, county, id, domain.KindCommittee, service.Lifecycle{On: domain.NewDate(2010, 5, 1), Version: v.Org.Version})
		wantCode(t, err, domain.CodeRule, "org.upgrade_invalid")
		v, _ = w.svc.Org(ctx, county, id)
		if v.Org.Kind != domain.KindCommittee || len(v.History) != 2 || v.History[0].Members != 13 || v.History[1].ToKind != domain.KindCommittee {
			t.Fatalf("history %+v", v.History)
		}

		// Merging into its own subtree is a cycle.
		err = w.svc.MergeOrg(ctx, county, w.orgs["M"].ID, w.orgs["MB"].ID, service.Lifecycle{On: domain.NewDate(2020, 1, 1), Version: w.orgs["M"].Version})
		wantField(t, err, domain.CodeRule, "org.merge_into_own_subtree", "into")
		// M merges into the new committee: MB moves with its path.
		if err := w.svc.MergeOrg(ctx, county, w.orgs["M"].ID, id, service.Lifecycle{On: domain.NewDate(2020, 1, 1),
			Version: w.orgs["M"].Version, Note: "合并"}); err != nil {
			t.Fatal(err)
		}
		mb, _ := store.OrgByID(ctx, db.Read(), w.orgs["MB"].ID)
		if mb.ParentID != id || !strings.HasPrefix(mb.Path, v.Org.Path) {
			t.Fatalf("MB after the merge: parent %d path %s", mb.ParentID, mb.Path)
		}
		// Dissolving needs a reason and no active children.
		err = w.svc.DissolveOrg(ctx, county, id, service.Lifecycle{On: domain.NewDate(2021, 1, 1), Version: 0})
		wantField(t, err, domain.CodeInvalid, "org.dissolve_reason_required", "note")
		v, _ = w.svc.Org(ctx, county, id)
		err = w.svc.DissolveOrg(ctx, county, id, service.Lifecycle{On: domain.NewDate(2021, 1, 1), Version: v.Org.Version, Note: "撤销"})
		wantCode(t, err, domain.CodeRule, "org.dissolve_has_children")
	})
}

func TestAgreementRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		base := service.NewAgreement{Title: "共建共管协议", OriginID: w.orgs["C"].ID, MobileIDs: []domain.OrgID{w.orgs["MB"].ID},
			HostIDs: []domain.OrgID{w.orgs["H2"].ID}, Capabilities: []domain.Capability{domain.CapAttendance},
			ValidFrom: domain.NewDate(2026, 12, 1), ValidTo: domain.NewDate(2028, 11, 30)}
		bad := base
		bad.ValidTo = domain.NewDate(2026, 1, 1)
		_, err := w.svc.DraftAgreement(ctx, county, bad)
		wantField(t, err, domain.CodeInvalid, "agreement.ends_before_start", "valid_to")
		bad = base
		bad.HostIDs = []domain.OrgID{w.orgs["M2"].ID}
		_, err = w.svc.DraftAgreement(ctx, county, bad)
		wantField(t, err, domain.CodeInvalid, "agreement.host_invalid", "host")
		_, err = w.svc.DraftAgreement(ctx, w.actor(t, "host"), base)
		wantCode(t, err, domain.CodeInvalid, "agreement.origin_invalid")
		id, err := w.svc.DraftAgreement(ctx, county, base)
		if err != nil {
			t.Fatal(err)
		}
		// The same capability for the same pair over an overlapping period.
		again := base
		again.ValidFrom = domain.NewDate(2027, 1, 1)
		again.Capabilities = []domain.Capability{domain.CapAttendance, domain.CapCases}
		_, err = w.svc.DraftAgreement(ctx, county, again)
		wantField(t, err, domain.CodeConflict, "agreement.overlap", "capabilities")
		// A different capability is fine.
		again.Capabilities = []domain.Capability{domain.CapCases}
		if _, err := w.svc.DraftAgreement(ctx, county, again); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SignAgreement(ctx, county, id, 1, domain.NewDate(2026, 11, 29)); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.svc.SignAgreement(ctx, county, id, 0, domain.NewDate(2026, 11, 29)), domain.CodeRule, "agreement.not_draft")
		v, err := w.svc.Agreement(ctx, county, id)
		if err != nil || v.State != domain.AgreementPending {
			t.Fatalf("signed agreement starting next month: %s %v", v.State, err)
		}
		// The signed document: the extension must match the content.
		pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 100)...)
		err = w.svc.AttachDocument(ctx, county, id, v.Agreement.Version, "协议.png", bytes.NewReader(pdf))
		wantField(t, err, domain.CodeInvalid, "agreement.document_type", "document")
		if err := w.svc.AttachDocument(ctx, county, id, v.Agreement.Version, "协议.pdf", bytes.NewReader(pdf)); err != nil {
			t.Fatal(err)
		}
		name, data, err := w.svc.Document(ctx, county, id)
		if err != nil || name != "协议.pdf" || !bytes.Equal(data, pdf) {
			t.Fatalf("document %q %d bytes %v", name, len(data), err)
		}
		_, _, err = w.svc.Document(ctx, w.actor(t, "home"), id)
		wantCode(t, err, domain.CodeNotFound, "")
	})
}

// Officer phones are sealed at rest and only ever read back masked.
func TestOfficerPhoneSealedAndMasked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		o := domain.Officer{OrgID: w.orgs["M"].ID, Name: "周长林", Position: "secretary", From: domain.NewDate(2020, 1, 1)}
		bad := o
		bad.Phone = "2345"
		_, err := w.svc.AppointOfficer(ctx, county, bad)
		wantField(t, err, domain.CodeInvalid, "org.officer.phone_invalid", "phone")
		o.Phone = "+86 138-1234-5678"
		if _, err := w.svc.AppointOfficer(ctx, county, o); err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := db.Read().QueryRowContext(ctx, `SELECT phone FROM org_officers`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, "5678") || stored == "" {
			t.Fatalf("phone stored as %q", stored)
		}
		v, err := w.svc.Org(ctx, county, o.OrgID)
		if err != nil || len(v.Officers) != 1 || v.Officers[0].Phone != "138****5678" {
			t.Fatalf("officers %+v %v", v.Officers, err)
		}
		wantField(t, w.svc.EndOfficer(ctx, county, o.OrgID, v.Officers[0].ID, domain.Date{}), domain.CodeInvalid, "org.date_invalid", "to")
	})
}

func TestExportsAreAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		orgs, err := w.svc.ExportOrgs(ctx, county, service.OrgFilter{})
		if err != nil || len(orgs) == 0 {
			t.Fatal(err)
		}
		if _, err := w.svc.ExportAgreements(ctx, county, service.AgreementFilter{}); err != nil {
			t.Fatal(err)
		}
		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Actor: "county", Action: "org.export"})
		entries2, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Actor: "county", Action: "agreement.export"})
		if len(entries) != 1 || len(entries2) != 1 || !strings.Contains(entries[0].Detail, `"rows":`) {
			t.Fatalf("export audit entries %+v %+v", entries, entries2)
		}
	})
}

func TestStructureAdviceList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		names := func(actor string) []string {
			rows, err := w.svc.StructureAdvice(ctx, w.actor(t, actor))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				out = append(out, r.Org.Name+":"+r.Advice[0].Rule)
			}
			return out
		}
		// Branches without full members yet: each should join a joint branch.
		county := names("county")
		if len(county) != 3 || county[0] != "组织V:advice.branch_too_small" {
			t.Fatalf("county list %v", county)
		}
		if host := names("host"); len(host) != 1 || host[0] != "组织MB:advice.branch_too_small" {
			t.Fatalf("host list %v", host)
		}
	})
}

// A well-formed code that is not in the GB/T 2260 table (current or
// historical) is refused; a historical one is accepted.
func TestUnknownRegionCodeRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		known := map[string]bool{"320724": true, "330103": true}
		svc, err := service.New(db, service.Config{Clock: w.clock, Keys: w.keys, PasswordParams: auth.TestParams,
			Regions: func(code string) bool { return known[code] }})
		if err != nil {
			t.Fatal(err)
		}
		county, err := svc.ActorFor(ctx, w.accounts["county"])
		if err != nil {
			t.Fatal(err)
		}
		mk := func(code string) error {
			_, err := svc.CreateOrg(ctx, county, service.NewOrg{ParentID: w.orgs["M"].ID, Name: "支部" + code, Side: domain.SideMobile,
				Kind: domain.KindBranch, RegionCode: code})
			return err
		}
		wantField(t, mk("999999"), domain.CodeInvalid, "org.region_unknown", "region_code")
		noErr(t, mk("330103"))
	})
}
