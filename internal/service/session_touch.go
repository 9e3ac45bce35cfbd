package service

import (
	"context"
	"sync"
	"time"

	"gongjian/internal/store"
)

// A session's activity is written off the request path. Authenticate
// notes that a session was used (at most once a minute per session) and
// goes on; one goroutine writes what was noted in one transaction, after
// letting the touches of touchGather gather. When fifty members signed in
// a while before scan at a meeting, their touches fall due together;
// they used to be a commit inside each request, then (written as soon as
// the previous write committed) a transaction every one or two scans, in
// the burst, on the same connections as the scans' reads; now a burst
// costs one and no request waits for it (decision 0013).
//
// The session rules hold as before. Authenticate reads the session row on
// every request, so a logout or a revocation (the row deleted) ends it at
// once, and a touch written after that finds no row to bring back. Idle
// expiry counts from the later of the stored activity and one noted but
// not yet written, so a touch in flight never expires a session early. A
// touch lost with the process (at most the last moments' worth) makes its
// session look idle since its previous touch, a minute or so earlier than
// it was: it ends sooner, never later.

// touchGather is how long the writer waits, once woken, for more touches
// to write with the first: at most one transaction per interval, and a
// touch written at most this much later (a minute's precision is all the
// idle timeout needs).
const touchGather = time.Second

// sessionToucher holds the touches not yet written.
type sessionToucher struct {
	once sync.Once
	mu   sync.Mutex
	due  map[string]time.Time // token hash → latest activity noted
	wake chan struct{}        // one pending wake-up is enough
	// idle is closed (and replaced) each time the writer has nothing left
	// to write; flushTouches waits on it.
	idle chan struct{}
}

func (t *sessionToucher) start(s *Service) {
	t.once.Do(func() {
		t.due, t.wake, t.idle = map[string]time.Time{}, make(chan struct{}, 1), make(chan struct{})
		go t.run(s)
	})
}

// note records that the session of hash was used at at.
func (t *sessionToucher) note(s *Service, hash []byte, at time.Time) {
	t.start(s)
	t.mu.Lock()
	if at.After(t.due[string(hash)]) {
		t.due[string(hash)] = at
	}
	t.mu.Unlock()
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// seen returns the activity noted for a session and not yet written.
func (t *sessionToucher) seen(hash []byte) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	at, ok := t.due[string(hash)]
	return at, ok
}

// run writes the noted touches each time it is woken. An entry leaves
// the map only once written (or failed), so seen covers it meanwhile; one
// noted again during the write stays for the next round.
func (t *sessionToucher) run(s *Service) {
	for range t.wake {
		time.Sleep(touchGather)
		t.mu.Lock()
		batch := make([]store.SessionTouch, 0, len(t.due))
		for h, at := range t.due {
			batch = append(batch, store.SessionTouch{TokenHash: []byte(h), At: at})
		}
		t.mu.Unlock()
		if len(batch) > 0 {
			err := s.db.Tx(context.Background(), func(tx store.Tx) error { return store.TouchSessions(context.Background(), tx, batch) })
			if err != nil {
				// The sessions keep their earlier activity: their next
				// request notes a touch again.
				s.cfg.Log.Error("record session activity", "sessions", len(batch), "err", err)
			}
		}
		t.mu.Lock()
		for _, b := range batch {
			if t.due[string(b.TokenHash)].Equal(b.At) {
				delete(t.due, string(b.TokenHash))
			}
		}
		if len(t.due) == 0 {
			close(t.idle)
			t.idle = make(chan struct{})
		}
		t.mu.Unlock()
	}
}

// flushTouches waits until every touch noted so far is written: tests
// that read the stored activity.
func (s *Service) flushTouches() {
	t := &s.touches
	t.start(s)
	t.mu.Lock()
	if len(t.due) == 0 {
		t.mu.Unlock()
		return
	}
	idle := t.idle
	t.mu.Unlock()
	<-idle
}
