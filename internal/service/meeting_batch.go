package service

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// QR check-ins are written in batches (group commit). When fifty members
// scan at once, every write on SQLite waits for the one writer and every
// write on PostgreSQL for the audit chain's head row, each behind a
// commit: fifty commits in a row. Instead the scans that arrive while one
// transaction commits all go into the next one, so a burst costs a few
// commits. Each check-in keeps its own line, contact and audit entry, and
// its own answer (store.CheckInAudited writes them in a few statements,
// two round trips on PostgreSQL); a batch that fails is written again one
// check-in at a time, so one bad write cannot sink the others. The checks
// that can refuse a scan run before it joins a batch, on the read pool,
// in parallel.

// maxCheckinBatch bounds one transaction.
const maxCheckinBatch = 64

// checkinWrite is one check-in waiting for its batch: the meeting of a
// code whose signature and time were checked, and the scanning actor.
type checkinWrite struct {
	actor *authz.Actor
	id    domain.MeetingID
	done  chan checkinDone // buffered: the writer never waits for the caller
}

// checkinDone is a check-in's answer: the meeting when it took, errNotTaken
// when the write found it may not (the caller reads why), or the write's
// failure.
type checkinDone struct {
	m   domain.Meeting
	err error
}

// errNotTaken is a check-in the batch's write did not take: not linked,
// not expected, already present, or the meeting not open today.
var errNotTaken = errors.New("service: check-in not taken")

// checkinBatcher queues check-ins for a writing goroutine, started on
// first use.
type checkinBatcher struct {
	once  sync.Once
	queue chan *checkinWrite
}

// checkinsInFlight is how many batches may be written at once. On
// PostgreSQL two: the next batch's first statement goes out while the one
// before commits, takes its lines, and waits in the server for the audit
// chain's head, which it reads, moved on by that commit, the moment the
// commit releases it (READ COMMITTED re-reads a row a committed writer
// changed). A scan then waits for the commit before its batch and its
// own second round trip, instead of that whole batch and both of its own
// (decision 0013, "session 8"). Each batch is still its own transaction
// and answers only after its commit. SQLite has one writer, so a second
// batch would only wait for it with fewer scans.
func (s *Service) checkinsInFlight() int {
	if s.db.Dialect() == store.Postgres {
		return 2
	}
	return 1
}

// write queues w and waits for its batch to commit. The write goes on if
// the caller's request is abandoned: the member did scan.
func (b *checkinBatcher) write(s *Service, w *checkinWrite) checkinDone {
	b.once.Do(func() {
		b.queue = make(chan *checkinWrite, 4*maxCheckinBatch)
		go b.run(s.checkinsInFlight(), s.writeCheckins)
	})
	b.queue <- w
	return <-w.done
}

// run takes whatever has queued up (at least one) as the next batch once
// fewer than inFlight batches are being written, and writes it.
func (b *checkinBatcher) run(inFlight int, write func([]*checkinWrite)) {
	slots := make(chan struct{}, inFlight)
	for w := range b.queue {
		slots <- struct{}{} // the scans that arrive meanwhile join this batch
		batch := []*checkinWrite{w}
	more:
		for len(batch) < maxCheckinBatch {
			select {
			case w := <-b.queue:
				batch = append(batch, w)
			default:
				break more
			}
		}
		go func() {
			defer func() { <-slots }()
			write(batch)
		}()
	}
}

// writeCheckins writes a batch in one transaction — the lines and
// contacts, checked as they are written, then the audit entries in one
// append (store.CheckInAudited) — and answers each check-in; one the
// write did not take changed nothing and is answered errNotTaken.
func (s *Service) writeCheckins(batch []*checkinWrite) {
	ctx := context.Background()
	scans := make([]store.Scan, len(batch))
	for i, w := range batch {
		scans[i] = store.Scan{Meeting: w.id, Account: w.actor.AccountID, By: w.actor.Name}
	}
	now := s.Now()
	res, err := store.CheckInAudited(ctx, s.db, s.chain, scans, now, domain.Today(now), func(res []store.Scanned) []store.AuditEntry {
		var entries []store.AuditEntry
		for i, w := range batch {
			if res[i].Took {
				entries = append(entries, s.auditEntry(w.actor, now, "meeting.checkin", "meeting", fmt.Sprint(w.id), "ok",
					map[string]any{"person": res[i].Person}))
			}
		}
		return entries
	})
	if err != nil && len(batch) > 1 {
		for _, w := range batch {
			s.writeCheckins([]*checkinWrite{w})
		}
		return
	}
	for i, w := range batch {
		switch {
		case err != nil:
			w.done <- checkinDone{err: err}
		case res[i].Took:
			w.done <- checkinDone{m: res[i].Meeting}
		default:
			w.done <- checkinDone{err: errNotTaken}
		}
	}
}
