package cli

import (
	"bufio"
	"context"
	"log/slog"
	"sync"
	"time"
)

// logFlushEvery is how long a server's log line may wait in the buffer.
const logFlushEvery = 200 * time.Millisecond

// bufferedLog holds a server's log lines for at most logFlushEvery:
// written one by one, every request's access line was a system call of
// its own, about a twentieth of a small request's CPU. A warning or an
// error is written at once, with the lines before it.
type bufferedLog struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (b *bufferedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

func (b *bufferedLog) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.w.Flush()
}

// flushing is a handler that flushes the buffer after a record at
// warning level or above.
type flushing struct {
	slog.Handler
	buf *bufferedLog
}

func (h flushing) Handle(ctx context.Context, rec slog.Record) error {
	err := h.Handler.Handle(ctx, rec)
	if rec.Level >= slog.LevelWarn {
		h.buf.flush()
	}
	return err
}

func (h flushing) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushing{h.Handler.WithAttrs(attrs), h.buf}
}

func (h flushing) WithGroup(name string) slog.Handler {
	return flushing{h.Handler.WithGroup(name), h.buf}
}

// bufferLog makes r.log buffered until the returned function, which
// writes what is left and puts the unbuffered logger back.
func (r *runner) bufferLog() (flush, stop func()) {
	buf := &bufferedLog{w: bufio.NewWriterSize(r.env.Err, 64<<10)}
	plain := r.log
	r.log = slog.New(flushing{slog.NewJSONHandler(buf, nil), buf})
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(logFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				buf.flush()
			case <-done:
				return
			}
		}
	})
	return buf.flush, func() {
		close(done)
		wg.Wait()
		buf.flush()
		r.log = plain
	}
}
