package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// meetings writes a year of MB's theme days straight into the tables
// (the meetings' own use cases live elsewhere), October's missing, with
// 单雄信 absent without reason from every one since April and 张薇
// present at all.
func (w *peopleWorld) meetings(t *testing.T) {
	t.Helper()
	shan, zhang := w.people["单雄信"], w.people["张薇"]
	for d := domain.NewDate(2025, 11, 15); !d.After(domain.NewDate(2026, 11, 15)); d = d.AddMonths(1) {
		if d.Time().Month() == time.October && d.Time().Year() == 2026 {
			continue
		}
		status := "present"
		if !d.Before(domain.NewDate(2026, 4, 15)) {
			status = "absent"
		}
		if err := w.db.Tx(ctx, func(tx store.Tx) error {
			var id int64
			at := d.Time().Add(time.Hour)
			if err := tx.QueryRowContext(ctx, `INSERT INTO meetings (org_id, kind, state, starts_at, held_on, topic, created_by, created_at, updated_at)
				VALUES ($1, 'theme_day', 'held', $2, $3, '主题党日', 'test', $2, $2) RETURNING id`, w.orgs["MB"].ID, at, d).Scan(&id); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, person_id, expected, status)
				VALUES ($1, $2, TRUE, $3), ($1, $4, TRUE, 'present')`, id, shan, status, zhang)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRhythmPagesAndExports(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		w.meetings(t)
		mb := itoa(w.orgs["MB"].ID)
		county := w.signIn(t, "county")

		r := county.get("/rhythm?period=month&kind=theme_day")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "组织MB", "组织M2", "cell-gap", "2026年10月：未开展主题党日", `href="/rhythm/rules"`, "/rhythm/export.xlsx?kind=theme_day")
		rows := xlsxStrings(t, county.get("/rhythm/export.xlsx?period=month&kind=theme_day"))
		if len(rows) != 3 || rows[0][4] != "2025年12月" || rows[1][0] != "组织MB" || rows[1][14] != "0 缺项" || rows[1][16] != "1" {
			t.Fatalf("rhythm export %v", rows)
		}
		wantStatus(t, county.get("/rhythm?period=week"), http.StatusOK) // an unknown period falls back to months
		// The host sees M's subtree (through A1), not M2; the member no
		// table at all.
		r = w.signIn(t, "host").get("/rhythm")
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, "组织MB") || strings.Contains(r.body, "组织M2") || strings.Contains(r.body, `href="/rhythm/rules"`) {
			t.Errorf("host's table:\n%s", r.body)
		}
		wantStatus(t, w.signIn(t, "member").get("/rhythm"), http.StatusForbidden)

		// The organization page says it in words, with the rate.
		r = county.get("/orgs/" + mb)
		wantBody(t, r, `id="rhythm"`, "2026年10月：未开展主题党日", "/orgs/"+mb+"/attendance")
		r = county.get("/orgs/" + mb + "/attendance?from=2026-01-01&to=2026-06-30")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "单雄信", "张薇", "75%") // 9 of 12 lines present
		wantMasked(t, "org attendance", r.body)
		r = county.get("/orgs/" + mb + "/attendance?from=2026-07-01&to=2026-06-30")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "field-error")
		rows = xlsxStrings(t, county.get("/orgs/"+mb+"/attendance.xlsx?from=2026-01-01&to=2026-06-30"))
		if len(rows) != 4 || rows[3][1] != "12" || rows[3][6] != "75%" {
			t.Fatalf("attendance export %v", rows)
		}
		for _, row := range rows {
			wantMasked(t, "attendance export", strings.Join(row, " "))
		}
		wantStatus(t, w.signIn(t, "cases").get("/orgs/"+mb+"/attendance.xlsx"), http.StatusForbidden)

		// The person page: the rate and the flag.
		shan := personPath(w.people["单雄信"])
		r = county.get(shan)
		wantBody(t, r, `id="attendance"`, "连续无故缺席", "2026-04-15")
		r = county.get(shan + "?att_from=2026-01-01&att_to=2026-03-31")
		wantBody(t, r, `value="2026-01-01"`, "100%")

		// The absence list, its export and the rule.
		r = county.get("/people/absence")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "单雄信", `name="months"`)
		if strings.Contains(r.body, "张薇") {
			t.Error("a member present every time is listed")
		}
		rows = xlsxStrings(t, county.get("/people/absence/export.xlsx"))
		if len(rows) != 2 || rows[1][0] != "单雄信" || rows[1][4] != "2026-04-15" {
			t.Fatalf("absence export %v", rows)
		}
		r = w.signIn(t, "home").get("/people/absence")
		wantBody(t, r, "单雄信")
		if strings.Contains(r.body, `name="months"`) {
			t.Error("the home secretary is offered the rule")
		}
		r = county.post("/people/absence/settings", url.Values{"months": {"30"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "field-error")
		wantRedirect(t, county.post("/people/absence/settings", url.Values{"months": {"8"}}), "/people/absence")
		if strings.Contains(county.get("/people/absence").body, "单雄信</a>") {
			t.Error("still listed with a rule of eight months")
		}

		// The rules' editor: the county only; a bad row comes back.
		wantStatus(t, w.signIn(t, "mobile").get("/rhythm/rules"), http.StatusForbidden)
		r = county.get("/rhythm/rules")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `name="meeting_0"`, `name="rows" value="9"`)
		form := url.Values{"rows": {"2"}, "meeting_0": {"theme_day"}, "kinds_0": {"branch"}, "period_0": {"month"}, "min_0": {"2"},
			"full_0": {"0"}, "lead_0": {"5"}, "verified_0": {"1"}, "meeting_1": {"lecture"}, "period_1": {"quarter"}, "min_1": {"1"},
			"full_1": {"0"}, "lead_1": {"10"}, "new_1": {"1"}}
		r = county.post("/rhythm/rules", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "第 2 条", `value="lecture" selected`)
		form.Set("remove_1", "1")
		wantRedirect(t, county.post("/rhythm/rules", form), "/rhythm")
		rules, _ := w.svc.RhythmRules(ctx)
		if len(rules) != 1 || rules[0].Min != 2 || rules[0].Lead != 5 || !rules[0].Verified {
			t.Fatalf("stored rules %+v", rules)
		}
		wantRedirect(t, county.post("/rhythm/rules/default", url.Values{}), "/rhythm/rules")
		if rules, _ := w.svc.RhythmRules(ctx); len(rules) != len(domain.DefaultRhythm()) {
			t.Fatalf("defaults not restored: %d rules", len(rules))
		}

		// The outbox page: the security officer edits, the system
		// administrator reads, a county officer is refused.
		if _, err := w.svc.CheckRhythm(ctx, w.svc.Today()); err != nil {
			t.Fatal(err)
		}
		sec := w.signIn(t, "secofficer")
		r = sec.get("/admin/outbox")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `name="kind_rhythm" value="1" checked`, "待发送")
		wantRedirect(t, sec.post("/admin/outbox", url.Values{"channel": {"log"}, "kind_meeting": {"1"}}), "/admin/outbox")
		r = sec.post("/admin/outbox", url.Values{"channel": {"sms"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "field-error")
		r = w.signIn(t, "sysadmin").get("/admin/outbox")
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.body, `action="/admin/outbox"`) && strings.Contains(r.body, `method="post"`) &&
			strings.Contains(r.body, `name="channel"`) && strings.Contains(r.body, "<select id=\"o-channel\"") {
			t.Error("the system administrator is offered the settings form")
		}
		wantStatus(t, county.get("/admin/outbox"), http.StatusForbidden)
	})
}

func TestRhythmAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		w.meetings(t)
		mb := itoa(w.orgs["MB"].ID)
		shan := itoa(w.people["单雄信"])

		r := w.api(t, "county", http.MethodGet, "/api/v1/rhythm?period=month&kind=theme_day&org="+itoa(w.orgs["M"].ID), "")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `"org":"组织MB"`, `{"span":"2026-10","held":0,"state":"gap"}`, `"gaps":1`)
		wantStatus(t, w.api(t, "county", http.MethodGet, "/api/v1/rhythm?period=week", ""), http.StatusBadRequest)
		r = w.api(t, "mobile", http.MethodGet, "/api/v1/orgs/"+mb+"/rhythm", "")
		wantBody(t, r, `"applies":true`, `"meeting":"theme_day","span":{"key":"2026-10"`)
		wantStatus(t, w.api(t, "home", http.MethodGet, "/api/v1/orgs/"+mb+"/rhythm", ""), http.StatusNotFound)

		r = w.api(t, "host", http.MethodGet, "/api/v1/orgs/"+mb+"/attendance?from=2026-01-01&to=2026-06-30&members=1", "")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `"expected":12`, `"present":9`, `"rate_percent":75`, `"name":"单雄信"`)
		r = w.api(t, "cases", http.MethodGet, "/api/v1/orgs/"+mb+"/attendance?members=1", "")
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.body, `"members"`) {
			t.Errorf("the case handler gets the members: %s", r.body)
		}
		wantStatus(t, w.api(t, "county", http.MethodGet, "/api/v1/orgs/"+mb+"/attendance?from=2026-13-01", ""), http.StatusBadRequest)
		r = w.api(t, "home", http.MethodGet, "/api/v1/people/"+shan+"/attendance", "")
		wantBody(t, r, `"absence_flag":{"person_id":`, `"since":"2026-04-15"`, `"absence_months":6`)
		wantMasked(t, "person attendance", r.body)
		r = w.api(t, "home", http.MethodGet, "/api/v1/people/"+itoa(w.people["张薇"])+"/attendance", "")
		wantBody(t, r, `"absence_flag":null`, `"rate_percent":100`)
		wantStatus(t, w.api(t, "host", http.MethodGet, "/api/v1/people/"+itoa(w.people["李四"])+"/attendance", ""), http.StatusNotFound)

		r = w.api(t, "host", http.MethodGet, "/api/v1/people/absence-flags", "")
		wantBody(t, r, `"name":"单雄信"`, `"total":1`, `"months":6`)
		wantMasked(t, "absence flags", r.body)
		wantStatus(t, w.api(t, "mobile", http.MethodPut, "/api/v1/people/absence-rule", `{"months":3}`), http.StatusForbidden)
		wantStatus(t, w.api(t, "county", http.MethodPut, "/api/v1/people/absence-rule", `{"months":0}`), http.StatusBadRequest)
		wantStatus(t, w.api(t, "county", http.MethodPut, "/api/v1/people/absence-rule", `{"months":3}`), http.StatusOK)

		r = w.api(t, "mobile", http.MethodGet, "/api/v1/rhythm/rules", "")
		wantBody(t, r, `"can_edit":false`, `"meeting":"theme_day"`)
		body := `{"rules":[{"meeting":"theme_day","org_kinds":["branch"],"period":"month","min":1,"lead_days":3,"verified":true}]}`
		wantStatus(t, w.api(t, "mobile", http.MethodPut, "/api/v1/rhythm/rules", body), http.StatusForbidden)
		wantStatus(t, w.api(t, "county", http.MethodPut, "/api/v1/rhythm/rules", `{"rules":[{"meeting":"sit_in"}]}`), http.StatusBadRequest)
		r = w.api(t, "county", http.MethodPut, "/api/v1/rhythm/rules", body)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `"lead_days":3`, `"can_edit":true`)

		if _, err := w.svc.CheckRhythm(ctx, w.svc.Today()); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, w.api(t, "county", http.MethodGet, "/api/v1/outbox", ""), http.StatusForbidden)
		r = w.api(t, "sysadmin", http.MethodGet, "/api/v1/outbox?state=pending", "")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `"kind":"absence"`, `"can_edit":false`, `"channels":["log"]`)
		wantStatus(t, w.api(t, "sysadmin", http.MethodPut, "/api/v1/outbox/settings", `{"channel":"log"}`), http.StatusForbidden)
		r = w.api(t, "secofficer", http.MethodPut, "/api/v1/outbox/settings", `{"channel":"log","kinds":["rhythm"]}`)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `"kinds":["rhythm"]`)
	})
}
