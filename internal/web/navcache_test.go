package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
)

// TestNavigationRenderedOnce holds the layout's two navigations (the
// phone's menu and the side nav) to one rendering of "navlinks", kept for
// the next page with the same links in the same language and never shown
// for other links; a test's wrapping localizer is asked every time.
func TestNavigationRenderedOnce(t *testing.T) {
	h, bundle, static := pageKit(t)
	pages := h.pages
	member := &authz.Actor{AccountID: 7, Name: "dangyuan1", Grants: []domain.Grant{{Role: authz.RoleMember, OrgID: 4}}}
	page := Page{L: bundle.For(i18n.ZhCN), Title: "web.checkin.title", Account: &account, CSRF: "csrf", Static: static,
		Path: "/checkin/x", Nav: navFor(member, "/checkin/x"), Data: checkinData{Token: "x", M: mtg{sampleMeetings()[0]}}}
	render := func(p Page) string {
		w := httptest.NewRecorder()
		h.execute(w, 200, "checkin", p)
		return w.Body.String()
	}
	var nav strings.Builder
	if err := pages["checkin"].t.ExecuteTemplate(&nav, "navlinks", page); err != nil {
		t.Fatal(err)
	}
	first := render(page)
	if n := strings.Count(first, nav.String()); n != 2 {
		t.Fatalf("the navigation's rendering appears %d times, want 2:\n%s", n, first)
	}
	if again := render(page); again != first || h.navs.n.Load() != 1 {
		t.Fatalf("the same links again: %d kept, page the same %v", h.navs.n.Load(), again == first)
	}
	unread := page
	unread.Nav = append([]NavItem(nil), page.Nav...)
	for i := range unread.Nav {
		if unread.Nav[i].URL == "/inbox" {
			unread.Nav[i].Count = 3
		}
	}
	// The count shows in the menu's summary and in both navigations.
	if got := render(unread); strings.Count(got, `<span class="nav-count">3<`) != 3 || h.navs.n.Load() != 2 {
		t.Fatalf("other links: %d counts shown, %d kept", strings.Count(got, `<span class="nav-count">3<`), h.navs.n.Load())
	}
	if render(page) != first {
		t.Fatal("the first links' page changed after other links")
	}
	rec := &recorder{Localizer: bundle.For(i18n.ZhCN)}
	wrapped := page
	wrapped.L = rec
	wrapped.Nav = append(wrapped.Nav, NavItem{Key: "web.nav.no_such_key", URL: "/nowhere"})
	render(wrapped)
	if h.navs.n.Load() != 2 || !strings.Contains(strings.Join(rec.missing, " "), "web.nav.no_such_key") {
		t.Fatalf("a wrapping localizer: %d kept, asked for %v", h.navs.n.Load(), rec.missing)
	}
}
