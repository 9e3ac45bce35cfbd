package roster

import (
	"errors"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
)

// counted yields n rows of width cells, then err; it records how far it
// was read and whether it was closed while still being read.
type counted struct {
	n, width int
	err      error
	read     atomic.Int64
	reading  atomic.Bool
	closedIn atomic.Bool // close came while next was running
	closed   atomic.Bool
}

func (c *counted) next() (Row, error) {
	c.reading.Store(true)
	defer c.reading.Store(false)
	i := int(c.read.Load())
	if i >= c.n {
		return Row{}, c.err
	}
	c.read.Add(1)
	return Row{Number: i + 1, Cells: make([]Cell, c.width)}, nil
}

func (c *counted) close() {
	c.closedIn.Store(c.reading.Load())
	c.closed.Store(true)
}

func TestReadAheadKeepsOrderAndTheError(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("reads ahead only with a second core")
	}
	broken := errors.New("damaged")
	for _, c := range []struct {
		n, width int
		end      error
	}{{0, 1, io.EOF}, {1, 1, io.EOF}, {5000, 3, io.EOF}, {1234, 100, broken}} {
		src := &counted{n: c.n, width: c.width, err: c.end}
		a := readAhead(src)
		for i := range c.n {
			row, err := a.next()
			if err != nil || row.Number != i+1 || len(row.Cells) != c.width {
				t.Fatalf("%d rows: row %d: %d, %v", c.n, i+1, row.Number, err)
			}
		}
		for range 2 { // the end, and again
			if _, err := a.next(); err != c.end {
				t.Fatalf("%d rows: after the last, %v, want %v", c.n, err, c.end)
			}
		}
		a.close()
		if !src.closed.Load() {
			t.Fatal("source not closed")
		}
	}
}

// Closed half-way, it stops reading within its bounds and closes the
// source only once the goroutine is done with it.
func TestReadAheadStopsWhenClosed(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("reads ahead only with a second core")
	}
	src := &counted{n: 1 << 30, width: 1, err: io.EOF}
	a := readAhead(src)
	for range 10 {
		if _, err := a.next(); err != nil {
			t.Fatal(err)
		}
	}
	a.close()
	a.close() // twice is harmless
	if !src.closed.Load() || src.closedIn.Load() {
		t.Fatalf("closed %v, while reading %v", src.closed.Load(), src.closedIn.Load())
	}
	if n := src.read.Load(); n > (aheadBatches+2)*aheadRows {
		t.Fatalf("read %d rows ahead of 10, bound %d", n, (aheadBatches+2)*aheadRows)
	}
	// A wide sheet is read ahead by cells, not rows.
	wide := &counted{n: 1 << 30, width: 10000, err: io.EOF}
	b := readAhead(wide)
	if _, err := b.next(); err != nil {
		t.Fatal(err)
	}
	b.close()
	if n := wide.read.Load(); n > (aheadBatches+2)*(aheadCells/10000+1) {
		t.Fatalf("read %d rows of 10,000 cells ahead", n)
	}
}
