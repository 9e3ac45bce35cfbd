package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/authz"
	"gongjian/internal/server"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnvWith(t, db, server.Options{Secure: true})
		res, err := http.Get(e.srv.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "img-src 'self' data:", "form-action 'self'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("CSP allows inline code: %q", csp)
		}
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
			"Cache-Control": "no-store", "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if h.Get("Permissions-Policy") == "" {
			t.Error("no Permissions-Policy")
		}
		for _, c := range res.Cookies() {
			if !strings.HasPrefix(c.Name, "__Host-") || !c.Secure || c.Path != "/" {
				t.Errorf("cookie %s on a secure site: %+v", c.Name, c)
			}
		}
		// Static files are cached, with the same protections.
		st, err := http.Get(e.srv.URL + "/static/css/app.css")
		if err != nil {
			t.Fatal(err)
		}
		st.Body.Close()
		if st.Header.Get("Cache-Control") == "no-store" || st.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("static headers: %v", st.Header)
		}
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "feng12", "冯十二", authz.RoleMember)
		b := e.browser(t)
		r := b.login("feng12", goodPassword)
		var found bool
		for _, c := range r.Cookies() {
			if c.Name == "gj_session" {
				found = true
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
					t.Errorf("session cookie %+v", c)
				}
			}
		}
		if !found {
			t.Error("no session cookie after sign-in")
		}
	})
}

func TestNotFoundAndMethodPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		b := e.browser(t)
		r := b.get("/no/such/page")
		wantStatus(t, r, http.StatusNotFound)
		wantBody(t, r, "您访问的页面或数据不存在", `class="error-code"`)
		req, _ := http.NewRequest(http.MethodDelete, e.srv.URL+"/login", nil)
		r = b.do(req)
		wantStatus(t, r, http.StatusMethodNotAllowed)
		if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Errorf("Allow = %q", allow)
		}
		b.header.Set("Accept-Language", "en")
		wantBody(t, b.get("/nope"), "does not exist")
	})
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "chen13", "陈十三", authz.RoleMember)
		b := e.browser(t)
		b.get("/login")
		wantRedirect(t, b.post("/lang", url.Values{"lang": {"en"}, "next": {"//evil.example/"}}), "/")
		wantBody(t, b.get("/login"), `<html lang="en">`)
		wantStatus(t, b.post("/lang", url.Values{"lang": {"fr"}, "next": {"/login"}}), http.StatusBadRequest)

		// Signed in, the choice is saved on the account.
		b.login("chen13", goodPassword)
		b.get("/account")
		wantRedirect(t, b.post("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/account"}}), "/account")
		b2 := e.browser(t)
		b2.header.Set("Accept-Language", "en")
		b2.login("chen13", goodPassword)
		wantBody(t, b2.get("/"), `<html lang="zh-CN">`, "你好，陈十三")
	})
}

func TestMemberIsRefusedAdminPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		id := e.account(t, "chu14", "褚十四", authz.RoleMember)
		b := e.browser(t)
		b.login("chu14", goodPassword)
		for _, p := range []string{"/audit", "/audit/export.xlsx", "/admin/accounts", "/admin/policy", "/admin/accounts/" + itoa(id)} {
			r := b.get(p)
			wantStatus(t, r, http.StatusForbidden)
			wantBody(t, r, "您没有执行此操作的权限")
		}
		b.get("/")
		wantStatus(t, b.post("/audit/verify", nil), http.StatusForbidden)
		wantStatus(t, b.post("/admin/accounts", url.Values{"name": {"x"}, "password": {goodPassword}}), http.StatusForbidden)
	})
}

func TestAuditorAuditPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		secret := e.adminAccount(t, "shenji", authz.RoleAuditor)
		e.account(t, "=cmd", "=HYPERLINK(\"x\")", "")
		b := e.browser(t)
		b.login("=cmd", "wrong-password") // a failed login to find
		b.loginAdmin("shenji", secret)

		r := b.get("/audit")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "session.login_failed", "session.totp_ok", "account.create", "成功", "失败")
		r = b.get("/audit?action=session.login_failed")
		wantBody(t, r, "session.login_failed", "=cmd")
		if strings.Contains(r.body, "<code>account.create</code>") {
			t.Error("filter by action shows other actions")
		}
		wantStatus(t, b.get("/audit?from=yesterday"), http.StatusUnprocessableEntity)
		r = b.get("/audit?from=2026-11-29&to=2026-11-29&actor=shenji")
		wantBody(t, r, "session.totp_ok")
		wantBody(t, b.get("/audit?to=2026-11-28"), "没有符合条件的记录")

		x := b.get("/audit/export.xlsx?action=session.")
		wantStatus(t, x, http.StatusOK)
		if ct := x.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("Content-Type %q", ct)
		}
		cd := x.Header.Get("Content-Disposition")
		if !strings.HasPrefix(cd, `attachment; filename="audit-log-`) || !strings.Contains(cd, "filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97-") {
			t.Errorf("Content-Disposition %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 3 || rows[0][0] != "序号" {
			t.Fatalf("exported rows: %q", rows)
		}
		var quoted bool
		for _, row := range rows[1:] {
			if !strings.HasPrefix(row[5], "session.") {
				t.Errorf("row outside the filter: %q", row)
			}
			if row[2] == "'=cmd" {
				quoted = true
			}
		}
		if !quoted {
			t.Errorf("the =cmd actor was not quoted: %q", rows)
		}

		b.get("/audit")
		wantRedirect(t, b.post("/audit/verify", nil), "/audit")
		r = b.get("/audit")
		wantBody(t, r, "完整性校验通过", "audit.export")
	})
}

func TestAuditPaging(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		secret := e.adminAccount(t, "shenji2", authz.RoleAuditor)
		for i := range 60 {
			e.account(t, "user"+itoa(i), "", "")
		}
		b := e.browser(t)
		b.loginAdmin("shenji2", secret)
		r := b.get("/audit?action=account.create")
		older := between(r.body, `<a href="/audit?`, `"`)
		if !strings.Contains(older, "before=") {
			t.Fatalf("no older link:\n%s", r.body)
		}
		r = b.get("/audit?" + strings.ReplaceAll(older, "&amp;", "&"))
		wantStatus(t, r, http.StatusOK)
		if n := strings.Count(r.body, ">account.create</code>"); n != 11 {
			t.Errorf("second page has %d entries, want 11", n)
		}
		wantBody(t, r, "回到最新")
	})
}
