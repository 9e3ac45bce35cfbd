package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/demo"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// gongshuBranch is the demo's Gongshu branch, whose three years of
// meetings the demo's life step wrote.
func gongshuBranch(t *testing.T, db *store.DB) domain.OrgID {
	t.Helper()
	o, err := store.FindOrg(context.Background(), db.Read(), "中共灌南县驻杭州流动党委拱墅支部")
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// jiangyinGap is the rhythm table's sentence for the latest closed month
// the demo's 驻江阴 branch held no theme day.
func jiangyinGap(t *testing.T, s *site) string {
	t.Helper()
	today := s.Service.Today()
	rules, err := s.Service.RhythmRules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range demo.LifeGaps(today, rules) {
		if g.Org == "中共灌南县驻江阴流动党支部" && g.Span.Last.Before(today) {
			return fmt.Sprintf("%d年%d月：未开展主题党日", g.Span.First.Time().Year(), int(g.Span.First.Time().Month()))
		}
	}
	t.Fatal("no gap of 驻江阴")
	return ""
}

// The county's rhythm table and an organization's rhythm section, on a
// desktop.
func TestRhythmTableAndOrgSection(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSiteWith(t, db, lifePeople)
	gongshu := gongshuBranch(t, db)
	desk := browser(t, 1440, 900)
	county := s.account(t, "county")
	signIn(t, desk, s.URL, county.Name, county.Password, "")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/rhythm?period=month&kind=theme_day"), chromedp.WaitVisible(`table.rhythm-table`)); err != nil {
		t.Fatal(err)
	}
	page := text(t, desk, `main`)
	for _, w := range []string{"组织生活开展情况", "驻江阴流动党支部", jiangyinGap(t, s), "缺项"} {
		if !strings.Contains(page, w) {
			t.Errorf("the table lacks %q", w)
		}
	}
	screenshot(t, desk, "rhythm-table")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/rhythm?period=quarter"), chromedp.WaitVisible(`table.rhythm-table`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, desk, "rhythm-table-quarters")

	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/orgs/"+strconv.FormatInt(int64(gongshu), 10)), chromedp.WaitVisible(`#rhythm`)); err != nil {
		t.Fatal(err)
	}
	section := text(t, desk, `#rhythm`)
	for _, w := range []string{"组织生活", "本周期", "参会率", "请假"} {
		if !strings.Contains(section, w) {
			t.Errorf("the section lacks %q:\n%s", w, section)
		}
	}
	screenshot(t, desk, "org-rhythm")

	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/orgs/"+strconv.FormatInt(int64(gongshu), 10)+"/attendance"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	if p := text(t, desk, `main`); !strings.Contains(p, "孙小军") || !strings.Contains(p, "参会率") {
		t.Errorf("attendance page:\n%s", p)
	}
	screenshot(t, desk, "org-attendance")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/people/absence"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	if p := text(t, desk, `main`); !strings.Contains(p, "驻") || strings.Contains(p, "孙小军") {
		t.Errorf("absence list:\n%s", p)
	}
	screenshot(t, desk, "absence-list")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/rhythm/rules"), chromedp.WaitVisible(`table.rules-table`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, desk, "rhythm-rules")
}

// The daily check's reminders and absence notices go out through the
// outbox; the security officer's page shows them sent to the log.
func TestOutboxPage(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSiteWith(t, db, lifePeople)
	ctx := context.Background()
	// The site runs on the real clock; the check runs as on the month's
	// last day, when every monthly rule not yet met is due a reminder
	// (the demo leaves this month's theme day unheld somewhere), so the
	// test does not depend on the day it runs.
	res, err := s.Service.CheckRhythm(ctx, domain.SpanOf(domain.Monthly, s.Service.Today()).Last)
	if err != nil || res.Reminders == 0 || res.Notices == 0 {
		t.Fatalf("check %+v %v", res, err)
	}
	sent, err := s.Service.DeliverOutbox(ctx, "e2e")
	if err != nil || sent.Sent == 0 {
		t.Fatalf("delivery %+v %v", sent, err)
	}
	desk := browser(t, 1366, 900)
	sec := s.account(t, "secofficer")
	signIn(t, desk, s.URL, sec.Name, sec.Password, sec.TOTPSecret)
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/admin/outbox"), chromedp.WaitVisible(`table.outbox-table`)); err != nil {
		t.Fatal(err)
	}
	if p := text(t, desk, `main`); !strings.Contains(p, "已发送") || !strings.Contains(p, "组织生活提醒") {
		t.Errorf("outbox page:\n%s", p)
	}
	screenshot(t, desk, "outbox")
}
