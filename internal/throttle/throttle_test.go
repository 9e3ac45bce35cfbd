package throttle

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	l, err := Parse("search=10/s, export=off")
	if err != nil || l[Search] != (Rate{10, time.Second}) || l[Export].N != 0 || l[Reveal] != Defaults()[Reveal] {
		t.Fatalf("%v %v", l, err)
	}
	if l, _ := Parse("off"); l[Search].N != 0 || l[Import].N != 0 {
		t.Fatalf("off: %v", l)
	}
	for _, bad := range []string{"search", "search=10", "search=0/m", "search=-1/m", "search=5/w", "download=1/m", "search=x/m"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got := (Rate{240, time.Minute}).String(); got != "240/m" {
		t.Fatalf("string %q", got)
	}
}

func TestBucketPerAccountAndAction(t *testing.T) {
	l := New(Limits{Export: {3, time.Hour}, Search: {}})
	for i := range 3 {
		if v := l.Allow("7", Export, t0); !v.OK {
			t.Fatalf("export %d refused", i)
		}
	}
	v := l.Allow("7", Export, t0)
	if v.OK || !v.Report || v.RetryAfter != 20*time.Minute {
		t.Fatalf("fourth export: %+v", v)
	}
	// A second refusal soon after is refused but not reported again.
	if v := l.Allow("7", Export, t0.Add(time.Second)); v.OK || v.Report {
		t.Fatalf("fifth export: %+v", v)
	}
	// Another account and another action have their own buckets.
	if !l.Allow("8", Export, t0).OK || !l.Allow("7", Search, t0).OK {
		t.Fatal("buckets are shared")
	}
	// One comes back after a third of the hour, and not before.
	if l.Allow("7", Export, t0.Add(19*time.Minute)).OK {
		t.Fatal("refilled early")
	}
	if !l.Allow("7", Export, t0.Add(20*time.Minute)).OK {
		t.Fatal("not refilled")
	}
	var none *Limiter
	if !none.Allow("7", Export, t0).OK {
		t.Fatal("a nil limiter limits")
	}
}
