package service_test

import (
	"context"
	"errors"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// bulkPeople are a placed member from V and two workers from T.
func bulkPeople(w *world) []service.NewPerson {
	v, t := w.orgs["V"].ID, w.orgs["T"].ID
	return []service.NewPerson{
		{Name: "单雄信", IDNumber: "11010519491231002X", Phone: "138 1234 5678", Industry: "e", CityCode: "330100", OriginOrgID: v,
			EmployerUSCC: "91310115MA1K3BTP2B",
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: v, MobileOrgID: w.orgs["MB"].ID,
				LastContactOn: domain.NewDate(2026, 3, 1), ContactState: domain.ContactLost, ContactStateOn: domain.NewDate(2026, 9, 1)}},
		{Name: "张伟", IDNumber: "320724199001011233", OriginOrgID: t},
		{Name: "买买提·艾力", IDNumber: "320724198802022341", Ethnicity: "维吾尔", OriginOrgID: t},
	}
}

// A batch is checked and sealed like one registration, written in one
// transaction with one audit entry, and the caller's extra writes commit
// with it.
func TestRegisterPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		var seen []domain.PersonID
		ids, err := w.svc.RegisterPeople(ctx, county, bulkPeople(w), func(ctx context.Context, tx store.Tx, ids []domain.PersonID) error {
			seen = ids
			_, err := store.AddContact(ctx, tx, store.Contact{PersonID: ids[0], On: domain.NewDate(2026, 10, 1), Channel: "phone",
				Note: "无人接听", ActorName: "system", RecordedAt: w.clock.Now()})
			return err
		})
		if err != nil || len(ids) != 3 || len(seen) != 3 || seen[2] != ids[2] {
			t.Fatalf("ids %v, seen %v: %v", ids, seen, err)
		}
		p, err := w.svc.Person(ctx, county, ids[0])
		m := p.Membership
		if err != nil || p.IDNumber != "110105********002X" || p.Phone != "138****5678" || p.Pinyin != "shanxiongxin" ||
			p.Industry != "E" || m == nil || m.MobileOrgID != w.orgs["MB"].ID || m.ContactState != domain.ContactLost ||
			m.ContactStateOn != domain.NewDate(2026, 9, 1) {
			t.Fatalf("person %+v %+v %v", p, m, err)
		}
		if q, _ := w.svc.Person(ctx, county, ids[2]); q.Ethnicity != "05" || q.Gender != 2 || q.BirthOn != domain.NewDate(1988, 2, 2) {
			t.Errorf("third person %+v", q)
		}
		if c, _ := store.Contacts(ctx, db.Read(), ids[0], 5); len(c) != 1 || c[0].Reached {
			t.Errorf("contacts %+v", c)
		}
		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "person.", Limit: 10})
		if len(entries) != 1 || entries[0].Action != "person.register_bulk" || entries[0].ActorName != "county" {
			t.Fatalf("audit %+v", entries)
		}
		hist, _ := w.svc.PersonHistory(ctx, county, ids[1])
		if len(hist) != 1 || hist[0].Kind != "registered" {
			t.Errorf("history %+v", hist)
		}

		// The same people again: the whole batch is refused.
		if _, err := w.svc.RegisterPeople(ctx, county, bulkPeople(w)[1:], nil); domain.CodeOf(err) != domain.CodeConflict {
			t.Fatalf("again: %v", err)
		}
		if n := countPersons(t, db); n != 3 {
			t.Fatalf("%d persons after the refused batch", n)
		}
	})
}

// One bad person, a duplicate inside the batch, an organization out of
// the actor's reach or a failing extra write refuse the whole batch.
func TestRegisterPeopleRefusesWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.actor(t, "county")
		bad := bulkPeople(w)
		bad[2].IDNumber = "320724198802022342"
		dup := bulkPeople(w)
		dup[2].IDNumber = dup[1].IDNumber
		stray := bulkPeople(w)
		stray[1].Membership = &domain.Membership{Status: "veteran", HomeOrgID: stray[1].OriginOrgID}
		for _, c := range []struct {
			name   string
			actor  string
			people []service.NewPerson
			index  int
			field  string
		}{
			{"check character", "county", bad, 2, "id_number"},
			{"duplicate", "county", dup, 2, "id_number"},
			{"status", "county", stray, 1, "status"},
			// The home secretary of V may not register T's workers.
			{"out of reach", "home", bulkPeople(w)[1:], 0, "origin_org"},
		} {
			_, err := w.svc.RegisterPeople(ctx, w.actor(t, c.actor), c.people, nil)
			var be *service.BulkError
			if !errors.As(err, &be) || be.Index != c.index || domain.AsError(err).Field != c.field {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		boom := errors.New("boom")
		_, err := w.svc.RegisterPeople(ctx, county, bulkPeople(w), func(context.Context, store.Tx, []domain.PersonID) error { return boom })
		if !errors.Is(err, boom) {
			t.Errorf("failing extra write: %v", err)
		}
		if n := countPersons(t, db); n != 0 {
			t.Fatalf("%d persons written by refused batches", n)
		}
		if entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "person.", Limit: 10}); len(entries) != 0 {
			t.Fatalf("audit of refused batches %+v", entries)
		}
	})
}
