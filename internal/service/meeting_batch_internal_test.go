package service

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestCheckinBatchesInFlight holds the batcher to its number of batches
// written at once: with two, the next batch is written while the first
// is; with one, never; and the scans that queue while every slot is taken
// go together into the next batch.
func TestCheckinBatchesInFlight(t *testing.T) {
	for _, inFlight := range []int{1, 2} {
		var b checkinBatcher
		b.queue = make(chan *checkinWrite, 8)
		var active, most atomic.Int32
		entered, release := make(chan []*checkinWrite, 8), make(chan struct{})
		go b.run(inFlight, func(batch []*checkinWrite) {
			n := active.Add(1)
			if n > most.Load() {
				most.Store(n)
			}
			entered <- batch
			<-release
			active.Add(-1)
			for _, w := range batch {
				w.done <- checkinDone{}
			}
		})
		queue := func() *checkinWrite {
			w := &checkinWrite{done: make(chan checkinDone, 1)}
			b.queue <- w
			return w
		}
		writes := []*checkinWrite{queue()}
		waitBatch(t, entered, 1)
		if inFlight == 2 {
			writes = append(writes, queue())
			waitBatch(t, entered, 1) // written while the first still is
		}
		writes = append(writes, queue(), queue())
		release <- struct{}{}
		waitBatch(t, entered, 2) // everything queued while the slots were taken
		close(release)
		for _, w := range writes {
			<-w.done
		}
		close(b.queue)
		if got := most.Load(); got != int32(inFlight) {
			t.Errorf("in flight %d: %d batches written at once", inFlight, got)
		}
	}
}

// waitBatch waits for the next batch to be written and checks its size;
// the deadline only turns a batch that never comes into a failure.
func waitBatch(t *testing.T, entered chan []*checkinWrite, size int) {
	t.Helper()
	select {
	case batch := <-entered:
		if len(batch) != size {
			t.Fatalf("a batch of %d scans, want %d", len(batch), size)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no batch written")
	}
}
