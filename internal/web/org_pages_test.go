package web

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

func init() { moreSamples = append(moreSamples, orgSamples, adviceSamples) }

var (
	d2005 = domain.NewDate(2005, 3, 1)
	d2026 = domain.NewDate(2026, 1, 1)
	d2027 = domain.NewDate(2026, 12, 31)
)

func sampleOrg(id int64, parent int64, name string, side domain.Side, kind domain.OrgKind, status domain.OrgStatus) domain.Org {
	return domain.Org{ID: domain.OrgID(id), ParentID: domain.OrgID(parent), ParentName: "灌南县委", Name: name, ShortName: string([]rune(name)[:2]),
		Side: side, Kind: kind, Status: status, RegionCode: "320724", Industry: "E", FoundedOn: d2005, Phone: "0518-83221234",
		Mailbox: "gn@example.cn", Path: fmt.Sprintf("/1/%d/", id), Version: 3}
}

// orgSamples are the organization and agreement pages' samples for
// TestEveryPageExecutes, in every shape their templates branch on.
func orgSamples() map[string][]any {
	county := sampleOrg(1, 0, "灌南县委", domain.SideOrigin, domain.KindCommittee, domain.StatusActive)
	hz := sampleOrg(4, 1, "灌南县驻杭州流动党委", domain.SideMobile, domain.KindCommittee, domain.StatusActive)
	merged := sampleOrg(9, 4, "第三支部<b>", domain.SideMobile, domain.KindBranch, domain.StatusMerged)
	host := sampleOrg(20, 0, "平江街道党工委", domain.SideHost, domain.KindCommittee, domain.StatusActive)
	a1 := domain.Agreement{ID: 1, Title: "杭州共建协议", OriginID: 1, OriginName: "灌南县委", Mobile: []domain.OrgRef{{ID: 4, Name: hz.Name}, {ID: 9, Name: merged.Name}},
		Host: []domain.OrgRef{{ID: 20, Name: host.Name}}, Capabilities: domain.Capabilities(), ValidFrom: d2026, ValidTo: d2027,
		State: domain.AgreementInForce, SignedOn: d2026, Folded: true, Document: "agreement-1-abc.pdf", DocumentName: "协议.pdf", RenewedFrom: 7, Version: 4}
	draft := a1
	draft.ID, draft.State, draft.SignedOn, draft.Document, draft.RenewedFrom = 2, domain.AgreementDraft, domain.Date{}, "", 0
	ended := a1
	ended.ID, ended.State, ended.TerminatedOn, ended.Reason = 3, domain.AgreementTerminated, d2027, "双方协商"
	today := domain.NewDate(2026, 11, 29)
	rows := rowsOf([]domain.Agreement{a1, draft, ended}, today)

	hzNode := &treeNode{Org: hz, Link: true, Children: []*treeNode{{Org: merged, Link: true}}}
	headed := &treeNode{Org: domain.Org{ID: 1, Name: "灌南县委"}, Children: []*treeNode{hzNode}}
	hostNode := &treeNode{Org: host, Link: true, Covered: []*treeNode{{Org: hz, Link: true}, {Org: domain.Org{ID: 5, Name: "苏州流动党总支"}}}}
	sides := []domain.Side{domain.SideOrigin, domain.SideMobile, domain.SideHost}
	regErr := form(map[string]string{"name": "新街道", "kind": "office", "industry": "E"}, map[string]string{"region_code": "代码不对"}, "不能登记")

	view := service.OrgView{Org: hz, Ancestors: []domain.Org{county}, Children: []domain.Org{merged, hz},
		Officers: []domain.Officer{{ID: 1, OrgID: 4, Name: "王书记", Position: "secretary", From: d2005, Phone: "13912345678"},
			{ID: 2, OrgID: 4, Name: "李委员", Position: "organization", From: d2005, To: d2026}},
		History: []domain.OrgEvent{
			{Kind: domain.EventFounded, On: d2005, ToKind: domain.KindBranch, Members: 13, Note: "县委组〔1998〕3号", ActorName: "system"},
			{Kind: domain.EventUpgraded, On: d2026, FromKind: domain.KindBranch, ToKind: domain.KindCommittee, Members: 158},
			{Kind: domain.EventAbsorbed, On: d2026, OtherID: 9, OtherName: merged.Name},
			{Kind: domain.EventEdited, On: d2026, Note: "name,phone,founded_on"},
			{Kind: domain.EventOfficer, On: d2026, Note: "secretary:王书记"},
			{Kind: domain.EventDissolved, On: d2026, Note: "撤销"},
		},
		Agreements: []domain.Agreement{a1, draft}, Counts: domain.OrgCounts{Full: 54, Probationary: 3, Children: 2},
		Advice: domain.Advise(domain.KindBranch, domain.OrgCounts{Full: 54, Probationary: 3}, domain.DefaultThresholds()), CanWrite: true}
	page := func(v service.OrgView, forms orgForms) orgPageData {
		d := orgPageData{View: v, Ancestors: []treeNode{{Org: county, Link: true}, {Org: hz}}, History: historyOf(v.History), Agreements: rowsOf(v.Agreements, today), Sides: sides,
			Industries: industryCodes(), Positions: domain.Positions(), Active: v.Org.Status == domain.StatusActive}
		for _, off := range v.Officers {
			d.Officers = append(d.Officers, officerRow{Officer: off, MaskedPhone: domain.MaskPhone(off.Phone), InOffice: off.To.IsZero()})
		}
		for _, k := range domain.OrgKinds() {
			if v.Org.Kind.CanContain(k) {
				d.ChildKinds = append(d.ChildKinds, k)
			}
			if v.Org.Kind.CanUpgradeTo(k) {
				d.UpgradeTo = append(d.UpgradeTo, k)
			}
		}
		d.Forms = forms
		return d
	}
	bad := form(map[string]string{"name": "x", "side": "origin", "kind": "branch", "version": "3", "on": "2026-11-29"},
		map[string]string{"name": "请填写", "on": "日期不对", "into": "找不到", "kind": "不能升格", "members": "数字", "position": "职务"}, "不能在此建立")
	full := orgForms{Edit: bad, Upgrade: bad, Merge: bad, Dissolve: bad, Child: bad, Officer: bad, EndTerm: bad}
	plain := orgForms{Edit: form(nil, nil, ""), Upgrade: form(nil, nil, ""), Merge: form(nil, nil, ""), Dissolve: form(nil, nil, ""),
		Child: form(nil, nil, ""), Officer: form(nil, nil, ""), EndTerm: form(nil, nil, "")}
	readOnly := view
	readOnly.CanWrite, readOnly.Org, readOnly.Advice, readOnly.Officers, readOnly.History, readOnly.Agreements = false, merged, nil, nil, nil, nil
	root := page(readOnly, plain)
	root.Ancestors = nil // a root: no parent, no breadcrumb
	groupView := view
	groupView.Org = sampleOrg(11, 4, "第一党小组", domain.SideMobile, domain.KindGroup, domain.StatusActive)

	events := []agreementEventRow{{AgreementEvent: store.AgreementEvent{Kind: "drafted", ActorName: "county", RecordedAt: at}, Key: agreementEventKeys["drafted"]},
		{AgreementEvent: store.AgreementEvent{Kind: "sign", Note: "2026-01-01", RecordedAt: at}, Key: agreementEventKeys["sign"]},
		{AgreementEvent: store.AgreementEvent{Kind: "later", RecordedAt: at}, Key: "web.agreement.event.other_step"}}
	agForms := agreementForms{Sign: bad, Attach: form(nil, map[string]string{"document": "太大"}, ""), Renew: bad, Terminate: bad}
	checked := map[string]bool{"mobile:4": true, "host:20": true, "cap:attendance": true}
	return map[string][]any{
		"orgs": {
			orgsData{Side: domain.SideOrigin, Sides: sides, Name: "灌南", Nodes: []*treeNode{{Org: county, Link: true, Children: []*treeNode{hzNode}}},
				Count: 3, ExportURL: "/orgs/export.xlsx?side=origin", Register: form(nil, nil, ""), Kinds: hostRootKinds, Industries: industryCodes()},
			orgsData{Side: domain.SideMobile, Sides: sides, Nodes: []*treeNode{headed}, Count: 2, ExportURL: "/orgs/export.xlsx?side=mobile",
				Register: form(nil, nil, ""), Kinds: hostRootKinds, Industries: industryCodes()},
			orgsData{Side: domain.SideHost, Sides: sides, Nodes: []*treeNode{hostNode}, Count: 1, CanRegister: true, Register: regErr,
				Kinds: hostRootKinds, Industries: industryCodes(), Ended: rows[2:], ExportURL: "/orgs/export.xlsx?side=host"},
			orgsData{Side: domain.SideHost, Sides: sides, Register: form(nil, nil, ""), ExportURL: "/orgs/export.xlsx?side=host"},
		},
		"org": {page(view, full), page(view, plain), root, page(groupView, plain)},
		"agreements": {
			agreementsData{State: "expiring", States: agreementStates, Org: 4, Rows: rows, ExportURL: "/agreements/export.xlsx?state=expiring", CanDraft: true},
			agreementsData{States: agreementStates, ExportURL: "/agreements/export.xlsx?"},
		},
		"agreement": {
			agreementData{View: service.AgreementView{Agreement: draft, State: domain.AgreementDraft, CanWrite: true}, Events: events[:1], Forms: agForms, MaxMB: 20},
			agreementData{View: service.AgreementView{Agreement: a1, State: domain.AgreementInForce, CanWrite: true, Renewal: true}, Events: events,
				Forms: agreementForms{Sign: form(nil, nil, ""), Attach: form(nil, nil, ""), Renew: form(nil, nil, ""), Terminate: form(nil, nil, "")}, MaxMB: 20},
			agreementData{View: service.AgreementView{Agreement: ended, State: domain.AgreementTerminated}, Forms: agForms, MaxMB: 20},
		},
		"agreement_new": {
			agreementNewData{Form: form(map[string]string{"title": "新协议", "origin": "1", "folded": "on"},
				map[string]string{"mobile": "请选择", "valid_to": "早于开始"}, "重复授权"), Checked: checked,
				Origins: []domain.Org{county}, Mobile: []domain.Org{hz, merged}, Hosts: []domain.Org{host}, Caps: domain.Capabilities()},
			agreementNewData{Form: form(nil, nil, ""), Checked: map[string]bool{}, Caps: domain.Capabilities()},
		},
	}
}

// keyLikeRE finds keys of the organization catalogue that reached a page
// unrendered (the shared page test looks for the foundation's areas).
var keyLikeRE = regexp.MustCompile(`\b(web\.(org|agreement)|org|agreement|advice|industry)\.[a-z_]+(\.[a-zA-Z_]+)*\b`)

func TestOrgPagesRenderEveryKey(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(assets.Templates())
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{pages: pages, log: discardLog()}
	actor := &authz.Actor{AccountID: 7, Reach: []authz.Reach{{Role: authz.RoleCountyOfficer, OrgID: 1, Path: "/1/", Side: domain.SideOrigin}}}
	samples := orgSamples()
	samples["home"] = []any{homeData{Name: "张三", Cards: cardsFor(actor), Notices: []homeNotice{
		{Key: "web.agreement.home_due", Args: map[string]any{"Count": 2}, URL: "/agreements?state=expiring"},
		{Key: "web.agreement.home_ended", Args: map[string]any{"Title": "杭州共建协议", "On": "2027-01-01", "ID": "1"}, URL: "/agreements/1"}}}}
	for name, variants := range samples {
		for i, d := range variants {
			for _, lang := range i18n.Languages() {
				l := &recorder{Localizer: bundle.For(lang)}
				page := Page{L: l, Title: "web.org.title", Account: &account, CSRF: "tok", Static: static, Path: "/orgs", Data: d,
					Nav: navFor(actor, "/orgs/4")}
				w := httptest.NewRecorder()
				h.execute(w, 200, name, page)
				out := w.Body.String()
				if w.Code != 200 || len(l.missing) > 0 {
					t.Fatalf("%s/%d/%s: status %d, missing %v\n%s", name, i, lang, w.Code, l.missing, out)
				}
				text := regexp.MustCompile(`value="[^"]*"|href="[^"]*"|name="[^"]*"|(id|for|class|accept)="[^"]*"`).ReplaceAllString(out, "")
				if m := keyLikeRE.FindString(text); m != "" {
					t.Errorf("%s/%d/%s: unrendered key %q", name, i, lang, m)
				}
				if strings.Contains(out, "第三支部<b>") {
					t.Errorf("%s/%d: a name is not escaped", name, i)
				}
				if !strings.Contains(out, `href="/orgs" aria-current="page"`) {
					t.Errorf("%s/%d: the navigation does not mark the organizations", name, i)
				}
			}
		}
	}
}

func adviceSamples() map[string][]any {
	branch := sampleOrg(9, 4, "第三支部<b>", domain.SideMobile, domain.KindBranch, domain.StatusActive)
	th := domain.DefaultThresholds()
	c := domain.OrgCounts{Full: 2, Probationary: 60}
	return map[string][]any{"org_advice": {
		adviceData{Thresholds: th},
		adviceData{Thresholds: th, Rows: []service.OrgAdvice{{Org: branch, Counts: c, Advice: domain.Advise(branch.Kind, c, th)}}},
	}}
}
