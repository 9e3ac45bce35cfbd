package store

import (
	"context"
	"fmt"

	"gongjian/internal/domain"
)

// MemberCounts counts full and probationary members per organization:
// at an origin organization the members whose formal relationship it holds,
// at a mobile organization the members placed there to take part. only
// limits it to one organization (zero: all), so one page does not count
// the whole county.
func MemberCounts(ctx context.Context, q Q, only domain.OrgID) (map[domain.OrgID]domain.OrgCounts, error) {
	rows, err := q.QueryContext(ctx, `SELECT org, status, COUNT(*) FROM (
			SELECT home_org_id AS org, status FROM memberships WHERE $1 = 0 OR home_org_id = $1
			UNION ALL
			SELECT mobile_org_id AS org, status FROM memberships
			WHERE mobile_org_id IS NOT NULL AND ($1 = 0 OR mobile_org_id = $1)
		) t WHERE status IN ('full', 'probationary') GROUP BY org, status`, only)
	if err != nil {
		return nil, fmt.Errorf("store: member counts: %w", err)
	}
	defer rows.Close()
	out := map[domain.OrgID]domain.OrgCounts{}
	for rows.Next() {
		var org domain.OrgID
		var status string
		var n int
		if err := rows.Scan(&org, &status, &n); err != nil {
			return nil, err
		}
		c := out[org]
		if status == string(domain.StatusFull) {
			c.Full += n
		} else {
			c.Probationary += n
		}
		out[org] = c
	}
	return out, rows.Err()
}
