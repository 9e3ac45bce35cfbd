package roster

import (
	"io"
	"runtime"
	"sync"
)

// ahead is a row source read in a goroutine of its own, some rows ahead
// of its caller, so that with a second core the parsing of a sheet
// overlaps whatever the caller does with each row. A roster import spends
// most of its time validating, sealing and writing the rows it is handed,
// and parsing sheet XML took a quarter of its CPU besides (200,000 rows,
// measured 2026-11-30). What is read ahead is bounded by aheadCells
// cells a batch and aheadBatches batches, so a hostile sheet costs no
// more memory than before. The rows come in order, and an error after
// the rows read before it, as from the source itself.
type ahead struct {
	batches chan aheadBatch
	stop    chan struct{}
	done    sync.WaitGroup
	src     rowSource
	cur     []Row
	err     error
}

type aheadBatch struct {
	rows []Row
	err  error
}

const (
	aheadCells   = 1 << 14
	aheadRows    = 512
	aheadBatches = 4
)

// readAhead wraps src when there is a second core to read it on.
func readAhead(src rowSource) rowSource {
	if runtime.GOMAXPROCS(0) < 2 {
		return src
	}
	a := &ahead{batches: make(chan aheadBatch, aheadBatches), stop: make(chan struct{}), src: src}
	a.done.Add(1)
	go a.read()
	return a
}

// read sends batches of rows until the source ends, fails or is closed.
func (a *ahead) read() {
	defer a.done.Done()
	defer close(a.batches)
	for {
		var b aheadBatch
		for cells := 0; cells < aheadCells && len(b.rows) < aheadRows; {
			row, err := a.src.next()
			if err != nil {
				b.err = err
				break
			}
			b.rows = append(b.rows, row)
			cells += len(row.Cells)
		}
		select {
		case a.batches <- b:
		case <-a.stop:
			return
		}
		if b.err != nil {
			return
		}
	}
}

func (a *ahead) next() (Row, error) {
	for len(a.cur) == 0 {
		if a.err != nil {
			return Row{}, a.err
		}
		b, ok := <-a.batches
		if !ok {
			a.err = io.ErrUnexpectedEOF // read stopped without an error: closed
			continue
		}
		a.cur, a.err = b.rows, b.err
	}
	row := a.cur[0]
	a.cur[0] = Row{}
	a.cur = a.cur[1:]
	return row, nil
}

// close stops the reading and waits for it before closing the source,
// which the goroutine may be using.
func (a *ahead) close() {
	select {
	case <-a.stop:
		return
	default:
	}
	close(a.stop)
	a.done.Wait()
	a.src.close()
}
