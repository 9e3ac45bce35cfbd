package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// flag makes 单雄信 lost (last reached in January) and 李四 at risk, and
// runs the check.
func (w *peopleWorld) flag(t *testing.T) {
	t.Helper()
	county := w.actorOf(t, "county")
	for name, on := range map[string]domain.Date{"单雄信": domain.NewDate(2026, 1, 5), "李四": domain.NewDate(2026, 7, 5)} {
		if _, err := w.svc.RecordContact(ctx, county, w.people[name], service.ContactInput{On: on, Channel: "phone", Reached: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.svc.CheckContacts(ctx, w.svc.Today()); err != nil {
		t.Fatal(err)
	}
}

func TestContactPagesAndAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		w.flag(t)
		shan := w.people["单雄信"]

		// The home secretary (V) sees both; the host (through A1, which
		// covers MB) only the member placed there.
		home := w.signIn(t, "home")
		r := home.get("/people/contact")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "单雄信", "李四", "/people/contact/export.xlsx")
		if strings.Contains(r.body, "/people/contact/settings") {
			t.Error("the home secretary is offered the thresholds")
		}
		host := w.signIn(t, "host")
		r = host.get("/people/contact")
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, "单雄信") || strings.Contains(r.body, "李四") {
			t.Errorf("host list:\n%s", r.body)
		}
		rows := xlsxStrings(t, home.get("/people/contact/export.xlsx?state=lost"))
		if len(rows) != 2 || rows[1][0] != "单雄信" {
			t.Fatalf("export %v", rows)
		}

		// A refused contact comes back with its error and stores nothing;
		// a good one clears the warning.
		home.get(personPath(shan))
		r = home.post(personPath(shan)+"/contacts", url.Values{"on": {"2026-12-30"}, "channel": {"phone"}, "reached": {"1"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, `value="2026-12-30"`, "field-error")
		if list, _ := store.Contacts(ctx, db.Read(), shan, 10); len(list) != 1 {
			t.Fatalf("a refused contact was stored: %+v", list)
		}
		r = home.post(personPath(shan)+"/contacts", url.Values{"on": {"2026-11-28"}, "channel": {"visit"}, "reached": {"1"},
			"note": {"在工地见到本人"}})
		wantRedirect(t, r, personPath(shan)+"#contacts")
		r = home.get(personPath(shan))
		wantBody(t, r, "在工地见到本人")
		if p, _ := w.svc.Person(ctx, w.actorOf(t, "county"), shan); p.Membership.ContactState != domain.ContactOK {
			t.Fatalf("state %s after a reached contact", p.Membership.ContactState)
		}
		// The host may read the contacts but is offered no form.
		r = host.get(personPath(shan))
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.body, `action="`+personPath(shan)+`/contacts"`) || strings.Contains(r.body, "/edit") {
			t.Error("the host is offered the contact form or the edit page")
		}
		wantStatus(t, host.get(personPath(shan)+"/edit"), http.StatusForbidden)

		// API: the list, a person's contacts, a new attempt.
		r = w.api(t, "host", http.MethodGet, "/api/v1/people/contact-warnings", "")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `"warnings":[]`, `"lost":0`)
		r = w.api(t, "home", http.MethodGet, "/api/v1/people/contact-warnings?state=at_risk", "")
		wantBody(t, r, `"name":"李四"`, `"state":"at_risk"`, `"days_without_contact":147`)
		wantStatus(t, w.api(t, "home", http.MethodGet, "/api/v1/people/contact-warnings?state=ok", ""), http.StatusBadRequest)
		r = w.api(t, "home", http.MethodPost, "/api/v1/people/"+itoa(w.people["李四"])+"/contacts",
			`{"on":"2026-11-27","channel":"phone","reached":false,"note":"无人接听"}`)
		wantStatus(t, r, http.StatusCreated)
		r = w.api(t, "home", http.MethodGet, "/api/v1/people/"+itoa(w.people["李四"])+"/contacts", "")
		wantBody(t, r, `"note":"无人接听"`, `"reached":false`)
		r = w.api(t, "host", http.MethodPost, "/api/v1/people/"+itoa(shan)+"/contacts", `{"on":"2026-11-27","channel":"phone"}`)
		wantStatus(t, r, http.StatusNotFound)
	})
}

func TestPersonEditPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		shan := w.people["单雄信"]
		county := w.signIn(t, "county")
		r := county.get(personPath(shan) + "/edit")
		wantStatus(t, r, http.StatusOK)
		wantMasked(t, "edit page", r.body)
		wantBody(t, r, `placeholder="110105********002X"`, `name="version" value="1"`)
		form := url.Values{"name": {"单雄信"}, "employer": {"新公司"}, "city_code": {"330100"}, "industry": {"E"}, "version": {"1"}}
		// Bad input: the error beside its field, nothing changed.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("phone", "123")
		r = county.post(personPath(shan)+"/edit", bad)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "field-error", `value="新公司"`)
		r = county.post(personPath(shan)+"/edit", form)
		wantRedirect(t, r, personPath(shan))
		// The same form again holds a stale version.
		form.Set("employer", "又一家")
		r = county.post(personPath(shan)+"/edit", form)
		wantStatus(t, r, http.StatusConflict)
		if p, _ := w.svc.Person(ctx, w.actorOf(t, "county"), shan); p.Employer != "新公司" || p.Version != 2 {
			t.Fatalf("after edits %+v", p)
		}
		// A membership change needs its reason.
		county.get(personPath(shan) + "/edit")
		m := url.Values{"status": {"full"}, "joined_on": {"2015-07-01"}, "full_on": {"2016-07-01"}, "home_org": {itoa(w.orgs["V"].ID)},
			"version": {"1"}}
		r = county.post(personPath(shan)+"/membership", m)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "field-error")
		m.Set("reason", "补录转正日期")
		wantRedirect(t, county.post(personPath(shan)+"/membership", m), personPath(shan))
		wantBody(t, county.get(personPath(shan)), "更正党员日期信息")

		// API: PATCH with If-Match, then a stale one.
		r = w.api(t, "county", http.MethodPatch, "/api/v1/people/"+itoa(shan), `{"occupation":"班组长"}`, "If-Match", `"2"`)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `"occupation":"班组长"`, "110105********002X")
		wantMasked(t, "api patch", r.body)
		r = w.api(t, "county", http.MethodPatch, "/api/v1/people/"+itoa(shan), `{"occupation":"x"}`, "If-Match", `"2"`)
		wantStatus(t, r, http.StatusConflict)
		r = w.api(t, "county", http.MethodPost, "/api/v1/people/"+itoa(shan)+"/membership",
			`{"status":"full","joined_on":"2015-07-01","home_id":`+itoa(w.orgs["V"].ID)+`,"reason":"","version":2}`)
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, `"field":"reason"`)
	})
}

func TestContactSettingsPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		wantStatus(t, w.signIn(t, "home").get("/people/contact/settings"), http.StatusForbidden)
		county := w.signIn(t, "county")
		r := county.get("/people/contact/settings")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `name="at_risk_months"`, `value="3"`, `value="6"`)
		r = county.post("/people/contact/settings", url.Values{"at_risk_months": {"4"}, "lost_months": {"4"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "field-error")
		r = county.post("/people/contact/settings", url.Values{"at_risk_months": {"2"}, "lost_months": {"5"}})
		wantRedirect(t, r, "/people/contact")
		if th, _ := w.svc.ContactThresholds(ctx); th.AtRiskMonths != 2 || th.LostMonths != 5 {
			t.Fatalf("stored %+v", th)
		}
	})
}
