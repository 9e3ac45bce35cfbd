package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

const orgCols = `o.id, COALESCE(o.parent_id, 0), COALESCE(p.name, ''), o.name, o.short_name, o.side, o.kind, o.status,
	o.region_code, o.industry, o.founded_on, o.phone, o.mailbox, o.path, o.created_at, o.version`

const orgFrom = ` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id`

func scanOrg(row interface{ Scan(...any) error }) (domain.Org, error) {
	var o domain.Org
	var side, kind, status string
	err := row.Scan(&o.ID, &o.ParentID, &o.ParentName, &o.Name, &o.ShortName, &side, &kind, &status,
		&o.RegionCode, &o.Industry, &o.FoundedOn, &o.Phone, &o.Mailbox, &o.Path, &o.CreatedAt, &o.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.ErrNotFound
	}
	if err != nil {
		return o, fmt.Errorf("store: scan org: %w", err)
	}
	o.Side, o.Kind, o.Status = domain.Side(side), domain.OrgKind(kind), domain.OrgStatus(status)
	o.CreatedAt = o.CreatedAt.UTC()
	return o, nil
}

// CreateOrg inserts an organization under its parent (zero: a root) and
// sets its path. The caller has checked kind and side against the parent.
func CreateOrg(ctx context.Context, q Q, o domain.Org, now time.Time) (domain.OrgID, error) {
	if o.Kind == "" {
		o.Kind = domain.KindBranch
	}
	var id domain.OrgID
	err := q.QueryRowContext(ctx, `INSERT INTO orgs (parent_id, name, short_name, side, kind, status, region_code, industry,
		founded_on, phone, mailbox, created_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, $11) RETURNING id`,
		nullOrg(o.ParentID), o.Name, o.ShortName, string(o.Side), string(o.Kind), o.RegionCode, o.Industry, o.FoundedOn,
		o.Phone, o.Mailbox, ts(now)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("name", "org.name_taken", map[string]any{"Name": o.Name})
	}
	if err != nil {
		return 0, fmt.Errorf("store: create org: %w", err)
	}
	if _, err := q.ExecContext(ctx, `UPDATE orgs SET path = COALESCE((SELECT p.path FROM orgs p WHERE p.id = orgs.parent_id), '/')
		|| CAST(id AS TEXT) || '/' WHERE id = $1`, id); err != nil {
		return 0, fmt.Errorf("store: org path: %w", err)
	}
	return id, nil
}

// OrgByID reads one organization, whatever the scope: the service checks
// the policy on what it returns.
func OrgByID(ctx context.Context, q Q, id domain.OrgID) (domain.Org, error) {
	return scanOrg(q.QueryRowContext(ctx, `SELECT `+orgCols+orgFrom+` WHERE o.id = $1`, id))
}

// FindOrg resolves an organization by id (digits), full name or short name.
func FindOrg(ctx context.Context, q Q, ref string) (domain.Org, error) {
	id, _ := strconv.ParseInt(ref, 10, 64)
	return scanOrg(q.QueryRowContext(ctx, `SELECT `+orgCols+orgFrom+`
		WHERE o.id = $1 OR o.name = $2 OR (o.short_name = $2 AND o.short_name <> '') ORDER BY o.id LIMIT 1`, id, ref))
}

// OrgQuery selects organizations for a list.
type OrgQuery struct {
	// Read is the actor's scope for org:read; Agreements its scope for
	// agreement:read, through which host organizations that are parties to
	// visible agreements become visible (mobile ones never: their reach
	// ends with the agreement); AllHosts shows every host-side
	// organization (for those who register counterparties).
	Read, Agreements authz.OrgFilter
	AllHosts         bool
	Side             domain.Side
	Parent           domain.OrgID // direct children of this one
	Under            string       // path prefix: the whole subtree
	Status           domain.OrgStatus
	Name             string // substring of the full or short name
	Limit            int
}

// ListOrgs returns the organizations the query's scope admits, in tree
// order (by path).
func ListOrgs(ctx context.Context, q Q, f OrgQuery) ([]domain.Org, error) {
	var args []any
	read, args := f.Read.SQL("o.path", args)
	viaAgreement, args := f.Agreements.SQL("oo.path", args)
	scope := `(` + read + ` OR o.side = 'host' AND o.id IN (SELECT ao.org_id FROM agreement_orgs ao JOIN agreements a ON a.id = ao.agreement_id
		JOIN orgs oo ON oo.id = a.origin_id WHERE ` + viaAgreement + `)`
	if f.AllHosts {
		scope += ` OR o.side = 'host'`
	}
	where := []string{scope + `)`}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Side != "" {
		add("o.side = ?", string(f.Side))
	}
	if f.Parent != 0 {
		add("o.parent_id = ?", f.Parent)
	}
	if f.Under != "" {
		add("o.path LIKE ?", f.Under+"%")
	}
	if f.Status != "" {
		add("o.status = ?", string(f.Status))
	}
	if f.Name != "" {
		add("(o.name LIKE ? OR o.short_name LIKE ?)", "%"+escapeLike(f.Name)+"%")
	}
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 5000
	}
	args = append(args, f.Limit)
	rows, err := q.QueryContext(ctx, `SELECT `+orgCols+orgFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY o.path LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list orgs: %w", err)
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// likeWildcards drops LIKE's wildcards from a text matched literally.
var likeWildcards = strings.NewReplacer("%", "", "_", "")

func escapeLike(s string) string { return likeWildcards.Replace(s) }

// UpdateOrg writes the editable fields of an organization if its version
// is still o.Version.
func UpdateOrg(ctx context.Context, q Q, o domain.Org) error {
	err := exec1(ctx, q, "update org", `UPDATE orgs SET name = $3, short_name = $4, region_code = $5, industry = $6,
		founded_on = $7, phone = $8, mailbox = $9, version = version + 1 WHERE id = $1 AND version = $2`,
		o.ID, o.Version, o.Name, o.ShortName, o.RegionCode, o.Industry, o.FoundedOn, o.Phone, o.Mailbox)
	if isUnique(err) {
		return domain.Conflict("name", "org.name_taken", map[string]any{"Name": o.Name})
	}
	return err
}

// SetOrgKind changes an organization's kind (an upgrade).
func SetOrgKind(ctx context.Context, q Q, id domain.OrgID, version int64, kind domain.OrgKind) error {
	return exec1(ctx, q, "set org kind", `UPDATE orgs SET kind = $3, version = version + 1 WHERE id = $1 AND version = $2`,
		id, version, string(kind))
}

// SetOrgStatus marks an organization merged or dissolved.
func SetOrgStatus(ctx context.Context, q Q, id domain.OrgID, version int64, status domain.OrgStatus) error {
	return exec1(ctx, q, "set org status", `UPDATE orgs SET status = $3, version = version + 1 WHERE id = $1 AND version = $2`,
		id, version, string(status))
}

// MoveChildren re-parents every child of from under to and rewrites the
// paths of the whole moved subtree (a merge).
func MoveChildren(ctx context.Context, q Q, from, to domain.Org) error {
	if _, err := q.ExecContext(ctx, `UPDATE orgs SET path = $1 || SUBSTR(path, $2) WHERE path LIKE $3 AND id <> $4`,
		to.Path, len(from.Path)+1, from.Path+"%", from.ID); err != nil {
		return fmt.Errorf("store: move subtree: %w", err)
	}
	if _, err := q.ExecContext(ctx, `UPDATE orgs SET parent_id = $1 WHERE parent_id = $2`, to.ID, from.ID); err != nil {
		return fmt.Errorf("store: move children: %w", err)
	}
	return nil
}

// CountOrgs returns how many organizations exist.
func CountOrgs(ctx context.Context, q Q) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&n)
	return n, err
}
