package service_test

import (
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func lastSeen(t *testing.T, e *env, hash []byte) time.Time {
	t.Helper()
	e.svc.FlushTouches()
	s, err := store.SessionByHash(ctx, e.db.Read(), hash)
	if err != nil {
		t.Fatal(err)
	}
	return s.LastSeenAt
}

// Activity is written at most once a minute per session, off the request,
// and the idle timeout counts from the last activity written.
func TestSessionTouchOncePerMinute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "walker", authz.RoleMember)
		tok, p := e.login(t, "walker", goodPassword)
		signedIn := e.clock.Now()
		e.clock.Advance(40 * time.Second)
		if _, err := e.svc.Authenticate(ctx, tok, "a"); err != nil {
			t.Fatal(err)
		}
		if got := lastSeen(t, e, p.TokenHash); !got.Equal(signedIn) {
			t.Fatalf("touched within the minute: %v, want %v", got, signedIn)
		}
		e.clock.Advance(40 * time.Second)
		if _, err := e.svc.Authenticate(ctx, tok, "a"); err != nil {
			t.Fatal(err)
		}
		touched := e.clock.Now()
		if got := lastSeen(t, e, p.TokenHash); !got.Equal(touched) {
			t.Fatalf("last seen %v, want %v", got, touched)
		}
		e.clock.Advance(30 * time.Minute)
		_, err := e.svc.Authenticate(ctx, tok, "a")
		wantCode(t, err, domain.CodeUnauthorized, "session.expired")
	})
}

// A touch noted but not yet written keeps its session alive: the writer
// is held up here by a transaction on the session's row (on SQLite, by
// holding the one writer).
func TestSessionTouchInFlightCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "patient", authz.RoleMember)
		tok, p := e.login(t, "patient", goodPassword)
		held, release, finished := make(chan struct{}), make(chan struct{}), make(chan error)
		go func() {
			finished <- db.Tx(ctx, func(tx store.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE sessions SET address = address WHERE token_hash = $1`, p.TokenHash)
				close(held)
				<-release
				return err
			})
		}()
		<-held
		e.clock.Advance(20 * time.Minute)
		if _, err := e.svc.Authenticate(ctx, tok, "a"); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(20 * time.Minute) // 40 minutes after the sign-in, 20 after the touch in flight
		_, err := e.svc.Authenticate(ctx, tok, "a")
		close(release)
		if err := <-finished; err != nil {
			t.Fatal(err)
		}
		if err != nil {
			t.Fatalf("active 20 minutes ago, touch not yet written: %v", err)
		}
		if got, want := lastSeen(t, e, p.TokenHash), e.clock.Now(); !got.Equal(want) {
			t.Fatalf("last seen %v, want %v", got, want)
		}
	})
}

// A logout ends the session at once, and the touch noted just before it
// does not bring the session back.
func TestSessionTouchAfterLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "leaver", authz.RoleMember)
		tok, p := e.login(t, "leaver", goodPassword)
		e.clock.Advance(5 * time.Minute)
		if _, err := e.svc.Authenticate(ctx, tok, "a"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Logout(ctx, p); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Authenticate(ctx, tok, "a")
		wantCode(t, err, domain.CodeUnauthorized, "session.expired")
		e.svc.FlushTouches()
		if _, err := store.SessionByHash(ctx, e.db.Read(), p.TokenHash); domain.CodeOf(err) != domain.CodeNotFound {
			t.Fatalf("the session came back: %v", err)
		}
		_, err = e.svc.Authenticate(ctx, tok, "a")
		wantCode(t, err, domain.CodeUnauthorized, "session.expired")
	})
}
