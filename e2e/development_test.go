package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// One member development case from the application to the archive, in
// two browsers: the host side (gongshu, the Yunhewan street committee,
// whose agreement with the Hangzhou committee grants cultivation) and the
// home side (dongyuan, the Dongyuan village branch). The dates go back
// about three years, so every time rule is met on the real clock; the
// home side first meets an approval withheld for the host opinion and a
// date refused by the one-month rule.
func TestDevelopmentCaseHostAndHome(t *testing.T) {
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
	home, branch := org("中共灌南县新安镇东园村支部委员会"), org("中共灌南县驻杭州流动党委拱墅支部")
	var mentors []domain.PersonID
	for _, name := range []string{"韩立群", "邵春燕"} {
		id, err := s.Service.CreatePerson(ctx, authz.System, service.NewPerson{Name: name, OriginOrgID: home, CityCode: "330100",
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: home, MobileOrgID: branch, JoinedOn: domain.NewDate(2008, 7, 1)}})
		if err != nil {
			t.Fatal(err)
		}
		mentors = append(mentors, id)
	}
	number, _ := idcheck.CompleteID("32072419950618881")
	applicant, err := s.Service.CreatePerson(ctx, authz.System, service.NewPerson{Name: "蒋文博", IDNumber: number, OriginOrgID: home,
		CityCode: "330100", Employer: "杭州运河建设有限公司"})
	if err != nil {
		t.Fatal(err)
	}
	start := s.Service.Today().AddYears(-3)
	day := func(n int) string { return start.AddDays(n).String() }

	host, homeSide := browser(t, 1366, 900), browser(t, 1366, 900)
	gs, dy := s.account(t, "gongshu"), s.account(t, "dongyuan")
	signIn(t, host, s.URL, gs.Name, gs.Password, "")
	signIn(t, homeSide, s.URL, dy.Name, dy.Password, "")

	// The home branch records the written application (step 1).
	if err := chromedp.Do(homeSide,
		chromedp.Navigate(s.URL+"/development/new?person="+itoa(int64(applicant))),
		chromedp.WaitVisible(`form[action="/development"]`),
		chromedp.SetValue(`#dn-org`, itoa(int64(branch))),
		chromedp.SetValue(`#dn-on`, day(0)),
		chromedp.SendKeys(`#dn-note`, "本人向东园村支部递交入党申请书，现在杭州拱墅区务工"),
		chromedp.Submit(`#dn-on`),
		chromedp.WaitVisible(`#timeline`),
	); err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(homeSide, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	caseURL := loc[strings.Index(loc, "/development/"):]
	if _, err := strconv.Atoi(strings.TrimPrefix(caseURL, "/development/")); err != nil {
		t.Fatalf("not on a case page: %s", loc)
	}

	// refused tells whether the page shows a form's error.
	refused := func(b context.Context) bool {
		n, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('.flash-error, .field-error').length`))
		if err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	// record fills the next step's form on the case page and submits it;
	// want is a text the page must show afterwards (an error, or "").
	record := func(b context.Context, step int, values map[string]string, want string) {
		t.Helper()
		acts := []chromedp.Action[chromedp.Void]{chromedp.Navigate(s.URL + caseURL), chromedp.WaitReady(`input[name="step"][value="` + itoa(int64(step)) + `"]`)}
		for _, k := range []string{"on", "p1", "p2", "days", "nf", "nt", "ent", "pre", "yes", "out", "months", "doc", "note"} {
			if v, ok := values[k]; ok {
				acts = append(acts, chromedp.SetValue(`#ds-`+k, v))
			}
		}
		if values["not_disciplined"] != "" {
			acts = append(acts, chromedp.Click(`input[name="not_disciplined"]`))
		}
		if err := submitted(b, `#ds-on`, `#timeline`, acts...); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		body := text(t, b, `main`)
		if want != "" {
			wantText(t, "step "+itoa(int64(step)), body, want)
			return
		}
		if refused(b) {
			t.Fatalf("step %d refused:\n%s", step, body)
		}
	}
	note := func(b context.Context, action, sel string, values map[string]string) {
		t.Helper()
		acts := []chromedp.Action[chromedp.Void]{chromedp.Navigate(s.URL + caseURL), chromedp.WaitVisible(sel)}
		for k, v := range values {
			acts = append(acts, chromedp.SetValue(k, v))
		}
		if err := submitted(b, sel, `#timeline`, acts...); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		if refused(b) {
			t.Fatalf("%s refused:\n%s", action, text(t, b, `main`))
		}
	}
	inspect := func(n int) {
		note(host, "inspection", `#da-on`, map[string]string{`#da-on`: day(n), `#da-text`: "按时参加主题党日，在工地带头做好安全生产"})
	}
	opinion := func(gate, n int) {
		note(host, "opinion", `#do-on`, map[string]string{`#do-gate`: itoa(int64(gate)), `#do-on`: day(n),
			`#do-text`: "该同志在拱墅区运河湾街道务工期间表现突出，同意（运河湾街道党工委）"})
	}

	// The talk 40 days after the application breaks the one-month rule.
	record(homeSide, 2, map[string]string{"on": day(40)}, "一个月内派人谈话")
	screenshot(t, homeSide, "development-refused-talk")
	record(homeSide, 2, map[string]string{"on": day(19)}, "")
	record(host, 3, map[string]string{"on": day(70), "note": "经支部委员会研究，确定为入党积极分子"}, "")
	record(homeSide, 4, map[string]string{"on": day(80)}, "")
	record(host, 5, map[string]string{"on": day(92), "p1": itoa(int64(mentors[0])), "p2": itoa(int64(mentors[1]))}, "")
	for _, n := range []int{180, 300, 430} {
		inspect(n)
	}
	record(host, 6, map[string]string{"on": day(440)}, "")
	// Before the host opinion the home side is shown no approval form.
	if err := chromedp.Do(homeSide, chromedp.Navigate(s.URL+caseURL), chromedp.WaitVisible(`#next .flash-warn`)); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(homeSide, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/steps"]').length`)); n != 0 {
		t.Fatalf("%d step forms before the host opinion", n)
	}
	screenshot(t, homeSide, "development-home-waits-for-opinion")
	if err := chromedp.Do(host, chromedp.Navigate(s.URL+caseURL), chromedp.WaitVisible(`#opinion`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, host, "development-host-cultivation")
	opinion(7, 445)
	record(homeSide, 7, map[string]string{"on": day(450)}, "")
	record(homeSide, 8, map[string]string{"on": day(460)}, "")
	record(homeSide, 9, map[string]string{"on": day(470), "p1": itoa(int64(mentors[0])), "p2": itoa(int64(mentors[1])),
		"not_disciplined": "on"}, "")
	record(homeSide, 10, map[string]string{"on": day(490)}, "")
	record(host, 11, map[string]string{"on": day(510), "days": "3"}, "")
	record(homeSide, 12, map[string]string{"on": day(540), "nf": day(528), "nt": day(534)}, "")
	opinion(17, 542)
	record(homeSide, 13, map[string]string{"on": day(545), "doc": "灌南发字第0216号"}, "")
	record(host, 14, map[string]string{"on": day(555)}, "")
	record(homeSide, 15, map[string]string{"on": day(565), "ent": "23", "pre": "19", "yes": "19"}, "")
	record(homeSide, 16, map[string]string{"on": day(575)}, "")
	record(homeSide, 17, map[string]string{"on": day(610)}, "")
	record(homeSide, 18, map[string]string{"on": day(620)}, "")
	record(host, 19, map[string]string{"on": day(625)}, "")
	record(host, 20, map[string]string{"on": day(640)}, "")
	for _, n := range []int{650, 800, 920} {
		inspect(n)
	}
	record(host, 21, map[string]string{"on": day(940)}, "")
	record(host, 22, map[string]string{"on": day(945)}, "")
	opinion(24, 948)
	record(homeSide, 23, map[string]string{"on": day(950), "ent": "24", "pre": "20", "yes": "20", "out": "convert"}, "")
	record(homeSide, 24, map[string]string{"on": day(980)}, "")
	record(homeSide, 25, map[string]string{"on": day(990), "note": "入党材料归入本人档案"}, "")

	body := text(t, homeSide, `main`)
	wantText(t, "the case archived", body, "已转正", "第25步", "韩立群", "邵春燕", "流入地书面意见")
	if strings.Contains(body, number) {
		t.Fatal("the full ID number is shown")
	}
	screenshot(t, homeSide, "development-case-converted")
	p, err := s.Service.Person(ctx, actorOf(t, s, db, "dongyuan"), applicant)
	if err != nil || p.Membership == nil || p.Membership.Status != domain.StatusFull {
		t.Fatalf("membership after conversion: %+v (%v)", p.Membership, err)
	}

	// Both sides read the whole timeline; the case page fits a phone.
	phone := phoneBrowser(t)
	signIn(t, phone, s.URL, gs.Name, gs.Password, "")
	if err := chromedp.Do(phone, chromedp.Navigate(s.URL+caseURL), chromedp.WaitVisible(`#timeline`)); err != nil {
		t.Fatal(err)
	}
	wantText(t, "host timeline", text(t, phone, `#timeline`), "递交入党申请书", "上级党委审批转正", "材料归档")
	if w, _ := chromedp.Run(phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 400 {
		t.Errorf("the case page is %d pixels wide on a phone", w)
	}
	screenshot(t, phone, "development-case-phone")
	if err := chromedp.Do(homeSide, chromedp.Navigate(s.URL+"/development/report"), chromedp.WaitVisible(`.stats`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, homeSide, "development-report")
}
