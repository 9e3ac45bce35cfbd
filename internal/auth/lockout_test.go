package auth

import (
	"testing"
	"time"

	"gongjian/internal/domain"
)

func TestAccountLockedUntil(t *testing.T) {
	l := DefaultLockout()
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	ago := func(d ...time.Duration) []time.Time {
		out := make([]time.Time, len(d))
		for i, x := range d {
			out[i] = now.Add(-x)
		}
		return out
	}
	m := time.Minute
	cases := []struct {
		name      string
		failures  []time.Time
		wantUntil time.Time
		wantOK    bool
	}{
		{"none", nil, time.Time{}, false},
		{"four recent", ago(1*m, 2*m, 3*m, 4*m), time.Time{}, false},
		{"five recent", ago(5*m, 4*m, 3*m, 2*m, 1*m), now.Add(14 * m), true},
		{"fifth just now", ago(10*m, 8*m, 6*m, 4*m, 0), now.Add(15 * m), true},
		{"order does not matter", ago(1*m, 5*m, 2*m, 4*m, 3*m), now.Add(14 * m), true},
		{"one outside the window", ago(16*m, 4*m, 3*m, 2*m, 1*m), time.Time{}, false},
		{"exactly at the window edge", ago(15*m, 4*m, 3*m, 2*m, 1*m), time.Time{}, false},
		{"lock nearly over", ago(14*m+59*time.Second, 14*m+59*time.Second, 14*m+59*time.Second, 14*m+59*time.Second, 14*m+59*time.Second), now.Add(time.Second), true},
		{"six, the sixth counted", ago(14*m, 13*m, 12*m, 11*m, 10*m, 0), now.Add(15 * m), true},
	}
	for _, c := range cases {
		until, ok := l.AccountLockedUntil(c.failures, now)
		if ok != c.wantOK || !until.Equal(c.wantUntil) {
			t.Errorf("%s: AccountLockedUntil = %v, %v; want %v, %v", c.name, until, ok, c.wantUntil, c.wantOK)
		}
	}
	// With a window longer than the lock, failures still in the window no
	// longer lock once LockFor has passed since the latest of them.
	long := LockoutPolicy{MaxFailures: 5, Window: time.Hour, LockFor: 15 * m}
	if until, ok := long.AccountLockedUntil(ago(20*m, 19*m, 18*m, 17*m, 16*m), now); ok {
		t.Errorf("lock that ran out 1 minute ago: until %v", until)
	}
	if until, ok := long.AccountLockedUntil(ago(20*m, 19*m, 18*m, 17*m, 16*m, 0), now); !ok || !until.Equal(now.Add(15*m)) {
		t.Errorf("a sixth failure after the lock ran out: %v, %v; want locked again", until, ok)
	}
	if _, ok := (LockoutPolicy{}).AccountLockedUntil(ago(0, 0, 0, 0, 0, 0), now); ok {
		t.Error("MaxFailures 0 locked")
	}
}

// TestSixthAttemptLocks follows the MLPS test literally: five bad logins,
// and the sixth attempt meets a lock.
func TestSixthAttemptLocks(t *testing.T) {
	l := DefaultLockout()
	start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	var failures []time.Time
	for i := range 6 {
		now := start.Add(time.Duration(i) * 10 * time.Second)
		_, locked := l.AccountLockedUntil(failures, now)
		if locked != (i == 5) {
			t.Fatalf("attempt %d: locked = %v", i+1, locked)
		}
		failures = append(failures, now)
	}
	last := failures[4]
	if _, locked := l.AccountLockedUntil(failures[:5], last.Add(15*time.Minute)); locked {
		t.Error("still locked 15 minutes after the fifth failure")
	}
}

func TestAddressThrottled(t *testing.T) {
	l := DefaultLockout()
	for count, want := range map[int]bool{0: false, 29: false, 30: true, 500: true} {
		if got := l.AddressThrottled(count); got != want {
			t.Errorf("AddressThrottled(%d) = %v", count, got)
		}
	}
	if (LockoutPolicy{}).AddressThrottled(1000) {
		t.Error("MaxPerAddress 0 throttled")
	}
}

func TestLockErrors(t *testing.T) {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	for left, want := range map[time.Duration]int{15 * time.Minute: 15, 14*time.Minute + time.Second: 15, time.Second: 1, 0: 1} {
		e := LockedError(now.Add(left), now)
		if e.Code != domain.CodeLocked || e.MsgID != "auth.locked" || e.Args["Minutes"] != want {
			t.Errorf("LockedError(%v left) = %v, want %d minutes", left, e, want)
		}
	}
	if e := ThrottledError(); e.Code != domain.CodeLocked || e.MsgID != "auth.throttled" {
		t.Errorf("ThrottledError = %v", e)
	}
}
