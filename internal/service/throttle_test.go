package service_test

import (
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestSearchesAreLimitedPerAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		search := func(a *authz.Actor) error {
			_, err := w.svc.SearchPersons(ctx, a, service.PersonSearch{Text: "张"})
			return err
		}
		for i := range 240 {
			if err := search(county); err != nil {
				t.Fatalf("search %d: %v", i, err)
			}
		}
		err := search(county)
		e := domain.AsError(err)
		if e.Code != domain.CodeLocked || e.MsgID != "throttle.search" || e.Args["Seconds"] != 1 {
			t.Fatalf("241st search: %v", err)
		}
		search(county)
		refused := 0
		for _, a := range auditActions(t, db) {
			if a == "throttle.refused" {
				refused++
			}
		}
		if refused != 1 {
			t.Fatalf("%d refusals audited, want the first only", refused)
		}
		// The program's own work and other accounts are not limited, and
		// an export pages on one allowance of its own.
		if err := search(authz.System); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ExportPersons(ctx, county, service.PersonSearch{}, false); err != nil {
			t.Fatalf("export while searches are used up: %v", err)
		}
		w.clock.Advance(time.Second)
		if err := search(county); err != nil {
			t.Fatalf("after a second: %v", err)
		}
	})
}
