package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/region"
	"gongjian/internal/service"
	"gongjian/internal/web/assets"
)

// Localizer is the part of *i18n.Localizer the templates use. Pages hold
// the interface so that tests can wrap the real one and record every key
// a page asks for.
type Localizer interface {
	T(id string, args ...any) string
	Lang() string
	Has(id string) bool
}

// Page is the data every page template receives: the fields the layouts'
// page-data contract names (layout/base.html) plus Data, the page's own.
type Page struct {
	L       Localizer
	Title   string
	Account *domain.Account
	Nav     []NavItem
	CSRF    string
	Flash   string
	Static  *assets.Static
	Path    string
	Data    any
	// NavHTML is Nav rendered by the "navlinks" template, which execute
	// fills in: the layout shows the navigation twice and renders it once.
	NavHTML template.HTML
}

// NavItem is one link of the side navigation.
type NavItem struct {
	Key, URL string
	Active   bool
	Count    int // a number shown beside the link (unread notices); zero shows none
}

type pageTemplate struct{ t *template.Template }

// shanghai is China Standard Time. A fixed zone rather than
// time.LoadLocation: the server may lack the tz database, and China has
// kept UTC+8 without daylight saving since 1991.
var shanghai = time.FixedZone("CST", 8*60*60)

var funcs = template.FuncMap{
	// when shows an instant in Beijing time; nil or zero shows nothing.
	"when": func(v any) string {
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case *time.Time:
			if x == nil {
				return ""
			}
			t = *x
		}
		if t.IsZero() {
			return ""
		}
		return t.In(shanghai).Format("2006-01-02 15:04:05")
	},
	// roleKey is the catalogue key of a role's name.
	"roleKey": func(role string) string { return "role." + role },
	// actionKey is the catalogue key of an audit action's name.
	"actionKey": func(action string) string { return "audit.action." + action },
	// The catalogue keys of organization and agreement codes.
	"kindKey": func(k domain.OrgKind) string { return "org.kind." + string(k) },
	// regionInfo names a division code for display, with today's unit
	// beside a historical one.
	"regionInfo":  regionInfo,
	"sideKey":     func(s domain.Side) string { return "org.side." + string(s) },
	"statusKey":   func(s domain.OrgStatus) string { return "org.status." + string(s) },
	"capKey":      func(c domain.Capability) string { return "agreement.cap." + string(c) },
	"stateKey":    func(s domain.AgreementState) string { return "agreement.state." + string(s) },
	"eventKey":    func(e domain.OrgEventKind) string { return "org.event." + string(e) },
	"industryKey": func(code string) string { return "industry." + code },
}

// parsePages parses the layouts and partials once, then each page into its
// own clone of them, as the layouts' contract asks: every page defines
// "content", so pages cannot share one template set.
func parsePages(fsys fs.FS) (map[string]*pageTemplate, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(fsys, "layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layouts: %w", err)
	}
	if partials, _ := fs.Glob(fsys, "partials/*.html"); len(partials) > 0 {
		if base, err = base.ParseFS(fsys, partials...); err != nil {
			return nil, fmt.Errorf("web: parse partials: %w", err)
		}
	}
	files, err := fs.Glob(fsys, "pages/*.html")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("web: no page templates (%v)", err)
	}
	pages := map[string]*pageTemplate{}
	for _, f := range files {
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("web: clone layouts: %w", err)
		}
		if t, err = t.ParseFS(fsys, f); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		pages[strings.TrimSuffix(path.Base(f), ".html")] = &pageTemplate{t: t}
	}
	return pages, nil
}

// render shows page name with data at status. The current path (for the
// language switch) is the request's own for GET; handlers that render after
// a POST use renderAt to name the page's GET address instead.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	p := ""
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p = r.URL.RequestURI()
	}
	h.renderAt(w, r, p, status, name, title, data)
}

func (h *Handler) renderAt(w http.ResponseWriter, r *http.Request, pagePath string, status int, name, title string, data any) {
	v := h.visit(r)
	page := Page{L: v.L, Title: title, CSRF: v.CSRF, Static: h.cfg.Static, Path: pagePath, Data: data}
	if page.Path == "" {
		page.Path = "/"
	}
	// A session waiting for its TOTP code is not signed in yet: it sees
	// the anonymous frame, without the account's name.
	if p := v.Principal; p != nil && p.Stage != service.StageTOTP {
		page.Account = &p.Account
		if p.Stage == service.StageFull {
			page.Nav = navFor(p.Actor, r.URL.Path)
			for i := range page.Nav {
				if page.Nav[i].URL == "/inbox" {
					page.Nav[i].Count = h.unreadFor(r, p)
				}
			}
		}
	}
	page.Flash = takeFlash(w, r, h.cfg.Secure, v.L)
	h.execute(w, status, name, page)
}

// execute runs the page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (h *Handler) execute(w http.ResponseWriter, status int, name string, page Page) {
	layout := "base"
	if page.Account == nil {
		layout = "anon"
	}
	pt, ok := h.pages[name]
	buf := pageBufs.Get().(*bytes.Buffer)
	defer putPageBuf(buf)
	var err error
	if !ok {
		err = fmt.Errorf("no page %q", name)
	} else if layout == "base" && len(page.Nav) > 0 {
		page.NavHTML, err = h.navHTML(pt, page)
	}
	if err == nil {
		err = pt.t.ExecuteTemplate(buf, layout, page)
	}
	if err != nil {
		h.log.Error("web: render", "page", name, "err", err)
		if name != "error" {
			page.Title, page.Data = "error.title", errorData{Status: http.StatusInternalServerError, Message: page.L.T("error.internal")}
			h.execute(w, http.StatusInternalServerError, "error", page)
			return
		}
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageBufs holds the buffers pages render into: a page is 10–30 KB, and
// a fresh buffer grew to it in five or six steps for every request.
var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putPageBuf keeps a buffer for the next page, unless an unusual page
// made it large.
func putPageBuf(b *bytes.Buffer) {
	if b.Cap() <= 256<<10 {
		b.Reset()
		pageBufs.Put(b)
	}
}

// navFor builds the side navigation from what the actor may do, so a link
// appears only where the page behind it would answer.
func navFor(a *authz.Actor, current string) []NavItem {
	items := []NavItem{{Key: "nav.home", URL: "/"}, {Key: "web.inbox.nav", URL: "/inbox"}}
	if canSomewhere(a, authz.OrgRead) {
		items = append(items, NavItem{Key: "web.org.nav", URL: "/orgs"})
	}
	if canSomewhere(a, authz.AgreementRead) {
		items = append(items, NavItem{Key: "web.agreement.nav", URL: "/agreements"})
	}
	if canSomewhere(a, authz.PersonRead) {
		items = append(items, NavItem{Key: "web.person.nav", URL: "/people"})
	}
	if canSomewhere(a, authz.PersonWrite) {
		items = append(items, NavItem{Key: "web.import.nav", URL: "/import"})
	}
	if canSomewhere(a, authz.PersonRead) {
		items = append(items, NavItem{Key: "web.coverage.nav", URL: "/people/coverage"})
		items = append(items, NavItem{Key: "web.contact.nav", URL: "/people/contact"})
		items = append(items, NavItem{Key: "web.absence.nav", URL: "/people/absence"})
	}
	if canSomewhere(a, authz.OrgRead) {
		items = append(items, NavItem{Key: "web.rhythm.nav", URL: "/rhythm"})
	}
	if canSomewhere(a, authz.FeedbackWrite) {
		items = append(items, NavItem{Key: "web.feedback.nav", URL: "/feedback"}, NavItem{Key: "web.evaluation.nav", URL: "/evaluations"})
	}
	if canSomewhere(a, authz.DuesRead) {
		items = append(items, NavItem{Key: "web.dues.nav", URL: "/dues"})
	}
	if canSomewhere(a, authz.MeetingRead) {
		items = append(items, NavItem{Key: "web.meeting.nav", URL: "/meetings"})
	}
	if devNav(service.DevelopmentSides(a)) {
		items = append(items, NavItem{Key: "web.development.nav", URL: "/development"})
	}
	if a.Has(authz.RoleMember) {
		items = append(items, NavItem{Key: "web.me.nav", URL: "/me"})
	}
	if a.Can(authz.AuditRead).Allowed {
		items = append(items, NavItem{Key: "nav.audit", URL: "/audit"})
	}
	if a.Can(authz.AccountRead).Allowed {
		items = append(items, NavItem{Key: "nav.accounts", URL: "/admin/accounts"})
	}
	if a.Can(authz.PolicyManage).Allowed {
		items = append(items, NavItem{Key: "web.nav.policy", URL: "/admin/policy"})
	}
	if service.CanSeeOutbox(a) {
		items = append(items, NavItem{Key: "web.outbox.nav", URL: "/admin/outbox"})
	}
	items = append(items, NavItem{Key: "nav.account", URL: "/account"})
	markActive(items, current)
	return items
}

// markActive marks the item whose address is the longest prefix of the
// current one: /people/contact marks "lost contact", not "people" as
// well. A section shown for one record (/orgs/12/dues, /people/7/meetings)
// marks that section's own item when there is one.
func markActive(items []NavItem, current string) {
	if seg := strings.Split(current, "/"); len(seg) > 3 && (seg[1] == "orgs" || seg[1] == "people") {
		for i, it := range items {
			if it.URL == "/"+seg[3] {
				items[i].Active = true
				return
			}
		}
	}
	best := -1
	for i, it := range items {
		u := it.URL
		if (current == u || (u != "/" && strings.HasPrefix(current, u+"/"))) && (best < 0 || len(u) > len(items[best].URL)) {
			best = i
		}
	}
	if best >= 0 {
		items[best].Active = true
	}
}

// redirect answers a form post (or a page the visitor may not see yet)
// with 303, so the browser follows with a GET.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// flash queues a message for the page after the redirect.
func (h *Handler) flash(w http.ResponseWriter, key string, args ...string) {
	SetFlash(w, h.cfg.Secure, key, args...)
}

// regionView is a division code as a page shows it.
type regionView struct {
	Path        string // 江苏省 连云港市 灌南县
	Historical  bool
	Current     string // today's name, for a historical code
	CurrentCode string
}

func regionInfo(code string) *regionView {
	r, ok := region.Lookup(code)
	if !ok {
		return nil
	}
	var names []string
	for _, p := range r.Path() {
		names = append(names, p.Name)
	}
	v := &regionView{Path: strings.Join(names, " "), Historical: r.Historical}
	if cur, ok := r.Current(); ok && r.Historical {
		v.Current, v.CurrentCode = cur.Name, cur.Code
	}
	return v
}
