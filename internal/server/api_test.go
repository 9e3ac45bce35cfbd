package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

type apiError struct {
	Error struct {
		Code, Message, Field string
	} `json:"error"`
}

// call sends an API request with an optional bearer token and JSON body.
func (b *browser) call(method, path, bearer, body string) resp {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return b.do(req)
}

func wantAPIError(t *testing.T, r resp, status int, code, field string) apiError {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var e apiError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	if e.Error.Code != code || e.Error.Field != field || e.Error.Message == "" {
		t.Errorf("error %+v, want code %q field %q", e.Error, code, field)
	}
	return e
}

// token makes an API token for a signed-in browser through the web page.
func (b *browser) token(name string) string {
	b.t.Helper()
	b.get("/account")
	r := b.post("/account/tokens", url.Values{"name": {name}, "days": {"30"}})
	tok := between(r.body, `<code class="secret token-value">`, "</code>")
	if !strings.HasPrefix(tok, "gjt_") {
		b.t.Fatalf("no token:\n%s", r.body)
	}
	return tok
}

func TestAPIErrorShape(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "yang16", "杨十六", authz.RoleMember)
		secret := e.adminAccount(t, "anquan3", authz.RoleSecOfficer)
		anon := e.browser(t)
		r := anon.call(http.MethodGet, "/api/v1/me", "", "")
		e401 := wantAPIError(t, r, http.StatusUnauthorized, "unauthorized", "")
		if !strings.Contains(e401.Error.Message, "登录") {
			t.Errorf("message not localised: %q", e401.Error.Message)
		}
		if r.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		wantAPIError(t, anon.call(http.MethodGet, "/api/v1/me", "gjt_"+strings.Repeat("A", 43), ""), http.StatusUnauthorized, "unauthorized", "")
		wantAPIError(t, anon.call(http.MethodGet, "/api/v1/me", "not-a-token", ""), http.StatusUnauthorized, "unauthorized", "")
		wantAPIError(t, anon.call(http.MethodGet, "/api/v1/nothing/here", "", ""), http.StatusNotFound, "not_found", "")

		member := e.browser(t)
		member.login("yang16", goodPassword)
		mtok := member.token("脚本")
		r = anon.call(http.MethodGet, "/api/v1/me", mtok, "")
		wantStatus(t, r, http.StatusOK)
		var me struct {
			Name        string
			DisplayName string `json:"display_name"`
			Grants      []struct{ Role string }
		}
		json.Unmarshal([]byte(r.body), &me)
		if me.DisplayName != "杨十六" || len(me.Grants) != 1 || me.Grants[0].Role != "member" {
			t.Errorf("me = %s", r.body)
		}
		if strings.Contains(r.body, "hash") || strings.Contains(r.body, "secret") {
			t.Errorf("me leaks credentials: %s", r.body)
		}
		wantAPIError(t, anon.call(http.MethodGet, "/api/v1/accounts", mtok, ""), http.StatusForbidden, "forbidden", "")
		wantAPIError(t, anon.call(http.MethodGet, "/api/v1/audit", mtok, ""), http.StatusForbidden, "forbidden", "")
		wantAPIError(t, anon.call(http.MethodGet, "/api/v1/nope", mtok, ""), http.StatusNotFound, "not_found", "")
		wantAPIError(t, anon.call(http.MethodDelete, "/api/v1/me", mtok, ""), http.StatusMethodNotAllowed, "method_not_allowed", "")
		// Tokens are made only from a browser session.
		wantAPIError(t, anon.call(http.MethodPost, "/api/v1/tokens", mtok, `{"name":"x"}`), http.StatusForbidden, "forbidden", "")

		officer := e.browser(t)
		officer.loginAdmin("anquan3", secret)
		otok := officer.token("管理脚本")
		wantAPIError(t, anon.call(http.MethodPost, "/api/v1/accounts", otok, `{"nmae":"x"}`), http.StatusBadRequest, "invalid", "nmae")
		wantAPIError(t, anon.call(http.MethodPost, "/api/v1/accounts", otok, `{"name":`), http.StatusBadRequest, "invalid", "")
		wantAPIError(t, anon.call(http.MethodPost, "/api/v1/accounts", otok, `{"name":5}`), http.StatusBadRequest, "invalid", "name")
		wantAPIError(t, anon.call(http.MethodPost, "/api/v1/accounts", otok, `{"name":"a"} {}`), http.StatusBadRequest, "invalid", "")
		wantAPIError(t, anon.call(http.MethodPost, "/api/v1/accounts", otok, `{"name":"`+strings.Repeat("x", 2<<20)+`"}`), http.StatusRequestEntityTooLarge, "invalid", "")
		wantAPIError(t, anon.call(http.MethodPost, "/api/v1/accounts", otok, `{"name":"weak","password":"123"}`), http.StatusBadRequest, "invalid", "password")
		wantAPIError(t, anon.call(http.MethodPost, "/api/v1/accounts", otok, `{"name":"yang16","password":"`+goodPassword+`"}`), http.StatusConflict, "conflict", "name")

		r = anon.call(http.MethodPost, "/api/v1/accounts", otok, `{"name":"api1","display_name":"接口一","password":"`+goodPassword+`"}`)
		wantStatus(t, r, http.StatusCreated)
		var acc struct {
			ID                 int64
			MustChangePassword bool `json:"must_change_password"`
		}
		json.Unmarshal([]byte(r.body), &acc)
		if acc.ID == 0 || !acc.MustChangePassword {
			t.Errorf("created %s", r.body)
		}
		base := "/api/v1/accounts/" + itoa(acc.ID)
		wantAPIError(t, anon.call(http.MethodPost, base+"/grants", otok, `{"role":"auditor","org":"x"}`), http.StatusBadRequest, "invalid", "org")
		r = anon.call(http.MethodPost, base+"/grants", otok, `{"role":"host_officer","org":"灌南县yang16支部"}`)
		wantStatus(t, r, http.StatusCreated)
		wantBody(t, r, `"role":"host_officer"`)
	})
}

func TestAPIWrites(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		secret := e.adminAccount(t, "anquan4", authz.RoleSecOfficer)
		target := e.account(t, "target", "目标", authz.RoleMember)
		officer := e.browser(t)
		officer.loginAdmin("anquan4", secret)
		tok := officer.token("t")

		r := officer.call(http.MethodGet, "/api/v1/accounts?limit=1", tok, "")
		wantStatus(t, r, http.StatusOK)
		var list struct {
			Accounts []struct{ Name string }
			Next     *string
		}
		json.Unmarshal([]byte(r.body), &list)
		if len(list.Accounts) != 1 || list.Next == nil {
			t.Fatalf("list %s", r.body)
		}
		r = officer.call(http.MethodGet, "/api/v1/accounts?limit=1&after="+url.QueryEscape(*list.Next), tok, "")
		json.Unmarshal([]byte(r.body), &list)
		if len(list.Accounts) != 1 {
			t.Fatalf("second page %s", r.body)
		}
		wantAPIError(t, officer.call(http.MethodGet, "/api/v1/accounts?limit=0", tok, ""), http.StatusBadRequest, "invalid", "limit")

		base := "/api/v1/accounts/" + itoa(target)
		wantStatus(t, officer.call(http.MethodPost, base+"/disable", tok, ""), http.StatusNoContent)
		wantStatus(t, officer.call(http.MethodPost, base+"/enable", tok, ""), http.StatusNoContent)
		wantAPIError(t, officer.call(http.MethodPost, "/api/v1/accounts/99999/disable", tok, ""), http.StatusNotFound, "not_found", "")
		grants, _ := store.Grants(ctx, db.Read(), target)
		wantStatus(t, officer.call(http.MethodDelete, base+"/grants/"+itoa(grants[0].ID), tok, ""), http.StatusNoContent)
		wantAPIError(t, officer.call(http.MethodDelete, base+"/grants/"+itoa(grants[0].ID), tok, ""), http.StatusNotFound, "not_found", "")

		// With the session cookie, writes need the X-CSRF-Token header.
		wantAPIError(t, officer.call(http.MethodPost, "/api/v1/tokens", "", `{"name":"via session"}`), http.StatusForbidden, "forbidden", "")
		officer.header.Set("X-CSRF-Token", officer.csrf)
		r = officer.call(http.MethodPost, "/api/v1/tokens", "", `{"name":"via session","valid_days":7}`)
		wantStatus(t, r, http.StatusCreated)
		var created struct {
			ID    int64
			Token string
		}
		json.Unmarshal([]byte(r.body), &created)
		if !strings.HasPrefix(created.Token, "gjt_") {
			t.Fatalf("token %s", r.body)
		}
		wantAPIError(t, officer.call(http.MethodPost, "/api/v1/tokens", "", `{"name":"x","valid_days":1000}`), http.StatusBadRequest, "invalid", "valid_days")
		wantStatus(t, officer.call(http.MethodDelete, "/api/v1/tokens/"+itoa(created.ID), "", ""), http.StatusNoContent)
		officer.header.Del("X-CSRF-Token")
		wantAPIError(t, officer.call(http.MethodGet, "/api/v1/me", created.Token, ""), http.StatusUnauthorized, "unauthorized", "")
	})
}

func TestAPIAudit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		secret := e.adminAccount(t, "shenji3", authz.RoleAuditor)
		for i := range 5 {
			e.account(t, "a"+itoa(i), "", "")
		}
		b := e.browser(t)
		b.loginAdmin("shenji3", secret)
		tok := b.token("audit")
		r := b.call(http.MethodGet, "/api/v1/audit?action=account.create&limit=4", tok, "")
		wantStatus(t, r, http.StatusOK)
		var page struct {
			Entries []struct {
				Seq    int64
				Action string
				Detail map[string]any
			}
			Next *string
		}
		json.Unmarshal([]byte(r.body), &page)
		if len(page.Entries) != 4 || page.Next == nil || page.Entries[0].Seq < page.Entries[3].Seq || page.Entries[0].Detail == nil {
			t.Fatalf("first page %s", r.body)
		}
		r = b.call(http.MethodGet, "/api/v1/audit?action=account.create&limit=4&before="+*page.Next, tok, "")
		json.Unmarshal([]byte(r.body), &page)
		if len(page.Entries) != 2 || page.Next != nil {
			t.Fatalf("second page %s", r.body)
		}
		wantAPIError(t, b.call(http.MethodGet, "/api/v1/audit?from=soon", tok, ""), http.StatusBadRequest, "invalid", "from")
		wantAPIError(t, b.call(http.MethodGet, "/api/v1/audit?before=-1", tok, ""), http.StatusBadRequest, "invalid", "before")
		r = b.call(http.MethodGet, "/api/v1/audit?from=2026-11-29&to=2026-11-29", tok, "")
		wantStatus(t, r, http.StatusOK)
	})
}

func TestBearerTokenIsAPIOnly(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "han17", "韩十七", authz.RoleMember)
		b := e.browser(t)
		b.login("han17", goodPassword)
		tok := b.token("x")

		script := e.browser(t)
		script.header.Set("Authorization", "Bearer "+tok)
		wantStatus(t, script.get("/api/v1/me"), http.StatusOK)
		// Web pages ignore the token: not signed in, and a POST without a
		// CSRF token is refused before anything happens.
		wantRedirect(t, script.get("/account"), "/login?next=%2Faccount")
		r := script.postRaw("/account/password", url.Values{"current": {goodPassword}, "password": {"Bearer-2026-pass"}, "repeat": {"Bearer-2026-pass"}})
		wantStatus(t, r, http.StatusForbidden)
		wantStatus(t, script.postRaw("/logout", nil), http.StatusForbidden)
		// A bearer write needs no CSRF token.
		wantStatus(t, script.call(http.MethodDelete, "/api/v1/tokens/999", tok, ""), http.StatusNotFound)
	})
}
