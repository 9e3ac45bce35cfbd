package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// Party dues on the Guannan demo: the Hangzhou committee's secretary
// records a member's payment on a desktop and reads the committee's month
// grid; the member reads their own dues on a phone.
func TestDuesGridAndMemberPhone(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSite(t, db)
	ctx := context.Background()
	org := func(name string) domain.OrgID { return orgNamed(t, db, name).ID }
	home, branch, committee := org("东园村党支部"), org("中共灌南县驻杭州流动党委拱墅支部"), org("中共灌南县驻杭州流动党委")
	acc, err := store.AccountByName(ctx, db.Read(), "hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	sec, err := s.Service.ActorFor(ctx, acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := domain.MonthOf(s.Service.Today())
	jan := domain.NewMonth(now.Year(), 1)
	// Members placed in the Gongshu branch: paid up, paying quarterly,
	// on a reduced amount, drifting away, and never paid since January.
	members := []struct {
		name     string
		basis    domain.DuesBasis
		income   domain.Money
		paidTill int // months before now paid up to (-1: none)
	}{
		{"孙小军", domain.DuesMigrantFarmer, 520000, 4},
		{"彭立华", domain.DuesWage, 860000, 0},
		{"田大勇", domain.DuesWage, 450000, 1},
		{"石振东", domain.DuesMigrantFarmer, 300000, 0},
		{"陆红英", domain.DuesRetiree, 380000, 3},
		{"钱卫东", domain.DuesWage, 1250000, 7},
		{"赵小梅", domain.DuesStudent, 0, 0},
		{"吴海军", domain.DuesWage, 620000, -1},
	}
	var own domain.PersonID
	for _, m := range members {
		in := service.NewPerson{Name: m.name, OriginOrgID: home, CityCode: "330100",
			Membership: &domain.Membership{Status: domain.StatusFull, JoinedOn: domain.NewDate(2012, 7, 1), HomeOrgID: home, MobileOrgID: branch}}
		if m.name == "孙小军" {
			in.IDNumber = "11010519491231002X"
		}
		id, err := s.Service.CreatePerson(ctx, authz.System, in)
		if err != nil {
			t.Fatal(err)
		}
		if m.name == "孙小军" {
			own = id
		}
		if _, err := s.Service.SetDuesStandard(ctx, sec, id, service.DuesStandardInput{From: jan, Basis: m.basis, Income: m.income}); err != nil {
			t.Fatal(err)
		}
		var months []domain.Month
		for x := jan; m.paidTill >= 0 && x <= now.Add(-m.paidTill); x = x.Add(1) {
			months = append(months, x)
		}
		if len(months) == 0 {
			continue
		}
		pay := service.DuesPaymentInput{Months: months, Channel: domain.PayWeChat, PaidOn: s.Service.Today(), Side: domain.SideMobile,
			BackPay: "年初统一补登"}
		if m.name == "田大勇" {
			low := domain.Money(1000)
			pay.Amount, pay.Hardship = &low, "支委会研究、流动党委批准：家中困难减交"
		}
		if _, err := s.Service.RecordDues(ctx, sec, id, pay); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	if err := s.Service.CloseDuesMonth(ctx, sec, committee, now.Add(-3)); err != nil {
		t.Fatal(err)
	}
	// The demo member's account is linked to 孙小军's record.
	memberAcc, err := store.AccountByName(ctx, db.Read(), "member")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Service.BootstrapLinkPerson(ctx, memberAcc.ID, "11010519491231002X"); err != nil {
		t.Fatal(err)
	}

	desk := browser(t, 1440, 1000)
	hz := s.account(t, "hangzhou")
	signIn(t, desk, s.URL, hz.Name, hz.Password, "")
	// The secretary records 孙小军's September through the form, with
	// this month, which the form checks by default; August (closed) and
	// October stay owed.
	page := s.URL + "/people/" + itoa(int64(own)) + "/dues"
	last := now.Add(-2).String()
	if err := submitted(desk, `#p-channel`, `.flash`, chromedp.Navigate(page), chromedp.WaitVisible(`#p-channel`),
		chromedp.Click(`input[name="months"][value="`+last+`"]`),
		chromedp.SetValue(`#p-channel`, "cash")); err != nil {
		t.Fatal(err)
	}
	body := text(t, desk, `main`)
	if !strings.Contains(body, "交纳已登记") || !strings.Contains(body, last) {
		t.Fatalf("after paying: %s", body)
	}
	screenshot(t, desk, "dues-member-desktop")

	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/orgs/"+itoa(int64(committee))+"/dues"), chromedp.WaitVisible(`table.dues-grid`)); err != nil {
		t.Fatal(err)
	}
	body = text(t, desk, `main`)
	for _, want := range []string{"孙小军", "吴海军", "已关账", "未交", "连续 6 个月以上未交纳党费的党员"} {
		if !strings.Contains(body, want) && !(want == "连续 6 个月以上未交纳党费的党员" && now.Num() < 7) {
			t.Errorf("grid lacks %q", want)
		}
	}
	screenshot(t, desk, "dues-org-grid")

	phone := phoneBrowser(t)
	member := s.account(t, "member")
	signIn(t, phone, s.URL, member.Name, member.Password, "")
	if err := chromedp.Do(phone, chromedp.Navigate(s.URL+"/me"), chromedp.WaitVisible(`#dues`)); err != nil {
		t.Fatal(err)
	}
	body = text(t, phone, `#dues`)
	if !strings.Contains(body, "我的党费") || !strings.Contains(body, now.Add(-1).String()) || !strings.Contains(body, "156.00") {
		t.Errorf("own dues card: %s", body)
	}
	screenshot(t, phone, "dues-me-phone")
}

// Corrections on the Guannan demo: the Hangzhou committee's secretary
// voids a payment recorded with the wrong amount and records it again,
// then reopens a month the committee closed by mistake.
func TestDuesVoidAndReopen(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSite(t, db)
	ctx := context.Background()
	branch, committee, home := orgNamed(t, db, "中共灌南县驻杭州流动党委拱墅支部"), orgNamed(t, db, "中共灌南县驻杭州流动党委"),
		orgNamed(t, db, "东园村党支部")
	sec := actorOf(t, s, db, "hangzhou")
	now := domain.MonthOf(s.Service.Today())
	id, err := s.Service.CreatePerson(ctx, authz.System, service.NewPerson{Name: "周海峰", OriginOrgID: home.ID, CityCode: "330100",
		Membership: &domain.Membership{Status: domain.StatusFull, JoinedOn: domain.NewDate(2012, 7, 1), HomeOrgID: home.ID, MobileOrgID: branch.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Service.SetDuesStandard(ctx, sec, id, service.DuesStandardInput{From: now.Add(-3), Basis: domain.DuesWage, Income: 800000}); err != nil {
		t.Fatal(err)
	}
	wrong := domain.Money(1200) // ¥12 typed for ¥120
	for _, m := range []domain.Month{now.Add(-3), now.Add(-2), now.Add(-1)} {
		in := service.DuesPaymentInput{Months: []domain.Month{m}, Channel: domain.PayWeChat, PaidOn: s.Service.Today(), Side: domain.SideMobile}
		if m == now.Add(-1) {
			in.Amount, in.Hardship = &wrong, "误填"
		}
		if _, err := s.Service.RecordDues(ctx, sec, id, in); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Service.CloseDuesMonth(ctx, sec, committee.ID, now.Add(-3)); err != nil {
		t.Fatal(err)
	}

	desk := browser(t, 1440, 1000)
	hz := s.account(t, "hangzhou")
	signIn(t, desk, s.URL, hz.Name, hz.Password, "")
	last := now.Add(-1).String()
	page := s.URL + "/people/" + itoa(int64(id)) + "/dues"
	// The closed month's payment offers no void; last month's does.
	if err := chromedp.Do(desk, chromedp.Navigate(page), chromedp.WaitVisible(`#p-channel`)); err != nil {
		t.Fatal(err)
	}
	if closedFold, lastFold := jsBool(t, desk, `!!document.getElementById("void-`+now.Add(-3).String()+`")`),
		jsBool(t, desk, `!!document.getElementById("void-`+last+`")`); closedFold || !lastFold {
		t.Fatalf("void folds: closed month %v, last month %v", closedFold, lastFold)
	}
	correctWithReason(t, desk, "void-"+last, "金额少记一位，应为120元", "dues-void-open")
	wantText(t, "after voiding", text(t, desk, `main`), "已撤销 "+last+" 的交纳登记")
	if !jsBool(t, desk, `!!document.querySelector('input[name="months"][value="`+last+`"]')`) {
		t.Fatal("the voided month is not offered for payment again")
	}
	// Recorded again with the standard: this month, checked by default,
	// is left for later.
	if err := submitted(desk, `#p-channel`, `.flash`, chromedp.Click(`input[name="months"][value="`+now.String()+`"]`),
		chromedp.Click(`input[name="months"][value="`+last+`"]`)); err != nil {
		t.Fatal(err)
	}
	wantText(t, "recorded again", text(t, desk, `main`), "交纳已登记", "120.00")
	screenshot(t, desk, "dues-void-recorded-again")

	// The committee reopens the month it closed.
	org := s.URL + "/orgs/" + itoa(int64(committee.ID)) + "/dues"
	month := now.Add(-3).String()
	if err := chromedp.Do(desk, chromedp.Navigate(org), chromedp.WaitVisible(`table.dues-grid`)); err != nil {
		t.Fatal(err)
	}
	correctWithReason(t, desk, "reopen-"+month, "误关：还有两名党员的交纳未登记", "dues-reopen-open")
	wantText(t, "after reopening", text(t, desk, `main`), month+" 已重新开放", "本年还没有关账的月份")
	screenshot(t, desk, "dues-reopened")
}

// correctWithReason opens the folded correction whose reason field has
// the id, types the reason, takes the screenshot shot, agrees to the
// confirmation question and sends the form, waiting for the flash.
func correctWithReason(t *testing.T, ctx context.Context, id, reason, shot string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Click(`//input[@id="`+id+`"]/ancestor::details/summary`),
		chromedp.WaitVisible(`#`+id),
		chromedp.SendKeys(`#`+id, reason),
		chromedp.ScrollIntoView(`#`+id)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, shot)
	jsBool(t, ctx, `(window.confirm = () => true, true)`) // as a user who reads the question and agrees
	if err := submitted(ctx, `#`+id, `.flash`); err != nil {
		t.Fatal(err)
	}
}

// jsBool evaluates a boolean expression in the page.
func jsBool(t *testing.T, ctx context.Context, expr string) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// orgNamed is the organization of the demo with the name.
func orgNamed(t *testing.T, db *store.DB, name string) domain.Org {
	t.Helper()
	o, err := store.FindOrg(context.Background(), db.Read(), name)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
