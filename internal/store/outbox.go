package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// The outbox: notices that go out by a sender as well as into the inbox.
// A row is claimed by one sender at a time with a conditional UPDATE whose
// WHERE re-checks the row's state: of several servers reaching for the
// same row at once exactly one changes it (PostgreSQL re-reads a row
// another transaction changed before deciding; SQLite has one writer). A
// claim carries its holder and an expiry, so a sender that dies holding
// it delays the row until then and no longer.

// The states of an outbox row.
const (
	OutboxPending = "pending" // waiting for its next attempt (next_at)
	OutboxSending = "sending" // claimed by a sender until claim_until
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // failed for good: refused, or too many attempts
)

// OutboxItem is one row with what a sender needs: the notice and its
// recipient's account, name, language and phone (sealed; the masked form
// beside it).
type OutboxItem struct {
	ID          int64
	AccountID   domain.AccountID
	Kind        string
	Channel     string
	Attempts    int // including the claim that returned the item
	MsgID       string
	Args        string
	Link        string
	AccountName string
	DisplayName string
	Locale      string
	PersonID    domain.PersonID // zero: the account is nobody's own
	PhoneSealed string
	PhoneMasked string
}

// EnqueueOutbox queues the account's notice of the dedupe key for a
// channel, due at once. A notice is queued once: the caller queues it
// only when AddNotification found it new.
func EnqueueOutbox(ctx context.Context, q Q, acc domain.AccountID, dedupeKey, channel string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO outbox (notification_id, account_id, kind, channel, next_at, created_at)
		SELECT id, account_id, kind, $3, $4, $4 FROM notifications WHERE account_id = $1 AND dedupe_key = $2`,
		acc, dedupeKey, channel, ts(now))
	if err != nil {
		return fmt.Errorf("store: enqueue outbox: %w", err)
	}
	return nil
}

// claimable is the condition a row must meet to be claimed at $now: due
// and waiting, or claimed by a sender whose claim has expired.
const claimable = `(state = 'pending' AND next_at <= $1 OR state = 'sending' AND claim_until < $1)`

// ClaimOutbox claims up to limit due rows for holder until until, oldest
// first, and returns them. Each claim is its own conditional UPDATE: a row
// another sender claimed in the meantime is skipped.
func ClaimOutbox(ctx context.Context, tx Tx, holder string, now, until time.Time, limit int) ([]OutboxItem, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM outbox WHERE `+claimable+` ORDER BY next_at, id LIMIT $2`, ts(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: claim outbox: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: claim outbox: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim outbox: %w", err)
	}
	var won []int64
	for _, id := range ids {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sending', claimed_by = $2, claim_until = $3,
			attempts = attempts + 1 WHERE id = $4 AND `+claimable, ts(now), holder, ts(until), id)
		if err != nil {
			return nil, fmt.Errorf("store: claim outbox: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("store: claim outbox: %w", err)
		} else if n == 1 {
			won = append(won, id)
		}
	}
	out := make([]OutboxItem, 0, len(won))
	for _, id := range won {
		it, err := outboxItem(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func outboxItem(ctx context.Context, q Q, id int64) (OutboxItem, error) {
	var it OutboxItem
	var person sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT x.id, x.account_id, x.kind, x.channel, x.attempts, n.msg_id, n.args, n.link,
		a.name, a.display_name, a.locale, a.person_id, COALESCE(p.phone_sealed, ''), COALESCE(p.phone_masked, '')
		FROM outbox x JOIN notifications n ON n.id = x.notification_id JOIN accounts a ON a.id = x.account_id
		LEFT JOIN persons p ON p.id = a.person_id WHERE x.id = $1`, id).Scan(&it.ID, &it.AccountID, &it.Kind, &it.Channel,
		&it.Attempts, &it.MsgID, &it.Args, &it.Link, &it.AccountName, &it.DisplayName, &it.Locale, &person, &it.PhoneSealed,
		&it.PhoneMasked)
	if err != nil {
		return it, fmt.Errorf("store: outbox item %d: %w", id, err)
	}
	it.PersonID = domain.PersonID(person.Int64)
	return it, nil
}

// SettleOutbox records how an attempt ended, if holder still holds the
// claim: sent, failed for good, or pending again at next (with the
// error). It reports whether the claim was still held: false means it
// expired and another sender may have taken the row.
func SettleOutbox(ctx context.Context, q Q, id int64, holder, state, lastError string, next, now time.Time) (bool, error) {
	var sent any
	if state == OutboxSent {
		sent = ts(now)
	}
	res, err := q.ExecContext(ctx, `UPDATE outbox SET state = $1, last_error = $2, next_at = $3, sent_at = $4,
		claimed_by = '', claim_until = NULL WHERE id = $5 AND claimed_by = $6 AND state = 'sending'`,
		state, lastError, ts(next), sent, id, holder)
	if err != nil {
		return false, fmt.Errorf("store: settle outbox %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// OutboxRow is a row as the outbox page lists it.
type OutboxRow struct {
	ID          int64
	Kind        string
	Channel     string
	State       string
	Attempts    int
	LastError   string
	AccountName string
	CreatedAt   time.Time
	NextAt      time.Time
	SentAt      *time.Time
}

// OutboxCounts counts the rows by state.
func OutboxCounts(ctx context.Context, q Q) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: outbox counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("store: outbox counts: %w", err)
		}
		out[s] = n
	}
	return out, rows.Err()
}

// RecentOutbox lists the latest rows, newest first; state narrows them
// (empty: all).
func RecentOutbox(ctx context.Context, q Q, state string, limit int) ([]OutboxRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT x.id, x.kind, x.channel, x.state, x.attempts, x.last_error, a.name, x.created_at,
		x.next_at, x.sent_at FROM outbox x JOIN accounts a ON a.id = x.account_id
		WHERE $1 = '' OR x.state = $1 ORDER BY x.id DESC LIMIT $2`, state, limit)
	if err != nil {
		return nil, fmt.Errorf("store: recent outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxRow
	for rows.Next() {
		var r OutboxRow
		var sent sql.NullTime
		if err := rows.Scan(&r.ID, &r.Kind, &r.Channel, &r.State, &r.Attempts, &r.LastError, &r.AccountName, &r.CreatedAt,
			&r.NextAt, &sent); err != nil {
			return nil, fmt.Errorf("store: recent outbox: %w", err)
		}
		r.CreatedAt, r.NextAt = r.CreatedAt.UTC(), r.NextAt.UTC()
		if sent.Valid {
			t := sent.Time.UTC()
			r.SentAt = &t
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
