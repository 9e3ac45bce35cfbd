package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// lifeWorld is one origin organization with a member and an account.
func lifeWorld(t *testing.T, db *store.DB) (domain.PersonID, domain.AccountID) {
	t.Helper()
	ctx := context.Background()
	var person domain.PersonID
	var acc domain.AccountID
	if err := db.Tx(ctx, func(tx store.Tx) error {
		org, err := store.CreateOrg(ctx, tx, domain.Org{Name: "新安镇党委", Side: domain.SideOrigin}, importNow)
		if err != nil {
			return err
		}
		p := store.PersonRow{SortKey: "zhangwei"}
		p.Name, p.Pinyin, p.Initials, p.OriginOrgID = "张伟", "zhangwei", "zw", org
		p.Membership = &domain.Membership{Status: domain.StatusFull, HomeOrgID: org, LastContactOn: domain.NewDate(2026, 5, 1)}
		if person, err = store.CreatePerson(ctx, tx, p, importNow); err != nil {
			return err
		}
		acc, err = store.CreateAccount(ctx, tx, store.AccountRow{Account: domain.Account{Name: "zw", DisplayName: "张伟"}, PasswordHash: "x"}, importNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return person, acc
}

func TestContactsMoveLastContactForwardOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		person, _ := lifeWorld(t, db)
		add := func(on domain.Date, reached bool) {
			t.Helper()
			if err := db.Tx(ctx, func(tx store.Tx) error {
				_, err := store.AddContact(ctx, tx, store.Contact{PersonID: person, On: on, Channel: "phone", Reached: reached, ActorName: "t", RecordedAt: importNow})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		last := func() domain.Date {
			p, err := store.PersonByID(ctx, db.Read(), person)
			if err != nil {
				t.Fatal(err)
			}
			return p.Membership.LastContactOn
		}
		add(domain.NewDate(2026, 9, 1), false) // an attempt that failed moves nothing
		if got := last(); got != domain.NewDate(2026, 5, 1) {
			t.Fatalf("after a failed attempt: %v", got)
		}
		add(domain.NewDate(2026, 10, 1), true)
		add(domain.NewDate(2026, 7, 1), true) // entered late: does not move it back
		if got := last(); got != domain.NewDate(2026, 10, 1) {
			t.Fatalf("last contact %v", got)
		}
		cs, err := store.Contacts(ctx, db.Read(), person, 10)
		if err != nil || len(cs) != 3 || cs[0].On != domain.NewDate(2026, 10, 1) || cs[1].Reached || !cs[2].Reached {
			t.Fatalf("contacts %+v %v", cs, err)
		}
		if p, _ := store.PersonByID(ctx, db.Read(), person); p.Membership.ContactState != domain.ContactOK {
			t.Fatalf("default state %q", p.Membership.ContactState)
		}
	})
}

func TestNotificationsArriveOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, acc := lifeWorld(t, db)
		n := store.Notification{AccountID: acc, Kind: "move_report", MsgID: "notice.move", Args: "{}", DedupeKey: "move:1", CreatedAt: importNow}
		for i, want := range []bool{true, false} {
			if err := db.Tx(ctx, func(tx store.Tx) error {
				got, err := store.AddNotification(ctx, tx, n)
				if got != want {
					t.Errorf("attempt %d: new = %v", i, got)
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		n.DedupeKey = "move:2"
		db.Tx(ctx, func(tx store.Tx) error { _, err := store.AddNotification(ctx, tx, n); return err })
		if k, err := store.UnreadNotifications(ctx, db.Read(), acc); k != 2 || err != nil {
			t.Fatalf("unread %d %v", k, err)
		}
		list, err := store.Notifications(ctx, db.Read(), acc, 0, 10)
		if err != nil || len(list) != 2 || list[0].DedupeKey != "move:2" {
			t.Fatalf("inbox %+v %v", list, err)
		}
		db.Tx(ctx, func(tx store.Tx) error { return store.MarkNotificationsRead(ctx, tx, acc, list[1].ID, importNow) })
		if k, _ := store.UnreadNotifications(ctx, db.Read(), acc); k != 1 {
			t.Fatalf("unread after marking the older one: %d", k)
		}
	})
}

func TestAccountPersonLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		person, acc := lifeWorld(t, db)
		if err := db.Tx(ctx, func(tx store.Tx) error { return store.SetAccountPerson(ctx, tx, acc, person) }); err != nil {
			t.Fatal(err)
		}
		a, err := store.AccountByPerson(ctx, db.Read(), person)
		if err != nil || a.ID != acc || a.PersonID != person {
			t.Fatalf("by person %+v %v", a, err)
		}
		var other domain.AccountID
		err = db.Tx(ctx, func(tx store.Tx) error {
			var err error
			if other, err = store.CreateAccount(ctx, tx, store.AccountRow{Account: domain.Account{Name: "zw2"}, PasswordHash: "x"}, importNow); err != nil {
				return err
			}
			return store.SetAccountPerson(ctx, tx, other, person)
		})
		if domain.CodeOf(err) != domain.CodeConflict {
			t.Fatalf("second account on one person: %v", err)
		}
		if _, err := store.AccountByPerson(ctx, db.Read(), 999); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("unlinked person: %v", err)
		}
	})
}

func TestLeaseHasOneHolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := importNow
		var mu sync.Mutex
		winners := 0
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				var ok bool
				err := db.Tx(ctx, func(tx store.Tx) error {
					var err error
					ok, err = store.TakeLease(ctx, tx, "contact-check", string(rune('a'+i)), now, now.Add(time.Minute))
					return err
				})
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					winners++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if winners != 1 {
			t.Fatalf("%d servers took the lease", winners)
		}
		take := func(holder string, at time.Time) bool {
			var ok bool
			db.Tx(ctx, func(tx store.Tx) error {
				var err error
				ok, err = store.TakeLease(ctx, tx, "contact-check", holder, at, at.Add(time.Minute))
				return err
			})
			return ok
		}
		// After expiry another server takes it; after a finish, anyone.
		if !take("z", now.Add(2*time.Minute)) {
			t.Fatal("an expired lease was not taken over")
		}
		if take("y", now.Add(2*time.Minute)) {
			t.Fatal("a held lease was taken")
		}
		db.Tx(ctx, func(tx store.Tx) error {
			return store.FinishLease(ctx, tx, "contact-check", "z", "ok 3", now.Add(3*time.Minute))
		})
		at, res, err := store.LastRun(ctx, db.Read(), "contact-check")
		if err != nil || !at.Equal(now.Add(3*time.Minute)) || res != "ok 3" {
			t.Fatalf("last run %v %q %v", at, res, err)
		}
		if !take("y", now.Add(3*time.Minute)) {
			t.Fatal("a finished lease was not free")
		}
	})
}

func TestResponsibleIsTheNearestHolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var root, mid, leaf domain.Org
		var county, secretary, other domain.AccountID
		if err := db.Tx(ctx, func(tx store.Tx) error {
			mk := func(name string, parent domain.OrgID) domain.Org {
				id, err := store.CreateOrg(ctx, tx, domain.Org{Name: name, Side: domain.SideOrigin, ParentID: parent}, importNow)
				if err != nil {
					t.Fatal(err)
				}
				o, _ := store.OrgByID(ctx, tx, id)
				return o
			}
			root = mk("县委", 0)
			mid = mk("镇党委", root.ID)
			leaf = mk("村支部", mid.ID)
			acc := func(name, role string, org domain.OrgID) domain.AccountID {
				id, err := store.CreateAccount(ctx, tx, store.AccountRow{Account: domain.Account{Name: name}, PasswordHash: "x"}, importNow)
				if err == nil {
					_, err = store.AddGrant(ctx, tx, id, role, org, 0, importNow)
				}
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
			county = acc("county", "county_officer", root.ID)
			secretary = acc("sec", "home_secretary", mid.ID)
			other = acc("host", "host_officer", mid.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		got, err := store.Responsible(ctx, db.Read(), leaf.Path, []string{"home_secretary", "county_officer"})
		if err != nil || len(got) != 1 || got[0] != secretary {
			t.Fatalf("for the branch: %v %v", got, err)
		}
		got, _ = store.Responsible(ctx, db.Read(), root.Path, []string{"home_secretary", "county_officer"})
		if len(got) != 1 || got[0] != county {
			t.Fatalf("for the county: %v", got)
		}
		if got, _ := store.Responsible(ctx, db.Read(), leaf.Path, []string{"member"}); len(got) != 0 || other == 0 {
			t.Fatalf("no holder: %v", got)
		}
	})
}
