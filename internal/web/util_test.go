package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
)

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "/",
		"/":                  "/",
		"/audit?actor=a&b=1": "/audit?actor=a&b=1",
		"//evil.example":     "/",
		`/\evil.example`:     "/",
		"https://evil/":      "/",
		"audit":              "/",
		"/a\r\nSet-Cookie:x": "/",
		"/%2F%2Fevil":        "/%2F%2Fevil",
		"/ok\\x":             "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAfterSignIn(t *testing.T) {
	for _, c := range []struct {
		stage      service.Stage
		next, want string
	}{
		{service.StageFull, "", "/"},
		{service.StageFull, "/audit", "/audit"},
		{service.StageTOTP, "/audit", "/login/totp?next=%2Faudit"},
		{service.StageTOTP, "/", "/login/totp"},
		{service.StageEnrol, "/audit", "/account/totp"},
		{service.StagePassword, "/audit", "/account/password"},
	} {
		if got := afterSignIn(c.stage, c.next); got != c.want {
			t.Errorf("afterSignIn(%s, %q) = %q, want %q", c.stage, c.next, got, c.want)
		}
	}
}

func TestFlashRoundTrip(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	l := bundle.For(i18n.En)
	for _, c := range []struct {
		key  string
		args []string
		want string
	}{
		{"audit.verify_ok", []string{"Count", "42"}, "Integrity check passed. Entries checked: 42."},
		{"flash.saved", nil, "Saved."},
		{"<b>not a key</b>", nil, ""},
	} {
		w := httptest.NewRecorder()
		SetFlash(w, false, c.key, c.args...)
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		for _, ck := range w.Result().Cookies() {
			r.AddCookie(ck)
		}
		w2 := httptest.NewRecorder()
		if got := takeFlash(w2, r, false, l); got != c.want {
			t.Errorf("flash %q = %q, want %q", c.key, got, c.want)
		}
		if cs := w2.Result().Cookies(); len(cs) != 1 || cs[0].MaxAge >= 0 {
			t.Errorf("flash not cleared: %v", cs)
		}
	}
	// Garbage in the cookie shows nothing.
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: flashCookie, Value: "%%%"})
	if got := takeFlash(httptest.NewRecorder(), r, false, l); got != "" {
		t.Errorf("garbage flash shown: %q", got)
	}
}

func TestStatusOf(t *testing.T) {
	for code, want := range map[domain.Code]int{
		domain.CodeInvalid: 422, domain.CodeRule: 422, domain.CodeNotFound: 404, domain.CodeConflict: 409,
		domain.CodeUnauthorized: 401, domain.CodeForbidden: 403, domain.CodeLocked: 429,
		domain.CodeUnavailable: 503, domain.CodeInternal: 500,
	} {
		if got := StatusOf(code); got != want {
			t.Errorf("StatusOf(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestAttachment(t *testing.T) {
	got := attachment("audit-log-1.xlsx", "审计日志 1;\".xlsx")
	want := `attachment; filename="audit-log-1.xlsx"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97%201%3B%22.xlsx`
	if got != want {
		t.Errorf("attachment = %s\nwant          %s", got, want)
	}
}
