package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The member's pages over HTTP: the security officer links the world's
// "member" account to 单雄信 on the account page, the county issues the
// certificate, the member sees it and reports a move through the pages and
// the API; the check of the certificate is open to anyone; every answer is
// scanned for clear ID numbers and phones.
func TestMemberSelfService(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		shan := w.people["单雄信"]
		acc := "/admin/accounts/" + itoa(w.accounts["member"])

		// Linking: a refusal keeps the number on the form only; the
		// linked record shows masked.
		sec := w.signIn(t, "secofficer")
		sec.get(acc)
		r := sec.post(acc+"/person", url.Values{"id_number": {zhangweiID[:17] + "0"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantRedirect(t, sec.post(acc+"/person", url.Values{"id_number": {shanID}}), acc)
		r = sec.get(acc)
		wantBody(t, r, "110105********002X", `/person/unlink`)
		wantMasked(t, "account page", r.body)
		if home := w.signIn(t, "home"); home.post(acc+"/person", url.Values{"id_number": {shanID}}).StatusCode != http.StatusForbidden {
			t.Error("a home secretary linked an account")
		}

		today := w.svc.Today()
		if err := w.svc.IssueCertificate(ctx, w.actorOf(t, "county"), shan, service.NewCertificate{Number: "GN-2026-0001",
			From: today, To: today.AddMonths(12).AddDays(-1)}); err != nil {
			t.Fatal(err)
		}

		m := w.signIn(t, "member")
		for _, path := range []string{"/me", "/me/certificate", "/me/move", "/me/move?city=320200", "/inbox"} {
			r := m.get(path)
			wantStatus(t, r, http.StatusOK)
			wantMasked(t, path, r.body)
		}
		r = m.get("/me/certificate")
		wantBody(t, r, "GN-2026-0001", `src="data:image/png;base64,`, "/verify/c/")
		token := between(r.body, "/verify/c/", `"`)

		// The official's certificate page has the renewal form; the
		// mobile secretary sees it without.
		r = w.signIn(t, "county").get(personPath(shan) + "/certificate")
		wantBody(t, r, `action="/people/`+itoa(shan)+`/certificate"`, "GN-2026-0001")
		wantMasked(t, "official certificate", r.body)
		if r = w.signIn(t, "mobile").get(personPath(shan) + "/certificate"); strings.Contains(r.body, `name="valid_to"`) {
			t.Error("the mobile secretary has the issue form")
		}
		wantStatus(t, w.signIn(t, "host").get(personPath(w.people["李四"])+"/certificate"), http.StatusNotFound)

		// Anyone checks the certificate, on the page and by the API.
		anon := w.browser(t)
		r = anon.get("/verify/c/" + token)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "有效", "单*信", "110105********002X", "GN-2026-0001")
		wantNot(t, r, "单雄信")
		wantMasked(t, "verify page", r.body)
		r = anon.get("/verify/c/" + token[:len(token)-4])
		wantStatus(t, r, http.StatusNotFound)
		wantBody(t, r, "无法核验")
		wantNot(t, r, "单*信")
		r = anon.get("/api/v1/verify/" + token)
		wantStatus(t, r, http.StatusOK)
		var check map[string]string
		if err := json.Unmarshal([]byte(r.body), &check); err != nil || check["state"] != "valid" || check["name"] != "单*信" {
			t.Errorf("api check: %s", r.body)
		}
		wantMasked(t, "api check", r.body)
		r = anon.get("/api/v1/verify/AAAA")
		if !strings.Contains(r.body, `"state":"forged"`) || strings.Contains(r.body, "name") {
			t.Errorf("api forged: %s", r.body)
		}
		// Nothing else opens without credentials.
		wantStatus(t, anon.get("/api/v1/notifications"), http.StatusUnauthorized)
		wantRedirect(t, anon.get("/me/certificate"), "/login?next=%2Fme%2Fcertificate")

		// The move through the page.
		m.get("/me/move?city=320200")
		r = m.post("/me/move", url.Values{"city_code": {"320200"}, "district_code": {"330106"}, "employer": {"某厂"}, "moved_on": {today.String()}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "所选区县不在所选城市内")
		r = m.post("/me/move", url.Values{"city_code": {"320200"}, "district_code": {"320214"}, "employer": {"无锡新吴电子厂"},
			"moved_on": {today.String()}})
		wantRedirect(t, r, "/me/move/done")
		r = m.get("/me/move/done")
		wantBody(t, r, "江苏省 无锡市 新吴区", "无锡新吴电子厂")
		wantMasked(t, "move done", r.body)

		// The home secretary's inbox: the count in the navigation, the
		// notice, and following it reads it.
		home := w.signIn(t, "home")
		r = home.get("/inbox")
		wantBody(t, r, `<span class="nav-count">1`, "单雄信", "无锡新吴电子厂")
		id := between(r.body, `href="/inbox/`, `"`)
		wantRedirect(t, home.get("/inbox/"+id), personPath(shan))
		wantNot(t, home.get("/inbox"), `<span class="nav-count">`)
		wantStatus(t, w.signIn(t, "mobile").get("/inbox/"+id), http.StatusNotFound)

		// The person page the notice leads to offers the placement to
		// those who may place; placing is recorded.
		county := w.signIn(t, "county")
		r = county.get(personPath(shan))
		wantBody(t, r, "安排流动党组织")
		p, _ := w.svc.Person(ctx, w.actorOf(t, "county"), shan)
		wantRedirect(t, county.post(personPath(shan)+"/place", url.Values{"org": {itoa(w.orgs["M2"].ID)}, "version": {itoa(p.Membership.Version)}}),
			personPath(shan))
		if p, _ = w.svc.Person(ctx, w.actorOf(t, "county"), shan); p.Membership.MobileOrgID != w.orgs["M2"].ID {
			t.Errorf("not placed: %+v", p.Membership)
		}
		r = county.post(personPath(shan)+"/place", url.Values{"org": {itoa(w.orgs["MB"].ID)}, "version": {"1"}})
		wantStatus(t, r, http.StatusConflict)
		wantNot(t, w.signIn(t, "host").get(personPath(w.people["张薇"])), "安排流动党组织")

		// The API: /me with the own record and certificate, a move, the
		// notices.
		r = w.api(t, "member", http.MethodGet, "/api/v1/me", "")
		wantBody(t, r, `"own":`, `"certificate":`, `"token":"`+token+`"`, "110105********002X")
		wantMasked(t, "api me", r.body)
		r = w.api(t, "member", http.MethodPost, "/api/v1/me/move", `{"city_code":"320500","employer":"苏州某厂","moved_on":"`+today.String()+`"}`)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `"city_code":"320500"`, `"suggestions":[`)
		wantMasked(t, "api move", r.body)
		r = w.api(t, "member", http.MethodPost, "/api/v1/me/move", `{"city_code":"","employer":"x","moved_on":"`+today.String()+`"}`)
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, `"field":"city_code"`)
		r = w.api(t, "home", http.MethodGet, "/api/v1/notifications", "")
		wantStatus(t, r, http.StatusOK)
		var list struct {
			Notices []struct{ Text string }
			Unread  int
		}
		if err := json.Unmarshal([]byte(r.body), &list); err != nil || len(list.Notices) != 2 || list.Unread != 1 ||
			!strings.Contains(list.Notices[0].Text, "苏州某厂") {
			t.Errorf("api notices: %s", r.body)
		}
		wantStatus(t, w.api(t, "home", http.MethodPost, "/api/v1/notifications/read", `{}`), http.StatusNoContent)
		if r = w.api(t, "home", http.MethodGet, "/api/v1/notifications", ""); !strings.Contains(r.body, `"unread":0`) {
			t.Errorf("after reading: %s", r.body)
		}
		// The member's API move for someone who is not linked is not found.
		wantStatus(t, w.api(t, "county", http.MethodPost, "/api/v1/me/move", `{"city_code":"320500","employer":"x","moved_on":"`+today.String()+`"}`),
			http.StatusNotFound)
	})
}
