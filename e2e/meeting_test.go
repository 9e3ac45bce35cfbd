package e2e

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// QR check-in end to end (issue #5, "Done when"): the Hangzhou secretary
// plans today's theme Party day on a desktop, jointly with the Yunhewan
// street committee, and its page shows the rotating code; a member's
// phone (390×844), not signed in, opens the code's address, signs in,
// lands back on the check-in and confirms; the secretary's page then
// counts the check-in. The code is read from the page (data-token), not
// decoded from the image. The host officer then records the street's own
// people who came (the host side), apart from the members' count.
func TestQRCheckinDesktopAndPhone(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSite(t, db)
	ctx := context.Background()
	branch, err := store.FindOrg(ctx, db.Read(), "中共灌南县驻杭州流动党委拱墅支部")
	if err != nil {
		t.Fatal(err)
	}
	home, err := store.FindOrg(ctx, db.Read(), "东园村党支部")
	if err != nil {
		t.Fatal(err)
	}
	host, err := store.FindOrg(ctx, db.Read(), "中共杭州市拱墅区运河湾街道工作委员会")
	if err != nil {
		t.Fatal(err)
	}
	var own domain.PersonID
	for _, name := range []string{"孙小军", "钱红梅", "冯建设"} {
		id, err := s.Service.CreatePerson(ctx, authz.System, service.NewPerson{Name: name, OriginOrgID: home.ID,
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: home.ID, MobileOrgID: branch.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if own == 0 {
			own = id
		}
	}
	member := s.account(t, "member")
	linkMember(t, db, own)
	expected := strconv.Itoa(placedIn(t, db, branch)) // the demo's members of the branch and these three

	// The secretary plans today's theme day on the desktop.
	desk := browser(t, 1366, 900)
	sec := s.account(t, "hangzhou")
	signIn(t, desk, s.URL, sec.Name, sec.Password, "")
	today := s.Service.Today().String()
	if err := chromedp.Do(desk,
		chromedp.Navigate(s.URL+"/meetings/new?org="+itoa(int64(branch.ID))),
		chromedp.WaitVisible(`#m-topic`),
		chromedp.SetValue(`#m-kind`, "theme_day"),
		chromedp.SendKeys(`#m-topic`, "学习党的二十届四中全会精神"),
		chromedp.SetValue(`#m-day`, today),
		chromedp.SetValue(`#m-start`, "00:05"),
		chromedp.SetValue(`#m-end`, "23:55"),
		chromedp.SendKeys(`#m-place`, "拱墅区建设工地项目部会议室"),
		chromedp.SendKeys(`#m-organizer`, "周长林"),
		chromedp.SetValue(`#m-co`, itoa(int64(host.ID))),
		chromedp.ScrollIntoView(`.breadcrumb, h1`),
	); err != nil {
		t.Fatal(err)
	}
	screenshot(t, desk, "meeting-new-desktop")
	if err := chromedp.Do(desk, chromedp.Submit(`#m-topic`), chromedp.WaitVisible(`#checkin-panel img[data-token]`)); err != nil {
		t.Fatal(err)
	}
	attr, err := chromedp.Run(desk, chromedp.AttributeValue(`#checkin-panel img`, "data-token"))
	token := attr.Value
	if err != nil || !attr.Exists || token == "" {
		t.Fatalf("no code on the meeting page (%v)", err)
	}
	pageURL, err := chromedp.Run(desk, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	page := text(t, desk, `main`)
	for _, want := range []string{"扫码签到", "0", "应到 " + expected + " 人", "孙小军", "钱红梅", "冯建设"} {
		if !strings.Contains(page, want) {
			t.Errorf("the meeting page lacks %q", want)
		}
	}
	screenshot(t, desk, "meeting-qr-desktop")

	// The member's phone, not signed in, scans the code.
	phone := phoneBrowser(t)
	if err := chromedp.Do(phone,
		chromedp.Navigate(s.URL+"/checkin/"+token),
		chromedp.WaitVisible(`#name`),
	); err != nil {
		t.Fatal(err)
	}
	if loc, err := chromedp.Run(phone, chromedp.Location()); err != nil || !strings.Contains(loc, "next="+url.QueryEscape("/checkin/"+token)) {
		t.Fatalf("not sent to sign in and back: %s (%v)", loc, err)
	}
	if err := chromedp.Do(phone,
		chromedp.SendKeys(`#name`, member.Name),
		chromedp.SendKeys(`#password`, member.Password),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`#checkin-confirm`),
	); err != nil {
		t.Fatal(err)
	}
	confirm := text(t, phone, `main`)
	if !strings.Contains(confirm, "学习党的二十届四中全会精神") || !strings.Contains(confirm, "孙小军") {
		t.Errorf("the check-in page shows %q", confirm)
	}
	screenshot(t, phone, "checkin-phone")
	if err := chromedp.Do(phone, chromedp.Click(`#checkin-confirm`), chromedp.WaitVisible(`.flash`)); err != nil {
		t.Fatal(err)
	}
	done := text(t, phone, `main`)
	if !strings.Contains(done, "签到成功") || !strings.Contains(done, "出席") {
		t.Errorf("after check-in the phone shows %q", done)
	}
	screenshot(t, phone, "checkin-done-phone")

	// A second scan of the same code: already checked in.
	if err := chromedp.Do(phone, chromedp.Navigate(s.URL+"/checkin/"+token), chromedp.WaitVisible(`.flash-error`)); err != nil {
		t.Fatal(err)
	}
	if again := text(t, phone, `.flash-error`); !strings.Contains(again, "无需重复签到") {
		t.Errorf("a second scan says %q", again)
	}
	if err := chromedp.Do(phone, chromedp.Navigate(s.URL+"/me"), chromedp.WaitVisible(`main`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, phone, "me-meetings-phone")

	// The secretary's page counts the check-in.
	if err := chromedp.Do(desk, chromedp.Navigate(pageURL), chromedp.WaitVisible(`.checkin-latest`)); err != nil {
		t.Fatal(err)
	}
	if latest := text(t, desk, `.checkin-latest`); !strings.Contains(latest, "孙小军") {
		t.Errorf("latest check-ins: %q", latest)
	}
	if count := text(t, desk, `.checkin-count .stat-value`); strings.TrimSpace(count) != "1" {
		t.Errorf("count %q", count)
	}
	screenshot(t, desk, "meeting-after-checkin")

	// The month calendar on the desktop, and as a list on the secretary's
	// phone.
	cal := s.URL + "/orgs/" + itoa(int64(branch.ID)) + "/meetings"
	if err := chromedp.Do(desk, chromedp.Navigate(cal), chromedp.WaitVisible(`.calendar`)); err != nil {
		t.Fatal(err)
	}
	if grid := text(t, desk, `.calendar`); !strings.Contains(grid, "学习党的二十届四中全会精神") {
		t.Errorf("calendar grid: %q", grid)
	}
	screenshot(t, desk, "meeting-calendar-desktop")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/meetings"), chromedp.WaitVisible(`table.meeting-table`)); err != nil {
		t.Fatal(err)
	}
	if list := text(t, desk, `table.meeting-table`); !strings.Contains(list, "1 / "+expected) {
		t.Errorf("the list of meetings shows %q", list)
	}
	screenshot(t, desk, "meetings-list-desktop")
	secPhone := phoneBrowser(t)
	signIn(t, secPhone, s.URL, sec.Name, sec.Password, "")
	if err := chromedp.Do(secPhone, chromedp.Navigate(cal), chromedp.WaitVisible(`.meeting-list`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, secPhone, "meeting-calendar-phone")
	if err := chromedp.Do(secPhone, chromedp.Navigate(pageURL), chromedp.WaitVisible(`#checkin-panel img`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, secPhone, "meeting-qr-phone")

	hostSide(t, s, pageURL)
}

// hostSide: the host officer of the co-organizing street committee opens
// the joint meeting on a desktop and records two of its officers by name
// and the residents who came by headcount; a line with a phone number in
// it is refused on the form.
func hostSide(t *testing.T, s *site, pageURL string) {
	desk := browser(t, 1366, 900)
	officer := s.account(t, "gongshu")
	signIn(t, desk, s.URL, officer.Name, officer.Password, "")
	add := func(name, post, party, count string) {
		t.Helper()
		if err := submitted(desk, `#ha-name`, `#host-side`,
			chromedp.Navigate(pageURL),
			chromedp.WaitVisible(`#ha-name`),
			chromedp.SendKeys(`#ha-name`, name),
			chromedp.SendKeys(`#ha-post`, post),
			chromedp.SetValue(`#ha-party`, party),
			chromedp.SendKeys(`#ha-count`, count),
		); err != nil {
			t.Fatal(err)
		}
	}
	add("钱志文", "运河湾街道党工委 组织委员", "yes", "")
	add("方晓燕", "运河湾街道党群服务中心 主任", "yes", "")
	add("", "运河湾街道辖区党员和居民", "", "12")
	add("叶建华 13812345678", "社区网格员", "no", "")
	if refused := text(t, desk, `#host-side`); !strings.Contains(refused, "不登记身份证号、电话等号码") {
		t.Errorf("a phone number in a host line is not refused: %q", refused)
	}
	if err := chromedp.Do(desk, chromedp.Navigate(pageURL), chromedp.WaitVisible(`#host-side`)); err != nil {
		t.Fatal(err)
	}
	side := text(t, desk, `#host-side`)
	for _, want := range []string{"钱志文", "运河湾街道党工委 组织委员", "方晓燕", "（未列姓名）", "12"} {
		if !strings.Contains(side, want) {
			t.Errorf("the host side lacks %q: %q", want, side)
		}
	}
	if details := text(t, desk, `.props`); !strings.Contains(details, "共 14 人（列名 2 人，另 12 人）；其中党员 2 人") {
		t.Errorf("the meeting's details: %q", details)
	}
	screenshot(t, desk, "meeting-host-side")
}
