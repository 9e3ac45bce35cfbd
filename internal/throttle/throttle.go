// Package throttle bounds how fast one account may run the actions that
// can pull personal data out in bulk — searching the register, exporting
// it, importing rosters, revealing clear values — so that a stolen session
// or token cannot scrape the county's register at machine speed (MLPS
// level 3 and PIPL ask for that; see docs/operations.md). The limits are
// token buckets from golang.org/x/time/rate, one per account and action,
// held in memory: with several servers each applies the limit on its own,
// which still bounds a scraper to a small multiple of a person's pace.
package throttle

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate allows N actions per Per, refilling smoothly; N zero means no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// String is the form Parse reads: "120/m".
func (r Rate) String() string {
	if r.N == 0 {
		return "off"
	}
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "m", time.Hour: "h", 24 * time.Hour: "d"}[r.Per]
	return strconv.Itoa(r.N) + "/" + unit
}

// Limits are the rates by action.
type Limits map[string]Rate

// The actions that are limited.
const (
	Search = "search"
	Export = "export"
	Import = "import"
	Reveal = "reveal"
)

// Actions lists them in a stable order.
func Actions() []string { return []string{Search, Export, Import, Reveal} }

// Defaults are generous for a person at a desk and tight for a script: a
// secretary pages through results a few times a minute, exports a handful
// of lists in an hour, reveals a number now and then.
func Defaults() Limits {
	return Limits{Search: {240, time.Minute}, Export: {30, time.Hour}, Import: {30, time.Hour}, Reveal: {60, time.Hour}}
}

// Parse reads "search=240/m,export=30/h,import=off": the actions named
// change, the others keep their defaults; "off" alone lifts every limit
// (for load tests).
func Parse(s string) (Limits, error) {
	l := Defaults()
	s = strings.TrimSpace(s)
	if s == "" {
		return l, nil
	}
	if s == "off" {
		for k := range l {
			l[k] = Rate{}
		}
		return l, nil
	}
	for part := range strings.SplitSeq(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !slices.Contains(Actions(), name) {
			return nil, fmt.Errorf("throttle: %q: want ACTION=N/UNIT with ACTION one of %s", part, strings.Join(Actions(), ", "))
		}
		r, err := parseRate(val)
		if err != nil {
			return nil, err
		}
		l[name] = r
	}
	return l, nil
}

func parseRate(v string) (Rate, error) {
	if v == "off" {
		return Rate{}, nil
	}
	num, unit, ok := strings.Cut(v, "/")
	n, err := strconv.Atoi(num)
	per, known := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}[unit]
	if !ok || err != nil || n <= 0 || !known {
		return Rate{}, fmt.Errorf("throttle: %q: want N/s, N/m, N/h, N/d or off", v)
	}
	return Rate{N: n, Per: per}, nil
}

// Limiter applies Limits per key (an account) and action.
type Limiter struct {
	limits Limits
	mu     sync.Mutex
	bucket map[string]*entry
}

type entry struct {
	lim *rate.Limiter
	// told is when a refusal was last reported, so a stream of refused
	// requests is reported (audited) at most once a minute, not once each.
	told time.Time
}

// New builds a limiter.
func New(l Limits) *Limiter { return &Limiter{limits: l, bucket: map[string]*entry{}} }

// Verdict is the answer to one request.
type Verdict struct {
	OK         bool
	RetryAfter time.Duration // when refused: how long until one more is allowed
	Report     bool          // when refused: the first refusal in a minute
}

// Allow takes one action for key at now.
func (l *Limiter) Allow(key, action string, now time.Time) Verdict {
	if l == nil || l.limits[action].N == 0 {
		return Verdict{OK: true}
	}
	r := l.limits[action]
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.bucket[key+"\x00"+action]
	if e == nil {
		e = &entry{lim: rate.NewLimiter(rate.Every(r.Per/time.Duration(r.N)), r.N)}
		l.bucket[key+"\x00"+action] = e
	}
	res := e.lim.ReserveN(now, 1)
	wait := res.DelayFrom(now)
	if wait == 0 {
		return Verdict{OK: true}
	}
	res.CancelAt(now)
	v := Verdict{RetryAfter: wait, Report: now.Sub(e.told) >= time.Minute}
	if v.Report {
		e.told = now
	}
	return v
}
