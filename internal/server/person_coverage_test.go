package server_test

import (
	"net/http"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestCoveragePage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		r := w.signIn(t, "county").get("/people/coverage")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "党员共管覆盖情况", "按务工城市", "尚未纳入共管的党员")
		wantStatus(t, w.signIn(t, "cases").get("/people/coverage"), http.StatusForbidden)
	})
}
