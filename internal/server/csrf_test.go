package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestPostWithoutCSRFTokenChangesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "zhou8", "周八", authz.RoleMember)
		b := e.browser(t)
		b.login("zhou8", goodPassword)
		b.get("/account/password")
		change := url.Values{"current": {goodPassword}, "password": {"Changed-2026-pass"}, "repeat": {"Changed-2026-pass"}}
		for name, token := range map[string]string{"missing": "", "wrong": "AAAA" + b.csrf[4:]} {
			form := url.Values{}
			for k, v := range change {
				form[k] = v
			}
			if token != "" {
				form.Set("csrf", token)
			}
			r := b.postRaw("/account/password", form)
			if r.StatusCode != http.StatusForbidden {
				t.Fatalf("%s token: status %d", name, r.StatusCode)
			}
			wantBody(t, r, "页面已过期") // error.csrf
		}
		// The old password still works.
		if _, _, err := e.svc.Login(ctx, service.LoginInput{Name: "zhou8", Password: goodPassword, Address: "10.1.1.1"}); err != nil {
			t.Fatalf("password changed despite the refusal: %v", err)
		}
		// The same post with the token goes through.
		wantRedirect(t, b.post("/account/password", change), "/")
	})
}

func TestLoginNeedsDoubleSubmitCookie(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "wu9", "吴九", authz.RoleMember)
		b := e.browser(t)
		// No page seen, so no cookie: refused.
		r := b.postRaw("/login", url.Values{"name": {"wu9"}, "password": {goodPassword}, "csrf": {"x"}})
		wantStatus(t, r, http.StatusForbidden)
		// The refusal page set the cookie; a token that does not match it
		// is still refused.
		r = b.postRaw("/login", url.Values{"name": {"wu9"}, "password": {goodPassword}, "csrf": {strings.Repeat("A", 43)}})
		wantStatus(t, r, http.StatusForbidden)
		wantRedirect(t, b.login("wu9", goodPassword), "/")
		// The cookie is HttpOnly and SameSite=Strict.
		res, err := http.Get(e.srv.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var found bool
		for _, c := range res.Cookies() {
			if c.Name == "gj_csrf" {
				found = true
				if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
					t.Errorf("gj_csrf cookie: %+v", c)
				}
			}
		}
		if !found {
			t.Error("no gj_csrf cookie on the login page")
		}
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "zheng10", "郑十", authz.RoleMember)
		b := e.browser(t)
		b.login("zheng10", goodPassword)
		b.get("/account")
		b.header.Set("Sec-Fetch-Site", "cross-site")
		r := b.post("/logout", nil) // the right token, from another site
		wantStatus(t, r, http.StatusForbidden)
		b.header.Del("Sec-Fetch-Site")
		b.header.Set("Origin", "https://evil.example")
		wantStatus(t, b.post("/logout", nil), http.StatusForbidden)
		b.header.Del("Origin")
		// Still signed in.
		wantStatus(t, b.get("/account"), http.StatusOK)
		b.header.Set("Sec-Fetch-Site", "same-origin")
		wantRedirect(t, b.post("/logout", nil), "/login")
	})
}

func TestHTMXHeaderToken(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "qian11", "钱十一", authz.RoleMember)
		b := e.browser(t)
		b.login("qian11", goodPassword)
		b.get("/account")
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/lang", strings.NewReader("lang=en&next=/account"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", b.csrf)
		wantRedirect(t, b.do(req), "/account")
		wantBody(t, b.get("/account"), `<html lang="en">`)
	})
}
