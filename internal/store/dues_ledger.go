package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// DuesMember is a member as the dues ledger lists them, with the figures
// domain.Standing reads: the first month owed and the payments made.
type DuesMember struct {
	PersonID    domain.PersonID
	Name        string
	Status      domain.MemberStatus
	JoinedOn    domain.Date
	HomeOrgID   domain.OrgID
	HomeOrg     string
	MobileOrgID domain.OrgID
	MobileOrg   string
	Start       domain.Month // the first standard's month; zero: none set
	Paid        int          // months paid from Start up to the current month
	LastPaid    domain.Month // the latest month paid before the current one
	PaidNow     bool         // the current month is paid
}

// DuesMemberQuery selects the members of a dues list: probationary and
// full members whose home or mobile organization lies in Scope (the
// actor's dues:read filter; All for the program's own checks) and under
// Org (a path prefix; empty: anywhere), read in month Current.
type DuesMemberQuery struct {
	Scope   authz.OrgFilter
	All     bool
	Org     string
	Current domain.Month
}

// DuesMembers lists the members of q in pinyin order with their ledger
// figures. One row per member: the list of an organization of a few
// thousand members is read whole, so that its counts and the lapsed list
// cover everyone and only the grid is paged.
func DuesMembers(ctx context.Context, q Q, f DuesMemberQuery) ([]DuesMember, error) {
	args := []any{f.Current}
	where := []string{"m.status IN ('probationary', 'full')"}
	if !f.All {
		var home, mobile string
		home, args = f.Scope.SQL("ho.path", args)
		mobile, args = f.Scope.SQL("mo.path", args)
		where = append(where, "("+home+" OR "+mobile+")")
	}
	if f.Org != "" {
		args = append(args, f.Org+"%")
		n := "$" + strconv.Itoa(len(args))
		where = append(where, "(ho.path LIKE "+n+" OR mo.path LIKE "+n+")")
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.name, m.status, m.joined_on, m.home_org_id, ho.name, m.mobile_org_id, mo.name,
		(SELECT MIN(s.from_month) FROM dues_standards s WHERE s.person_id = p.id),
		(SELECT COUNT(*) FROM dues_payments d WHERE d.person_id = p.id AND d.month <= $1),
		(SELECT MAX(d.month) FROM dues_payments d WHERE d.person_id = p.id AND d.month < $1),
		EXISTS (SELECT 1 FROM dues_payments d WHERE d.person_id = p.id AND d.month = $1)
		FROM persons p JOIN memberships m ON m.person_id = p.id
		JOIN orgs ho ON ho.id = m.home_org_id
		LEFT JOIN orgs mo ON mo.id = m.mobile_org_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY p.sort_key, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dues members: %w", err)
	}
	defer rows.Close()
	var out []DuesMember
	for rows.Next() {
		var r DuesMember
		var status string
		var mobileID sql.NullInt64
		var mobileName sql.NullString
		var start, last sql.NullInt64
		if err := rows.Scan(&r.PersonID, &r.Name, &status, &r.JoinedOn, &r.HomeOrgID, &r.HomeOrg, &mobileID, &mobileName,
			&start, &r.Paid, &last, &r.PaidNow); err != nil {
			return nil, fmt.Errorf("store: dues members: %w", err)
		}
		r.Status, r.MobileOrgID, r.MobileOrg = domain.MemberStatus(status), domain.OrgID(mobileID.Int64), mobileName.String
		r.Start, r.LastPaid = domain.Month(start.Int64), domain.Month(last.Int64)
		out = append(out, r)
	}
	return out, rows.Err()
}

// DuesTotal is what the subtree of an organization collected for one
// month: the payments, their sum and the retained share.
type DuesTotal struct {
	Month     domain.Month
	Payments  int
	Collected domain.Money
	Retained  domain.Money
}

// DuesTotals sums the payments collected in the subtree at path for each
// month from from to to that has any.
func DuesTotals(ctx context.Context, q Q, path string, from, to domain.Month) ([]DuesTotal, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.month, COUNT(*), SUM(d.amount), SUM(d.retained) FROM dues_payments d
		JOIN orgs o ON o.id = d.org_id WHERE o.path LIKE $1 AND d.month BETWEEN $2 AND $3 GROUP BY d.month ORDER BY d.month`,
		path+"%", from, to)
	if err != nil {
		return nil, fmt.Errorf("store: dues totals: %w", err)
	}
	defer rows.Close()
	var out []DuesTotal
	for rows.Next() {
		var t DuesTotal
		if err := rows.Scan(&t.Month, &t.Payments, &t.Collected, &t.Retained); err != nil {
			return nil, fmt.Errorf("store: dues totals: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// StandardsToRenew lists, for every probationary and full member who has
// a standard before month m and none from m, the latest of them: the
// declaration the new year's standard is computed from.
func StandardsToRenew(ctx context.Context, q Q, m domain.Month) ([]domain.DuesStandard, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+standardCols+` FROM dues_standards s
		WHERE s.from_month = (SELECT MAX(x.from_month) FROM dues_standards x WHERE x.person_id = s.person_id AND x.from_month < $1)
		AND NOT EXISTS (SELECT 1 FROM dues_standards y WHERE y.person_id = s.person_id AND y.from_month = $1)
		AND EXISTS (SELECT 1 FROM memberships mm WHERE mm.person_id = s.person_id AND mm.status IN ('probationary', 'full'))
		ORDER BY s.person_id`, m)
	if err != nil {
		return nil, fmt.Errorf("store: standards to renew: %w", err)
	}
	return collectStandards(rows)
}

// AddDuesStandardOnce stores a standard unless the member already has one
// from that month (a second server, or a secretary who was quicker), and
// reports whether it did.
func AddDuesStandardOnce(ctx context.Context, q Q, s domain.DuesStandard) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO dues_standards (person_id, from_month, basis, income, amount, note, set_by, set_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (person_id, from_month) DO NOTHING`,
		s.PersonID, s.From, string(s.Basis), s.Income, s.Amount, s.Note, s.SetBy, ts(s.SetAt))
	if err != nil {
		return false, fmt.Errorf("store: add dues standard: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
