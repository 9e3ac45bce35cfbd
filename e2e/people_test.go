package e2e

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/authz"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

var fullID = regexp.MustCompile(`\d{17}[\dX]|1[3-9]\d{9}`)

// The people list on a desktop and a member's own page on a phone; no full
// ID number or phone appears on either. The list holds the demo's
// workers; two people registered here are found by their employer; the
// member account's page shows the demo person linked to it.
func TestPeoplePagesDesktopAndPhone(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSite(t, db)
	ctx := context.Background()
	home, err := store.FindOrg(ctx, db.Read(), "东园村党支部")
	if err != nil {
		t.Fatal(err)
	}
	const employer = "端到端测试建工集团"
	for _, p := range []service.NewPerson{
		{Name: "张伟", IDNumber: "11010519491231002X", Phone: "13812345678", Employer: employer, Industry: "E",
			CityCode: "330100", DistrictCode: "330105", OriginOrgID: home.ID},
		{Name: "买买提·艾力", Phone: "13712345678", Employer: employer, CityCode: "320500", OriginOrgID: home.ID},
	} {
		if _, err := s.Service.CreatePerson(ctx, authz.System, p); err != nil {
			t.Fatal(err)
		}
	}
	// The demo links the member account to its own record already.
	member := s.account(t, "member")
	desk := browser(t, 1366, 900)
	county := s.account(t, "county")
	signIn(t, desk, s.URL, county.Name, county.Password, "")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/people"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	page := text(t, desk, `main`)
	if !strings.Contains(page, "2002") {
		t.Errorf("people list does not count the demo's 2,000 workers and the two added: %.300s", page)
	}
	if m := fullID.FindString(page); m != "" {
		t.Errorf("people list shows %q in full", m)
	}
	screenshot(t, desk, "people-list")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/people?employer="+url.QueryEscape(employer)), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	page = text(t, desk, `main`)
	for _, w := range []string{"张伟", "买买提·艾力", "110105********002X", "138****5678"} {
		if !strings.Contains(page, w) {
			t.Errorf("people list by employer lacks %q", w)
		}
	}
	if m := fullID.FindString(page); m != "" {
		t.Errorf("people list shows %q in full", m)
	}

	row, err := store.AccountByName(ctx, db.Read(), "member")
	if err != nil || row.PersonID == 0 {
		t.Fatalf("member account %+v %v", row, err)
	}
	own, err := store.PersonByID(ctx, db.Read(), row.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	phone := browser(t, 390, 844)
	signIn(t, phone, s.URL, member.Name, member.Password, "")
	if err := chromedp.Do(phone, chromedp.Navigate(s.URL+"/me"), chromedp.WaitVisible(`main`)); err != nil {
		t.Fatal(err)
	}
	page = text(t, phone, `main`)
	if !strings.Contains(page, own.Name) || !strings.Contains(page, string(own.Phone)) {
		t.Errorf("own page lacks %s %s: %s", own.Name, own.Phone, page)
	}
	if m := fullID.FindString(page); m != "" {
		t.Errorf("own page shows %q in full", m)
	}
	screenshot(t, phone, "me-phone")
}
