package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// Session is a signed-in browser. Only the SHA-256 of its token is kept,
// so a leaked database does not leak live sessions.
type Session struct {
	TokenHash  []byte
	AccountID  domain.AccountID
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end, whatever the activity
	MFAOK      bool      // second factor passed (or not needed)
	Address    string
	UserAgent  string
}

// CreateSession stores a new session.
func CreateSession(ctx context.Context, q Q, s Session) error {
	_, err := q.ExecContext(ctx, `INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at, mfa_ok, address, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, s.TokenHash, s.AccountID, ts(s.CreatedAt), ts(s.LastSeenAt),
		ts(s.ExpiresAt), s.MFAOK, s.Address, s.UserAgent)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

const sessionCols = `s.token_hash, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.mfa_ok, s.address, s.user_agent`

func scanSession(row interface{ Scan(...any) error }, extra ...any) (Session, error) {
	var s Session
	err := row.Scan(append([]any{&s.TokenHash, &s.AccountID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.MFAOK, &s.Address,
		&s.UserAgent}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return s, domain.ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("store: session: %w", err)
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	return s, nil
}

// SessionByHash finds a session by its token hash.
func SessionByHash(ctx context.Context, q Q, hash []byte) (Session, error) {
	return scanSession(q.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions s WHERE s.token_hash = $1`, hash))
}

// SessionUse is what a request needs along with its session, read in
// the same statement (one round trip, one snapshot): the access epoch at
// that moment (decision 0007), the stored value of one setting, and the
// account's unread notices (the badge beside the inbox).
type SessionUse struct {
	Session
	Epoch      int64
	Setting    string
	HasSetting bool // false: the setting was never stored
	Unread     int
}

// SessionUseByHash finds a session by its token hash with the access
// epoch, the setting named key and the unread count.
func SessionUseByHash(ctx context.Context, q Q, hash []byte, key string) (SessionUse, error) {
	var u SessionUse
	var setting sql.NullString
	var err error
	u.Session, err = scanSession(q.QueryRowContext(ctx, `SELECT `+sessionCols+`, (SELECT n FROM access_epoch WHERE id = 1),
		(SELECT value FROM settings WHERE key = $2),
		(SELECT COUNT(*) FROM notifications WHERE account_id = s.account_id AND read_at IS NULL)
		FROM sessions s WHERE s.token_hash = $1`, hash, key), &u.Epoch, &setting, &u.Unread)
	u.Setting, u.HasSetting = setting.String, setting.Valid
	return u, err
}

// SessionTouch is a session's activity to record: its token hash and when
// it was last used.
type SessionTouch struct {
	TokenHash []byte
	At        time.Time
}

// touchBatch bounds the rows of one UPDATE (2 parameters each).
const touchBatch = 500

// TouchSessions moves the last activity of each session forward to its
// instant, never back (another server may have written a later one), in
// one statement per touchBatch sessions. A session that has ended in the
// meantime is not brought back: there is no row left to update.
func TouchSessions(ctx context.Context, tx Tx, touches []SessionTouch) error {
	types := []string{"BYTEA", "TIMESTAMPTZ"}
	if tx.Dialect() == SQLite {
		types = []string{"", ""} // SQLite would cast both to numbers
	}
	for start := 0; start < len(touches); start += touchBatch {
		part := touches[start:min(start+touchBatch, len(touches))]
		args := make([]any, 0, 2*len(part))
		for _, t := range part {
			args = append(args, t.TokenHash, ts(t.At))
		}
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = v.column2
			FROM (VALUES `+castValues(tx.Dialect(), 0, len(part), types...)+`) AS v
			WHERE sessions.token_hash = v.column1 AND sessions.last_seen_at < v.column2`, args...)
		if err != nil {
			return fmt.Errorf("store: touch sessions: %w", err)
		}
	}
	return nil
}

// DeleteSession ends one session (logout).
func DeleteSession(ctx context.Context, q Q, hash []byte) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash)
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteAccountSessions ends every session of an account except keep
// (which may be nil): after a password change or a disable.
func DeleteAccountSessions(ctx context.Context, q Q, acc domain.AccountID, keep []byte) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2`, acc, append([]byte{}, keep...))
	if err != nil {
		return fmt.Errorf("store: delete sessions: %w", err)
	}
	return nil
}

// AccountSessions lists an account's sessions, newest first.
func AccountSessions(ctx context.Context, q Q, acc domain.AccountID) ([]Session, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions s WHERE s.account_id = $1 ORDER BY s.created_at DESC`, acc)
	if err != nil {
		return nil, fmt.Errorf("store: sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// PurgeSessions deletes sessions past their absolute end or idle for
// longer than idle.
func PurgeSessions(ctx context.Context, q Q, now time.Time, idle time.Duration) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`, ts(now), ts(now.Add(-idle)))
	if err != nil {
		return 0, fmt.Errorf("store: purge sessions: %w", err)
	}
	return res.RowsAffected()
}
