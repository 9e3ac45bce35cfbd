package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

var fullID = regexp.MustCompile(`\d{17}[\dX]|1[3-9]\d{9}`)

// The people list on a desktop and a member's own page on a phone; no full
// ID number or phone appears on either.
func TestPeoplePagesDesktopAndPhone(t *testing.T) {
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
	home, branch := org("东园村党支部"), org("中共灌南县驻杭州流动党委拱墅支部")
	for _, p := range []service.NewPerson{
		{Name: "孙小军", IDNumber: "11010519491231002X", Phone: "13812345678", Employer: "杭州建工集团", Industry: "E",
			CityCode: "330100", DistrictCode: "330105", OriginOrgID: home,
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: home, MobileOrgID: branch}},
		{Name: "张伟", Phone: "13912345678", CityCode: "330100", OriginOrgID: home},
		{Name: "买买提·艾力", Phone: "13712345678", CityCode: "320500", OriginOrgID: home},
	} {
		if _, err := s.Service.CreatePerson(ctx, authz.System, p); err != nil {
			t.Fatal(err)
		}
	}
	// The security officer links the demo member's account to its record.
	member := s.account(t, "member")
	acc, err := store.AccountByName(ctx, db.Read(), member.Name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Service.BootstrapLinkPerson(ctx, acc.ID, "11010519491231002X"); err != nil {
		t.Fatal(err)
	}
	desk := browser(t, 1366, 900)
	county := s.account(t, "county")
	signIn(t, desk, s.URL, county.Name, county.Password, "")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/people"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	page := text(t, desk, `main`)
	for _, w := range []string{"孙小军", "张伟", "买买提·艾力", "110105********002X", "138****5678"} {
		if !strings.Contains(page, w) {
			t.Errorf("people list lacks %q", w)
		}
	}
	if m := fullID.FindString(page); m != "" {
		t.Errorf("people list shows %q in full", m)
	}
	screenshot(t, desk, "people-list")

	phone := browser(t, 390, 844)
	signIn(t, phone, s.URL, member.Name, member.Password, "")
	if err := chromedp.Do(phone, chromedp.Navigate(s.URL+"/me"), chromedp.WaitVisible(`main`)); err != nil {
		t.Fatal(err)
	}
	page = text(t, phone, `main`)
	if !strings.Contains(page, "孙小军") || !strings.Contains(page, "138****5678") {
		t.Errorf("own page: %s", page)
	}
	if m := fullID.FindString(page); m != "" {
		t.Errorf("own page shows %q in full", m)
	}
	screenshot(t, phone, "me-phone")
}
