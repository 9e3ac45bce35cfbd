package store_test

import (
	"context"
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
