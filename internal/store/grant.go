package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// AddGrant gives role at org (zero org: system-wide) to an account.
func AddGrant(ctx context.Context, q Q, acc domain.AccountID, role string, org domain.OrgID, by domain.AccountID, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO grants (account_id, role, org_id, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, acc, role, nullOrg(org), ts(now), nullAccount(by)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("role", "grant.exists", map[string]any{"Role": role})
	}
	if err != nil {
		return 0, fmt.Errorf("store: add grant: %w", err)
	}
	return id, nil
}

// RemoveGrant deletes one grant of the account.
func RemoveGrant(ctx context.Context, q Q, acc domain.AccountID, id int64) error {
	return exec1(ctx, q, "remove grant", `DELETE FROM grants WHERE id = $1 AND account_id = $2`, id, acc)
}

// Grants lists an account's grants with their organization names.
func Grants(ctx context.Context, q Q, acc domain.AccountID) ([]domain.Grant, error) {
	grants, _, err := grantRows(ctx, q, acc)
	return grants, err
}

// grantRows reads an account's grants, in order, and the reach of those
// at an active organization (without what agreements add).
func grantRows(ctx context.Context, q Q, acc domain.AccountID) ([]domain.Grant, []authz.Reach, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.account_id, g.role, COALESCE(g.org_id, 0), COALESCE(o.name, ''), g.created_at,
		COALESCE(o.path, ''), COALESCE(o.side, ''), o.status = 'active'
		FROM grants g LEFT JOIN orgs o ON o.id = g.org_id WHERE g.account_id = $1 ORDER BY g.id`, acc)
	if err != nil {
		return nil, nil, fmt.Errorf("store: grants: %w", err)
	}
	defer rows.Close()
	var grants []domain.Grant
	var reach []authz.Reach
	for rows.Next() {
		var g domain.Grant
		var path, side string
		var active sql.NullBool
		if err := rows.Scan(&g.ID, &g.AccountID, &g.Role, &g.OrgID, &g.OrgName, &g.CreatedAt, &path, &side, &active); err != nil {
			return nil, nil, fmt.Errorf("store: scan grant: %w", err)
		}
		g.CreatedAt = g.CreatedAt.UTC()
		grants = append(grants, g)
		if active.Bool {
			reach = append(reach, authz.Reach{Role: g.Role, OrgID: g.OrgID, Path: path, Side: domain.Side(side)})
		}
	}
	return grants, reach, rows.Err()
}

func nullOrg(o domain.OrgID) sql.NullInt64 { return sql.NullInt64{Int64: int64(o), Valid: o != 0} }

func nullAccount(a domain.AccountID) sql.NullInt64 {
	return sql.NullInt64{Int64: int64(a), Valid: a != 0}
}

// Responsible lists the enabled accounts that answer for the organization
// at path in one of roles: those holding such a role at the organization
// itself or, when none does, at its nearest ancestor where someone does.
func Responsible(ctx context.Context, q Q, path string, roles []string) ([]domain.AccountID, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	args := []any{path}
	in := ""
	for i, r := range roles {
		args = append(args, r)
		if i > 0 {
			in += ", "
		}
		in += fmt.Sprintf("$%d", i+2)
	}
	rows, err := q.QueryContext(ctx, `SELECT g.account_id, o.path FROM grants g JOIN orgs o ON o.id = g.org_id
		JOIN accounts a ON a.id = g.account_id
		WHERE a.disabled_at IS NULL AND g.role IN (`+in+`) AND substr($1, 1, length(o.path)) = o.path
		ORDER BY length(o.path) DESC, g.account_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: responsible: %w", err)
	}
	defer rows.Close()
	var out []domain.AccountID
	deepest := ""
	for rows.Next() {
		var id domain.AccountID
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, fmt.Errorf("store: responsible: %w", err)
		}
		if deepest == "" {
			deepest = p
		}
		if p != deepest {
			break
		}
		if len(out) == 0 || out[len(out)-1] != id {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}
