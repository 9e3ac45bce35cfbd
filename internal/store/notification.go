package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// Notification is one notice in an account's in-app inbox. The text is a
// message ID with its arguments, rendered in the reader's language.
type Notification struct {
	ID        int64
	AccountID domain.AccountID
	Kind      string // move_report, lost_contact, meeting … (a later issue adds an outbox per kind)
	MsgID     string
	Args      string // JSON object
	Link      string // a path inside the site
	DedupeKey string // the same key for the same account arrives once
	CreatedAt time.Time
	ReadAt    *time.Time
}

// AddNotification puts a notice in an inbox once: a second notice with the
// same account and dedupe key is dropped, so several servers or a retried
// job cannot send it twice. It reports whether the notice is new.
func AddNotification(ctx context.Context, q Q, n Notification) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO notifications (account_id, kind, msg_id, args, link, dedupe_key, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, dedupe_key) DO NOTHING`,
		n.AccountID, n.Kind, n.MsgID, n.Args, n.Link, n.DedupeKey, ts(n.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("store: add notification: %w", err)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// Notifications lists an account's inbox, newest first, before the id
// before (zero: from the newest).
func Notifications(ctx context.Context, q Q, acc domain.AccountID, before int64, limit int) ([]Notification, error) {
	if before == 0 {
		before = 1<<62 - 1
	}
	rows, err := q.QueryContext(ctx, `SELECT `+notificationCols+` FROM notifications WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, acc, before, limit)
	if err != nil {
		return nil, fmt.Errorf("store: notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadNotifications counts an account's unread notices.
func UnreadNotifications(ctx context.Context, q Q, acc domain.AccountID) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL`, acc).Scan(&n)
	return n, err
}

// MarkNotificationsRead marks the account's notices up to id as read (all
// of them when id is zero).
func MarkNotificationsRead(ctx context.Context, q Q, acc domain.AccountID, upTo int64, now time.Time) error {
	if upTo == 0 {
		upTo = 1<<62 - 1
	}
	_, err := q.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND id <= $3 AND read_at IS NULL`,
		ts(now), acc, upTo)
	if err != nil {
		return fmt.Errorf("store: mark notifications read: %w", err)
	}
	return nil
}

// NotificationByID reads one notice of the account's own inbox; another
// account's notice is not found.
func NotificationByID(ctx context.Context, q Q, acc domain.AccountID, id int64) (Notification, error) {
	return scanNotification(q.QueryRowContext(ctx, `SELECT `+notificationCols+` FROM notifications WHERE account_id = $1 AND id = $2`, acc, id))
}

const notificationCols = `id, account_id, kind, msg_id, args, link, dedupe_key, created_at, read_at`

func scanNotification(row interface{ Scan(...any) error }) (Notification, error) {
	var n Notification
	var read sql.NullTime
	err := row.Scan(&n.ID, &n.AccountID, &n.Kind, &n.MsgID, &n.Args, &n.Link, &n.DedupeKey, &n.CreatedAt, &read)
	if errors.Is(err, sql.ErrNoRows) {
		return n, domain.ErrNotFound
	}
	if err != nil {
		return n, fmt.Errorf("store: notification: %w", err)
	}
	n.CreatedAt = n.CreatedAt.UTC()
	if read.Valid {
		t := read.Time.UTC()
		n.ReadAt = &t
	}
	return n, nil
}

// MarkNotificationRead marks one of the account's notices as read.
func MarkNotificationRead(ctx context.Context, q Q, acc domain.AccountID, id int64, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND id = $3 AND read_at IS NULL`,
		ts(now), acc, id)
	if err != nil {
		return fmt.Errorf("store: mark notification read: %w", err)
	}
	return nil
}
