package auth

import (
	"time"

	"gongjian/internal/domain"
)

// LockoutPolicy is the rule for failed logins (MLPS: lock after N failures;
// ASVS 6.3.1: resist brute force and credential stuffing). Two limits work
// together: per account, against guessing one account's password, and per
// client address, against one client spraying many accounts.
//
// The store records the failures; this type only decides. Failures must be
// recorded under the login name as submitted, whether or not an account has
// it, so that "locked" is shown for unknown names too and reveals nothing.
type LockoutPolicy struct {
	// MaxFailures within Window lock the account; 0 disables locking.
	MaxFailures int
	Window      time.Duration
	// LockFor is counted from the last of those failures.
	LockFor time.Duration
	// MaxPerAddress failures from one client address within AddressWindow
	// throttle that address; 0 disables throttling.
	MaxPerAddress int
	AddressWindow time.Duration
}

// DefaultLockout returns 5 failures in 15 minutes locking for 15 minutes
// (MLPS assessors look for 5 attempts and a 10–30 minute lock), and 30
// failures per client address per 15 minutes, loose enough for a county
// office whose staff share one NAT address.
func DefaultLockout() LockoutPolicy {
	return LockoutPolicy{
		MaxFailures:   5,
		Window:        15 * time.Minute,
		LockFor:       15 * time.Minute,
		MaxPerAddress: 30,
		AddressWindow: 15 * time.Minute,
	}
}

// AccountLockedUntil decides whether an account is locked at now, given its
// failures since its last successful login (the caller drops older ones).
// Failures within Window before now count; at MaxFailures or more, the
// account is locked until the latest of them plus LockFor. ok is false when
// the account is not locked, including when a lock has run out.
func (l LockoutPolicy) AccountLockedUntil(failures []time.Time, now time.Time) (until time.Time, ok bool) {
	if l.MaxFailures <= 0 {
		return time.Time{}, false
	}
	since := now.Add(-l.Window)
	n := 0
	var latest time.Time
	for _, f := range failures {
		if !f.After(since) {
			continue
		}
		n++
		if f.After(latest) {
			latest = f
		}
	}
	if n < l.MaxFailures {
		return time.Time{}, false
	}
	until = latest.Add(l.LockFor)
	if !until.After(now) {
		return time.Time{}, false
	}
	return until, true
}

// AddressThrottled reports whether a client address with count failures in
// the last AddressWindow must wait.
func (l LockoutPolicy) AddressThrottled(count int) bool {
	return l.MaxPerAddress > 0 && count >= l.MaxPerAddress
}

// LockedError tells the user the account is locked and for how many more
// minutes, rounded up so that "0 minutes" is never shown.
func LockedError(until, now time.Time) *domain.Error {
	left := until.Sub(now)
	minutes := int((left + time.Minute - 1) / time.Minute)
	return &domain.Error{Code: domain.CodeLocked, MsgID: "auth.locked", Args: map[string]any{"Minutes": max(minutes, 1)}}
}

// ThrottledError tells a throttled client to slow down, without a time: the
// address window slides, so any figure would be a guess.
func ThrottledError() *domain.Error {
	return &domain.Error{Code: domain.CodeLocked, MsgID: "auth.throttled"}
}
