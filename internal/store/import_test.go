package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

var importNow = time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)

func TestImportSessionStates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tx := func(fn func(tx store.Tx) error) {
			t.Helper()
			if err := db.Tx(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		rec := store.ImportRecord{SHA256: "ab", FileName: "a.xlsx", Size: 10, State: store.ImportPreviewed, Mode: "update",
			ActorName: "system", Counts: store.ImportCounts{Total: 3, New: 2, Rejected: 1}, Preview: `{"x":1}`}
		tx(func(tx store.Tx) error {
			ok, err := store.SaveImport(ctx, tx, rec, importNow)
			if !ok {
				t.Error("first save did not write")
			}
			return err
		})
		got, err := store.ImportBySHA(ctx, db.Read(), "ab")
		if err != nil || got.Counts != rec.Counts || got.State != store.ImportPreviewed || got.Preview != `{"x":1}` || got.ActorID != 0 {
			t.Fatalf("read back %+v %v", got, err)
		}
		if _, err := store.ImportBySHA(ctx, db.Read(), "none"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("missing session: %v", err)
		}
		tx(func(tx store.Tx) error {
			ok, err := store.ClaimImport(ctx, tx, "ab", importNow)
			if !ok {
				t.Error("claim of a preview failed")
			}
			return err
		})
		// A claim left by a dead process is claimed again.
		tx(func(tx store.Tx) error {
			ok, err := store.ClaimImport(ctx, tx, "ab", importNow)
			if !ok {
				t.Error("a stale claim was not taken over")
			}
			return err
		})
		tx(func(tx store.Tx) error {
			if ok, err := store.LockImport(ctx, tx, "ab", importNow); !ok || err != nil {
				t.Fatalf("lock %v %v", ok, err)
			}
			ok, err := store.FinishImport(ctx, tx, "ab", store.ImportCounts{Total: 3, New: 2}, `{"done":1}`, importNow)
			if !ok {
				t.Error("finish did not write")
			}
			return err
		})
		// Done is final: no save, claim, lock or finish changes it, and
		// it outlives the expiry of unfinished sessions.
		tx(func(tx store.Tx) error {
			for name, f := range map[string]func() (bool, error){
				"save":   func() (bool, error) { return store.SaveImport(ctx, tx, rec, importNow) },
				"claim":  func() (bool, error) { return store.ClaimImport(ctx, tx, "ab", importNow) },
				"lock":   func() (bool, error) { return store.LockImport(ctx, tx, "ab", importNow) },
				"finish": func() (bool, error) { return store.FinishImport(ctx, tx, "ab", store.ImportCounts{}, "{}", importNow) },
			} {
				if ok, err := f(); ok || err != nil {
					t.Errorf("%s on a done import: %v %v", name, ok, err)
				}
			}
			if err := store.FailImport(ctx, tx, "ab", "import.commit_failed", importNow); err != nil {
				return err
			}
			rec2 := rec
			rec2.SHA256, rec2.State = "cd", store.ImportFailed
			_, err := store.SaveImport(ctx, tx, rec2, importNow.Add(-48*time.Hour))
			return err
		})
		tx(func(tx store.Tx) error {
			n, err := store.DeleteExpiredImports(ctx, tx, importNow.Add(-24*time.Hour))
			if n != 1 {
				t.Errorf("expired %d sessions, want 1", n)
			}
			return err
		})
		got, _ = store.ImportBySHA(ctx, db.Read(), "ab")
		if got.State != store.ImportDone || got.Counts.New != 2 || got.FinishedAt == nil || got.Preview != `{"done":1}` {
			t.Fatalf("done session %+v", got)
		}
	})
}

func TestBulkInsertAndLookup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var org domain.OrgID
		var ps []store.PersonRow
		var idx [][]byte
		if err := db.Tx(ctx, func(tx store.Tx) error {
			var err error
			org, err = store.CreateOrg(ctx, tx, domain.Org{Name: "新安镇党委", Side: domain.SideOrigin}, importNow)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// 2,500 rows: two whole chunks (their statements prepared once)
		// and a partial one.
		for i := range 2500 {
			p := store.PersonRow{IDIndex: []byte(fmt.Sprintf("index-%04d", i)), IDSealed: "sealed", SortKey: "k"}
			p.Name, p.Pinyin, p.Initials, p.OriginOrgID, p.IDNumber = fmt.Sprintf("人%d", i), "ren", "r", org, "320724********0001"
			if i%10 == 0 {
				p.Membership = &domain.Membership{Status: domain.StatusFull, HomeOrgID: org}
			}
			if i == 10 {
				// A member loaded already out of contact keeps the state
				// and the day it began.
				p.Membership.CertificateFrom, p.Membership.LastContactOn = domain.NewDate(2025, 3, 1), domain.NewDate(2026, 2, 1)
				p.Membership.ContactState, p.Membership.ContactStateOn = domain.ContactLost, domain.NewDate(2026, 8, 1)
				// Dates and a phone go through PostgreSQL's COPY as through
				// an INSERT.
				p.BirthOn, p.LeftHomeOn, p.Gender, p.PhoneIndex = domain.NewDate(1990, 5, 17), domain.NewDate(2024, 2, 1), 2, []byte("ph")
			}
			ps = append(ps, p)
			idx = append(idx, p.IDIndex)
		}
		var ids []domain.PersonID
		if err := db.Tx(ctx, func(tx store.Tx) error {
			var err error
			ids, err = store.InsertPersons(ctx, tx, ps, "registered", `{"import":"ab"}`, "system", domain.NewDate(2026, 11, 29), importNow)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var persons, members, events int
		db.Read().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM persons), (SELECT COUNT(*) FROM memberships),
			(SELECT COUNT(*) FROM person_events WHERE kind = 'registered')`).Scan(&persons, &members, &events)
		if len(ids) != 2500 || persons != 2500 || members != 250 || events != 2500 || ids[2499] == ids[1200] {
			t.Fatalf("%d ids, %d persons, %d memberships, %d events", len(ids), persons, members, events)
		}
		lost, err := store.PersonByID(ctx, db.Read(), ids[10])
		if m := lost.Membership; err != nil || m == nil || m.ContactState != domain.ContactLost || m.ContactStateOn != domain.NewDate(2026, 8, 1) ||
			m.LastContactOn != domain.NewDate(2026, 2, 1) || m.CertificateFrom != domain.NewDate(2025, 3, 1) {
			t.Fatalf("lost member %+v %v", lost.Membership, err)
		}
		if lost.BirthOn != domain.NewDate(1990, 5, 17) || lost.LeftHomeOn != domain.NewDate(2024, 2, 1) || lost.Gender != 2 ||
			!lost.CreatedAt.Equal(importNow) {
			t.Fatalf("lost member's person %+v", lost.Person)
		}
		var phones int
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons WHERE phone_index IS NOT NULL`).Scan(&phones)
		if phones != 1 {
			t.Fatalf("%d phones indexed, want 1 (an empty index is NULL)", phones)
		}
		found, err := store.PersonsByIDIndex(ctx, db.Read(), db.Dialect(), append(idx[995:1000], []byte("absent")))
		if err != nil || len(found) != 5 {
			t.Fatalf("lookup %d %v", len(found), err)
		}
		e := found["index-0995"]
		if e.ID != ids[995] || e.Name != "人995" || len(e.Paths) != 1 || e.Membership != nil {
			t.Fatalf("found %+v", e)
		}
		// A second insert of the same ID numbers is a conflict and rolls
		// back whole.
		err = db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.InsertPersons(ctx, tx, ps[2490:], "registered", "{}", "system", domain.NewDate(2026, 11, 29), importNow)
			return err
		})
		if domain.CodeOf(err) != domain.CodeConflict {
			t.Fatalf("duplicate insert: %v", err)
		}
		// So does a row whose organization does not exist.
		orphan := append([]store.PersonRow(nil), ps[:3]...)
		for i := range orphan {
			orphan[i].IDIndex = []byte(fmt.Sprintf("orphan-%d", i))
		}
		orphan[1].Membership = &domain.Membership{Status: domain.StatusFull, HomeOrgID: 987654}
		err = db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.InsertPersons(ctx, tx, orphan, "registered", "{}", "system", domain.NewDate(2026, 11, 29), importNow)
			return err
		})
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons`).Scan(&persons)
		if err == nil || persons != 2500 {
			t.Fatalf("a row with a missing organization: %v, %d persons", err, persons)
		}
		// An update checks the version it read.
		e.Phone, e.Employer = "138****5678", "杭州建工"
		e.Membership = &domain.Membership{Status: domain.StatusProbationary, HomeOrgID: org}
		upd := func() error {
			return db.Tx(ctx, func(tx store.Tx) error {
				return store.UpdateImportedPerson(ctx, tx, e.PersonRow, "updated", "{}", "system", domain.NewDate(2026, 11, 29), importNow)
			})
		}
		if err := upd(); err != nil {
			t.Fatal(err)
		}
		if err := upd(); !errors.Is(err, domain.ErrStale) {
			t.Fatalf("stale update: %v", err)
		}
		p, err := store.PersonByID(ctx, db.Read(), e.ID)
		if err != nil || p.Employer != "杭州建工" || p.Version != 2 || p.Membership == nil || p.Membership.Status != domain.StatusProbationary {
			t.Fatalf("updated %+v %v", p, err)
		}
	})
}
