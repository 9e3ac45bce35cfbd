package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The people API: the list with its filters, the text only by POST, one
// person, registration and the audited reveal; masked DTOs throughout.

type personJSON struct {
	ID         int64
	Name       string
	Pinyin     string
	Gender     int
	IDNumber   string `json:"id_number"`
	Phone      string
	Employer   string
	Origin     struct{ ID int64 }
	Membership *struct {
		Status string
		Home   struct{ ID int64 }
		Mobile *struct {
			ID   int64
			Name string
		}
	}
}

type peopleJSON struct {
	People []personJSON
	Total  int
	Next   string
}

func namesOf(p peopleJSON) string {
	var out []string
	for _, x := range p.People {
		out = append(out, x.Name)
	}
	return strings.Join(out, ",")
}

func TestAPIPeople(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		get := func(who, path string) resp { return w.api(t, who, http.MethodGet, path, "") }
		post := func(who, path, body string) resp { return w.api(t, who, http.MethodPost, path, body) }

		list := decodeJSON[peopleJSON](t, get("county", "/api/v1/people"))
		if namesOf(list) != "李四,单雄信,王芳,张伟,张薇" || list.Total != 5 || list.Next != "" {
			t.Fatalf("list: %+v", list)
		}
		shan := list.People[1]
		if shan.IDNumber != "110105********002X" || shan.Phone != "138****5678" || shan.Gender != 2 || shan.Pinyin != "shanxiongxin" ||
			shan.Membership == nil || shan.Membership.Status != "full" || shan.Membership.Mobile == nil || shan.Membership.Mobile.Name != "组织MB" {
			t.Errorf("member DTO: %+v", shan)
		}
		if list.People[3].Membership != nil || list.People[3].IDNumber != "" {
			t.Errorf("worker DTO: %+v", list.People[3])
		}
		// A list carries the list's fields; the whole record is the person's own.
		if r := get("county", "/api/v1/people"); strings.Contains(r.body, `"created_at"`) || strings.Contains(r.body, `"joined_on"`) {
			t.Errorf("a list row carries the whole record: %s", r.body)
		}
		wantBody(t, get("county", "/api/v1/people/"+itoa(shan.ID)), `"created_at"`)
		// Keyset paging with an opaque cursor.
		page := decodeJSON[peopleJSON](t, get("county", "/api/v1/people?limit=2"))
		if namesOf(page) != "李四,单雄信" || page.Total != 5 || page.Next == "" || strings.Contains(page.Next, "shan") {
			t.Fatalf("first page %+v", page)
		}
		page = decodeJSON[peopleJSON](t, get("county", "/api/v1/people?limit=2&after="+url.QueryEscape(page.Next)))
		if namesOf(page) != "王芳,张伟" {
			t.Errorf("second page %+v", page)
		}
		for query, want := range map[string]string{
			"members=false": "张伟", "status=activist": "王芳", "org=" + itoa(w.orgs["M2"].ID): "李四", "city_code=320500": "李四",
			"industry=e&members=true": "单雄信,张薇", "employer=" + url.QueryEscape("建工"): "单雄信",
		} {
			if got := namesOf(decodeJSON[peopleJSON](t, get("county", "/api/v1/people?"+query))); got != want {
				t.Errorf("?%s: %s, want %s", query, got, want)
			}
		}
		// Refused queries: a text in the URL, bad values.
		for query, field := range map[string]string{"q=zw": "q", "text=" + shanID: "text", "status=member": "status",
			"members=maybe": "members", "limit=501": "limit", "after=%25%25": "after", "org=x": "org"} {
			r := get("county", "/api/v1/people?"+query)
			wantStatus(t, r, http.StatusBadRequest)
			wantBody(t, r, `"field":"`+field+`"`)
		}
		wantBody(t, get("county", "/api/v1/people?q=zw"), "POST /api/v1/people/search")

		// The text goes in a body.
		for text, want := range map[string]string{shanID: "单雄信", "139-1234-5678": "张伟", "zw": "张伟,张薇", "雄": "单雄信"} {
			r := post("county", "/api/v1/people/search", `{"text":"`+text+`"}`)
			if got := namesOf(decodeJSON[peopleJSON](t, r)); got != want {
				t.Errorf("search %q: %s, want %s", text, got, want)
			}
		}
		r := post("county", "/api/v1/people/search", `{"text":"zw","status":"probationary","city_code":"330100","industry":"E"}`)
		if got := namesOf(decodeJSON[peopleJSON](t, r)); got != "张薇" {
			t.Errorf("journey 3 by API: %s", got)
		}
		wantStatus(t, post("county", "/api/v1/people/search", `{"text":"zw","name":"x"}`), http.StatusBadRequest)

		// Scope: the host sees the covered members only.
		if got := namesOf(decodeJSON[peopleJSON](t, get("host", "/api/v1/people"))); got != "单雄信,王芳,张薇" {
			t.Errorf("host list: %s", got)
		}
		wantStatus(t, get("host", "/api/v1/people/"+itoa(w.people["张伟"])), http.StatusNotFound)
		one := decodeJSON[personJSON](t, get("host", "/api/v1/people/"+itoa(w.people["单雄信"])))
		if one.Name != "单雄信" || one.IDNumber != "110105********002X" {
			t.Errorf("host detail: %+v", one)
		}
		wantStatus(t, get("member", "/api/v1/people"), http.StatusOK)
		if got := decodeJSON[peopleJSON](t, get("member", "/api/v1/people")); got.Total != 0 {
			t.Errorf("a member lists people: %+v", got)
		}

		// Reveal: county with a reason; host refused; out of reach 404.
		shanURL := "/api/v1/people/" + itoa(w.people["单雄信"])
		r = post("county", shanURL+"/reveal", `{"field":"id_number","reason":"核对"}`)
		wantStatus(t, r, http.StatusOK)
		if v := decodeJSON[struct{ Field, Value string }](t, r); v.Value != shanID || v.Field != "id_number" {
			t.Errorf("reveal: %+v", v)
		}
		r = post("county", shanURL+"/reveal", `{"field":"phone"}`)
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, `"field":"reason"`)
		wantStatus(t, post("host", shanURL+"/reveal", `{"field":"phone","reason":"联系"}`), http.StatusForbidden)
		wantStatus(t, post("host", "/api/v1/people/"+itoa(w.people["李四"])+"/reveal", `{"field":"phone","reason":"联系"}`), http.StatusNotFound)
		if entries := revealEntries(t, db); len(entries) != 2 || entries[0].Outcome != "denied" || entries[1].Outcome != "ok" {
			t.Errorf("reveal audit %+v", entries)
		}

		// Registration.
		body := `{"name":"赵六","id_number":"` + withCheck("32072419920808551") + `","phone":"18612345678","origin_id":` +
			itoa(w.orgs["V"].ID) + `,"membership":{"status":"probationary","mobile_id":` + itoa(w.orgs["MB"].ID) +
			`,"joined_on":"2026-07-01"}}`
		r = post("county", "/api/v1/people", body)
		wantStatus(t, r, http.StatusCreated)
		created := decodeJSON[personJSON](t, r)
		if !strings.HasPrefix(r.Header.Get("Location"), "/api/v1/people/") || created.Phone != "186****5678" ||
			created.Membership == nil || created.Membership.Home.ID != int64(w.orgs["V"].ID) {
			t.Errorf("created: %s %+v", r.Header.Get("Location"), created)
		}
		wantMasked(t, "created person", r.body)
		r = post("county", "/api/v1/people", body)
		wantStatus(t, r, http.StatusConflict)
		wantBody(t, r, `"field":"id_number"`)
		r = post("county", "/api/v1/people", `{"name":"钱八","phone":"12345","origin_id":`+itoa(w.orgs["V"].ID)+`}`)
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, `"field":"phone"`)
		wantStatus(t, post("host", "/api/v1/people", `{"name":"钱八","origin_id":`+itoa(w.orgs["V"].ID)+`}`), http.StatusBadRequest)
	})
}

// With a session cookie instead of a token, the API's writes — the search
// included, since its body may hold an ID number — need the CSRF header.
func TestAPIPeopleSessionNeedsCSRF(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		b := w.signIn(t, "county")
		b.get("/people")
		send := func(path, body, token string) resp {
			req, _ := http.NewRequest(http.MethodPost, w.srv.URL+path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("X-CSRF-Token", token)
			}
			return b.do(req)
		}
		reveal := "/api/v1/people/" + itoa(w.people["单雄信"]) + "/reveal"
		for path, body := range map[string]string{"/api/v1/people/search": `{"text":"zw"}`, reveal: `{"field":"phone","reason":"x"}`,
			"/api/v1/people": `{"name":"赵六","origin_id":` + itoa(w.orgs["V"].ID) + `}`} {
			wantStatus(t, send(path, body, ""), http.StatusForbidden)
			wantStatus(t, send(path, body, "forged"), http.StatusForbidden)
		}
		if n := len(revealEntries(t, db)); n != 0 {
			t.Errorf("%d reveals without a CSRF token", n)
		}
		r := send("/api/v1/people/search", `{"text":"zw"}`, b.csrf)
		if got := namesOf(decodeJSON[peopleJSON](t, r)); got != "张伟,张薇" {
			t.Errorf("search with the token: %s", got)
		}
		wantStatus(t, b.get("/api/v1/people"), http.StatusOK)
	})
}
