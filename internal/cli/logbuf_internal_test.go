package cli

import (
	"log/slog"
	"strings"
	"testing"
)

// A warning goes out at once with the lines before it; the rest goes out
// when the buffering stops, and the plain logger is back.
func TestBufferedLog(t *testing.T) {
	var out strings.Builder
	plain := slog.New(slog.NewJSONHandler(&out, nil))
	r := &runner{env: Env{Stdio: Stdio{Err: &out}}, log: plain}
	_, stop := r.bufferLog()
	r.log.Info("first")
	r.log.With("k", "v").Warn("trouble")
	got := out.String()
	if !strings.Contains(got, `"msg":"first"`) || !strings.Contains(got, `"msg":"trouble","k":"v"`) {
		t.Fatalf("after a warning: %q", got)
	}
	r.log.Info("last")
	stop()
	if !strings.Contains(out.String(), `"msg":"last"`) {
		t.Errorf("stop left a line behind: %q", out.String())
	}
	if r.log != plain {
		t.Error("the plain logger is not back")
	}
}
