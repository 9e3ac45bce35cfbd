// Package jobs runs scheduled work inside `gongjian serve`. Several
// servers may share one database: a run needs the job's lease (one
// conditional UPDATE, see store.TakeLease), so of the servers that find a
// job due exactly one runs it; the lease is long enough to cover a run,
// and a holder that dies lets it lapse, so another server takes over once
// it expires. A run that finishes records its time and a short result;
// the job is due again when its interval has passed since then.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"gongjian/internal/clock"
	"gongjian/internal/store"
)

// Job is one piece of scheduled work.
type Job struct {
	Name  string        // the lease's name, stable across releases
	Every time.Duration // due again this long after the last finished run
	Lease time.Duration // how long one run may take before others may take over
	Run   func(ctx context.Context) (result string, err error)
}

// Runner runs jobs for one server.
type Runner struct {
	DB     *store.DB
	Clock  clock.Clock
	Log    *slog.Logger
	Holder string // who holds a lease: unique per process (see NewHolder)
	// mu keeps this runner's own looks apart: a holder may renew its
	// lease, so two looks of one runner at once would both win it.
	mu sync.Mutex
}

// NewHolder names this process for the leases it takes: the host name, the
// process id and a random part, so two servers on one host, or a restart
// that reuses a pid, never pass for each other.
func NewHolder() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// due reports whether the job's last finished run is older than its
// interval (or it never ran).
func (r *Runner) due(ctx context.Context, j Job, now time.Time) (bool, error) {
	last, _, err := store.LastRun(ctx, r.DB.Read(), j.Name)
	if err != nil {
		return false, err
	}
	return last.IsZero() || now.Sub(last) >= j.Every, nil
}

// RunDue runs the job when it is due and this runner wins its lease. It
// reports whether the job ran here. A run that fails gives the lease back
// without recording a run, so the job is tried again at the next poll.
func (r *Runner) RunDue(ctx context.Context, j Job) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.Clock.Now()
	if ok, err := r.due(ctx, j, now); err != nil || !ok {
		return false, err
	}
	var won bool
	if err := r.DB.Tx(ctx, func(tx store.Tx) error {
		var err error
		won, err = store.TakeLease(ctx, tx, j.Name, r.Holder, now, now.Add(j.Lease))
		return err
	}); err != nil || !won {
		return false, err
	}
	// Another server may have finished a run between the first look and
	// the lease: look again, now that no one else can start one.
	if ok, err := r.due(ctx, j, now); err != nil || !ok {
		return false, errors.Join(err, r.release(ctx, j))
	}
	start := time.Now()
	result, err := j.Run(ctx)
	if err != nil {
		r.Log.Error("job failed", "job", j.Name, "holder", r.Holder, "err", err, "took", time.Since(start))
		return false, errors.Join(err, r.release(ctx, j))
	}
	r.Log.Info("job ran", "job", j.Name, "holder", r.Holder, "result", result, "took", time.Since(start))
	// The run is done: record it even when the server is stopping.
	c := context.WithoutCancel(ctx)
	return true, r.DB.Tx(c, func(tx store.Tx) error {
		return store.FinishLease(c, tx, j.Name, r.Holder, result, r.Clock.Now())
	})
}

func (r *Runner) release(ctx context.Context, j Job) error {
	c := context.WithoutCancel(ctx)
	return r.DB.Tx(c, func(tx store.Tx) error { return store.ReleaseLease(c, tx, j.Name, r.Holder) })
}

// Loop runs the job whenever it is due — at once on start when the last
// run is older than its interval — looking every poll until ctx ends.
func (r *Runner) Loop(ctx context.Context, j Job, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := r.RunDue(ctx, j); err != nil && ctx.Err() == nil {
			r.Log.Error("job", "job", j.Name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PollFor is how often a loop looks whether a job of interval every is
// due: a 24th of it, between a second and ten minutes, so a daily job
// starts within ten minutes of falling due.
func PollFor(every time.Duration) time.Duration {
	return min(max(every/24, time.Second), 10*time.Minute)
}
