package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func mustStatic(t *testing.T, fsys fs.FS) *Static {
	t.Helper()
	s, err := NewStatic(fsys)
	if err != nil {
		t.Fatalf("NewStatic: %v", err)
	}
	return s
}

func get(t *testing.T, h http.Handler, method, url string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestEmbeddedTrees(t *testing.T) {
	for _, p := range []string{"css/app.css", "js/app.js"} {
		if _, err := fs.Stat(StaticFiles(), p); err != nil {
			t.Errorf("static %s: %v", p, err)
		}
	}
	for _, p := range []string{"layout/base.html", "layout/anon.html"} {
		if _, err := fs.Stat(Templates(), p); err != nil {
			t.Errorf("template %s: %v", p, err)
		}
	}
}

func TestServeHashedCSS(t *testing.T) {
	s := mustStatic(t, StaticFiles())
	h := s.Handler()
	want, err := fs.ReadFile(StaticFiles(), "css/app.css")
	if err != nil {
		t.Fatal(err)
	}

	url := s.URL("css/app.css")
	if !regexp.MustCompile(`^/static/css/app\.[0-9a-f]{8}\.css$`).MatchString(url) {
		t.Fatalf("URL = %q, want /static/css/app.<hash8>.css", url)
	}

	res := get(t, h, http.MethodGet, url)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control = %q", got)
	}
	if got := res.Header.Get("Content-Type"); got != "text/css; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if res.Header.Get("Content-Encoding") != "" {
		t.Errorf("encoded without Accept-Encoding")
	}
	if !bytes.Equal(body, want) {
		t.Errorf("body differs from the embedded file")
	}
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}

	// Revalidation by ETag.
	res = get(t, h, http.MethodGet, url, "If-None-Match", etag)
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res.StatusCode)
	}

	// HEAD: headers, no body.
	res = get(t, h, http.MethodHead, url)
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || len(body) != 0 {
		t.Errorf("HEAD: status %d, %d body bytes", res.StatusCode, len(body))
	}

	// The plain name is served but must be revalidated.
	res = get(t, h, http.MethodGet, "/static/css/app.css")
	if res.StatusCode != http.StatusOK {
		t.Errorf("plain name: status %d", res.StatusCode)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("plain name: Cache-Control = %q", got)
	}
}

func TestServeGzip(t *testing.T) {
	s := mustStatic(t, StaticFiles())
	want, _ := fs.ReadFile(StaticFiles(), "css/app.css")
	res := get(t, s.Handler(), http.MethodGet, s.URL("css/app.css"), "Accept-Encoding", "br, gzip;q=0.8")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", res.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary = %q", res.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("gzip body does not decode to the file (err %v)", err)
	}
}

// TestServeBehindStripPrefix covers the other way of mounting the handler.
func TestServeBehindStripPrefix(t *testing.T) {
	s := mustStatic(t, StaticFiles())
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.Handler()))
	res := get(t, mux, http.MethodGet, s.URL("css/app.css"))
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("status %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	for _, url := range []string{"/static/", "/static/nope.css", "/static/css/app.00000000.css"} {
		if res := get(t, mux, http.MethodGet, url); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", url, res.StatusCode)
		}
	}
}

func TestServeNotFound(t *testing.T) {
	s := mustStatic(t, StaticFiles())
	h := s.Handler()
	for _, url := range []string{
		"/static/nope.js",
		"/static/css/app.00000000.css", // a stale or forged hash
		"/static/",
		"/static/css/",
		"/static/css",
		"/other/css/app.css",
		"/static/../go.mod",
		"/static/vendor/does-not-exist.js",
	} {
		if res := get(t, h, http.MethodGet, url); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", url, res.StatusCode)
		}
	}
	res := get(t, h, http.MethodPost, s.URL("css/app.css"))
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
}

func TestContentTypes(t *testing.T) {
	fsys := fstest.MapFS{
		"a.css":          {Data: []byte("a{}")},
		"js/b.js":        {Data: []byte("1")},
		"img/c.svg":      {Data: []byte("<svg/>")},
		"img/d.png":      {Data: []byte("\x89PNG")},
		"font/e.woff2":   {Data: []byte("wOF2")},
		"f.json":         {Data: []byte("{}")},
		"LICENSE":        {Data: []byte("x")},
		"vendor/g.TXT":   {Data: []byte("x")},
		"data/h.unknown": {Data: []byte("<html>")},
	}
	want := map[string]string{
		"a.css":          "text/css; charset=utf-8",
		"js/b.js":        "text/javascript; charset=utf-8",
		"img/c.svg":      "image/svg+xml",
		"img/d.png":      "image/png",
		"font/e.woff2":   "font/woff2",
		"f.json":         "application/json",
		"LICENSE":        "application/octet-stream",
		"vendor/g.TXT":   "text/plain; charset=utf-8",
		"data/h.unknown": "application/octet-stream", // never sniffed as HTML
	}
	s := mustStatic(t, fsys)
	for name, ctype := range want {
		res := get(t, s.Handler(), http.MethodGet, s.URL(name))
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", name, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != ctype {
			t.Errorf("%s: Content-Type = %q, want %q", name, got, ctype)
		}
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q", name, got)
		}
	}
}

func TestHashedName(t *testing.T) {
	for in, want := range map[string]string{
		"css/app.css":        "css/app.12345678.css",
		"vendor/htmx.min.js": "vendor/htmx.min.12345678.js",
		"LICENSE":            "LICENSE.12345678",
		"a/b/c.d.e.woff2":    "a/b/c.d.e.12345678.woff2",
	} {
		if got := hashedName(in, "12345678"); got != want {
			t.Errorf("hashedName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURLChangesWithContent(t *testing.T) {
	a := mustStatic(t, fstest.MapFS{"x.css": {Data: []byte("a{}")}})
	b := mustStatic(t, fstest.MapFS{"x.css": {Data: []byte("b{}")}})
	if a.URL("x.css") == b.URL("x.css") {
		t.Errorf("same URL %q for different content", a.URL("x.css"))
	}
	if got := a.URL("missing.css"); got != "/static/missing.css" {
		t.Errorf("URL of a missing file = %q", got)
	}
}

func TestHasAndMissing(t *testing.T) {
	none := mustStatic(t, fstest.MapFS{"css/app.css": {Data: []byte("a{}")}})
	if none.Has(HTMX) {
		t.Error("Has(htmx) without the bundle")
	}
	if !none.Has("css/app.css") {
		t.Error("Has(css/app.css) = false")
	}
	if got := none.Missing(); !slices.Equal(got, []string{HTMX, ECharts}) {
		t.Errorf("Missing() = %v", got)
	}

	full := fstest.MapFS{}
	for _, v := range VendorFiles() {
		if !v.License {
			full[v.To] = &fstest.MapFile{Data: []byte("x")}
		}
	}
	if got := mustStatic(t, full).Missing(); got != nil {
		t.Errorf("Missing() with the bundle = %v", got)
	}
}

func TestVendorFilesUnderVendor(t *testing.T) {
	// vendorcopy prunes static/vendor/ to this list, so every entry must
	// live there, and no two may share a destination.
	seen := map[string]bool{}
	for _, v := range VendorFiles() {
		if !strings.HasPrefix(v.To, "vendor/") || strings.Contains(v.To, "..") {
			t.Errorf("%s: destination outside vendor/", v.To)
		}
		if seen[v.To] {
			t.Errorf("%s: listed twice", v.To)
		}
		seen[v.To] = true
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                       false,
		"gzip":                   true,
		"GZIP":                   true,
		"gzip, deflate, br":      true,
		"br;q=1.0, gzip;q=0.5":   true,
		"gzip;q=0":               false,
		"gzip;q=0.000":           false,
		"*":                      true,
		"*;q=0":                  false,
		"gzip;q=0, *":            false, // named gzip wins over *
		"identity":               false,
		"br":                     false,
		"gzip;q=bogus":           false,
		"deflate, x-gzip;q=0.1 ": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
