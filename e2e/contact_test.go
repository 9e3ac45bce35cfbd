package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The lost-contact list on a desktop: members of a village placed in
// Hangzhou, last reached months ago, some with attempts since.
func TestLostContactListDesktop(t *testing.T) {
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
	today := s.Service.Today()
	for _, m := range []struct {
		name     string
		days     int
		attempts []string
	}{
		{"孙小军", 250, []string{"phone", "visit"}}, {"李红梅", 200, []string{"message"}}, {"王建国", 120, nil},
		{"买买提·艾力", 95, []string{"phone"}}, {"赵文", 10, nil},
	} {
		id, err := s.Service.CreatePerson(ctx, authz.System, service.NewPerson{Name: m.name, Phone: "13812345678", CityCode: "330100",
			OriginOrgID: home, Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: home, MobileOrgID: branch,
				JoinedOn: domain.NewDate(2012, 7, 1)}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx store.Tx) error {
			c := store.Contact{PersonID: id, On: today.AddDays(-m.days), Channel: "meeting", Reached: true, ActorName: "county", RecordedAt: time.Now()}
			if _, err := store.AddContact(ctx, tx, c); err != nil {
				return err
			}
			for i, ch := range m.attempts {
				c := store.Contact{PersonID: id, On: today.AddDays(-20 + 7*i), Channel: ch, Note: "电话无人接听", ActorName: "county", RecordedAt: time.Now()}
				if _, err := store.AddContact(ctx, tx, c); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Service.CheckContacts(ctx, today); err != nil {
		t.Fatal(err)
	}
	desk := browser(t, 1366, 900)
	county := s.account(t, "county")
	signIn(t, desk, s.URL, county.Name, county.Password, "")
	if err := chromedp.Do(desk, chromedp.Navigate(s.URL+"/people/contact"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	page := text(t, desk, `main`)
	for _, w := range []string{"孙小军", "李红梅", "王建国", "买买提·艾力", "已失联", "失联预警"} {
		if !strings.Contains(page, w) {
			t.Errorf("the list lacks %q", w)
		}
	}
	if strings.Contains(page, "赵文") {
		t.Error("a member reached ten days ago is listed")
	}
	if m := fullID.FindString(page); m != "" {
		t.Errorf("the list shows %q in full", m)
	}
	screenshot(t, desk, "contact-warnings")
}
