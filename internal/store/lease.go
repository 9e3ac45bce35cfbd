package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TakeLease gives the named job to holder until until, when no one else
// holds it now: one conditional statement, so of several servers asking
// at once exactly one wins, on SQLite and on PostgreSQL alike. A holder
// may renew its own lease.
func TakeLease(ctx context.Context, q Q, name, holder string, now, until time.Time) (bool, error) {
	if _, err := q.ExecContext(ctx, `INSERT INTO job_leases (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, name); err != nil {
		return false, fmt.Errorf("store: take lease %s: %w", name, err)
	}
	res, err := q.ExecContext(ctx, `UPDATE job_leases SET holder = $1, lease_until = $2
		WHERE name = $3 AND (holder = $1 OR lease_until IS NULL OR lease_until < $4)`, holder, ts(until), name, ts(now))
	if err != nil {
		return false, fmt.Errorf("store: take lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishLease records a run's result and lets the lease go.
func FinishLease(ctx context.Context, q Q, name, holder, result string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE job_leases SET holder = '', lease_until = NULL, last_run_at = $1, last_result = $2
		WHERE name = $3 AND holder = $4`, ts(now), result, name, holder)
	if err != nil {
		return fmt.Errorf("store: finish lease %s: %w", name, err)
	}
	return nil
}

// LastRun is when the named job last finished, zero when never.
func LastRun(ctx context.Context, q Q, name string) (time.Time, string, error) {
	var at sql.NullTime
	var result string
	err := q.QueryRowContext(ctx, `SELECT last_run_at, last_result FROM job_leases WHERE name = $1`, name).Scan(&at, &result)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !at.Valid) {
		return time.Time{}, "", nil
	}
	if err != nil {
		return time.Time{}, "", fmt.Errorf("store: last run %s: %w", name, err)
	}
	return at.Time.UTC(), result, nil
}

// ReleaseLease lets the lease go without recording a run: the holder
// found the job already done, or its run failed and should be retried.
func ReleaseLease(ctx context.Context, q Q, name, holder string) error {
	_, err := q.ExecContext(ctx, `UPDATE job_leases SET holder = '', lease_until = NULL WHERE name = $1 AND holder = $2`, name, holder)
	if err != nil {
		return fmt.Errorf("store: release lease %s: %w", name, err)
	}
	return nil
}
