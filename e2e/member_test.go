package e2e

import (
	"context"
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

// The member's journey on a phone (SCENARIOS.md, "Member"): the security
// officer links the account to the member's record from the ID number; the
// member signs in on a phone, sees the own record masked and the activity
// certificate with its QR code, and reports a move from Hangzhou to Wuxi
// with a new employer; the home branch's secretary finds the notice in the
// inbox; anyone opening the QR code's address sees the check, masked.
func TestMemberOnPhone(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSite(t, db)
	ctx := context.Background()
	org := func(name string) domain.OrgID {
		o, err := store.FindOrg(ctx, db.Read(), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return o.ID
	}
	home, branch := org("东园村党支部"), org("中共灌南县驻杭州流动党委拱墅支部")
	const idNumber = "11010519491231002X"
	person, err := s.Service.CreatePerson(ctx, actorOf(t, s, db, "county"), service.NewPerson{Name: "孙小军", IDNumber: idNumber,
		Phone: "13812345678", Employer: "杭州建工集团", Industry: "E", CityCode: "330100", DistrictCode: "330105", OriginOrgID: home,
		Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: home, MobileOrgID: branch}})
	if err != nil {
		t.Fatal(err)
	}
	today := s.Service.Today()
	if err := s.Service.IssueCertificate(ctx, actorOf(t, s, db, "dongyuan"), person, service.NewCertificate{Number: "GN-2026-00015",
		From: today, To: today.AddMonths(12).AddDays(-1)}); err != nil {
		t.Fatal(err)
	}

	// The security officer links the account at a desk; the demo has
	// linked it to its own 孙小军 already, so this journey starts unlinked.
	linkMember(t, db, 0)
	desk := browser(t, 1366, 900)
	sec, member := s.account(t, "secofficer"), s.account(t, "member")
	acc, err := store.AccountByName(ctx, db.Read(), member.Name)
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, desk, s.URL, sec.Name, sec.Password, sec.TOTPSecret)
	if err := chromedp.Do(desk,
		chromedp.Navigate(s.URL+"/admin/accounts/"+itoa(int64(acc.ID))),
		chromedp.WaitVisible(`#link-id`),
		chromedp.SendKeys(`#link-id`, idNumber),
		chromedp.Submit(`#link-id`),
		chromedp.WaitVisible(`form[action$="/person/unlink"]`),
	); err != nil {
		t.Fatal(err)
	}
	page := text(t, desk, `main`)
	wantText(t, "account page", page, "孙小军", "110105********002X")
	screenshot(t, desk, "member-account-linked")

	// The member, on a phone.
	phone := phoneBrowser(t)
	signIn(t, phone, s.URL, member.Name, member.Password, "")
	if err := chromedp.Do(phone, chromedp.Navigate(s.URL+"/me"), chromedp.WaitVisible(`.me-actions`)); err != nil {
		t.Fatal(err)
	}
	wantText(t, "own page", text(t, phone, `main`), "孙小军", "110105********002X", "138****5678", "拱墅支部")
	screenshot(t, phone, "member-me")

	if err := chromedp.Do(phone, chromedp.Click(`a[href="/me/certificate"]`), chromedp.WaitVisible(`img.qr`)); err != nil {
		t.Fatal(err)
	}
	href, err := chromedp.Run(phone, chromedp.AttributeValue(`a[href*="/verify/c/"]`, "href"))
	if err != nil {
		t.Fatal(err)
	}
	verifyURL := href.Value
	wantText(t, "certificate", text(t, phone, `main`), "GN-2026-00015", "孙小军", "110105********002X", "东园村支部委员会")
	screenshot(t, phone, "member-certificate")
	if !strings.HasPrefix(verifyURL, s.URL+"/verify/c/") {
		t.Fatalf("verify address %q", verifyURL)
	}
	for _, leak := range []string{"孙", idNumber, "13812345678"} {
		if strings.Contains(verifyURL, leak) {
			t.Errorf("the QR address holds %q", leak)
		}
	}

	// The move: first the city, then the rest.
	if err := submitted(phone, `#m-city`, `#m-district`,
		chromedp.Navigate(s.URL+"/me/move"),
		chromedp.WaitVisible(`#m-city`),
		chromedp.SetValue(`#m-city`, "320200"),
	); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(phone,
		chromedp.SetValue(`#m-district`, "320214"),
		chromedp.SendKeys(`#m-employer`, "无锡新吴电子有限公司"),
	); err != nil {
		t.Fatal(err)
	}
	wantText(t, "move form", text(t, phone, `main`), "江苏省 无锡市")
	screenshot(t, phone, "member-move")
	if err := submitted(phone, `#m-employer`, `.suggestions, .me-card`); err != nil {
		t.Fatal(err)
	}
	done := text(t, phone, `main`)
	wantText(t, "move done", done, "新吴区", "无锡新吴电子有限公司", "驻无锡流动党支部")
	screenshot(t, phone, "member-move-done")

	// The home branch's secretary finds the notice and follows it.
	dy := s.account(t, "dongyuan")
	office := browser(t, 1366, 900)
	signIn(t, office, s.URL, dy.Name, dy.Password, dy.TOTPSecret)
	if err := chromedp.Do(office, chromedp.Navigate(s.URL+"/inbox"), chromedp.WaitVisible(`.inbox`)); err != nil {
		t.Fatal(err)
	}
	wantText(t, "inbox", text(t, office, `main`), "孙小军", "无锡", "无锡新吴电子有限公司")
	wantText(t, "navigation", text(t, office, `.sidenav`), "1")
	screenshot(t, office, "member-inbox")
	if err := chromedp.Do(office, chromedp.Click(`.notice-unread a`), chromedp.WaitVisible(`a[href$="/certificate"]`)); err != nil {
		t.Fatal(err)
	}
	wantText(t, "person page", text(t, office, `main`), "无锡新吴电子有限公司", "GN-2026-00015", "安排流动党组织")
	screenshot(t, office, "member-person-page")

	// Anyone may check the certificate; a damaged code proves nothing.
	stranger := phoneBrowser(t)
	if err := chromedp.Do(stranger, chromedp.Navigate(verifyURL), chromedp.WaitVisible(`.verify`)); err != nil {
		t.Fatal(err)
	}
	check := text(t, stranger, `main`)
	wantText(t, "check", check, "有效", "孙*军", "110105********002X", "GN-2026-00015")
	if strings.Contains(check, "孙小军") {
		t.Error("the check shows the name in clear")
	}
	screenshot(t, stranger, "member-verify")
	if err := chromedp.Do(stranger, chromedp.Navigate(verifyURL[:len(verifyURL)-2]+"xx"), chromedp.WaitVisible(`.verify-forged`)); err != nil {
		t.Fatal(err)
	}
	forged := text(t, stranger, `main`)
	wantText(t, "forged check", forged, "无法核验")
	if strings.Contains(forged, "孙") || strings.Contains(forged, "GN-2026") {
		t.Errorf("a forged code shows data: %s", forged)
	}
	screenshot(t, stranger, "member-verify-forged")
}

func wantText(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
	if m := fullID.FindString(got); m != "" {
		t.Errorf("%s shows %q in full", what, m)
	}
}

func actorOf(t *testing.T, s *site, db *store.DB, name string) *authz.Actor {
	t.Helper()
	acc, err := store.AccountByName(context.Background(), db.Read(), name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Service.ActorFor(context.Background(), acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
