package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongjian/internal/clock"
	"gongjian/internal/jobs"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

var ctx = context.Background()

func runners(db *store.DB, c clock.Clock, n int) []*jobs.Runner {
	var out []*jobs.Runner
	for range n {
		out = append(out, &jobs.Runner{DB: db, Clock: c, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Holder: jobs.NewHolder()})
	}
	return out
}

// Two servers on one database look at the same moment, period after
// period: exactly one of them runs the job each time.
func TestOneRunPerPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := clock.NewFake(time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC))
		var runs atomic.Int32
		job := jobs.Job{Name: "test", Every: 24 * time.Hour, Lease: time.Hour, Run: func(context.Context) (string, error) {
			runs.Add(1)
			return "done", nil
		}}
		rs := runners(db, c, 2)
		for period := 1; period <= 3; period++ {
			var wg sync.WaitGroup
			var ran atomic.Int32
			for _, r := range rs {
				for range 3 { // each server looks three times in the period
					wg.Go(func() {
						ok, err := r.RunDue(ctx, job)
						if err != nil {
							t.Error(err)
						}
						if ok {
							ran.Add(1)
						}
					})
				}
			}
			wg.Wait()
			if ran.Load() != 1 || runs.Load() != int32(period) {
				t.Fatalf("period %d: %d runners ran, %d runs in all", period, ran.Load(), runs.Load())
			}
			c.Advance(23 * time.Hour) // not due yet
			if ok, _ := rs[1].RunDue(ctx, job); ok {
				t.Fatal("ran before the interval passed")
			}
			c.Advance(time.Hour)
		}
		last, result, err := store.LastRun(ctx, db.Read(), "test")
		if err != nil || result != "done" || !last.Equal(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)) {
			t.Fatalf("last run %s %q %v", last, result, err)
		}
	})
}

// A server that took the lease and died holds the job only until the
// lease expires; then another runs it.
func TestDeadHolderLeaseTakenOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := clock.NewFake(time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC))
		var runs atomic.Int32
		job := jobs.Job{Name: "test", Every: 24 * time.Hour, Lease: 30 * time.Minute, Run: func(context.Context) (string, error) {
			runs.Add(1)
			return "ok", nil
		}}
		if err := db.Tx(ctx, func(tx store.Tx) error {
			won, err := store.TakeLease(ctx, tx, "test", "dead-server", c.Now(), c.Now().Add(job.Lease))
			if !won {
				t.Fatal("the first lease was refused")
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r := runners(db, c, 1)[0]
		c.Advance(29 * time.Minute)
		if ok, err := r.RunDue(ctx, job); ok || err != nil {
			t.Fatalf("ran while the dead holder's lease lasted: %v %v", ok, err)
		}
		c.Advance(2 * time.Minute)
		if ok, err := r.RunDue(ctx, job); !ok || err != nil || runs.Load() != 1 {
			t.Fatalf("lease not taken over: %v %v, %d runs", ok, err, runs.Load())
		}
	})
}

// A run that fails records nothing: the job is tried again at the next
// look, by whichever server wins.
func TestFailedRunIsRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := clock.NewFake(time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC))
		fail := true
		job := jobs.Job{Name: "test", Every: 24 * time.Hour, Lease: time.Hour, Run: func(context.Context) (string, error) {
			if fail {
				return "", errors.New("database busy")
			}
			return "ok", nil
		}}
		rs := runners(db, c, 2)
		if ok, err := rs[0].RunDue(ctx, job); ok || err == nil {
			t.Fatalf("failed run: %v %v", ok, err)
		}
		fail = false
		if ok, err := rs[1].RunDue(ctx, job); !ok || err != nil {
			t.Fatalf("retry: %v %v", ok, err)
		}
	})
}

func TestPollFor(t *testing.T) {
	for every, want := range map[time.Duration]time.Duration{24 * time.Hour: 10 * time.Minute, time.Hour: 150 * time.Second,
		time.Second: time.Second} {
		if got := jobs.PollFor(every); got != want {
			t.Errorf("PollFor(%s) = %s, want %s", every, got, want)
		}
	}
}
