package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/server"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

var ctx = context.Background()

const goodPassword = "Gongjian-2026-test"

// env is one server over one fresh database, with a fake clock.
type env struct {
	svc   *service.Service
	db    *store.DB
	clock *clock.Fake
	srv   *httptest.Server
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	return newEnvWith(t, db, server.Options{})
}

func newEnvWith(t *testing.T, db *store.DB, o server.Options) *env {
	t.Helper()
	keys, err := seal.New("std")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clk := clock.NewFake(time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC))
	svc, err := service.New(db, service.Config{Clock: clk, Keys: keys, PasswordParams: auth.TestParams, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	o.Service, o.I18n, o.Static, o.Keys, o.Log = svc, bundle, static, keys, quiet
	h, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{svc: svc, db: db, clock: clk, srv: srv}
}

// account makes an account holding role (at a fresh organization for a
// business role).
func (e *env) account(t *testing.T, name, display, role string) domain.AccountID {
	t.Helper()
	id, err := e.svc.BootstrapAccount(ctx, service.NewAccount{Name: name, DisplayName: display, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if role == "" {
		return id
	}
	org := ""
	if info, _ := authz.Role(role); !info.SystemWide {
		org = "灌南县" + name + "支部"
		if err := e.db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.CreateOrg(ctx, tx, domain.Org{Name: org, Side: domain.SideOrigin}, e.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.BootstrapGrant(ctx, id, role, org); err != nil {
		t.Fatal(err)
	}
	return id
}

// adminAccount makes an administrator with a known TOTP secret.
func (e *env) adminAccount(t *testing.T, name, role string) string {
	t.Helper()
	id := e.account(t, name, name, role)
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	if err := e.svc.EnrolTOTPWithSecret(ctx, id, secret); err != nil {
		t.Fatal(err)
	}
	return secret
}

// code is the TOTP code of secret now. The clock moves on a step first,
// since a code may be used only once.
func (e *env) code(t *testing.T, secret string) string {
	t.Helper()
	e.clock.Advance(30 * time.Second)
	c, err := totp.GenerateCode(secret, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// browser is a client with a cookie jar that does not follow redirects,
// so tests see each 303.
type browser struct {
	t      *testing.T
	e      *env
	c      *http.Client
	header http.Header // sent with every request
	csrf   string      // the last token a page showed
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, header: http.Header{}, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	*http.Response
	body string
}

func (r resp) location() string { return r.Header.Get("Location") }

var csrfRE = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

func (b *browser) do(req *http.Request) resp {
	b.t.Helper()
	for k, vs := range b.header {
		req.Header[k] = vs
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfRE.FindSubmatch(body); m != nil && len(m[1]) > 0 {
		b.csrf = string(m[1])
	}
	return resp{Response: res, body: string(body)}
}

func (b *browser) get(path string) resp {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	return b.do(req)
}

// post sends a form with the last CSRF token seen.
func (b *browser) post(path string, form url.Values) resp {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf)
	}
	return b.postRaw(path, form)
}

// postRaw sends form as it is.
func (b *browser) postRaw(path string, form url.Values) resp {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// login signs in with the password and returns the redirect.
func (b *browser) login(name, password string) resp {
	b.t.Helper()
	b.get("/login")
	return b.post("/login", url.Values{"name": {name}, "password": {password}})
}

// loginAdmin signs in an administrator with password and TOTP code.
func (b *browser) loginAdmin(name, secret string) {
	b.t.Helper()
	r := b.login(name, goodPassword)
	if r.StatusCode != http.StatusSeeOther || r.location() != "/login/totp" {
		b.t.Fatalf("password step: %d %s", r.StatusCode, r.location())
	}
	b.get("/login/totp")
	r = b.post("/login/totp", url.Values{"code": {b.e.code(b.t, secret)}})
	if r.StatusCode != http.StatusSeeOther || r.location() != "/" {
		b.t.Fatalf("TOTP step: %d %s\n%s", r.StatusCode, r.location(), r.body)
	}
}

func wantStatus(t *testing.T, r resp, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; location %q\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.location(), r.body)
	}
}

func wantRedirect(t *testing.T, r resp, to string) {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther || r.location() != to {
		t.Fatalf("%s %s: %d to %q, want 303 to %q\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, r.location(), to, r.body)
	}
}

func wantBody(t *testing.T, r resp, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s %s: body lacks %q\n%s", r.Request.Method, r.Request.URL.Path, s, r.body)
		}
	}
}

func itoa[T ~int | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }
