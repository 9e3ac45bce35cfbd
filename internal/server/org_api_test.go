package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The organization and agreement API beyond the access matrix: shapes,
// filters, versions and the recorded steps.

type orgJSON struct {
	ID       int64
	Name     string
	Side     string
	Kind     string
	Status   string
	Version  int64
	Founded  string `json:"founded_on"`
	Children []struct{ ID int64 }
	Officers []struct {
		ID    int64
		Phone string
	}
	History []struct {
		Kind     string
		On       string
		FromKind string `json:"from_kind"`
		ToKind   string `json:"to_kind"`
		Members  int
	}
	Advice []struct {
		Rule    string
		Args    map[string]any
		Message string
	}
	Agreements []agreementJSON
}

type agreementJSON struct {
	ID           int64
	Title        string
	State        string
	RenewalDue   bool  `json:"renewal_due"`
	RenewedFrom  int64 `json:"renewed_from"`
	Capabilities []string
	ValidFrom    string `json:"valid_from"`
	ValidTo      string `json:"valid_to"`
	Events       []struct{ Kind string }
}

func decodeJSON[T any](t *testing.T, r resp) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("%s: %v\n%s", r.Request.URL, err, r.body)
	}
	return v
}

func TestAPIOrganizations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		o := w.orgs
		get := func(path string) resp { return w.api(t, "county", http.MethodGet, path, "") }
		send := func(method, path, body string, header ...string) resp {
			return w.api(t, "county", method, path, body, header...)
		}

		list := decodeJSON[struct{ Orgs []orgJSON }](t, get("/api/v1/orgs?side=origin"))
		if len(list.Orgs) != 3 || list.Orgs[0].Name != "组织C" || list.Orgs[2].Kind != "branch" || list.Orgs[2].Founded != "2005-03-01" {
			t.Errorf("origin list: %+v", list.Orgs)
		}
		list = decodeJSON[struct{ Orgs []orgJSON }](t, get("/api/v1/orgs?under="+itoa(o["M"].ID)))
		if len(list.Orgs) != 2 {
			t.Errorf("under M: %+v", list.Orgs)
		}
		wantAPIError(t, get("/api/v1/orgs?side=left"), http.StatusBadRequest, "invalid", "side")
		wantAPIError(t, get("/api/v1/orgs?under=x"), http.StatusBadRequest, "invalid", "under")
		wantAPIError(t, get("/api/v1/orgs/abc"), http.StatusNotFound, "not_found", "")

		m := "/api/v1/orgs/" + itoa(o["M"].ID)
		r := get(m)
		wantStatus(t, r, http.StatusOK)
		etag := r.Header.Get("ETag")
		one := decodeJSON[orgJSON](t, r)
		if one.Side != "mobile" || len(one.Children) != 1 || len(one.Agreements) != 1 || one.Agreements[0].State != "in_force" ||
			!one.Agreements[0].RenewalDue || len(one.History) != 1 || one.History[0].Kind != "founded" || etag != `"`+itoa(one.Version)+`"` {
			t.Errorf("M: %s (ETag %s)", r.body, etag)
		}
		mb := decodeJSON[orgJSON](t, get("/api/v1/orgs/"+itoa(o["MB"].ID)))
		if len(mb.Advice) != 1 || mb.Advice[0].Rule != "advice.branch_too_small" || !strings.Contains(mb.Advice[0].Message, "少于 3 名") {
			t.Errorf("advice: %+v", mb.Advice)
		}

		// Founding: the wrong side is a rule, named on its field.
		wantAPIError(t, send(http.MethodPost, "/api/v1/orgs", `{"parent_id":`+itoa(o["M"].ID)+`,"name":"x","side":"origin","kind":"branch"}`),
			http.StatusUnprocessableEntity, "rule_violation", "parent")
		wantAPIError(t, send(http.MethodPost, "/api/v1/orgs", `{"parent_id":`+itoa(o["M"].ID)+`,"name":"x","side":"mobile","kind":"branch","founded_on":"1.6.1998"}`),
			http.StatusBadRequest, "invalid", "founded_on")
		r = send(http.MethodPost, "/api/v1/orgs", `{"parent_id":`+itoa(o["M"].ID)+`,"name":"杭州第二支部","side":"mobile","kind":"branch","members":13,"founded_on":"1998-06-01"}`)
		wantStatus(t, r, http.StatusCreated)
		second := decodeJSON[orgJSON](t, r)
		if r.Header.Get("Location") != "/api/v1/orgs/"+itoa(second.ID) || second.History[0].Members != 13 {
			t.Errorf("created: %s %s", r.Header.Get("Location"), r.body)
		}

		// Editing needs the version; a stale one is a conflict.
		wantAPIError(t, send(http.MethodPatch, m, `{"phone":"1"}`), http.StatusPreconditionRequired, "invalid", "")
		wantAPIError(t, send(http.MethodPatch, m, `{"phone":"1"}`, "If-Match", `"99"`), http.StatusConflict, "conflict", "")
		wantAPIError(t, send(http.MethodPatch, m, `{"fone":"1"}`, "If-Match", etag), http.StatusBadRequest, "invalid", "fone")
		r = send(http.MethodPatch, m, `{"phone":"0571-86001234","version":`+itoa(one.Version)+`}`)
		wantStatus(t, r, http.StatusOK)
		if r.Header.Get("ETag") == etag || !strings.Contains(r.body, `"phone":"0571-86001234"`) || !strings.Contains(r.body, `"name":"组织M"`) {
			t.Errorf("patched: %s %s", r.Header.Get("ETag"), r.body)
		}
		wantAPIError(t, send(http.MethodPatch, m, `{"phone":"2"}`, "If-Match", etag), http.StatusConflict, "conflict", "")

		// The recorded steps.
		mbPath := "/api/v1/orgs/" + itoa(o["MB"].ID)
		wantAPIError(t, send(http.MethodPost, mbPath+"/upgrade", `{"to":"group","on":"2010-04-01"}`), http.StatusUnprocessableEntity, "rule_violation", "kind")
		r = send(http.MethodPost, mbPath+"/upgrade", `{"to":"general_branch","on":"2010-04-01","members":158}`)
		wantStatus(t, r, http.StatusOK)
		if up := decodeJSON[orgJSON](t, r); up.Kind != "general_branch" || up.History[1].FromKind != "branch" || up.History[1].Members != 158 {
			t.Errorf("upgraded: %s", r.body)
		}
		r = send(http.MethodPost, "/api/v1/orgs/"+itoa(second.ID)+"/merge", `{"into":`+itoa(o["MB"].ID)+`,"on":"2026-11-01"}`)
		if merged := decodeJSON[orgJSON](t, r); r.StatusCode != http.StatusOK || merged.Status != "merged" {
			t.Errorf("merged: %d %s", r.StatusCode, r.body)
		}
		v := "/api/v1/orgs/" + itoa(o["V"].ID)
		wantAPIError(t, send(http.MethodPost, v+"/dissolve", `{"on":"2026-11-01"}`), http.StatusBadRequest, "invalid", "note")
		r = send(http.MethodPost, v+"/dissolve", `{"on":"2026-11-01","reason":"村党组织合并"}`)
		if d := decodeJSON[orgJSON](t, r); r.StatusCode != http.StatusOK || d.Status != "dissolved" {
			t.Errorf("dissolved: %d %s", r.StatusCode, r.body)
		}

		// Officers: appointed (the phone masked in every answer), ended once.
		r = send(http.MethodPost, m+"/officers", `{"name":"王建国","position":"secretary","from":"2020-01-01","phone":"13912345678"}`)
		wantStatus(t, r, http.StatusCreated)
		off := decodeJSON[struct {
			ID    int64
			Phone string
		}](t, r)
		if off.Phone != "139****5678" || strings.Contains(get(m).body, "13912345678") {
			t.Errorf("officer: %s", r.body)
		}
		wantAPIError(t, send(http.MethodPost, m+"/officers", `{"name":"李","position":"king","from":"2020-01-01"}`), http.StatusBadRequest, "invalid", "position")
		wantStatus(t, send(http.MethodDelete, m+"/officers/"+itoa(off.ID)+"?on=2026-11-01", ""), http.StatusNoContent)
		wantAPIError(t, send(http.MethodDelete, m+"/officers/"+itoa(off.ID), ""), http.StatusNotFound, "not_found", "")
		// The host may not appoint in a mobile organization it co-manages.
		wantAPIError(t, w.api(t, "host", http.MethodPost, m+"/officers", `{"name":"李","position":"member","from":"2020-01-01"}`),
			http.StatusForbidden, "forbidden", "")
	})
}

func TestAPIAgreements(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		o := w.orgs
		send := func(method, path, body string) resp { return w.api(t, "county", method, path, body) }
		type list struct{ Agreements []agreementJSON }

		l := decodeJSON[list](t, send(http.MethodGet, "/api/v1/agreements?state=expiring", ""))
		if len(l.Agreements) != 1 || l.Agreements[0].Title != "协议A1" {
			t.Errorf("expiring: %+v", l.Agreements)
		}
		l = decodeJSON[list](t, send(http.MethodGet, "/api/v1/agreements?org="+itoa(o["M2"].ID), ""))
		if len(l.Agreements) != 2 || l.Agreements[0].State != "expired" || l.Agreements[1].State != "draft" {
			t.Errorf("for M2: %+v", l.Agreements)
		}
		wantAPIError(t, send(http.MethodGet, "/api/v1/agreements?state=lapsed", ""), http.StatusBadRequest, "invalid", "state")
		l = decodeJSON[list](t, w.api(t, "host", http.MethodGet, "/api/v1/agreements", ""))
		if len(l.Agreements) != 3 {
			t.Errorf("host reads %d agreements, want its three", len(l.Agreements))
		}

		body := `{"title":"苏州共建","origin_id":` + itoa(o["C"].ID) + `,"mobile_ids":[` + itoa(o["M2"].ID) + `],"host_ids":[` +
			itoa(o["H2"].ID) + `],"capabilities":["feedback","attendance"],"valid_from":"2026-11-01","valid_to":"2028-10-31","folded":true}`
		wantAPIError(t, send(http.MethodPost, "/api/v1/agreements", strings.Replace(body, `"2028-10-31"`, `"2026-10-31"`, 1)),
			http.StatusBadRequest, "invalid", "valid_to")
		wantAPIError(t, send(http.MethodPost, "/api/v1/agreements", strings.Replace(body, `"feedback"`, `"everything"`, 1)),
			http.StatusBadRequest, "invalid", "capabilities")
		r := send(http.MethodPost, "/api/v1/agreements", body)
		wantStatus(t, r, http.StatusCreated)
		ag := decodeJSON[agreementJSON](t, r)
		if ag.State != "draft" || len(ag.Capabilities) != 2 || ag.ValidTo != "2028-10-31" || len(ag.Events) != 1 {
			t.Errorf("drafted: %s", r.body)
		}
		// The same capability for the same parties over the same period
		// is refused as a conflict.
		wantAPIError(t, send(http.MethodPost, "/api/v1/agreements", body), http.StatusConflict, "conflict", "capabilities")

		base := "/api/v1/agreements/" + itoa(ag.ID)
		wantAPIError(t, send(http.MethodPost, base+"/renew", `{"valid_to":"2030-10-31"}`), http.StatusUnprocessableEntity, "rule_violation", "")
		wantAPIError(t, send(http.MethodPost, base+"/sign", `{"signed_on":"2027-01-01"}`), http.StatusBadRequest, "invalid", "signed_on")
		r = send(http.MethodPost, base+"/sign", `{"signed_on":"2026-11-29"}`)
		if s := decodeJSON[agreementJSON](t, r); r.StatusCode != http.StatusOK || s.State != "in_force" {
			t.Errorf("signed: %d %s", r.StatusCode, r.body)
		}
		wantAPIError(t, send(http.MethodPost, base+"/sign", `{"signed_on":"2026-11-29"}`), http.StatusUnprocessableEntity, "rule_violation", "")
		r = send(http.MethodPost, base+"/renew", `{"valid_to":"2030-10-31"}`)
		wantStatus(t, r, http.StatusCreated)
		if n := decodeJSON[agreementJSON](t, r); n.RenewedFrom != ag.ID || n.ValidFrom != "2028-11-01" || n.State != "draft" {
			t.Errorf("renewal: %s", r.body)
		}
		wantAPIError(t, send(http.MethodPost, base+"/terminate", `{"on":"2026-11-29"}`), http.StatusBadRequest, "invalid", "reason")
		r = send(http.MethodPost, base+"/terminate", `{"on":"2026-11-29","reason":"街道调整","version":1}`)
		wantAPIError(t, r, http.StatusConflict, "conflict", "")
		r = send(http.MethodPost, base+"/terminate", `{"on":"2026-11-29","reason":"街道调整"}`)
		if s := decodeJSON[agreementJSON](t, r); r.StatusCode != http.StatusOK || s.State != "terminated" {
			t.Errorf("terminated: %d %s", r.StatusCode, r.body)
		}
		// The host side reads but does not act.
		wantAPIError(t, w.api(t, "host", http.MethodPost, "/api/v1/agreements/"+itoa(w.agreements["A1"])+"/terminate", `{"reason":"x"}`),
			http.StatusForbidden, "forbidden", "")
	})
}
