package store_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// TouchSessions writes each session's own instant in one statement, never
// moves one back, and does not bring back a session that has ended.
func TestTouchSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
		var acc domain.AccountID
		hashes := [][]byte{[]byte("session-a"), []byte("session-b"), []byte("session-c")}
		err := db.Tx(ctx, func(tx store.Tx) error {
			var err error
			acc, err = store.CreateAccount(ctx, tx, store.AccountRow{Account: domain.Account{Name: "toucher", DisplayName: "T"},
				PasswordHash: "x"}, t0)
			for _, h := range hashes {
				if err == nil {
					err = store.CreateSession(ctx, tx, store.Session{TokenHash: h, AccountID: acc, CreatedAt: t0,
						LastSeenAt: t0, ExpiresAt: t0.Add(12 * time.Hour), MFAOK: true})
				}
			}
			if err == nil {
				err = store.TouchSessions(ctx, tx, []store.SessionTouch{{TokenHash: hashes[1], At: t0.Add(5 * time.Minute)}})
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		later, earlier := t0.Add(3*time.Minute+1500*time.Microsecond), t0.Add(2*time.Minute)
		err = db.Tx(ctx, func(tx store.Tx) error {
			if err := store.DeleteSession(ctx, tx, hashes[2]); err != nil {
				return err
			}
			return store.TouchSessions(ctx, tx, []store.SessionTouch{{TokenHash: hashes[0], At: later},
				{TokenHash: hashes[1], At: earlier}, {TokenHash: hashes[2], At: later}})
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []time.Time{later, t0.Add(5 * time.Minute)} {
			s, err := store.SessionByHash(ctx, db.Read(), hashes[i])
			if err != nil || !s.LastSeenAt.Equal(want) {
				t.Errorf("session %d: last seen %v (%v), want %v", i, s.LastSeenAt, err, want)
			}
		}
		if _, err := store.SessionByHash(ctx, db.Read(), hashes[2]); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("an ended session came back: %v", err)
		}
	})
}

// A request's session comes with the access epoch, a setting and the
// account's unread notices, in one statement, each as the database holds
// it now: what another handle on the same database wrote is there.
func TestSessionUseInOneStatement(t *testing.T) {
	storetest.EachPair(t, func(t *testing.T, db, other *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
		hash := []byte("session-use")
		var acc domain.AccountID
		err := db.Tx(ctx, func(tx store.Tx) (err error) {
			acc, err = store.CreateAccount(ctx, tx, store.AccountRow{Account: domain.Account{Name: "reader", DisplayName: "R"},
				PasswordHash: "x"}, t0)
			if err == nil {
				err = store.CreateSession(ctx, tx, store.Session{TokenHash: hash, AccountID: acc, CreatedAt: t0,
					LastSeenAt: t0, ExpiresAt: t0.Add(12 * time.Hour), MFAOK: true})
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var n atomic.Int64
		use := func() store.SessionUse {
			t.Helper()
			n.Store(0)
			u, err := store.SessionUseByHash(ctx, db.Counted(&n).Read(), hash, "the_setting")
			if err != nil || n.Load() != 1 || u.AccountID != acc || !u.LastSeenAt.Equal(t0) {
				t.Fatalf("session use: %+v in %d statements (%v)", u, n.Load(), err)
			}
			return u
		}
		before := use()
		if before.HasSetting || before.Unread != 0 {
			t.Fatalf("a fresh database: %+v", before)
		}
		err = other.Tx(ctx, func(tx store.Tx) error {
			if err := store.PutSetting(ctx, tx, "the_setting", `{"a":1}`, t0); err != nil {
				return err
			}
			for _, key := range []string{"n1", "n2", "n3"} {
				if _, err := store.AddNotification(ctx, tx, store.Notification{AccountID: acc, Kind: "test", MsgID: "m",
					Args: "{}", DedupeKey: key, CreatedAt: t0}); err != nil {
					return err
				}
			}
			if err := store.MarkNotificationsRead(ctx, tx, acc, 0, t0); err != nil {
				return err
			}
			_, err := store.AddNotification(ctx, tx, store.Notification{AccountID: acc, Kind: "test", MsgID: "m", Args: "{}",
				DedupeKey: "n4", CreatedAt: t0})
			if err == nil {
				_, err = store.AddGrant(ctx, tx, acc, "member", 0, 0, t0)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		after := use()
		if !after.HasSetting || after.Setting != `{"a":1}` || after.Unread != 1 || after.Epoch <= before.Epoch {
			t.Errorf("after another handle's writes: %+v, epoch before %d", after, before.Epoch)
		}
		if _, err := store.SessionUseByHash(ctx, db.Read(), []byte("no such"), "the_setting"); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("an unknown session: %v", err)
		}
	})
}
