package server_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The access policy walked through the API: every role of the world
// against every organization and agreement, with the answers written out
// by hand (not computed by the policy under test). 404 hides what the
// caller may not see; 403 refuses a write on what it may see.

var matrixOrgs = []string{"C", "T", "V", "M", "MB", "M2", "H", "H2"}

var matrixRoles = []string{"county", "home", "mobile", "host", "member", "cases", "auditor", "sysadmin", "secofficer"}

// orgRead is GET /api/v1/orgs/{id}. The county sees its whole subtree
// and every host organization (it registers them); the home branch only
// its village; the mobile secretary its subtree and H, a party to A1; the
// host H and what A1 (in force) covers — not M2, covered only by a draft
// and an expired agreement; the case handler its subtree; a member and
// the three administrators nothing.
var orgRead = map[string][8]int{
	//            C    T    V    M    MB   M2   H    H2
	"county":     {200, 200, 200, 200, 200, 200, 200, 200},
	"home":       {404, 404, 200, 404, 404, 404, 404, 404},
	"mobile":     {404, 404, 404, 200, 200, 404, 200, 404},
	"host":       {404, 404, 404, 200, 200, 404, 200, 404},
	"member":     {404, 404, 404, 404, 404, 404, 404, 404},
	"cases":      {404, 404, 404, 200, 200, 404, 404, 404},
	"auditor":    {404, 404, 404, 404, 404, 404, 404, 404},
	"sysadmin":   {404, 404, 404, 404, 404, 404, 404, 404},
	"secofficer": {404, 404, 404, 404, 404, 404, 404, 404},
}

// orgWrite is PATCH /api/v1/orgs/{id}: the county writes its subtree, the
// mobile secretary M and MB, the host officer H; what a role sees but may
// not change is 403, what it does not see 404.
var orgWrite = map[string][8]int{
	//            C    T    V    M    MB   M2   H    H2
	"county":     {200, 200, 200, 200, 200, 200, 403, 403},
	"home":       {404, 404, 403, 404, 404, 404, 404, 404},
	"mobile":     {404, 404, 404, 200, 200, 404, 403, 404},
	"host":       {404, 404, 404, 403, 403, 404, 200, 404},
	"member":     {404, 404, 404, 404, 404, 404, 404, 404},
	"cases":      {404, 404, 404, 403, 403, 404, 404, 404},
	"auditor":    {404, 404, 404, 404, 404, 404, 404, 404},
	"sysadmin":   {404, 404, 404, 404, 404, 404, 404, 404},
	"secofficer": {404, 404, 404, 404, 404, 404, 404, 404},
}

var matrixAgreements = []string{"A1", "A2", "A3"}

// agreementRead is GET /api/v1/agreements/{id}: the county reads all its
// agreements; the host reads those it is a party to, draft and expired
// ones included; the mobile secretary only A1, which covers M.
var agreementRead = map[string][3]int{
	//            A1   A2   A3
	"county":     {200, 200, 200},
	"home":       {404, 404, 404},
	"mobile":     {200, 404, 404},
	"host":       {200, 200, 200},
	"member":     {404, 404, 404},
	"cases":      {404, 404, 404},
	"auditor":    {404, 404, 404},
	"sysadmin":   {404, 404, 404},
	"secofficer": {404, 404, 404},
}

// agreementDraft is POST /api/v1/agreements of M2 with H2 by role, with
// the origin named: only the county may draft; an origin the caller
// cannot see is an invalid party (400), one it sees but may not sign for
// is 403.
var agreementDraft = []struct {
	role, origin string
	want         int
}{
	{"host", "C", 400},
	{"home", "C", 400},
	{"home", "V", 403},
	{"mobile", "C", 400},
	{"county", "C", 201},
}

func TestAPIAccessMatrix(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		cells := 0
		for _, role := range matrixRoles {
			for i, key := range matrixOrgs {
				path := "/api/v1/orgs/" + itoa(w.orgs[key].ID)
				if r := w.api(t, role, http.MethodGet, path, ""); r.StatusCode != orgRead[role][i] {
					t.Errorf("%s GET %s: %d, want %d\n%s", role, key, r.StatusCode, orgRead[role][i], r.body)
				}
				cells++
				version := itoa(w.org(t, w.orgs[key].ID).Version)
				body := `{"phone":"0518-8322` + strconv.Itoa(1000+cells) + `"}`
				if r := w.api(t, role, http.MethodPatch, path, body, "If-Match", `"`+version+`"`); r.StatusCode != orgWrite[role][i] {
					t.Errorf("%s PATCH %s: %d, want %d\n%s", role, key, r.StatusCode, orgWrite[role][i], r.body)
				}
				cells++
			}
			for i, key := range matrixAgreements {
				r := w.api(t, role, http.MethodGet, "/api/v1/agreements/"+itoa(w.agreements[key]), "")
				if r.StatusCode != agreementRead[role][i] {
					t.Errorf("%s GET %s: %d, want %d\n%s", role, key, r.StatusCode, agreementRead[role][i], r.body)
				}
				cells++
			}
		}
		for _, c := range agreementDraft {
			before := countAgreements(t, db)
			body := `{"title":"苏州共建","origin_id":` + itoa(w.orgs[c.origin].ID) + `,"mobile_ids":[` + itoa(w.orgs["M2"].ID) +
				`],"host_ids":[` + itoa(w.orgs["H2"].ID) + `],"capabilities":["attendance","feedback"],"valid_from":"2026-11-01","valid_to":"2028-10-31"}`
			r := w.api(t, c.role, http.MethodPost, "/api/v1/agreements", body)
			if r.StatusCode != c.want {
				t.Errorf("%s drafts with origin %s: %d, want %d\n%s", c.role, c.origin, r.StatusCode, c.want, r.body)
			}
			if after := countAgreements(t, db); (after != before) != (c.want == http.StatusCreated) {
				t.Errorf("%s drafts: %d agreements before, %d after", c.role, before, after)
			}
			cells++
		}
		want := len(matrixRoles)*(2*len(matrixOrgs)+len(matrixAgreements)) + len(agreementDraft)
		if cells != want || len(orgRead) != len(matrixRoles) || len(orgWrite) != len(matrixRoles) || len(agreementRead) != len(matrixRoles) {
			t.Fatalf("matrix has %d cells, want %d", cells, want)
		}
		t.Logf("HTTP access matrix: %d roles × (%d organizations × GET, PATCH + %d agreements × GET) + %d drafts = %d cells",
			len(matrixRoles), len(matrixOrgs), len(matrixAgreements), len(agreementDraft), cells)
	})
}

func countAgreements(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM agreements`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A host account loses a covered mobile organization at the midnight
// (Beijing time) that ends its agreement: the same token, one second
// apart.
func TestAPIHostLosesReachAtMidnight(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		m := "/api/v1/orgs/" + itoa(w.orgs["M"].ID)
		w.token(t, "host")
		lastSecond := time.Date(2026, 12, 31, 23, 59, 59, 0, domain.China)
		w.clock.Set(lastSecond)
		wantStatus(t, w.api(t, "host", http.MethodGet, m, ""), http.StatusOK)
		var list struct{ Orgs []struct{ Name string } }
		json.Unmarshal([]byte(w.api(t, "host", http.MethodGet, "/api/v1/orgs?side=mobile", "").body), &list)
		if len(list.Orgs) != 2 {
			t.Fatalf("on the last day the host sees %v, want M and MB", list.Orgs)
		}
		w.clock.Set(lastSecond.Add(time.Second))
		wantAPIError(t, w.api(t, "host", http.MethodGet, m, ""), http.StatusNotFound, "not_found", "")
		json.Unmarshal([]byte(w.api(t, "host", http.MethodGet, "/api/v1/orgs?side=mobile", "").body), &list)
		if len(list.Orgs) != 0 {
			t.Fatalf("after midnight the host sees %v", list.Orgs)
		}
		// Its own organization and the agreement itself stay readable.
		wantStatus(t, w.api(t, "host", http.MethodGet, "/api/v1/orgs/"+itoa(w.orgs["H"].ID), ""), http.StatusOK)
		r := w.api(t, "host", http.MethodGet, "/api/v1/agreements/"+itoa(w.agreements["A1"]), "")
		wantBody(t, r, `"state":"expired"`)
	})
}
