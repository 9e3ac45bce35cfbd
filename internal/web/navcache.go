package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"gongjian/internal/i18n"
)

// The side navigation is shown twice on every signed-in page — in the
// phone's menu and beside the content — and was rendered twice: a fifth
// of the check-in page's render (decision 0013, "session 8"). execute
// renders it once into Page.NavHTML, which the layout shows in both
// places, and keeps it for the next page with the same links in the same
// language, which for most requests is every member's. It is the output
// of one template over the language and the links alone, so a kept copy
// is the same bytes as a fresh one.

// navKeep bounds the copies kept: the links differ by the current section
// and the unread count, so the kinds seen are few but not closed.
const navKeep = 4096

// navCache holds rendered navigations by page set, language and links.
type navCache struct {
	m sync.Map // navKey → template.HTML
	n atomic.Int64
}

type navKey struct {
	pt    *pageTemplate
	l     *i18n.Localizer
	links string
}

// navHTML is page.Nav rendered by pt's "navlinks". Only the catalogue's
// own localizers are kept: a test's wrapper must see every key asked for.
func (h *Handler) navHTML(pt *pageTemplate, page Page) (template.HTML, error) {
	l, ok := page.L.(*i18n.Localizer)
	if !ok {
		return renderNav(pt, page)
	}
	key := navKey{pt: pt, l: l, links: navLinksKey(page.Nav)}
	if v, ok := h.navs.m.Load(key); ok {
		return v.(template.HTML), nil
	}
	html, err := renderNav(pt, page)
	if err == nil && h.navs.n.Load() < navKeep {
		if _, loaded := h.navs.m.LoadOrStore(key, html); !loaded {
			h.navs.n.Add(1)
		}
	}
	return html, err
}

func renderNav(pt *pageTemplate, page Page) (template.HTML, error) {
	var b bytes.Buffer
	if err := pt.t.ExecuteTemplate(&b, "navlinks", page); err != nil {
		return "", fmt.Errorf("web: render navigation: %w", err)
	}
	return template.HTML(b.String()), nil // the template's own escaped output
}

// navLinksKey is every field of the links that the navigation shows.
func navLinksKey(nav []NavItem) string {
	var b strings.Builder
	for _, it := range nav {
		b.WriteString(it.Key)
		b.WriteByte(0)
		b.WriteString(it.URL)
		b.WriteByte(0)
		b.WriteString(strconv.FormatBool(it.Active))
		b.WriteByte(0)
		b.WriteString(strconv.Itoa(it.Count))
		b.WriteByte(0x1e)
	}
	return b.String()
}
