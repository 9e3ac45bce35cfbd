package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The masking scan (PIPL, security-and-durability.md §2: "grep HTML, JSON,
// CSV and logs for full 18-digit IDs: 0"): every page, export and API
// answer that shows people is searched for a full ID number (\d{17}[\dX])
// and a full mobile (1[3-9]\d{9}); the masked forms must be there instead.
// Only the answer to a deliberate reveal, and a registration form handed
// back for correction, may hold a clear value, and neither is scanned here.

func TestMaskingScan(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		w.flag(t)     // 单雄信 lost, 李四 at risk: the lost-contact list has rows
		w.meetings(t) // 单雄信 absent since April: the absence list has a row
		for _, who := range []string{"county", "home", "mobile", "host"} {
			b := w.signIn(t, who)
			b.get("/people")
			var scanned []string
			scan := func(what, body string, masked ...string) {
				t.Helper()
				wantMasked(t, who+" "+what, body)
				for _, m := range masked {
					if !strings.Contains(body, m) {
						t.Errorf("%s %s: lacks the masked %q", who, what, m)
					}
				}
				scanned = append(scanned, what)
			}
			// Everyone in this list sees 单雄信 and 张薇.
			visible := []string{"110105********002X", "138****5678", "137****5678"}

			r := b.get("/people")
			wantStatus(t, r, http.StatusOK)
			scan("list", r.body, visible...)
			for _, q := range []string{shanID, "13812345678", "sxx"} {
				r = b.post("/people/search", url.Values{"q": {q}})
				if r.StatusCode == http.StatusSeeOther {
					r = b.get(r.location())
				} else {
					// The POST's answer repeats the typed text in its
					// search box, and nowhere else.
					r.body = strings.Replace(r.body, `value="`+q+`"`, "", 1)
					r.body = strings.Replace(r.body, `<input type="hidden" name="q" value="`+q+`">`, "", -1)
				}
				wantStatus(t, r, http.StatusOK)
				scan("search "+q, r.body, "110105********002X")
			}
			for name, id := range w.people {
				r = b.get(personPath(id))
				if r.StatusCode == http.StatusOK {
					scan("page of "+name, r.body)
				}
			}
			scan("page of 单雄信", b.get(personPath(w.people["单雄信"])).body, "110105********002X", "138****5678")

			rows := xlsxStrings(t, b.get("/people/export.xlsx"))
			var cells []string
			for _, row := range rows {
				cells = append(cells, strings.Join(row, "|"))
			}
			scan("xlsx", strings.Join(cells, "\n"), visible...)
			recs := csvRecords(t, b.get("/people/export.csv"))
			cells = nil
			for _, rec := range recs {
				cells = append(cells, strings.Join(rec, "|"))
			}
			scan("csv", strings.Join(cells, "\n"), visible...)
			// The raw bytes too: GB18030 keeps ASCII digits as they are.
			scan("csv bytes", b.get("/people/export.csv").body)

			r = w.api(t, who, http.MethodGet, "/api/v1/people", "")
			wantStatus(t, r, http.StatusOK)
			scan("api list", r.body, visible...)
			r = w.api(t, who, http.MethodPost, "/api/v1/people/search", `{"text":"`+shanID+`"}`)
			scan("api search", r.body, "110105********002X")
			r = w.api(t, who, http.MethodGet, "/api/v1/people/"+itoa(w.people["单雄信"]), "")
			scan("api detail", r.body, "110105********002X", "138****5678")
			for _, field := range []string{"sealed", "index", "birth"} {
				if strings.Contains(r.body, field) {
					t.Errorf("%s api detail has a %q field: %s", who, field, r.body)
				}
			}
			// The lost-contact list, its export and API, and the edit page.
			r = b.get("/people/contact")
			wantStatus(t, r, http.StatusOK)
			scan("lost-contact list", r.body, "单雄信")
			rows = xlsxStrings(t, b.get("/people/contact/export.xlsx"))
			cells = nil
			for _, row := range rows {
				cells = append(cells, strings.Join(row, "|"))
			}
			scan("lost-contact xlsx", strings.Join(cells, "\n"), "单雄信")
			scan("lost-contact api", w.api(t, who, http.MethodGet, "/api/v1/people/contact-warnings", "").body, "单雄信")
			if r = b.get(personPath(w.people["单雄信"]) + "/edit"); r.StatusCode == http.StatusOK {
				scan("edit page", r.body, "110105********002X")
			}
			// The absence list, its export and API; MB's attendance where
			// the role sees MB; a member's attendance by API.
			scan("absence list", b.get("/people/absence").body, "单雄信")
			rows = xlsxStrings(t, b.get("/people/absence/export.xlsx"))
			cells = nil
			for _, row := range rows {
				cells = append(cells, strings.Join(row, "|"))
			}
			scan("absence xlsx", strings.Join(cells, "\n"), "单雄信")
			scan("absence api", w.api(t, who, http.MethodGet, "/api/v1/people/absence-flags", "").body, "单雄信")
			scan("attendance api", w.api(t, who, http.MethodGet, "/api/v1/people/"+itoa(w.people["单雄信"])+"/attendance", "").body)
			mb := "/orgs/" + itoa(w.orgs["MB"].ID)
			if r = b.get(mb + "/attendance"); r.StatusCode == http.StatusOK {
				scan("org attendance", r.body, "单雄信")
				rows = xlsxStrings(t, b.get(mb+"/attendance.xlsx"))
				cells = nil
				for _, row := range rows {
					cells = append(cells, strings.Join(row, "|"))
				}
				scan("org attendance xlsx", strings.Join(cells, "\n"), "单雄信")
				scan("org attendance api", w.api(t, who, http.MethodGet, "/api/v1"+mb+"/attendance?members=1", "").body, "单雄信")
			}
			if len(scanned) < 12 {
				t.Errorf("%s: only %d answers scanned", who, len(scanned))
			}
		}
		mb := w.memberAccount(t, "shanxx", "单雄信")
		me := mb.get("/me")
		wantMasked(t, "/me", me.body)
		wantBody(t, me, "110105********002X", "138****5678")
		// The member's other pages (member_test.go scans them with a
		// certificate, a move and the API as well).
		for _, path := range []string{"/me/certificate", "/me/move", "/inbox"} {
			r := mb.get(path)
			wantStatus(t, r, http.StatusOK)
			wantMasked(t, path, r.body)
		}
	})
}
