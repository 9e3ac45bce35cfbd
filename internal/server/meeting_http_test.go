package server_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

var tokenRE = regexp.MustCompile(`data-token="([A-Za-z0-9_-]+)"`)

// linkedMember registers a member placed in MB, with an ID number and a
// phone, and an account linked to the record.
func (w *orgWorld) linkedMember(t *testing.T, login, name, id17, phone string) domain.PersonID {
	t.Helper()
	p, err := w.svc.CreatePerson(ctx, authz.System, service.NewPerson{Name: name, OriginOrgID: w.orgs["V"].ID,
		IDNumber: withCheck(id17), Phone: phone,
		Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID, MobileOrgID: w.orgs["MB"].ID}})
	if err != nil {
		t.Fatal(err)
	}
	id, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: login, DisplayName: name, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.BootstrapGrant(ctx, id, authz.RoleMember, w.orgs["MB"].Name); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Tx(ctx, func(tx store.Tx) error { return store.SetAccountPerson(ctx, tx, id, p) }); err != nil {
		t.Fatal(err)
	}
	worldRoles[login] = [2]string{authz.RoleMember, "MB"}
	t.Cleanup(func() { delete(worldRoles, login) })
	return p
}

// The secretary plans a meeting on the page and shows its code; a member
// not signed in scans it, signs in (slowly: the code has expired by then)
// and is checked in once; the secretary keeps the sheet and the minutes,
// files a photo and exports; the host sees but may not record; the API
// does the same.
func TestMeetingOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		person := w.linkedMember(t, "dangyuan1", "孙小军", "32072419920101301", "13812340001")
		other := w.linkedMember(t, "dangyuan2", "李大壮", "32072419930202402", "13812340002")
		mb := w.orgs["MB"].ID
		sec := w.signIn(t, "mobile")
		wantStatus(t, sec.get("/meetings/new?org="+itoa(mb)), http.StatusOK)
		r := sec.post("/meetings", url.Values{"org": {itoa(mb)}, "kind": {"theme_day"}, "day": {"2026-11-29"}, "start": {"08:30"},
			"end": {"10:30"}, "place": {"工地会议室"}, "topic": {"学习党章"}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/meetings/") {
			t.Fatalf("plan: %d %s\n%s", r.StatusCode, r.location(), r.body)
		}
		page := r.location()
		r = sec.post("/meetings", url.Values{"org": {itoa(mb)}, "kind": {"theme_day"}, "day": {"2026-11-29"}, "start": {"8点"},
			"place": {"x"}, "topic": {"x"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "19:30") {
			t.Fatalf("a bad time is not explained:\n%s", r.body)
		}
		r = sec.get(page)
		wantStatus(t, r, http.StatusOK)
		m := tokenRE.FindStringSubmatch(r.body)
		if m == nil || !strings.Contains(r.body, "data:image/png;base64,") || !strings.Contains(r.body, "/checkin/"+m[1]) {
			t.Fatalf("no QR code on the meeting page:\n%s", r.body)
		}
		token := m[1]
		r = sec.get(page + "/checkin-panel")
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `hx-trigger="every 25s"`) || strings.Contains(r.body, "<html") {
			t.Fatalf("panel fragment: %d\n%s", r.StatusCode, r.body)
		}

		// The member scans without being signed in, and signs in slowly.
		phone := w.browser(t)
		r = phone.get("/checkin/" + token)
		wantRedirect(t, r, "/login?next="+url.QueryEscape("/checkin/"+token))
		w.clock.Advance(3 * time.Minute)
		phone.get("/login?next=" + url.QueryEscape("/checkin/"+token))
		r = phone.post("/login", url.Values{"name": {"dangyuan1"}, "password": {goodPassword}, "next": {"/checkin/" + token}})
		wantRedirect(t, r, "/checkin/"+token)
		r = phone.get("/checkin/" + token)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, `id="checkin-confirm"`) || !strings.Contains(r.body, "学习党章") {
			t.Fatalf("check-in page:\n%s", r.body)
		}
		r = phone.post("/checkin/"+token, nil)
		wantRedirect(t, r, "/me/meetings")
		r = phone.get("/me/meetings")
		if !strings.Contains(r.body, "签到成功：学习党章") || !strings.Contains(r.body, "出席") {
			t.Fatalf("own meetings after check-in:\n%s", r.body)
		}
		r = phone.post("/checkin/"+token, nil)
		wantStatus(t, r, http.StatusConflict)
		if !strings.Contains(r.body, "无需重复签到") {
			t.Fatalf("second check-in:\n%s", r.body)
		}
		r = phone.get("/checkin/" + token[:len(token)-4] + "AAAA")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "签到码无效") {
			t.Fatalf("forged code:\n%s", r.body)
		}
		// Without a stamp of its own, another phone finds the code expired.
		late := w.signIn(t, "dangyuan2")
		late.get("/checkin/" + token)
		r = late.post("/checkin/"+token, nil)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "已过期") {
			t.Fatalf("expired code: %d\n%s", r.StatusCode, r.body)
		}

		// The secretary's sheet: the second member on leave, a stranger
		// refused by name.
		r = sec.get(page)
		if !strings.Contains(r.body, "孙小军") || !strings.Contains(r.body, "扫码签到") {
			t.Fatalf("the sheet does not show the check-in:\n%s", r.body)
		}
		r = sec.post(page+"/attendance", url.Values{"status_" + itoa(other): {"leave"}, "reason_" + itoa(other): {"值夜班"}})
		wantRedirect(t, r, page)
		r = sec.post(page+"/attendance", url.Values{"status_999999": {"present"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		r = sec.post(page+"/held", url.Values{"minutes": {"学习了党章总纲"}, "decisions": {""}, "version": {"1"}})
		wantRedirect(t, r, page)
		var photo bytes.Buffer
		png.Encode(&photo, image.NewGray(image.Rect(0, 0, 4, 4)))
		sec.get(page)
		r = sec.upload(page+"/files", url.Values{}, "file", "合影.png", photo.Bytes())
		wantRedirect(t, r, page)
		r = sec.upload(page+"/files", url.Values{}, "file", "合影.pdf", photo.Bytes())
		wantStatus(t, r, http.StatusUnprocessableEntity)
		r = sec.get(page)
		fileURL := regexp.MustCompile(`src="(/meetings/\d+/files/\d+)"`).FindStringSubmatch(r.body)
		if fileURL == nil || !strings.Contains(r.body, "已召开") {
			t.Fatalf("held page:\n%s", r.body)
		}
		r = sec.get(fileURL[1])
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/png" || r.body != photo.String() {
			t.Fatalf("photo: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
		}
		for _, path := range []string{page + "/attendance.xlsx", "/orgs/" + itoa(mb) + "/meetings.xlsx?month=2026-11", "/meetings/export.xlsx"} {
			if r := sec.get(path); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.body, "PK") {
				t.Errorf("%s: %d %s", path, r.StatusCode, r.Header.Get("Content-Type"))
			}
		}
		r = sec.get("/orgs/" + itoa(mb) + "/meetings?month=2026-11")
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "学习党章") || !strings.Contains(r.body, page) {
			t.Fatalf("calendar: %d\n%s", r.StatusCode, r.body)
		}

		// The host sees the meeting through A1 but may not keep the sheet
		// of a meeting it did not co-organize; the home secretary sees
		// nothing.
		host := w.signIn(t, "host")
		wantStatus(t, host.get(page), http.StatusOK)
		wantStatus(t, host.post(page+"/attendance", url.Values{"status_" + itoa(other): {"absent"}}), http.StatusForbidden)
		wantStatus(t, w.signIn(t, "home").get(page), http.StatusNotFound)

		// The API: the member's own meetings, and a check-in refused.
		res := w.api(t, "dangyuan1", http.MethodGet, "/api/v1/me/meetings", "")
		var own struct {
			Meetings []struct {
				Line struct {
					Status, Method string
				} `json:"attendance"`
			} `json:"meetings"`
		}
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.body), &own) != nil || len(own.Meetings) != 1 ||
			own.Meetings[0].Line.Status != "present" || own.Meetings[0].Line.Method != "qr" {
			t.Fatalf("own meetings: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "dangyuan1", http.MethodPost, "/api/v1/checkin", `{"token":"`+token+`"}`)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"code":"rule_violation"`) {
			t.Fatalf("API check-in of a held meeting: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "county", http.MethodGet, "/api/v1/meetings?org="+itoa(mb), "")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, `"present":1`) || !strings.Contains(res.body, `"expected":2`) {
			t.Fatalf("API list: %d %s", res.StatusCode, res.body)
		}
		_ = person

		// No page, export or answer about meetings shows an ID number or
		// a phone in full.
		clear := []string{withCheck("32072419920101301"), withCheck("32072419930202402"), "13812340001", "13812340002"}
		masked := func(what, body string) {
			t.Helper()
			wantMasked(t, what, body)
			for _, c := range clear {
				if strings.Contains(body, c) {
					t.Errorf("%s shows %s", what, c)
				}
			}
		}
		masked("meeting page", sec.get(page).body)
		masked("guest search", sec.get(page+"?guest=li").body)
		masked("calendar", sec.get("/orgs/"+itoa(mb)+"/meetings?month=2026-11").body)
		masked("list", sec.get("/meetings").body)
		var cells []string
		for _, row := range xlsxStrings(t, sec.get(page+"/attendance.xlsx")) {
			cells = append(cells, strings.Join(row, "|"))
		}
		masked("sheet xlsx", strings.Join(cells, "\n"))
		masked("own meetings", phone.get("/me/meetings").body)
		masked("check-in page", phone.get("/checkin/"+token).body)
		masked("API meeting", w.api(t, "county", http.MethodGet, "/api/v1/"+strings.TrimPrefix(page, "/"), "").body)
		masked("API own meetings", w.api(t, "dangyuan1", http.MethodGet, "/api/v1/me/meetings", "").body)
	})
}

// Planned, opened and checked in through the API alone.
func TestMeetingAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		w.linkedMember(t, "dangyuan1", "孙小军", "32072419920101301", "13812340001")
		starts := time.Date(2026, 11, 29, 0, 30, 0, 0, time.UTC).Format(time.RFC3339)
		res := w.api(t, "mobile", http.MethodPost, "/api/v1/meetings", `{"org_id":`+itoa(w.orgs["MB"].ID)+
			`,"kind":"theme_day","starts_at":"`+starts+`","place":"工地","topic":"学习党章","co_org_id":`+itoa(w.orgs["H"].ID)+`}`)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("plan: %d %s", res.StatusCode, res.body)
		}
		var m struct {
			ID       int64 `json:"id"`
			HeldOn   string
			Expected []struct{ PersonID int64 } `json:"attendance"`
		}
		if err := json.Unmarshal([]byte(res.body), &m); err != nil || len(m.Expected) != 1 {
			t.Fatalf("planned: %s", res.body)
		}
		id := itoa(m.ID)
		// The host co-organizes this one, so it may open the code.
		res = w.api(t, "host", http.MethodGet, "/api/v1/meetings/"+id+"/checkin-code", "")
		var code struct{ Token, Path string }
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.body), &code) != nil || code.Path != "/checkin/"+code.Token {
			t.Fatalf("code: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "dangyuan1", http.MethodPost, "/api/v1/meetings/"+itoa(m.ID+1)+"/checkin", `{"token":"`+code.Token+`"}`)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.body, `"field":"token"`) {
			t.Fatalf("a code for another meeting: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "dangyuan1", http.MethodPost, "/api/v1/meetings/"+id+"/checkin", `{"token":"`+code.Token+`"}`)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, `"status":"present"`) {
			t.Fatalf("check-in: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "dangyuan1", http.MethodPost, "/api/v1/checkin", `{"token":"`+code.Token+`"}`)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("second check-in: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "mobile", http.MethodGet, "/api/v1/meetings/"+id, "")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, `"method":"qr"`) || strings.Contains(res.body, "phone") {
			t.Fatalf("meeting: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "mobile", http.MethodPost, "/api/v1/meetings/"+id+"/held", `{"minutes":"记录"}`)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, `"state":"held"`) {
			t.Fatalf("held: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "home", http.MethodGet, "/api/v1/meetings/"+id, "")
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("home secretary reads: %d", res.StatusCode)
		}
	})
}
