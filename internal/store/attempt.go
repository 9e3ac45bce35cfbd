package store

import (
	"context"
	"fmt"
	"time"
)

// RecordLoginAttempt notes one sign-in attempt by account name (as typed,
// normalised; the name need not exist) and client address.
func RecordLoginAttempt(ctx context.Context, q Q, name, address string, ok bool, at time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO login_attempts (account_name, address, at, ok) VALUES ($1, $2, $3, $4)`,
		NormalizeAccountName(name), address, ts(at), ok)
	if err != nil {
		return fmt.Errorf("store: record login attempt: %w", err)
	}
	return nil
}

// RecentFailures returns the times of the account's failed attempts since
// `since` and after its last success, oldest first.
func RecentFailures(ctx context.Context, q Q, name string, since time.Time) ([]time.Time, error) {
	rows, err := q.QueryContext(ctx, `SELECT at FROM login_attempts
		WHERE account_name = $1 AND NOT ok AND at >= $2
		AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE account_name = $1 AND ok), $2)
		ORDER BY at`, NormalizeAccountName(name), ts(since))
	if err != nil {
		return nil, fmt.Errorf("store: recent failures: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t.UTC())
	}
	return out, rows.Err()
}

// AddressFailures counts failed attempts from one client address since
// `since`.
func AddressFailures(ctx context.Context, q Q, address string, since time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts WHERE address = $1 AND NOT ok AND at >= $2`,
		address, ts(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: address failures: %w", err)
	}
	return n, nil
}

// ClearFailures is what a security officer's unlock does: it records a
// success on the account's behalf so older failures no longer count.
func ClearFailures(ctx context.Context, q Q, name string, at time.Time) error {
	return RecordLoginAttempt(ctx, q, name, "unlock", true, at)
}
