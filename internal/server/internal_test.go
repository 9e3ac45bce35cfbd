package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongjian/internal/api"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/web"
	"gongjian/internal/web/assets"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"/audit":              "/audit",
		"/a\r\nlevel=ERROR x": `/a\x0d\x0alevel=ERROR x`,
		"\x1b[31mred":         `\x1b[31mred`,
		"中文\u2028x":           `中文\u2028x`,
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	direct := &server{}
	proxied := &server{o: Options{BehindProxy: true}}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "192.0.2.1:5555"
	r.Header.Add("X-Forwarded-For", "203.0.113.9, 198.51.100.7")
	r.Header.Add("X-Forwarded-For", "198.51.100.8")
	r.Header.Set("X-Forwarded-Proto", "https")
	if got := direct.clientAddr(r); got != "192.0.2.1" {
		t.Errorf("direct: %s", got)
	}
	if got := proxied.clientAddr(r); got != "198.51.100.8" {
		t.Errorf("behind proxy: %s", got)
	}
	if direct.scheme(r) != "http" || proxied.scheme(r) != "https" {
		t.Errorf("scheme: %s, %s", direct.scheme(r), proxied.scheme(r))
	}
	r.Header.Set("X-Forwarded-For", "not-an-ip")
	if got := proxied.clientAddr(r); got != "192.0.2.1" {
		t.Errorf("bad header: %s", got)
	}
}

func TestGate(t *testing.T) {
	stage := func(s service.Stage) *service.Principal { return &service.Principal{Stage: s} }
	for _, c := range []struct {
		p            *service.Principal
		method, path string
		want         string
	}{
		{nil, "GET", "/login", ""},
		{nil, "POST", "/lang", ""},
		{nil, "GET", "/", "/login"},
		{nil, "GET", "/audit?x=1", "/login?next=%2Faudit%3Fx%3D1"},
		{nil, "POST", "/logout", "/login"},
		{stage(service.StageTOTP), "GET", "/login/totp", ""},
		{stage(service.StageTOTP), "GET", "/account/totp", "/login/totp"},
		{stage(service.StageTOTP), "GET", "/login", "/login/totp"},
		{stage(service.StageTOTP), "POST", "/logout", ""},
		{stage(service.StageEnrol), "GET", "/account/totp/qr.png", ""},
		{stage(service.StageEnrol), "POST", "/account/totp/begin", ""},
		{stage(service.StageEnrol), "GET", "/account/password", "/account/totp"},
		{stage(service.StagePassword), "POST", "/account/password", ""},
		{stage(service.StagePassword), "GET", "/account/totp", ""},
		{stage(service.StagePassword), "GET", "/", "/account/password"},
		{stage(service.StageFull), "GET", "/login/totp", "/"},
		{stage(service.StageFull), "GET", "/audit", ""},
	} {
		r := httptest.NewRequest(c.method, c.path, nil)
		stageName := "anonymous"
		if c.p != nil {
			stageName = string(c.p.Stage)
		}
		if got := gate(c.p, r); got != c.want {
			t.Errorf("%s %s %s: %q, want %q", stageName, c.method, c.path, got, c.want)
		}
	}
}

// testServer is a server with handlers but no database, enough for the
// middleware that does not reach the service.
func testServer(t *testing.T, logs io.Writer) *server {
	t.Helper()
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	wh, err := web.New(web.Config{Service: &service.Service{}, I18n: bundle, Static: static, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ah, err := api.New(api.Config{Service: &service.Service{}, I18n: bundle, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return &server{o: Options{Log: log}, web: wh, api: ah}
}

func TestRecoverAnswers500(t *testing.T) {
	var logs bytes.Buffer
	s := testServer(t, &logs)
	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom\nforged line") })
	h := s.logRequests(s.recoverPanics(s.securityHeaders(boom)))

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/audit", nil))
	if w.Code != 500 || !strings.Contains(w.Body.String(), "系统出现异常") || w.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("page: %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
	r.Header.Set("Accept-Language", "en")
	h.ServeHTTP(w, r)
	if w.Code != 500 || !strings.Contains(w.Body.String(), `"code":"internal"`) {
		t.Errorf("api: %d %s", w.Code, w.Body)
	}
	out := logs.String()
	if !strings.Contains(out, `boom\\x0aforged line`) || !strings.Contains(out, `"status":500`) {
		t.Errorf("log:\n%s", out)
	}
}

func TestRequestLogEscapes(t *testing.T) {
	var logs bytes.Buffer
	s := testServer(t, &logs)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) })
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.URL.Path = "/x\r\ninjected"
	s.logRequests(ok).ServeHTTP(httptest.NewRecorder(), r)
	out := logs.String()
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, `\\x0d\\x0ainjected`) || !strings.Contains(out, `"bytes":5`) {
		t.Errorf("log:\n%s", out)
	}
}
