package service

import (
	"context"
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
// its own answer (store.CheckIn writes them in a few statements); a batch that fails is written again one check-in at a
// time, so one bad write cannot sink the others. The checks that can
// refuse a scan run before it joins a batch, on the read pool, in
// parallel.

// maxCheckinBatch bounds one transaction.
const maxCheckinBatch = 64

// checkinWrite is one check-in waiting for its batch.
type checkinWrite struct {
	actor  *authz.Actor
	m      domain.Meeting
	person domain.PersonID
	done   chan error // buffered: the writer never waits for the caller
}

// checkinBatcher queues check-ins for one writing goroutine, started on
// first use.
type checkinBatcher struct {
	once  sync.Once
	queue chan *checkinWrite
}

// write queues w and waits for its batch to commit. The write goes on if
// the caller's request is abandoned: the member did scan.
func (b *checkinBatcher) write(s *Service, w *checkinWrite) error {
	b.once.Do(func() {
		b.queue = make(chan *checkinWrite, 4*maxCheckinBatch)
		go b.run(s)
	})
	b.queue <- w
	return <-w.done
}

// run takes whatever has queued up (at least one) as the next batch.
func (b *checkinBatcher) run(s *Service) {
	for w := range b.queue {
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
		s.writeCheckins(batch)
	}
}

// writeCheckins writes a batch in one transaction — the lines and
// contacts in three statements, the audit entries in one append — and
// answers each check-in; a member already present (checked in by another
// scan or by the sheet since the checks) is that check-in's refusal alone.
func (s *Service) writeCheckins(batch []*checkinWrite) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	scans := make([]store.Scan, len(batch))
	for i, w := range batch {
		scans[i] = store.Scan{Meeting: w.m.ID, Person: w.person, On: w.m.HeldOn, By: w.actor.Name, Note: w.m.Topic}
	}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		now := s.Now()
		done, err := store.CheckIn(ctx, tx, scans, now)
		if err != nil {
			return err
		}
		var entries []store.AuditEntry
		for i, w := range batch {
			errs[i] = nil
			if !done[i] {
				l, _ := store.AttendanceLine(ctx, tx, w.m.ID, w.person)
				errs[i] = alreadyIn(l)
				continue
			}
			entries = append(entries, s.auditEntry(w.actor, now, "meeting.checkin", "meeting", fmt.Sprint(w.m.ID), "ok",
				map[string]any{"person": w.person}))
		}
		_, err = store.AppendAudits(ctx, tx, s.chain, entries)
		return err
	})
	if err != nil && len(batch) > 1 {
		for _, w := range batch {
			s.writeCheckins([]*checkinWrite{w})
		}
		return
	}
	for i, w := range batch {
		if err != nil {
			errs[i] = err
		}
		w.done <- errs[i]
	}
}
