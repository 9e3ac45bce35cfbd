package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gongjian/internal/domain"
)

// CreateOrg inserts an organization and returns its id.
func CreateOrg(ctx context.Context, q Q, o domain.Org, now time.Time) (domain.OrgID, error) {
	var id domain.OrgID
	err := q.QueryRowContext(ctx, `INSERT INTO orgs (parent_id, name, short_name, side, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, nullOrg(o.ParentID), o.Name, o.ShortName, string(o.Side), ts(now)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("name", "org.name_taken", map[string]any{"Name": o.Name})
	}
	if err != nil {
		return 0, fmt.Errorf("store: create org: %w", err)
	}
	return id, nil
}

// FindOrg resolves an organization by id (digits), full name or short name.
func FindOrg(ctx context.Context, q Q, ref string) (domain.Org, error) {
	var o domain.Org
	var side string
	id, _ := strconv.ParseInt(ref, 10, 64)
	err := q.QueryRowContext(ctx, `SELECT id, COALESCE(parent_id, 0), name, short_name, side, created_at FROM orgs
		WHERE id = $1 OR name = $2 OR (short_name = $2 AND short_name <> '') ORDER BY id LIMIT 1`, id, ref).
		Scan(&o.ID, &o.ParentID, &o.Name, &o.ShortName, &side, &o.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.ErrNotFound
	}
	if err != nil {
		return o, fmt.Errorf("store: find org: %w", err)
	}
	o.Side = domain.Side(side)
	o.CreatedAt = o.CreatedAt.UTC()
	return o, nil
}

// CountOrgs returns how many organizations exist.
func CountOrgs(ctx context.Context, q Q) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&n)
	return n, err
}
