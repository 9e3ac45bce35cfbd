package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// Performance feedback and democratic evaluations over HTTP: the API's
// actions and lists, the pages and their forms, and the exports, scanned
// for unmasked numbers. The people world's host H reaches MB through A1,
// which grants feedback; "host2" at H2 reaches M through A4, which grants
// basic data and attendance only.

type conductWorld struct {
	*peopleWorld
}

func newConductHTTPWorld(t *testing.T, db *store.DB) *conductWorld {
	t.Helper()
	w := &conductWorld{newPeopleWorld(t, db)}
	id, err := w.svc.BootstrapAgreement(ctx, service.NewAgreement{Title: "协议A4", OriginID: w.orgs["C"].ID,
		MobileIDs: []domain.OrgID{w.orgs["M"].ID}, HostIDs: []domain.OrgID{w.orgs["H2"].ID},
		Capabilities: []domain.Capability{domain.CapViewBasic, domain.CapAttendance},
		ValidFrom:    domain.NewDate(2026, 1, 1), ValidTo: domain.NewDate(2026, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SignAgreement(ctx, authz.System, id, 0, domain.NewDate(2026, 1, 1)); err != nil {
		t.Fatal(err)
	}
	acc, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: "host2", DisplayName: "host2", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.BootstrapGrant(ctx, acc, authz.RoleHostOfficer, w.orgs["H2"].Name); err != nil {
		t.Fatal(err)
	}
	w.accounts["host2"] = acc
	return w
}

type feedbackJSON struct {
	ID     int64
	Person struct {
		ID       int64
		Name     string
		IDNumber string `json:"id_number"`
	}
	Quarter string
	Writer  struct {
		ID   int64
		Name string
	}
	State    string
	Revision int
	Version  int64
	Events   []struct{ Kind string }
}

type evaluationJSON struct {
	ID      int64
	State   string
	Rating  string
	Host    *struct{ Rating string }
	Warning *struct{ Code, Message string }
}

func TestAPIConduct(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductHTTPWorld(t, db)
		call := func(who, method, path, body string) resp { return w.api(t, who, method, path, body) }
		shan := itoa(w.people["单雄信"])

		r := call("host", http.MethodPost, "/api/v1/feedback", `{"person_id":`+shan+`,"quarter":"2026-Q4","participation":"always","conduct":"good","remarks":"按时参加"}`)
		wantStatus(t, r, http.StatusCreated)
		f := decodeJSON[feedbackJSON](t, r)
		if f.Person.IDNumber != "110105********002X" || f.Writer.ID != int64(w.orgs["H"].ID) || f.State != "sent" || len(f.Events) != 1 {
			t.Fatalf("written %+v", f)
		}
		wantMasked(t, "feedback", r.body)
		wantAPIError(t, call("host", http.MethodPost, "/api/v1/feedback", `{"person_id":`+shan+`,"quarter":"2026-Q4","participation":"always","conduct":"good"}`),
			http.StatusConflict, "conflict", "quarter")
		wantAPIError(t, call("host", http.MethodPost, "/api/v1/feedback", `{"person_id":`+shan+`,"quarter":"2027-Q1","participation":"always","conduct":"good"}`),
			http.StatusBadRequest, "invalid", "quarter")
		e := wantAPIError(t, call("host2", http.MethodPost, "/api/v1/feedback", `{"person_id":`+shan+`,"quarter":"2026-Q4","participation":"always","conduct":"good"}`),
			http.StatusForbidden, "forbidden", "")
		if !strings.Contains(e.Error.Message, "未授予") {
			t.Errorf("refusal %q does not say why", e.Error.Message)
		}
		for _, who := range []string{"county", "home", "mobile", "host"} {
			for _, p := range []string{"/api/v1/feedback", "/api/v1/feedback/due", "/api/v1/people/" + shan + "/conduct"} {
				r := call(who, http.MethodGet, p, "")
				wantStatus(t, r, http.StatusOK)
				wantMasked(t, who+" "+p, r.body)
			}
		}
		waiting := decodeJSON[struct{ Feedback []feedbackJSON }](t, call("home", http.MethodGet, "/api/v1/feedback?list=waiting", ""))
		if len(waiting.Feedback) != 1 || waiting.Feedback[0].ID != f.ID {
			t.Fatalf("waiting %+v", waiting)
		}
		path := "/api/v1/feedback/" + itoa(f.ID)
		wantAPIError(t, call("home", http.MethodPost, path+"/return", `{"comment":""}`), http.StatusBadRequest, "invalid", "comment")
		wantStatus(t, call("home", http.MethodPost, path+"/return", `{"comment":"请补充"}`), http.StatusOK)
		r = call("host", http.MethodPost, path+"/revise", `{"participation":"mostly","conduct":"exemplary","remarks":"补充：志愿服务"}`)
		wantStatus(t, r, http.StatusOK)
		if f := decodeJSON[feedbackJSON](t, r); f.State != "sent" || f.Revision != 2 {
			t.Fatalf("revised %+v", f)
		}
		wantAPIError(t, call("mobile", http.MethodPost, path+"/acknowledge", `{}`), http.StatusForbidden, "forbidden", "")
		r = call("county", http.MethodPost, path+"/acknowledge", `{"comment":"已阅"}`)
		wantStatus(t, r, http.StatusOK)
		if f := decodeJSON[feedbackJSON](t, r); f.State != "acknowledged" || len(f.Events) != 4 {
			t.Fatalf("acknowledged %+v", f)
		}
		due := decodeJSON[struct {
			Period  string
			Members []struct{ Person struct{ Name string } }
		}](t, call("host", http.MethodGet, "/api/v1/feedback/due", ""))
		if due.Period != "2026-Q4" || len(due.Members) != 1 || due.Members[0].Person.Name != "张薇" {
			t.Fatalf("due %+v", due)
		}
		wantStatus(t, call("member", http.MethodGet, path, ""), http.StatusNotFound)
		wantAPIError(t, call("home", http.MethodGet, "/api/v1/feedback?list=mine", ""), http.StatusBadRequest, "invalid", "list")

		// The evaluation: proposal over the share warned, host opinion,
		// a host without the capability refused, confirmation refused
		// over the share and then changed with a reason.
		r = call("mobile", http.MethodPost, "/api/v1/evaluations", `{"person_id":`+shan+`,"year":2026,"rating":"excellent"}`)
		wantStatus(t, r, http.StatusCreated)
		ev := decodeJSON[evaluationJSON](t, r)
		if ev.State != "proposed" || ev.Warning == nil || ev.Warning.Code != "rule_violation" {
			t.Fatalf("proposal %+v", ev)
		}
		epath := "/api/v1/evaluations/" + itoa(ev.ID)
		wantStatus(t, call("host", http.MethodPost, epath+"/opinion", `{"rating":"excellent","note":"表现突出"}`), http.StatusOK)
		e = wantAPIError(t, call("host2", http.MethodPost, epath+"/opinion", `{"rating":"qualified"}`), http.StatusForbidden, "forbidden", "")
		if !strings.Contains(e.Error.Message, "未作任何改动") {
			t.Errorf("refusal %q", e.Error.Message)
		}
		if got := decodeJSON[evaluationJSON](t, call("home", http.MethodGet, epath, "")); got.Host == nil || got.Host.Rating != "excellent" {
			t.Fatalf("host2 changed the opinion: %+v", got)
		}
		wantAPIError(t, call("home", http.MethodPost, epath+"/confirm", `{}`), http.StatusUnprocessableEntity, "rule_violation", "")
		wantAPIError(t, call("home", http.MethodPost, epath+"/confirm", `{"rating":"qualified"}`), http.StatusBadRequest, "invalid", "reason")
		r = call("home", http.MethodPost, epath+"/confirm", `{"rating":"qualified","reason":"优秀名额已满"}`)
		wantStatus(t, r, http.StatusOK)
		if got := decodeJSON[evaluationJSON](t, r); got.State != "confirmed" || got.Rating != "qualified" {
			t.Fatalf("confirmed %+v", got)
		}
		wantAPIError(t, call("mobile", http.MethodPost, "/api/v1/evaluations", `{"person_id":`+itoa(w.people["张薇"])+`,"year":2026,"rating":"qualified"}`),
			http.StatusUnprocessableEntity, "rule_violation", "")
		dist := decodeJSON[struct {
			Year  int
			Orgs  []struct{ Qualified, Total int }
			Total struct{ Total int }
		}](t, call("county", http.MethodGet, "/api/v1/evaluations/distribution?year=2026", ""))
		if dist.Year != 2026 || len(dist.Orgs) != 1 || dist.Orgs[0].Qualified != 1 || dist.Total.Total != 1 {
			t.Fatalf("distribution %+v", dist)
		}
		conduct := decodeJSON[struct {
			Feedback    []feedbackJSON
			Evaluations []evaluationJSON
		}](t, call("home", http.MethodGet, "/api/v1/people/"+shan+"/conduct", ""))
		if len(conduct.Feedback) != 1 || len(conduct.Evaluations) != 1 {
			t.Fatalf("conduct %+v", conduct)
		}
		wantStatus(t, call("host2", http.MethodGet, "/api/v1/people/"+shan+"/conduct", ""), http.StatusForbidden)
		wantStatus(t, call("cases", http.MethodGet, "/api/v1/people/"+shan+"/conduct", ""), http.StatusNotFound)
		wantStatus(t, call("member", http.MethodGet, "/api/v1/me/conduct", ""), http.StatusNotFound)
		pol := call("county", http.MethodPut, "/api/v1/evaluations/policy", `{"rate_probationary":true,"excellent_num":1,"excellent_den":3}`)
		wantStatus(t, pol, http.StatusOK)
		wantStatus(t, call("home", http.MethodPut, "/api/v1/evaluations/policy", `{"rate_probationary":false,"excellent_num":1,"excellent_den":3}`),
			http.StatusForbidden)
		wantStatus(t, call("mobile", http.MethodPost, "/api/v1/evaluations", `{"person_id":`+itoa(w.people["张薇"])+`,"year":2026,"rating":"unqualified"}`),
			http.StatusCreated)
		toConfirm := decodeJSON[struct{ Evaluations []evaluationJSON }](t, call("home", http.MethodGet, "/api/v1/evaluations?list=confirm", ""))
		if len(toConfirm.Evaluations) != 1 {
			t.Fatalf("to confirm %+v", toConfirm)
		}
		r = call("home", http.MethodPost, "/api/v1/evaluations/"+itoa(toConfirm.Evaluations[0].ID)+"/confirm",
			`{"followup":{"kind":"correct","due_on":"2027-02-28","note":"参加组织生活"}}`)
		wantStatus(t, r, http.StatusOK)
		tasks := decodeJSON[struct {
			FollowUps []struct {
				ID      int64
				Kind    string
				Open    bool
				Overdue bool
			}
		}](t, call("county", http.MethodGet, "/api/v1/followups?open=true", ""))
		if len(tasks.FollowUps) != 1 || tasks.FollowUps[0].Kind != "correct" || tasks.FollowUps[0].Overdue {
			t.Fatalf("tasks %+v", tasks)
		}
		wantStatus(t, call("home", http.MethodPost, "/api/v1/followups/"+itoa(tasks.FollowUps[0].ID)+"/close",
			`{"outcome":"escalated","note":"逾期未改","next":{"kind":"persuade","due_on":"2027-04-30"}}`), http.StatusOK)
		open := decodeJSON[struct{ FollowUps []struct{ Kind string } }](t, call("home", http.MethodGet, "/api/v1/followups?open=true", ""))
		if len(open.FollowUps) != 1 || open.FollowUps[0].Kind != "persuade" {
			t.Fatalf("after escalation %+v", open)
		}
	})
}

// The pages: the host writes a feedback through the form, the home side
// returns it, the host revises it, the home side acknowledges; the
// evaluation pages; exports masked; a refusal shown on the form.
func TestConductPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductHTTPWorld(t, db)
		shan := itoa(w.people["单雄信"])
		host := w.signIn(t, "host")
		r := host.get("/feedback")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "单雄信", "110105********002X", "/feedback/new?person="+shan+"&amp;quarter=2026-Q4")
		wantMasked(t, "due list", r.body)
		r = host.get("/feedback/new?person=" + shan + "&quarter=2026-Q4")
		wantStatus(t, r, http.StatusOK)
		r = host.post("/feedback", url.Values{"person": {shan}, "quarter": {"2026-Q4"}, "participation": {"rarely"}, "conduct": {"good"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "须在评语中写明具体情况")
		r = host.post("/feedback", url.Values{"person": {shan}, "quarter": {"2026-Q4"}, "participation": {"always"}, "conduct": {"good"},
			"remarks": {"按时参加主题党日"}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/feedback/") {
			t.Fatalf("write: %d %s\n%s", r.StatusCode, r.location(), r.body)
		}
		fpath := r.location()
		r = host.get(fpath)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "表现反馈已报送", "按时参加主题党日")
		wantMasked(t, "feedback page", r.body)

		h2 := w.signIn(t, "host2")
		r = h2.get("/feedback/new?person=" + shan)
		wantStatus(t, r, http.StatusOK)
		r = h2.post("/feedback", url.Values{"person": {shan}, "quarter": {"2026-Q4"}, "participation": {"always"}, "conduct": {"good"}})
		wantStatus(t, r, http.StatusForbidden)
		wantBody(t, r, "未授予")
		wantStatus(t, h2.get(fpath), http.StatusForbidden)

		home := w.signIn(t, "home")
		r = home.get("/feedback?tab=waiting")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, fpath)
		home.get(fpath)
		r = home.post(fpath+"/return", url.Values{"comment": {""}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "退回时请写明退回原因")
		wantRedirect(t, home.post(fpath+"/return", url.Values{"comment": {"请补充志愿服务情况"}}), fpath)
		r = host.get(fpath)
		wantBody(t, r, "请补充志愿服务情况", fpath+"/revise")
		wantRedirect(t, host.post(fpath+"/revise", url.Values{"participation": {"mostly"}, "conduct": {"exemplary"},
			"remarks": {"参加了三次志愿服务"}, "version": {between(r.body, `name="version" value="`, `"`)}}), fpath)
		home.get(fpath)
		wantRedirect(t, home.post(fpath+"/acknowledge", url.Values{"comment": {"已阅"}}), fpath)
		r = home.get("/people/" + shan)
		wantBody(t, r, "参加了三次志愿服务", "id=\"conduct\"")

		// Evaluations: the mobile secretary proposes, the home confirms.
		mobile := w.signIn(t, "mobile")
		r = mobile.get("/evaluations/list?tab=due")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "/evaluations/new?person="+shan+"&amp;year=2026")
		mobile.get("/evaluations/new?person=" + shan + "&year=2026")
		r = mobile.post("/evaluations", url.Values{"person": {shan}, "year": {"2026"}, "rating": {"qualified"}, "note": {"表现良好"}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/evaluations/") {
			t.Fatalf("propose: %d %s\n%s", r.StatusCode, r.location(), r.body)
		}
		epath := r.location()
		r = home.get(epath)
		wantBody(t, r, epath+"/confirm")
		wantRedirect(t, home.post(epath+"/confirm", url.Values{"rating": {"qualified"}}), epath)
		county := w.signIn(t, "county")
		r = county.get("/evaluations?year=2026")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, w.orgs["MB"].Name, "/evaluations/policy")
		wantStatus(t, w.signIn(t, "member").get("/evaluations"), http.StatusForbidden)

		// Exports: strings only, masked, audited.
		for _, p := range []string{"/feedback/export.xlsx?list=all", "/feedback/export.xlsx?list=waiting",
			"/evaluations/export.xlsx?list=all&year=2026", "/evaluations/export.xlsx?list=followups",
			"/evaluations/distribution.xlsx?year=2026"} {
			rows := xlsxStrings(t, county.get(p))
			var cells []string
			for _, row := range rows {
				cells = append(cells, strings.Join(row, "|"))
			}
			wantMasked(t, p, strings.Join(cells, "\n"))
			if strings.Contains(p, "list=all") && !strings.Contains(strings.Join(cells, "\n"), "110105********002X") {
				t.Errorf("%s lacks the masked number:\n%s", p, strings.Join(cells, "\n"))
			}
		}
		rows := xlsxStrings(t, host.get("/feedback/export.xlsx?list=due"))
		if len(rows) != 2 || rows[1][0] != "张薇" {
			t.Errorf("host's due export %v", rows)
		}
		got, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "feedback.export", Limit: 10})
		if len(got) != 3 {
			t.Errorf("%d feedback exports audited", len(got))
		}
	})
}
