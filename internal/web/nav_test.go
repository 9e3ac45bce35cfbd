package web

import (
	"testing"
)

// The side navigation marks one item: the longest prefix of the address,
// or, on a record's section page, that section.
func TestNavMarksOneSection(t *testing.T) {
	items := func() []NavItem {
		return []NavItem{{URL: "/"}, {URL: "/orgs"}, {URL: "/people"}, {URL: "/people/contact"}, {URL: "/dues"}, {URL: "/meetings"}}
	}
	for current, want := range map[string]string{
		"/":                "/",
		"/orgs/12":         "/orgs",
		"/orgs/12/dues":    "/dues",
		"/orgs/12/members": "/orgs",
		"/people/7/dues":   "/dues",
		"/people/contact":  "/people/contact",
		"/people/7":        "/people",
		"/meetings/3":      "/meetings",
	} {
		nav := items()
		markActive(nav, current)
		var active []string
		for _, it := range nav {
			if it.Active {
				active = append(active, it.URL)
			}
		}
		if len(active) != 1 || active[0] != want {
			t.Errorf("%s marks %v, want %s", current, active, want)
		}
	}
}
