package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/store/storetest"
)

// The three tree views of the demo (origin, mobile, host), the Hangzhou
// mobile committee's page with its history, and an agreement's page.
func TestOrganizationTrees(t *testing.T) {
	s := startSite(t, storetest.SQLite(t))
	ctx := browser(t, 1366, 900)
	county := s.account(t, "county")
	signIn(t, ctx, s.URL, county.Name, county.Password, "")
	views := []struct {
		side string
		want []string
	}{
		{"origin", []string{"中共灌南县委员会", "新安镇", "村"}},
		{"mobile", []string{"驻杭州流动党委", "驻苏州流动党总支", "党小组"}},
	}
	for _, v := range views {
		if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+"/orgs?side="+v.side), chromedp.WaitVisible(`ul.org-tree`)); err != nil {
			t.Fatal(err)
		}
		page := text(t, ctx, `main`)
		for _, w := range v.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s tree lacks %q", v.side, w)
			}
		}
		screenshot(t, ctx, "tree-"+v.side)
	}

	// The Hangzhou committee: founded as a branch with 13 members,
	// upgraded to a committee in April 2010.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/orgs?side=mobile"),
		chromedp.WaitVisible(`ul.org-tree`),
		chromedp.Click(`//a[text()="中共灌南县驻杭州流动党委"]`),
		chromedp.WaitVisible(`//h1[contains(., "驻杭州流动党委")]`),
	); err != nil {
		t.Fatal(err)
	}
	page := text(t, ctx, `main`)
	for _, w := range []string{"2010-04", "13", "党委", "运河湾"} {
		if !strings.Contains(page, w) {
			t.Errorf("Hangzhou page lacks %q", w)
		}
	}
	screenshot(t, ctx, "org-hangzhou")

	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+"/agreements"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "agreements")
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+"/orgs/advice"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "org-advice")

	// The host street committee sees its own organization and, beneath it,
	// the mobile organizations its agreement covers.
	host := browser(t, 1366, 900)
	gongshu := s.account(t, "gongshu")
	signIn(t, host, s.URL, gongshu.Name, gongshu.Password, "")
	if err := chromedp.Do(host, chromedp.Navigate(s.URL+"/orgs?side=host"), chromedp.WaitVisible(`ul.org-tree`)); err != nil {
		t.Fatal(err)
	}
	page = text(t, host, `main`)
	for _, w := range []string{"运河湾", "驻杭州流动党委"} {
		if !strings.Contains(page, w) {
			t.Errorf("host tree lacks %q", w)
		}
	}
	if strings.Contains(page, "驻苏州") {
		t.Error("host tree shows an organization its agreements do not cover")
	}
	screenshot(t, host, "tree-host")
}
