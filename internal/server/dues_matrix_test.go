package server_test

import (
	"net/http"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The dues permissions walked through the API, written out by hand like
// the organizations' matrix (org_matrix_test.go): the county reads and
// collects in its whole subtree; the home secretary in its village; the
// mobile secretary in M and MB. No agreement carries dues, so the host
// sees M and MB but is refused (403), as are the case handler and anyone
// on a host organization it may see; what a role cannot see is 404.

// duesRead is GET /api/v1/orgs/{id}/dues.
var duesRead = map[string][8]int{
	//            C    T    V    M    MB   M2   H    H2
	"county":     {200, 200, 200, 200, 200, 200, 403, 403},
	"home":       {404, 404, 200, 404, 404, 404, 404, 404},
	"mobile":     {404, 404, 404, 200, 200, 404, 403, 404},
	"host":       {404, 404, 404, 403, 403, 404, 403, 404},
	"member":     {404, 404, 404, 404, 404, 404, 404, 404},
	"cases":      {404, 404, 404, 403, 403, 404, 404, 404},
	"auditor":    {404, 404, 404, 404, 404, 404, 404, 404},
	"sysadmin":   {404, 404, 404, 404, 404, 404, 404, 404},
	"secofficer": {404, 404, 404, 404, 404, 404, 404, 404},
}

// duesClose is POST /api/v1/orgs/{id}/dues/closed-months: dues:collect
// lies where dues:read does for every role of the world. DELETE
// …/closed-months/{month} (reopen) answers the same, 204 for 201.
var duesClose = map[string][8]int{
	//            C    T    V    M    MB   M2   H    H2
	"county":     {201, 201, 201, 201, 201, 201, 403, 403},
	"home":       {404, 404, 201, 404, 404, 404, 404, 404},
	"mobile":     {404, 404, 404, 201, 201, 404, 403, 404},
	"host":       {404, 404, 404, 403, 403, 404, 403, 404},
	"member":     {404, 404, 404, 404, 404, 404, 404, 404},
	"cases":      {404, 404, 404, 403, 403, 404, 404, 404},
	"auditor":    {404, 404, 404, 404, 404, 404, 404, 404},
	"sysadmin":   {404, 404, 404, 404, 404, 404, 404, 404},
	"secofficer": {404, 404, 404, 404, 404, 404, 404, 404},
}

func TestAPIDuesMatrix(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		cells := 0
		for r, role := range matrixRoles {
			// Each role closes a month of its own, so no cell meets
			// another role's closing.
			month := domain.NewMonth(2026, time.Month(10-r)).String()
			for i, key := range matrixOrgs {
				path := "/api/v1/orgs/" + itoa(w.orgs[key].ID) + "/dues"
				if got := w.api(t, role, http.MethodGet, path, ""); got.StatusCode != duesRead[role][i] {
					t.Errorf("%s GET dues of %s: %d, want %d\n%s", role, key, got.StatusCode, duesRead[role][i], got.body)
				}
				got := w.api(t, role, http.MethodPost, path+"/closed-months", `{"month":"`+month+`"}`)
				if got.StatusCode != duesClose[role][i] {
					t.Errorf("%s closes %s of %s: %d, want %d\n%s", role, month, key, got.StatusCode, duesClose[role][i], got.body)
				}
				// Reopening needs what closing does: where the role closed
				// the month it reopens it (204), elsewhere the same refusal.
				want := duesClose[role][i]
				if want == http.StatusCreated {
					want = http.StatusNoContent
				}
				got = w.api(t, role, http.MethodDelete, path+"/closed-months/"+month, `{"reason":"误关"}`)
				if got.StatusCode != want {
					t.Errorf("%s reopens %s of %s: %d, want %d\n%s", role, month, key, got.StatusCode, want, got.body)
				}
				cells += 3
			}
		}
		if cells != 3*len(matrixRoles)*len(matrixOrgs) || len(duesRead) != len(matrixRoles) || len(duesClose) != len(matrixRoles) {
			t.Fatalf("matrix has %d cells", cells)
		}
		t.Logf("HTTP dues matrix: %d roles × %d organizations × (GET, close, reopen) = %d cells", len(matrixRoles), len(matrixOrgs), cells)
	})
}
