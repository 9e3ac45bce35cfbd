package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// lifePeople is the scale of the life pages' demo: 256 members, so that
// a branch's sheet and dues grid have rows to read.
const lifePeople = 20_000

// The demo's three years of organizational life as the county officer
// sees them: the rhythm table with its gaps, a branch's calendar, a theme
// day's attendance sheet, the dues grid and the evaluation distribution.
func TestDemoLifePages(t *testing.T) {
	db := storetest.SQLite(t)
	s := startSiteWith(t, db, lifePeople)
	ctx := context.Background()
	find := func(name string) domain.Org {
		o, err := store.FindOrg(ctx, db.Read(), name)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	branch, committee := find("中共灌南县驻杭州流动党委拱墅支部"), find("中共灌南县驻杭州流动党委")
	id := func(o domain.Org) string { return strconv.FormatInt(int64(o.ID), 10) }
	today := s.Service.Today()
	gap := jiangyinGap(t, s)

	desk := browser(t, 1440, 900)
	county := s.account(t, "county")
	signIn(t, desk, s.URL, county.Name, county.Password, "")
	open := func(path, wait string) string {
		t.Helper()
		if err := chromedp.Do(desk, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(wait)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return text(t, desk, `main`)
	}
	contains := func(page, where string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", where, w)
			}
		}
	}

	page := open("/rhythm", `table.rhythm-table`)
	contains(page, "the rhythm table", "驻江阴流动党支部", gap, "驻张家港流动党支部", "驻杭拱墅支部")
	screenshot(t, desk, "life-rhythm-table")
	open("/rhythm?period=year", `table.rhythm-table`)
	screenshot(t, desk, "life-rhythm-years")

	month := today.Time().AddDate(0, -1, 0)
	page = open(fmt.Sprintf("/orgs/%s/meetings?month=%s", id(branch), month.Format("2006-01")), `main`)
	contains(page, "the calendar", "主题党日", "委员会会议")
	screenshot(t, desk, "life-calendar")

	rows, err := s.Service.ListMeetings(ctx, actorOf(t, s, db, "county"), service.MeetingFilter{Org: branch.ID,
		Kind: domain.MeetingThemeDay, State: domain.MeetingHeld, Newest: true, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("no held theme day (%v)", err)
	}
	page = open("/meetings/"+strconv.FormatInt(int64(rows[0].ID), 10), `main`)
	contains(page, "the meeting", rows[0].Topic, "出席", "应到")
	screenshot(t, desk, "life-meeting")

	page = open("/orgs/"+id(committee)+"/dues", `main`)
	screenshot(t, desk, "life-dues")
	contains(page, "the dues page", "党费")

	page = open(fmt.Sprintf("/evaluations?year=%d", today.Time().Year()-1), `main`)
	contains(page, "the distribution", "优秀", "合格", "基本合格", branch.Name)
	screenshot(t, desk, "life-evaluations")
}
