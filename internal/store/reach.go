package store

import (
	"context"
	"fmt"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// Reach resolves where an account's grants reach on the civil date today:
// the subtree of each granted organization, and for host-side grants the
// subtrees of the mobile organizations that agreements in force today
// cover, with what those agreements grant. Because the date is a
// parameter, an agreement stops reaching at the first request after the
// midnight that ends it.
func Reach(ctx context.Context, q Q, acc domain.AccountID, today domain.Date) ([]authz.Reach, error) {
	_, reach, err := Access(ctx, q, acc, today)
	return reach, err
}

// Access reads what an account's actor is built from: its grants (as
// Grants) and where they reach on today (as Reach), the grants and their
// organizations in one query, and one more per host-side grant.
func Access(ctx context.Context, q Q, acc domain.AccountID, today domain.Date) ([]domain.Grant, []authz.Reach, error) {
	grants, out, err := grantRows(ctx, q, acc)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range out {
		if g.Side != domain.SideHost {
			continue
		}
		covered, err := agreementReach(ctx, q, g, today)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, covered...)
	}
	return grants, out, nil
}

// agreementReach lists the mobile subtrees that in-force agreements give a
// host-side grant: agreements with a host party at or under the granted
// organization.
func agreementReach(ctx context.Context, q Q, g authz.Reach, today domain.Date) ([]authz.Reach, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT a.id, a.capabilities, mo.id, mo.path
		FROM agreements a
		JOIN agreement_orgs h ON h.agreement_id = a.id AND h.role = 'host'
		JOIN orgs ho ON ho.id = h.org_id
		JOIN agreement_orgs m ON m.agreement_id = a.id AND m.role = 'mobile'
		JOIN orgs mo ON mo.id = m.org_id
		WHERE a.state = 'in_force' AND a.valid_from <= $1 AND a.valid_to >= $1 AND ho.path LIKE $2
		ORDER BY a.id, mo.id`, today, g.Path+"%")
	if err != nil {
		return nil, fmt.Errorf("store: agreement reach: %w", err)
	}
	defer rows.Close()
	var out []authz.Reach
	for rows.Next() {
		r := authz.Reach{Role: g.Role, Side: domain.SideMobile}
		var caps string
		if err := rows.Scan(&r.Agreement, &caps, &r.OrgID, &r.Path); err != nil {
			return nil, err
		}
		r.Caps = splitCaps(caps)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CoveredMobilePaths lists the paths of the mobile organizations that an
// agreement in force on today covers: their whole subtrees are co-managed.
func CoveredMobilePaths(ctx context.Context, q Q, today domain.Date) ([]string, error) {
	return queryStrings(ctx, q, "covered mobile paths", `SELECT DISTINCT mo.path FROM agreements a
		JOIN agreement_orgs m ON m.agreement_id = a.id AND m.role = 'mobile'
		JOIN orgs mo ON mo.id = m.org_id
		WHERE a.state = 'in_force' AND a.valid_from <= $1 AND a.valid_to >= $1 ORDER BY mo.path`, today)
}
