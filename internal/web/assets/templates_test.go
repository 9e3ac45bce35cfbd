package assets

import (
	"bytes"
	"html/template"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"unicode"

	"gongjian/internal/i18n"
)

// The page data as the layouts' top comment describes it. The web package
// owns the real type; this minimal twin keeps the contract honest here.
type (
	testAccount struct{ DisplayName, Name string }
	testNavItem struct {
		Key, URL string
		Active   bool
		Count    int
	}
	testPage struct {
		L       *recordingLocalizer
		Title   string
		Account *testAccount
		Nav     []testNavItem
		CSRF    string
		Flash   string
		Static  *Static
		Path    string
		NavHTML template.HTML // "navlinks" over the page, as the handler fills it in
	}
)

// recordingLocalizer is the real Localizer plus a note of every ID the
// template asked for that the catalogue lacks, so a typo in a layout fails
// the test instead of showing "nav.hoem" to users.
type recordingLocalizer struct {
	*i18n.Localizer
	mu      sync.Mutex
	missing []string
}

func (r *recordingLocalizer) T(id string, args ...any) string {
	if !r.Has(id) {
		r.mu.Lock()
		r.missing = append(r.missing, id)
		r.mu.Unlock()
	}
	return r.Localizer.T(id, args...)
}

func parseLayouts(t *testing.T) *template.Template {
	t.Helper()
	tmpl, err := template.ParseFS(Templates(), "layout/*.html")
	if err != nil {
		t.Fatalf("parse layouts: %v", err)
	}
	// A page is parsed after the layouts, as the contract asks.
	_, err = tmpl.New("page").Parse(`{{define "content"}}<p>{{.L.T "common.loading"}}</p>{{end}}`)
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	return tmpl
}

func TestLayoutsExecute(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	// Built from the committed files only, so the result does not depend on
	// whether `make assets` ran on this machine.
	plain := mustStatic(t, committedOnly(t))
	withHTMX := mustStatic(t, fstest.MapFS{
		"css/app.css": {Data: []byte("a{}")},
		"js/app.js":   {Data: []byte("1")},
		HTMX:          {Data: []byte("var htmx")},
	})
	signedIn := &testAccount{DisplayName: "张三", Name: "zhangsan"}
	nav := []testNavItem{
		{Key: "nav.home", URL: "/", Active: true},
		{Key: "nav.audit", URL: "/audit"},
	}

	tests := []struct {
		name, layout, lang string
		account            *testAccount
		nav                []testNavItem
		static             *Static
		flash              string
		want, notWant      []string
	}{
		{
			name: "signed in, zh-CN", layout: "base", lang: i18n.ZhCN,
			account: signedIn, nav: nav, static: plain, flash: "flash.saved",
			want: []string{
				`<html lang="zh-CN">`, `<meta name="csrf-token" content="tok&#43;en">`,
				`name="csrf" value="tok&#43;en"`, `<title>账号登录 · 共建</title>`,
				`href="` + plain.URL("css/app.css") + `"`, `src="` + plain.URL("js/app.js") + `"`,
				`aria-current="page">首页</a>`, `>张三</a>`, `action="/logout"`, `保存成功。`,
				`<option value="zh-CN" selected>简体中文</option>`, `name="next" value="/audit?page=2"`,
				`<p>正在加载…</p>`,
			},
			notWant: []string{"htmx.min"}, // no bundle, no htmx
		},
		{
			name: "signed in, en, with htmx", layout: "base", lang: i18n.En,
			account: &testAccount{Name: "li4"}, nav: nav, static: withHTMX,
			want: []string{
				`<html lang="en">`, `<title>Sign in · gongjian</title>`, `>Audit log</a>`,
				`src="` + withHTMX.URL(HTMX) + `" defer`, `>li4</a>`,
				`<option value="en" selected>English</option>`,
			},
			notWant: []string{`class="flash"`},
		},
		{
			name: "anonymous in base", layout: "base", lang: i18n.ZhCN, static: plain,
			notWant: []string{`action="/logout"`, `class="sidenav"`, `class="menu"`},
		},
		{
			name: "anon card", layout: "anon", lang: i18n.ZhCN, static: plain, flash: "login.failed",
			want:    []string{`class="anon-card"`, `<h1 class="page-title">账号登录</h1>`, `账号或密码错误`, `action="/lang"`},
			notWant: []string{`action="/logout"`},
		},
		{
			name: "flash text passes through", layout: "anon", lang: i18n.En, static: plain, flash: "Plain text",
			want: []string{`>Plain text</div>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &recordingLocalizer{Localizer: bundle.For(tt.lang)}
			data := testPage{
				L: l, Title: "login.title", Account: tt.account, Nav: tt.nav,
				CSRF: "tok+en", Flash: tt.flash, Static: tt.static, Path: "/audit?page=2",
			}
			layouts := parseLayouts(t)
			var nav bytes.Buffer
			if err := layouts.ExecuteTemplate(&nav, "navlinks", data); err != nil {
				t.Fatalf("navlinks: %v", err)
			}
			data.NavHTML = template.HTML(nav.String())
			var buf bytes.Buffer
			if err := layouts.ExecuteTemplate(&buf, tt.layout, data); err != nil {
				t.Fatalf("execute: %v", err)
			}
			out := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %s", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %s", w)
				}
			}
			// "Plain text" is the one deliberate non-key.
			missing := slices.DeleteFunc(l.missing, func(id string) bool { return id == "Plain text" })
			if len(missing) > 0 {
				t.Errorf("ids missing from the catalogue: %v", missing)
			}
			if !strings.HasPrefix(out, "<!DOCTYPE html>") {
				t.Errorf("output starts with %q", out[:min(len(out), 40)])
			}
			checkNoInlineCode(t, tt.name, out)
		})
	}
}

func committedOnly(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	for _, p := range []string{"css/app.css", "js/app.js"} {
		data, err := fs.ReadFile(StaticFiles(), p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = &fstest.MapFile{Data: data}
	}
	return out
}

// TestPageOverridesBlocks shows the override points the contract names.
func TestPageOverridesBlocks(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := template.ParseFS(Templates(), "layout/*.html")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tmpl.New("page").Parse(`{{define "content"}}C{{end}}` +
		`{{define "heading"}}<h1 id="custom">H</h1>{{end}}` +
		`{{define "scripts"}}<script src="/static/x.js" defer></script>{{end}}` +
		`{{define "orgswitch"}}<span id="org">O</span>{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	data := testPage{L: &recordingLocalizer{Localizer: bundle.For(i18n.ZhCN)}, Title: "nav.home", Static: mustStatic(t, StaticFiles())}
	if err := tmpl.ExecuteTemplate(&buf, "base", data); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, w := range []string{`<h1 id="custom">H</h1>`, `<script src="/static/x.js" defer></script>`, `<span id="org">O</span>`} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %s", w)
		}
	}
	if strings.Contains(out, `class="page-title"`) {
		t.Error("default heading still rendered")
	}
}

var (
	tmplCommentRE = regexp.MustCompile(`(?s)\{\{-?\s*/\*.*?\*/\s*-?\}\}`)
	actionRE      = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	htmlCommentRE = regexp.MustCompile(`(?s)<!--.*?-->`)
	tagRE         = regexp.MustCompile(`(?s)<[^>]*>`)
	entityRE      = regexp.MustCompile(`&#?[A-Za-z0-9]+;`)
	// Attributes whose values people read or hear.
	textAttrRE = regexp.MustCompile(`(?is)\s(aria-label|title|alt|placeholder|data-confirm|data-[a-z-]*-text)\s*=\s*("[^"]*"|'[^']*')`)
)

// literalText returns the text of a template source that would reach users
// without passing through the catalogue: letters or digits left after
// removing template actions, comments, tags and entities, plus
// human-readable attribute values written as literals.
func literalText(src string) []string {
	var found []string
	src = tmplCommentRE.ReplaceAllString(src, "")
	src = actionRE.ReplaceAllString(src, "")
	src = htmlCommentRE.ReplaceAllString(src, "")
	for _, m := range textAttrRE.FindAllStringSubmatch(src, -1) {
		if v := strings.Trim(m[2], `"'`); strings.TrimSpace(v) != "" {
			found = append(found, m[1]+"="+m[2])
		}
	}
	src = tagRE.ReplaceAllString(src, " ")
	src = entityRE.ReplaceAllString(src, " ")
	for _, field := range strings.Fields(src) {
		if strings.ContainsFunc(field, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			found = append(found, field)
		}
	}
	return found
}

func TestLiteralTextDetector(t *testing.T) {
	for src, want := range map[string]bool{
		`<p>{{.L.T "x"}}</p>`:                    false,
		`<p>{{.L.T "x"}} · {{.L.T "y"}}</p>`:     false,
		`{{/* 注释 comment */}}<b>&nbsp;</b>`:      false,
		`<!-- note --><i class="icon"></i>`:      false,
		`<p>登录</p>`:                              true,
		`<p>Sign in</p>`:                         true,
		`<p>2024</p>`:                            true,
		`<a title="Home" href="/">{{.X}}</a>`:    true,
		`<a aria-label="{{.L.T "x"}}" href="/">`: false,
		`<button data-confirm='Sure?'>`:          true,
	} {
		if got := literalText(src); (len(got) > 0) != want {
			t.Errorf("literalText(%q) = %q, want found=%v", src, got, want)
		}
	}
}

var (
	inlineScriptRE  = regexp.MustCompile(`(?is)<script\b[^>]*>`)
	inlineHandlerRE = regexp.MustCompile(`(?is)<[^>]*\son[a-z]+\s*=`)
	inlineStyleRE   = regexp.MustCompile(`(?is)<style\b|<[^>]*\sstyle\s*=`)
	jsURLRE         = regexp.MustCompile(`(?i)javascript:`)
)

// checkNoInlineCode fails on what the CSP would block: a <script> without
// src, an on* handler attribute, inline styles and javascript: URLs.
func checkNoInlineCode(t *testing.T, name, src string) {
	t.Helper()
	for _, tag := range inlineScriptRE.FindAllString(src, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("%s: inline script %s", name, tag)
		}
	}
	for _, re := range []*regexp.Regexp{inlineHandlerRE, inlineStyleRE, jsURLRE} {
		if m := re.FindString(src); m != "" {
			t.Errorf("%s: %q is blocked by the CSP", name, m)
		}
	}
}

// TestTemplatesHaveNoLiteralText applies the rule to every template in the
// tree, so pages added later are held to it too: all visible words come
// from the catalogues.
func TestTemplatesHaveNoLiteralText(t *testing.T) {
	err := fs.WalkDir(Templates(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		src, err := fs.ReadFile(Templates(), p)
		if err != nil {
			return err
		}
		if found := literalText(string(src)); len(found) > 0 {
			t.Errorf("%s: literal text %q; use {{.L.T \"key\"}}", p, found)
		}
		// Comments may talk about <style> and <script>; only markup counts.
		checkNoInlineCode(t, p, tmplCommentRE.ReplaceAllString(string(src), ""))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
