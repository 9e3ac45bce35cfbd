package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// Setting reads one stored setting (JSON text); ErrNotFound when unset.
func Setting(ctx context.Context, q Q, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, nil
}

// PutSetting writes one setting.
func PutSetting(ctx context.Context, q Q, key, value string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
		version = settings.version + 1`, key, value, ts(now))
	if err != nil {
		return fmt.Errorf("store: put setting %s: %w", key, err)
	}
	return nil
}
