package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// Member development over HTTP: the API's case, step, opinion and lists;
// the pages with the approval withheld until the host opinion is on
// record (the page offers no form, the API refuses it, naming the rule);
// documents; the export; and no clear ID number anywhere.

type devCaseJSON struct {
	ID       int64
	IDNumber string `json:"id_number"`
	State    string
	Step     int
	Version  int64
	Next     *struct {
		Step           int
		Allowed        bool
		OpinionMissing bool `json:"opinion_missing"`
	}
	Steps []struct{ Step int }
}

// devApplicant registers a worker of V born in 1996, without a
// membership.
func devApplicant(t *testing.T, w *peopleWorld, name, seq string) domain.PersonID {
	t.Helper()
	id, _ := idcheck.CompleteID("32072419960101" + seq)
	p, err := w.svc.CreatePerson(ctx, w.actorOf(t, "county"), service.NewPerson{Name: name, IDNumber: id, OriginOrgID: w.orgs["V"].ID})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDevelopmentHTTP(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		p := devApplicant(t, w, "李明", "771")
		r := w.api(t, "home", "POST", "/api/v1/development/cases", `{"person_id":`+strconv.FormatInt(int64(p), 10)+
			`,"mobile_org_id":`+strconv.FormatInt(int64(w.orgs["MB"].ID), 10)+`,"on":"2023-03-01"}`)
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("open: %d %s", r.StatusCode, r.body)
		}
		var c devCaseJSON
		if err := json.Unmarshal([]byte(r.body), &c); err != nil {
			t.Fatal(err)
		}
		if c.Step != 1 || c.State != "open" || !strings.Contains(c.IDNumber, "*") || c.Next == nil || c.Next.Step != 2 {
			t.Fatalf("case %+v", c)
		}
		path := "/api/v1/development/cases/" + strconv.FormatInt(c.ID, 10)
		// A second case for the same person is refused.
		if r := w.api(t, "home", "POST", "/api/v1/development/cases", `{"person_id":`+strconv.FormatInt(int64(p), 10)+`,"on":"2023-03-02"}`); r.StatusCode != http.StatusConflict {
			t.Fatalf("duplicate: %d %s", r.StatusCode, r.body)
		}
		if r := w.api(t, "mobile", "POST", path+"/steps", `{"step":2,"on":"2023-03-20"}`); r.StatusCode != http.StatusOK {
			t.Fatalf("step 2: %d %s", r.StatusCode, r.body)
		}
		r = w.api(t, "home", "POST", path+"/steps", `{"step":3,"on":"2023-05-10"}`)
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "流入地") {
			t.Fatalf("activist decided by home: %d %s", r.StatusCode, r.body)
		}
		r = w.api(t, "home", "POST", path+"/steps", `{"step":4,"on":"2023-05-10"}`)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "第4步要在第3步") {
			t.Fatalf("out of order: %d %s", r.StatusCode, r.body)
		}
		if r := w.api(t, "host", "GET", path, ""); r.StatusCode != http.StatusForbidden {
			t.Fatalf("host without cultivation reads: %d %s", r.StatusCode, r.body)
		}
		if r := w.api(t, "cases", "GET", path, ""); r.StatusCode != http.StatusNotFound {
			t.Fatalf("outsider reads: %d", r.StatusCode)
		}
		// Advance to step 6 through the service, as each side does.
		id := domain.DevCaseID(c.ID)
		mobile, home := w.actorOf(t, "mobile"), w.actorOf(t, "home")
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		d := func(s string) domain.Date { v, _ := domain.ParseDate(s); return v }
		must(w.svc.RecordStep(ctx, mobile, id, domain.StepInput{Step: 3, On: d("2023-05-10")}, 0))
		must(w.svc.RecordStep(ctx, home, id, domain.StepInput{Step: 4, On: d("2023-05-20")}, 0))
		must(w.svc.RecordStep(ctx, mobile, id, domain.StepInput{Step: 5, On: d("2023-06-01"),
			People: []domain.DevPerson{{PersonID: w.people["单雄信"]}}}, 0))
		for _, on := range []string{"2023-09-01", "2024-01-01", "2024-05-01"} {
			must(w.svc.AssessDev(ctx, mobile, id, service.AssessInput{On: d(on), Text: "表现良好"}))
		}
		must(w.svc.RecordStep(ctx, mobile, id, domain.StepInput{Step: 6, On: d("2024-05-15")}, 0))

		// The home side's page withholds the approval; the API refuses it.
		b := w.signIn(t, "home")
		page := b.get("/development/" + strconv.FormatInt(c.ID, 10))
		if page.StatusCode != http.StatusOK || strings.Contains(page.body, `action="/development/`+strconv.FormatInt(c.ID, 10)+`/steps"`) ||
			!strings.Contains(page.body, "须先有流入地党组织的书面意见在案") {
			t.Fatalf("home page offers the approval:\n%s", page.body)
		}
		r = w.api(t, "home", "GET", path, "")
		json.Unmarshal([]byte(r.body), &c)
		if c.Next == nil || c.Next.Step != 7 || c.Next.Allowed || !c.Next.OpinionMissing {
			t.Fatalf("next %+v", c.Next)
		}
		r = w.api(t, "home", "POST", path+"/steps", `{"step":7,"on":"2024-06-01"}`)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "书面意见在案") {
			t.Fatalf("approval before the opinion: %d %s", r.StatusCode, r.body)
		}
		if r := w.api(t, "home", "POST", path+"/opinions", `{"gate":7,"on":"2024-05-20","text":"同意"}`); r.StatusCode != http.StatusForbidden {
			t.Fatalf("home gives the host opinion: %d %s", r.StatusCode, r.body)
		}
		// The mobile secretary gives it through the page's form.
		mb := w.signIn(t, "mobile")
		casePath := "/development/" + strconv.FormatInt(c.ID, 10)
		mb.get(casePath)
		if r := mb.post(casePath+"/opinions", url.Values{"gate": {"7"}, "on": {"2024-05-20"}, "text": {"同意列为发展对象"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("opinion form: %d %s", r.StatusCode, r.body)
		}
		page = b.get(casePath)
		if !strings.Contains(page.body, `action="`+casePath+`/steps"`) {
			t.Fatalf("no approval form after the opinion:\n%s", page.body)
		}
		version := between(page.body, `name="version" value="`, `"`)
		if r := b.post(casePath+"/steps", url.Values{"step": {"7"}, "on": {"2024-06-01"}, "version": {version}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("approval form: %d %s", r.StatusCode, r.body)
		}
		// A document with step 1.
		if r := b.upload(casePath+"/files", url.Values{"step": {"1"}}, "file", "申请书.pdf", []byte("%PDF-1.4\n%test\n")); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", r.StatusCode, r.body)
		}
		page = b.get(casePath)
		href := between(page.body, `<a href="`+casePath+`/files/`, `"`)
		if href == "" {
			t.Fatalf("no file link:\n%s", page.body)
		}
		if r := b.get(casePath + "/files/" + href); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.body, "%PDF") {
			t.Fatalf("file: %d", r.StatusCode)
		}
		for _, u := range []string{"/development", "/development/deadlines", "/development/report", "/development/rules",
			"/development/new?person=" + strconv.FormatInt(int64(devApplicant(t, w, "王五", "772")), 10)} {
			if r := b.get(u); r.StatusCode != http.StatusOK || strings.Contains(r.body, "320724199601017") {
				t.Fatalf("%s: %d", u, r.StatusCode)
			}
		}
		if r := b.get("/development/report.xlsx"); r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheet") {
			t.Fatalf("export: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
		}
		if r := w.api(t, "mobile", "GET", "/api/v1/development/deadlines?kind=eligible", ""); r.StatusCode != http.StatusOK {
			t.Fatalf("deadlines: %d %s", r.StatusCode, r.body)
		}
		if r := w.api(t, "county", "GET", "/api/v1/development/report", ""); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"developed"`) {
			t.Fatalf("report: %d %s", r.StatusCode, r.body)
		}
		if r := w.api(t, "mobile", "PUT", "/api/v1/development/rules", `{"notice_days":3}`); r.StatusCode != http.StatusForbidden {
			t.Fatalf("rules by a secretary: %d", r.StatusCode)
		}
		if r := w.api(t, "county", "PUT", "/api/v1/development/rules", `{"notice_days":3,"host_probation":true}`); r.StatusCode != http.StatusOK {
			t.Fatalf("rules by the county: %d %s", r.StatusCode, r.body)
		}
		if r := w.api(t, "home", "GET", "/api/v1/development/cases?state=open", ""); r.StatusCode != http.StatusOK ||
			!strings.Contains(r.body, `"total":1`) {
			t.Fatalf("list: %d %s", r.StatusCode, r.body)
		}
	})
}
