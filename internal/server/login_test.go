package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestLoginPageLanguage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		b := e.browser(t)
		r := b.get("/login")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `<html lang="zh-CN">`, "账号登录", `name="csrf"`)

		b.header.Set("Accept-Language", "en-US,en;q=0.9")
		r = b.get("/login")
		wantBody(t, r, `<html lang="en">`, "Sign in", "Account name")
	})
}

func TestLoginShowsHome(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "zhangsan", "张三", authz.RoleMember)
		b := e.browser(t)
		wantRedirect(t, b.get("/"), "/login")
		wantRedirect(t, b.get("/account?x=1"), "/login?next="+url.QueryEscape("/account?x=1"))

		r := b.login("zhangsan", goodPassword)
		wantRedirect(t, r, "/")
		r = b.get("/")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "你好，张三", "党员", "灌南县zhangsan支部", `href="/account"`)
		if strings.Contains(r.body, `href="/audit"`) {
			t.Error("a member's home links to the audit log")
		}
		// Signed in, the sign-in page sends home.
		wantRedirect(t, b.get("/login"), "/")
	})
}

func TestLoginNextIsLocal(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "li4", "李四", authz.RoleMember)
		for next, want := range map[string]string{"/account": "/account", "//evil.example/x": "/", "https://evil.example/": "/", `/\evil`: "/"} {
			b := e.browser(t)
			b.get("/login")
			r := b.post("/login", url.Values{"name": {"li4"}, "password": {goodPassword}, "next": {next}})
			wantRedirect(t, r, want)
		}
	})
}

func TestWrongPasswordAndLock(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "wangwu", "王五", authz.RoleMember)
		b := e.browser(t)
		wrong := b.login("wangwu", "not-the-password")
		wantStatus(t, wrong, http.StatusUnprocessableEntity)
		wantBody(t, wrong, "账号或密码错误")
		unknown := b.login("nobody", "not-the-password")
		wantStatus(t, unknown, http.StatusUnprocessableEntity)
		if msg(wrong.body) != msg(unknown.body) {
			t.Errorf("unknown account and wrong password differ: %q vs %q", msg(wrong.body), msg(unknown.body))
		}
		for range 4 { // five failures in all
			b.login("wangwu", "not-the-password")
		}
		// The sixth attempt, even with the right password, meets the lock.
		r := b.login("wangwu", goodPassword)
		wantStatus(t, r, http.StatusTooManyRequests)
		wantBody(t, r, "账号已被锁定", "15 分钟")
		if strings.Contains(r.body, "not-the-password") {
			t.Error("the page repeats the password")
		}
		e.clock.Advance(16 * time.Minute)
		wantRedirect(t, b.login("wangwu", goodPassword), "/")
	})
}

// msg extracts the form's error message.
func msg(body string) string {
	_, rest, _ := strings.Cut(body, `class="flash flash-error" role="alert">`)
	m, _, _ := strings.Cut(rest, "<")
	return m
}

func TestLogoutEndsSession(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "zhao6", "赵六", authz.RoleMember)
		b := e.browser(t)
		b.login("zhao6", goodPassword)
		b.get("/")
		u, _ := url.Parse(e.srv.URL)
		old := b.c.Jar.Cookies(u)
		wantRedirect(t, b.post("/logout", nil), "/login")
		r := b.get("/login")
		wantBody(t, r, "您已安全退出")
		wantRedirect(t, b.get("/"), "/login")

		// The old cookie no longer opens anything.
		b2 := e.browser(t)
		b2.c.Jar.SetCookies(u, old)
		wantRedirect(t, b2.get("/account"), "/login?next=%2Faccount")
		wantBody(t, b2.get("/login"), "登录已超时")
	})
}

func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "sun7", "孙七", authz.RoleMember)
		b := e.browser(t)
		b.login("sun7", goodPassword)
		wantStatus(t, b.get("/"), http.StatusOK)
		e.clock.Advance(31 * time.Minute)
		wantRedirect(t, b.get("/"), "/login")
		r := b.get("/login")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "登录已超时，请重新登录")
	})
}

func TestAdminMustEnrolTOTP(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "secadm", "安全员", authz.RoleSecOfficer)
		b := e.browser(t)
		wantRedirect(t, b.login("secadm", goodPassword), "/account/totp")
		for _, p := range []string{"/", "/account", "/admin/accounts", "/audit", "/account/password"} {
			wantRedirect(t, b.get(p), "/account/totp")
		}
		// The API refuses the half-signed-in session too.
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/me", nil)
		r := b.do(req)
		wantStatus(t, r, http.StatusForbidden)
		wantBody(t, r, `"code":"mfa_required"`)

		r = b.get("/account/totp")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `action="/account/totp/begin"`)
		wantRedirect(t, b.post("/account/totp/begin", nil), "/account/totp")
		r = b.get("/account/totp")
		secret := between(r.body, `<code class="secret">`, "</code>")
		if len(secret) < 16 {
			t.Fatalf("no secret on the page:\n%s", r.body)
		}
		wantBody(t, r, `src="/account/totp/qr.png"`)
		png := b.get("/account/totp/qr.png")
		wantStatus(t, png, http.StatusOK)
		if png.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png.body, "\x89PNG") {
			t.Errorf("QR: %s, %q…", png.Header.Get("Content-Type"), png.body[:min(8, len(png.body))])
		}
		wrong := b.post("/account/totp", url.Values{"code": {"000000"}})
		wantStatus(t, wrong, http.StatusUnprocessableEntity)
		wantBody(t, wrong, "验证码不正确")
		wantRedirect(t, b.post("/account/totp", url.Values{"code": {e.code(t, secret)}}), "/account")
		wantStatus(t, b.get("/"), http.StatusOK)
		wantStatus(t, b.get("/admin/accounts"), http.StatusOK)
		// The pending secret is gone once confirmed.
		wantStatus(t, b.get("/account/totp/qr.png"), http.StatusNotFound)

		// Next sign-in asks for a code.
		wantRedirect(t, b.post("/logout", nil), "/login")
		wantRedirect(t, b.login("secadm", goodPassword), "/login/totp")
		wantRedirect(t, b.get("/"), "/login/totp")
		b.get("/login/totp")
		wantStatus(t, b.post("/login/totp", url.Values{"code": {"123456"}}), http.StatusUnprocessableEntity)
	})
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}

func TestTOTPLogin(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		secret := e.adminAccount(t, "auditor1", authz.RoleAuditor)
		b := e.browser(t)
		wantRedirect(t, b.login("auditor1", goodPassword), "/login/totp")
		r := b.get("/login/totp")
		wantBody(t, r, "二次验证", `autocomplete="one-time-code"`)
		bad := b.post("/login/totp", url.Values{"code": {"12"}})
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		wantRedirect(t, b.post("/login/totp", url.Values{"code": {e.code(t, secret)}}), "/")
		r = b.get("/")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `href="/audit"`, "安全审计员")
		wantRedirect(t, b.get("/login/totp"), "/")
	})
}

func TestMustChangePassword(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, err := e.svc.BootstrapAccount(ctx, service.NewAccount{Name: "newbie", DisplayName: "新人", Password: goodPassword, MustChange: true})
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser(t)
		wantRedirect(t, b.login("newbie", goodPassword), "/account/password")
		wantRedirect(t, b.get("/"), "/account/password")
		r := b.get("/account/password")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "请先设置新密码")
		r = b.post("/account/password", url.Values{"current": {goodPassword}, "password": {"Another-2026-pass"}, "repeat": {"Another-2026-typo"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "两次输入的新密码不一致")
		r = b.post("/account/password", url.Values{"current": {"wrong"}, "password": {"Another-2026-pass"}, "repeat": {"Another-2026-pass"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "当前密码不正确")
		wantRedirect(t, b.post("/account/password", url.Values{"current": {goodPassword}, "password": {"Another-2026-pass"}, "repeat": {"Another-2026-pass"}}), "/")
		r = b.get("/")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "密码修改成功")
	})
}

func TestTOTPPageCanGiveUp(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.adminAccount(t, "auditor2", authz.RoleAuditor)
		b := e.browser(t)
		b.login("auditor2", goodPassword)
		r := b.get("/login/totp")
		wantBody(t, r, `formaction="/logout"`)
		// The form posts everything, the empty code too, to /logout.
		wantRedirect(t, b.post("/logout", url.Values{"code": {""}, "next": {"/"}}), "/login")
		wantRedirect(t, b.get("/login/totp"), "/login")
	})
}
