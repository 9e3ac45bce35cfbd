package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

func init() { moreSamples = append(moreSamples, duesSamples) }

// sampleMemberDues is a member who owes two months, with a reduced
// payment, a back-payment and two standards.
func sampleMemberDues(collect bool) service.MemberDues {
	rules := domain.DefaultDuesRules()
	std := []domain.DuesStandard{
		{ID: 2, PersonID: 1, From: 202608, Basis: domain.DuesWage, Income: 800000, Amount: 12000, Note: "涨薪", SetBy: "hangzhou", SetAt: at},
		{ID: 1, PersonID: 1, From: 202601, Basis: domain.DuesMigrantFarmer, Income: 450000, Amount: 4500, SetBy: "system", SetAt: at},
	}
	cur := std[0]
	d := service.MemberDues{Person: samplePeople()[0].Person, Month: 202611, Current: &cur, Standards: std, Rules: rules,
		Payments: []domain.DuesPayment{
			{ID: 3, PersonID: 1, PersonName: "单雄信", Month: 202609, Amount: 6000, Standard: 12000, Retained: 3000, Channel: domain.PayWeChat,
				PaidOn: domain.NewDate(2026, 9, 5), OrgID: 4, OrgName: "灌南县驻杭州流动党委第三支部", Side: domain.SideMobile, Hardship: "支委会批准减半",
				RecordedBy: "hangzhou", RecordedAt: at},
			{ID: 2, PersonID: 1, PersonName: "单雄信", Month: 202608, Amount: 12000, Standard: 12000, Retained: 6000, Channel: domain.PayOther,
				PaidOn: domain.NewDate(2026, 8, 30), OrgID: 3, OrgName: "新安镇党委", Side: domain.SideOrigin, Note: "<b>回乡时交</b>", RecordedBy: "dongyuan", RecordedAt: at},
			{ID: 1, PersonID: 1, PersonName: "单雄信", Month: 202604, Amount: 4500, Standard: 4500, Retained: 2250, Channel: domain.PayProxy,
				PaidOn: domain.NewDate(2026, 11, 2), OrgID: 4, OrgName: "灌南县驻杭州流动党委第三支部", Side: domain.SideMobile, BackPay: "住院",
				RecordedBy: "hangzhou", RecordedAt: at},
		},
		Unpaid: []service.OwedMonth{{Month: 202610, Amount: 12000}, {Month: 202611, Amount: 12000}}, Owed: 24000,
		Standing: domain.DuesStanding{Start: 202601, Owed: 2, Streak: 1, LastPaid: 202609}}
	if collect {
		d.Collectors = []domain.Org{{ID: 3, Name: "新安镇党委", Side: domain.SideOrigin}, {ID: 4, Name: "灌南县驻杭州流动党委第三支部", Side: domain.SideMobile}}
		d.Voidable = map[domain.Month]bool{202609: true, 202604: true}
		d.ClosedBy = map[domain.Month]string{202608: "新安镇党委"}
	}
	return d
}

// sampleOrgDues is an organization's grid with a lapsed member, a closed
// month and a second page.
func sampleOrgDues() service.OrgDues {
	d := service.OrgDues{Org: domain.Org{ID: 4, Name: "灌南县驻杭州流动党委", Side: domain.SideMobile}, Year: 2026, Month: 202611,
		Members: 3, Due: 2, Paid: 1, Unpaid: 1, Arrears: 2, NoStandard: 1, Collected: 36000, Retained: 18000, Total: 150, Page: 1, Pages: 2,
		Rules: domain.DefaultDuesRules(), CanCollect: true, Closings: []store.DuesClosing{
			{Month: 202609, ClosedBy: "hangzhou", ClosedAt: at}, {Month: 202610, ClosedBy: "<b>gongshu</b>", ClosedAt: at}}}
	for _, m := range domain.MonthsOf(2026) {
		c := service.DuesColumn{Month: m, Future: m > 202611, Current: m == 202611}
		if m == 202609 {
			c.Closed = "灌南县驻杭州流动党委"
		}
		if m <= 202610 {
			c.Payments, c.Amount, c.Retained = 1, 4500, 2250
		}
		d.Columns = append(d.Columns, c)
	}
	row := func(id domain.PersonID, name string, start domain.Month, lapsed bool) service.DuesRow {
		r := service.DuesRow{DuesMember: store.DuesMember{PersonID: id, Name: name, Status: domain.StatusFull, HomeOrg: "新安镇党委",
			MobileOrg: "拱墅支部", Start: start}, Standard: 4500}
		r.Standing = domain.Standing(start, 202611, 2, 202603, 6)
		r.Standing.Lapsed = lapsed
		for _, m := range domain.MonthsOf(2026) {
			c := service.DuesCell{Month: m, State: "unpaid"}
			switch {
			case m > 202611:
				c.State = "future"
			case m < start:
				c.State = "none"
			case m <= 202603:
				c.State, c.Amount, c.Below = "paid", 4500, m == 202602
			}
			r.Cells = append(r.Cells, c)
		}
		return r
	}
	d.Rows = []service.DuesRow{row(1, "单雄信", 202601, true), row(2, "<i>张薇</i>", 202603, false)}
	d.Lapsed = d.Rows[:1]
	return d
}

func duesSamples() map[string][]any {
	org := sampleOrgDues()
	empty := service.OrgDues{Org: org.Org, Year: 2025, Month: 202611, Columns: org.Columns, Total: 0, Page: 1, Pages: 1, Rules: org.Rules,
		CanCollect: true}
	years := []int{2027, 2026, 2025}
	filters := []service.DuesFilter{service.DuesAll, service.DuesUnpaid, service.DuesArrears, service.DuesLapsed}
	rules := domain.DefaultDuesRules()
	rulesBad := rulesForm(rules)
	rulesBad.Values["wage_rate_4"] = "abc"
	rulesBad.Errors["wage_rate_4"] = "请填写百分比"
	rulesBad.Error = "交纳比例的最后一档应不设上限。"
	member := sampleMemberDues(true)
	payable := []domain.Month{202604, 202610, 202611}
	return map[string][]any{
		"dues_org": {
			duesOrgData{D: org, Years: years, Filters: filters, Close: form(map[string]string{"month": "2026-10"}, nil, ""), CanRules: true,
				Query: "year=2026", NextURL: "/orgs/4/dues?page=2&year=2026", MonthOpts: []domain.Month{202611, 202610, 202609}},
			duesOrgData{D: empty, Years: years, Filters: filters, Close: form(nil, map[string]string{"month": "已经关账"}, ""), Query: "year=2025"},
			duesOrgData{D: org, Years: years, Filters: filters, Close: form(nil, nil, ""), Query: "year=2026&filter=lapsed",
				Reopen: form(map[string]string{"reason": "<script>误关</script>"}, map[string]string{"reason": "请填写原因"}, "上级已关账"), ReopenMon: 202610},
			duesOrgData{D: org, Years: years, Filters: filters, Close: form(nil, nil, ""), Query: "year=2026",
				Reopen: form(nil, nil, "2026-11 是 流动党委 关的账"), ReopenMon: 202611},
		},
		"dues_member": {
			duesMemberData{D: member, Pay: form(map[string]string{"channel": "wechat", "side": "mobile", "paid_on": "2026-11-29"}, nil, ""),
				Standard: form(map[string]string{"from": "2026-11", "basis": "wage"}, nil, ""), Bases: domain.DuesBases(),
				Channels: domain.PayChannels(), Payable: payable, Checked: map[domain.Month]bool{202611: true}},
			duesMemberData{D: member, Pay: form(map[string]string{"amount": "12x"}, map[string]string{"months": "请选择月份", "amount": "金额不对"},
				"广州已关账"), Standard: form(nil, map[string]string{"income": "请填写"}, ""), Bases: domain.DuesBases(),
				Channels: domain.PayChannels(), Checked: map[domain.Month]bool{}},
			duesMemberData{D: member, Pay: form(nil, nil, ""), Standard: form(nil, nil, ""), Bases: domain.DuesBases(), Channels: domain.PayChannels(),
				Checked: map[domain.Month]bool{}, Void: form(map[string]string{"reason": "记错了<月份>"}, map[string]string{"reason": "最多 200 个字"},
					"组织已对 2026-09 关账"), VoidMon: 202609},
			duesMemberData{D: member, Pay: form(nil, nil, ""), Standard: form(nil, nil, ""), Bases: domain.DuesBases(), Channels: domain.PayChannels(),
				Checked: map[domain.Month]bool{}, Void: form(nil, nil, "流动党委已对 2026-08 关账，请先重新开放该月。"), VoidMon: 202608},
			duesMemberData{D: sampleMemberDues(false), Pay: form(nil, nil, ""), Standard: form(nil, nil, ""), Checked: map[domain.Month]bool{}},
			duesMemberData{D: service.MemberDues{Person: samplePeople()[1].Person, Month: 202611, Rules: rules,
				Collectors: []domain.Org{{ID: 3, Name: "新安镇党委", Side: domain.SideOrigin}}}, Pay: form(nil, nil, ""), Standard: form(nil, nil, ""),
				Bases: domain.DuesBases(), Channels: domain.PayChannels(), Checked: map[domain.Month]bool{}},
		},
		"dues_rules": {
			duesRulesData{Rules: rules, Form: rulesForm(rules), CanEdit: true}.withRows(),
			duesRulesData{Rules: rules, Form: rulesBad, CanEdit: true}.withRows(),
			duesRulesData{Rules: rules, Form: rulesForm(rules)}.withRows(),
		},
	}
}

func (d duesRulesData) withRows() duesRulesData {
	d.Wage = bandRows(d.Form, "wage", rowCount(d.Form, "wage"))
	d.Retiree = bandRows(d.Form, "retiree", rowCount(d.Form, "retiree"))
	return d
}

// The pages that include a dues card render it, in both languages, with
// every key, and leave it out when there is nothing to show.
func TestDuesCardsOnOtherPages(t *testing.T) {
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
	rows := samplePeople()
	dues := sampleMemberDues(false)
	orgView := service.OrgView{Org: domain.Org{ID: 4, Name: "灌南县驻杭州流动党委", Side: domain.SideMobile, Kind: domain.KindCommittee,
		Status: domain.StatusActive}}
	forms := orgForms{Edit: blankForm(), Upgrade: blankForm(), Merge: blankForm(), Dissolve: blankForm(), Child: blankForm(),
		Officer: blankForm(), EndTerm: blankForm()}
	cases := []struct {
		page string
		data any
		want []string
	}{
		{"person", personPageData{P: rows[0], Dues: &dues}, []string{`href="/people/1/dues"`, "120.00", "240.00"}},
		{"person", personPageData{P: rows[0]}, nil},
		{"me", meData{Name: "单雄信", Member: true, Person: &rows[0], Dues: &dues}, []string{"2026-10", "60.00"}},
		{"me", meData{Name: "单雄信", Member: true, Person: &rows[0]}, nil},
		{"org", orgPageData{View: orgView, Forms: forms, Dues: true}, []string{`href="/orgs/4/dues"`}},
		{"org", orgPageData{View: orgView, Forms: forms}, nil},
	}
	for i, c := range cases {
		for _, lang := range i18n.Languages() {
			l := &recorder{Localizer: bundle.For(lang)}
			w := httptest.NewRecorder()
			h.execute(w, 200, c.page, Page{L: l, Title: "web.dues.title", Account: &account, CSRF: "tok", Static: static, Path: "/x", Data: c.data,
				Nav: navFor(&authz.Actor{AccountID: 7}, "/x")})
			out := w.Body.String()
			if w.Code != 200 || len(l.missing) > 0 {
				t.Fatalf("%d %s/%s: status %d, missing %v", i, c.page, lang, w.Code, l.missing)
			}
			checkOutput(t, out, lang)
			for _, s := range c.want {
				if !strings.Contains(out, s) {
					t.Errorf("%d %s/%s: lacks %q", i, c.page, lang, s)
				}
			}
			if has := strings.Contains(out, `id="dues"`) || strings.Contains(out, "/dues\""); has != (c.want != nil) {
				t.Errorf("%d %s/%s: dues card shown=%v", i, c.page, lang, has)
			}
		}
	}
}

func TestYuanAndPercentForms(t *testing.T) {
	for in, want := range map[string]domain.Money{"120": 12000, "45.6": 4560, "1,200.05": 120005, "¥3": 300, "0.07": 7} {
		p := &formReader{f: form(map[string]string{"a": in}, nil, "")}
		if got := p.yuan("a"); got == nil || *got != want || p.err != nil {
			t.Errorf("%q: %v %v", in, got, p.err)
		}
	}
	for _, bad := range []string{"12.345", "-3", "abc", "1e3"} {
		p := &formReader{f: form(map[string]string{"a": bad}, nil, "")}
		if p.yuan("a"); p.err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if yuanGrouped(123456789) != "1,234,567.89" || yuanGrouped(-100000) != "-1,000.00" || yuanGrouped(99999) != "999.99" {
		t.Error("yuanGrouped")
	}
	if yuanText(12345) != "123.45" || yuanText(5) != "0.05" || yuanText(-120) != "-1.20" {
		t.Error("yuanText")
	}
	if rateText(150) != "1.5" || rateText(50) != "0.5" || rateText(200) != "2" || rateText(125) != "1.25" {
		t.Errorf("rateText %s %s %s", rateText(150), rateText(50), rateText(200))
	}
	p := &formReader{f: form(map[string]string{"r": "1.25%"}, nil, "")}
	if p.percent("r") != 125 || p.err != nil {
		t.Error("percent")
	}
	r, err := readRules(rulesForm(domain.DefaultDuesRules()))
	if err != nil || r.Check() != nil || r.Wage[2].Rate != 150 || r.Wage[3].UpTo != 0 || r.Farmer != 50 || r.BackPayMonths != 6 {
		t.Fatalf("rules round trip: %+v %v", r, err)
	}
}
