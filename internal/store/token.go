package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// APIToken is a personal token for the JSON API; only its hash is kept.
type APIToken struct {
	ID         int64
	AccountID  domain.AccountID
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
}

// CreateAPIToken stores a token hash.
func CreateAPIToken(ctx context.Context, q Q, acc domain.AccountID, name string, hash []byte, expires *time.Time, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO api_tokens (account_id, name, token_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, acc, name, hash, ts(now), tsPtr(expires)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create api token: %w", err)
	}
	return id, nil
}

// APITokenAccount resolves a live token (not revoked, not expired) to its
// account and notes its use.
func APITokenAccount(ctx context.Context, q Q, hash []byte, now time.Time) (domain.AccountID, error) {
	var acc domain.AccountID
	err := q.QueryRowContext(ctx, `SELECT account_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL
		AND (expires_at IS NULL OR expires_at > $2)`, hash, ts(now)).Scan(&acc)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.ErrUnauthorized
	}
	if err != nil {
		return 0, fmt.Errorf("store: api token: %w", err)
	}
	return acc, nil
}

// TokenUse is a live token as a request sees it: the account, when the
// token was last used, and the access epoch at the moment of the lookup.
type TokenUse struct {
	Account  domain.AccountID
	LastUsed *time.Time
	Epoch    int64
}

// APITokenUse resolves a live token (not revoked, not expired) and reads
// the access epoch in the same statement: one query for what a request
// needs before its cached actor can be trusted.
func APITokenUse(ctx context.Context, q Q, hash []byte, now time.Time) (TokenUse, error) {
	var u TokenUse
	var used sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT account_id, last_used_at, (SELECT n FROM access_epoch WHERE id = 1) FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`, hash, ts(now)).Scan(&u.Account, &used, &u.Epoch)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.ErrUnauthorized
	}
	if err != nil {
		return u, fmt.Errorf("store: api token: %w", err)
	}
	if used.Valid {
		t := used.Time.UTC()
		u.LastUsed = &t
	}
	return u, nil
}

// AccessEpoch is the number of changes so far to what accounts may reach
// (grants, accounts, organizations' paths and status, agreements and
// their parties), counted by triggers (migration 00015): a cache of
// resolved actors is good for the epoch it was read at, on any server.
func AccessEpoch(ctx context.Context, q Q) (int64, error) {
	var n int64
	if err := q.QueryRowContext(ctx, `SELECT n FROM access_epoch WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: access epoch: %w", err)
	}
	return n, nil
}

// TouchAPIToken records when a token was last used.
func TouchAPIToken(ctx context.Context, q Q, hash []byte, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1`, hash, ts(now))
	return err
}

// RevokeAPIToken revokes one of the account's tokens.
func RevokeAPIToken(ctx context.Context, q Q, acc domain.AccountID, id int64, now time.Time) error {
	return exec1(ctx, q, "revoke api token", `UPDATE api_tokens SET revoked_at = $3
		WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL`, id, acc, ts(now))
}

// APITokens lists an account's tokens, newest first.
func APITokens(ctx context.Context, q Q, acc domain.AccountID) ([]APIToken, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, account_id, name, created_at, last_used_at, expires_at, revoked_at
		FROM api_tokens WHERE account_id = $1 ORDER BY id DESC`, acc)
	if err != nil {
		return nil, fmt.Errorf("store: api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used, exp, rev sql.NullTime
		if err := rows.Scan(&t.ID, &t.AccountID, &t.Name, &t.CreatedAt, &used, &exp, &rev); err != nil {
			return nil, err
		}
		t.LastUsedAt, t.ExpiresAt, t.RevokedAt = nullTime(used), nullTime(exp), nullTime(rev)
		out = append(out, t)
	}
	return out, rows.Err()
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
