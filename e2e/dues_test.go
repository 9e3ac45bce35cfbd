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
	org := func(name string) domain.OrgID {
		o, err := store.FindOrg(ctx, db.Read(), name)
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
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
	if err := chromedp.Do(desk, chromedp.Navigate(page), chromedp.WaitVisible(`#p-channel`),
		chromedp.Click(`input[name="months"][value="`+last+`"]`),
		chromedp.SetValue(`#p-channel`, "cash"),
		chromedp.Submit(`#p-channel`),
		chromedp.WaitVisible(`.flash`)); err != nil {
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
