package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// conductScene gives the demo's Hangzhou branches members with a year of
// democratic evaluation (most confirmed, some waiting, one unqualified
// with its follow-up), and gives the demo member 孙小军 feedback from the
// host street and the mobile committee and last year's rating.
func conductScene(t *testing.T, s *site, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	org := func(name string) domain.OrgID {
		o, err := store.FindOrg(ctx, db.Read(), name)
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	actor := func(name string) *authz.Actor {
		acc, err := store.AccountByName(ctx, db.Read(), name)
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.Service.ActorFor(ctx, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	home := org("中共灌南县新安镇东园村支部委员会")
	branches := []struct {
		name    string
		ratings []domain.Rating
	}{
		{"中共灌南县驻杭州流动党委拱墅支部", []domain.Rating{"qualified", "excellent", "excellent", "", "qualified", "qualified", "qualified", "basic", "qualified"}},
		{"中共灌南县驻杭州流动党委萧山支部", []domain.Rating{"excellent", "qualified", "qualified", "qualified", "unqualified", "qualified"}},
		{"中共灌南县驻杭州流动党委余杭支部", []domain.Rating{"qualified", "excellent", "qualified", "basic"}},
	}
	surnames := []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
	given := []string{"建华", "秀兰", "志强", "海燕", "国平", "丽娟", "文军", "春梅", "德胜"}
	hangzhou, dongyuan, gongshu := actor("hangzhou"), actor("dongyuan"), actor("gongshu")
	year := s.Service.Today().Time().Year()
	type proposed struct {
		person domain.PersonID
		eval   domain.EvaluationID
		rating domain.Rating
		wait   bool
	}
	var all []proposed
	var own domain.PersonID
	n := 0
	for bi, b := range branches {
		for i, r := range b.ratings {
			name := "孙小军"
			if r != "" {
				name = string(surnames[n%len(surnames)]) + given[(n*7+bi)%len(given)]
				n++
			} else {
				r = domain.RatingQualified
			}
			id, err := s.Service.CreatePerson(ctx, authz.System, service.NewPerson{Name: name, OriginOrgID: home, CityCode: "330100",
				Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: home, MobileOrgID: org(b.name), JoinedOn: domain.NewDate(2010, 7, 1)}})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if name == "孙小军" {
				own = id
			}
			p, err := s.Service.ProposeEvaluation(ctx, hangzhou, service.ProposalInput{Person: id, Year: year, Rating: r})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, proposed{id, p.ID, r, i%4 == 3 && r != domain.RatingUnqualified})
		}
	}
	linkMember(t, db, own)
	// The home branch confirms once every proposal is in, leaving some
	// for later.
	for _, p := range all {
		if p.wait {
			continue
		}
		in := service.ConfirmInput{}
		if p.rating == domain.RatingUnqualified {
			in = service.ConfirmInput{FollowUp: domain.FollowUpCorrect, FollowUpDue: s.Service.Today().AddDays(90),
				FollowUpNote: "三个月内按时参加组织生活，每月向支部汇报思想"}
		}
		if err := s.Service.ConfirmEvaluation(ctx, dongyuan, p.eval, in); err != nil {
			t.Fatalf("confirm %d: %v", p.person, err)
		}
	}
	last, err := s.Service.ProposeEvaluation(ctx, hangzhou, service.ProposalInput{Person: own, Year: year - 1, Rating: domain.RatingQualified,
		Note: "带领工友参加社区志愿服务"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Service.ConfirmEvaluation(ctx, dongyuan, last.ID, service.ConfirmInput{}); err != nil {
		t.Fatal(err)
	}
	quarters := []string{fmt.Sprintf("%d-Q2", year), fmt.Sprintf("%d-Q3", year), s.Service.CurrentQuarter()}
	for qi, q := range quarters {
		who, in := gongshu, service.FeedbackInput{Person: own, Quarter: q, Participation: domain.ParticipationAlways,
			Conduct: domain.ConductExemplary, Remarks: "按时参加主题党日，带头参加运河湾社区志愿服务"}
		if qi == 2 {
			who, in.Participation, in.Conduct, in.Remarks = hangzhou, domain.ParticipationMostly, domain.ConductGood, "本季度因加班缺席一次支部会议，已请假"
		}
		fid, err := s.Service.WriteFeedback(ctx, who, in)
		if err != nil {
			t.Fatal(err)
		}
		if qi < 2 {
			if err := s.Service.AcknowledgeFeedback(ctx, dongyuan, fid, "已阅"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// The county's distribution of ratings on a desktop, and the member's own
// feedback and evaluation history on a phone; neither shows a full ID
// number or phone.
func TestConductDistributionAndPhoneHistory(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSite(t, db)
	conductScene(t, s, db)
	year := fmt.Sprint(s.Service.Today().Time().Year())

	desk := browser(t, 1366, 900)
	county := s.account(t, "county")
	signIn(t, desk, s.URL, county.Name, county.Password, "")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/evaluations?year="+year), chromedp.WaitVisible(`table.distribution`)); err != nil {
		t.Fatal(err)
	}
	page := text(t, desk, `main`)
	for _, w := range []string{"拱墅支部", "萧山支部", "余杭支部", "合计", "优秀比例"} {
		if !strings.Contains(page, w) {
			t.Errorf("distribution lacks %q", w)
		}
	}
	if m := fullID.FindString(page); m != "" {
		t.Errorf("distribution shows %q", m)
	}
	screenshot(t, desk, "evaluation-distribution")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/evaluations/list?tab=followups"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	if page := text(t, desk, `main`); !strings.Contains(page, "限期改正") {
		t.Errorf("follow-ups: %s", page)
	}
	screenshot(t, desk, "evaluation-followups")

	home := browser(t, 1366, 900)
	dongyuan := s.account(t, "dongyuan")
	signIn(t, home, s.URL, dongyuan.Name, dongyuan.Password, "")
	if err := chromedp.Do(home, chromedp.Navigate(s.URL+"/feedback?tab=waiting"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	if page := text(t, home, `main`); !strings.Contains(page, "孙小军") {
		t.Errorf("waiting list: %s", page)
	}
	screenshot(t, home, "feedback-waiting")
	if err := chromedp.Do(home, chromedp.Click(`table a[href^="/feedback/"]`), chromedp.WaitVisible(`form[action$="/acknowledge"]`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, home, "feedback-answer")
	if err := chromedp.Do(home, chromedp.Navigate(s.URL+"/evaluations/list?tab=confirm"), chromedp.WaitVisible(`table`),
		chromedp.Click(`table a[href^="/evaluations/"]`), chromedp.WaitVisible(`form[action$="/confirm"]`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, home, "evaluation-confirm")

	host := browser(t, 1366, 900)
	gongshu := s.account(t, "gongshu")
	signIn(t, host, s.URL, gongshu.Name, gongshu.Password, "")
	if err := chromedp.Do(host, chromedp.Navigate(s.URL+"/feedback"), chromedp.WaitVisible(`table`),
		chromedp.Click(`table a[href^="/feedback/new"]`), chromedp.WaitVisible(`form[action="/feedback"]`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, host, "feedback-write")

	phone := phoneBrowser(t)
	member := s.account(t, "member")
	signIn(t, phone, s.URL, member.Name, member.Password, "")
	if err := chromedp.Do(phone, chromedp.Navigate(s.URL+"/me"), chromedp.WaitVisible(`main`)); err != nil {
		t.Fatal(err)
	}
	page = text(t, phone, `main`)
	for _, w := range []string{"我的民主评议", "我的表现反馈", "合格", "评议中", "带头参加运河湾社区志愿服务", s.Service.CurrentQuarter()} {
		if !strings.Contains(page, w) {
			t.Errorf("phone page lacks %q", w)
		}
	}
	if strings.Contains(page, "已阅") {
		t.Error("the member sees the home side's comment")
	}
	if m := fullID.FindString(page); m != "" {
		t.Errorf("phone page shows %q", m)
	}
	screenshot(t, phone, "conduct-me-phone")
}
