package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/domain"
)

// Party dues: standards, payments and closed months (migration 00012).
// Ledger reads by organization live in dues_ledger.go.

const standardCols = `id, person_id, from_month, basis, income, amount, note, set_by, set_at`

func scanStandard(row interface{ Scan(...any) error }) (domain.DuesStandard, error) {
	var s domain.DuesStandard
	var basis string
	err := row.Scan(&s.ID, &s.PersonID, &s.From, &basis, &s.Income, &s.Amount, &s.Note, &s.SetBy, &s.SetAt)
	s.Basis, s.SetAt = domain.DuesBasis(basis), s.SetAt.UTC()
	return s, err
}

// PutDuesStandard stores a member's standard from its month, replacing one
// that starts in the same month (a correction), and returns the one it
// replaced (nil: none).
func PutDuesStandard(ctx context.Context, q Q, s domain.DuesStandard) (*domain.DuesStandard, error) {
	old, err := scanStandard(q.QueryRowContext(ctx, `SELECT `+standardCols+` FROM dues_standards
		WHERE person_id = $1 AND from_month = $2`, s.PersonID, s.From))
	var prev *domain.DuesStandard
	switch {
	case err == nil:
		prev = &old
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("store: dues standard: %w", err)
	}
	_, err = q.ExecContext(ctx, `INSERT INTO dues_standards (person_id, from_month, basis, income, amount, note, set_by, set_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (person_id, from_month) DO UPDATE SET basis = excluded.basis,
		income = excluded.income, amount = excluded.amount, note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at`,
		s.PersonID, s.From, string(s.Basis), s.Income, s.Amount, s.Note, s.SetBy, ts(s.SetAt))
	if err != nil {
		return nil, fmt.Errorf("store: put dues standard: %w", err)
	}
	return prev, nil
}

// DuesStandards lists a member's standards, latest first.
func DuesStandards(ctx context.Context, q Q, person domain.PersonID) ([]domain.DuesStandard, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+standardCols+` FROM dues_standards WHERE person_id = $1 ORDER BY from_month DESC`, person)
	if err != nil {
		return nil, fmt.Errorf("store: dues standards: %w", err)
	}
	return collectStandards(rows)
}

// DuesStandardsOf lists the standards of several members, for a grid.
func DuesStandardsOf(ctx context.Context, q Q, persons []domain.PersonID) (map[domain.PersonID][]domain.DuesStandard, error) {
	out := map[domain.PersonID][]domain.DuesStandard{}
	if len(persons) == 0 {
		return out, nil
	}
	in, args := idList(persons, nil)
	rows, err := q.QueryContext(ctx, `SELECT `+standardCols+` FROM dues_standards WHERE person_id IN (`+in+`) ORDER BY from_month DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dues standards: %w", err)
	}
	list, err := collectStandards(rows)
	for _, s := range list {
		out[s.PersonID] = append(out[s.PersonID], s)
	}
	return out, err
}

func collectStandards(rows *sql.Rows) ([]domain.DuesStandard, error) {
	defer rows.Close()
	var out []domain.DuesStandard
	for rows.Next() {
		s, err := scanStandard(rows)
		if err != nil {
			return nil, fmt.Errorf("store: dues standards: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// idList renders ids as placeholders numbered after args.
func idList[T ~int64](ids []T, args []any) (string, []any) {
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, int64(id))
		ph[i] = "$" + strconv.Itoa(len(args))
	}
	return strings.Join(ph, ", "), args
}

// AddDuesPayment records one month's payment. A second payment for the
// same member and month is a conflict on "months".
func AddDuesPayment(ctx context.Context, q Q, p domain.DuesPayment) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO dues_payments (person_id, month, amount, standard, retained, channel, paid_on, org_id,
		side, hardship, backpay, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		RETURNING id`, p.PersonID, p.Month, p.Amount, p.Standard, p.Retained, string(p.Channel), p.PaidOn, p.OrgID, string(p.Side),
		p.Hardship, p.BackPay, p.Note, p.RecordedBy, ts(p.RecordedAt)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("months", "dues.month_paid", map[string]any{"Month": p.Month.String()})
	}
	if err != nil {
		return 0, fmt.Errorf("store: add dues payment: %w", err)
	}
	return id, nil
}

const paymentCols = `d.id, d.person_id, pp.name, d.month, d.amount, d.standard, d.retained, d.channel, d.paid_on, d.org_id, o.name, d.side,
	d.hardship, d.backpay, d.note, d.recorded_by, d.recorded_at`

const paymentFrom = ` FROM dues_payments d JOIN orgs o ON o.id = d.org_id JOIN persons pp ON pp.id = d.person_id`

func collectPayments(rows *sql.Rows, err error) ([]domain.DuesPayment, error) {
	if err != nil {
		return nil, fmt.Errorf("store: dues payments: %w", err)
	}
	defer rows.Close()
	var out []domain.DuesPayment
	for rows.Next() {
		var p domain.DuesPayment
		var channel, side string
		if err := rows.Scan(&p.ID, &p.PersonID, &p.PersonName, &p.Month, &p.Amount, &p.Standard, &p.Retained, &channel, &p.PaidOn, &p.OrgID,
			&p.OrgName, &side, &p.Hardship, &p.BackPay, &p.Note, &p.RecordedBy, &p.RecordedAt); err != nil {
			return nil, fmt.Errorf("store: dues payments: %w", err)
		}
		p.Channel, p.Side, p.RecordedAt = domain.PayChannel(channel), domain.Side(side), p.RecordedAt.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// DuesPayments lists a member's payments, latest month first.
func DuesPayments(ctx context.Context, q Q, person domain.PersonID) ([]domain.DuesPayment, error) {
	return collectPayments(q.QueryContext(ctx, `SELECT `+paymentCols+paymentFrom+` WHERE d.person_id = $1 ORDER BY d.month DESC`, person))
}

// DuesPaymentOf reads a member's payment for one month (not found: none).
func DuesPaymentOf(ctx context.Context, q Q, person domain.PersonID, m domain.Month) (domain.DuesPayment, error) {
	list, err := collectPayments(q.QueryContext(ctx, `SELECT `+paymentCols+paymentFrom+` WHERE d.person_id = $1 AND d.month = $2`, person, m))
	if err != nil {
		return domain.DuesPayment{}, err
	}
	if len(list) == 0 {
		return domain.DuesPayment{}, domain.ErrNotFound
	}
	return list[0], nil
}

// RemoveDuesPayment deletes one payment by id (a correction: the service
// audits every value it held first) and reports whether it was there: a
// second server may have removed it since it was read.
func RemoveDuesPayment(ctx context.Context, q Q, id int64) (bool, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM dues_payments WHERE id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("store: remove dues payment: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DuesPaymentsOf lists the payments of several members for the months
// from to to, for a grid.
func DuesPaymentsOf(ctx context.Context, q Q, persons []domain.PersonID, from, to domain.Month) ([]domain.DuesPayment, error) {
	if len(persons) == 0 {
		return nil, nil
	}
	in, args := idList(persons, []any{from, to})
	return collectPayments(q.QueryContext(ctx, `SELECT `+paymentCols+paymentFrom+` WHERE d.month BETWEEN $1 AND $2
		AND d.person_id IN (`+in+`) ORDER BY d.person_id, d.month`, args...))
}

// DuesPaymentsCollected lists the payments collected in the subtree at
// path for the months from to to, by month and member: the ledger an
// export hands to the funds side.
func DuesPaymentsCollected(ctx context.Context, q Q, path string, from, to domain.Month) ([]domain.DuesPayment, error) {
	return collectPayments(q.QueryContext(ctx, `SELECT `+paymentCols+paymentFrom+` WHERE o.path LIKE $1 AND d.month BETWEEN $2 AND $3
		ORDER BY d.month, d.person_id`, path+"%", from, to))
}

// CloseDuesMonth closes a month for an organization; closing it twice is
// a conflict.
func CloseDuesMonth(ctx context.Context, q Q, org domain.OrgID, m domain.Month, by string, at time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO dues_closed_months (org_id, month, closed_by, closed_at) VALUES ($1, $2, $3, $4)`,
		org, m, by, ts(at))
	if isUnique(err) {
		return domain.Conflict("month", "dues.month_already_closed", map[string]any{"Month": m.String()})
	}
	if err != nil {
		return fmt.Errorf("store: close dues month: %w", err)
	}
	return nil
}

// Closing a month and collecting or voiding in it take turns: on
// PostgreSQL, at read committed, a payment could read "not closed" while a
// closing committed, and be recorded in a closed month. A closing locks
// its organization's row (LockDuesClosing), a payment or a void shares
// the rows of its organization and of every one above it (ShareDuesOrgs)
// before it reads the closed months, so one waits for the other. SQLite
// runs one write transaction at a time already.

// LockDuesClosing locks org's row for a closing or a reopening.
func LockDuesClosing(ctx context.Context, tx Tx, org domain.OrgID) error {
	if tx.Dialect() != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT id FROM orgs WHERE id = $1 FOR UPDATE`, org)
	return err
}

// ShareDuesOrgs shares the rows of the organization at path and of those
// above it, for a payment or a void about to read the closed months.
func ShareDuesOrgs(ctx context.Context, tx Tx, path string) error {
	if tx.Dialect() != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT id FROM orgs WHERE $1 LIKE path || '%' ORDER BY id FOR SHARE`, path)
	return err
}

// ClosedDuesMonths tells which months from from to to are closed for the
// organization at path, by itself or by an organization above it, with
// the name of the one that closed each.
func ClosedDuesMonths(ctx context.Context, q Q, path string, from, to domain.Month) (map[domain.Month]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.month, o.name FROM dues_closed_months c JOIN orgs o ON o.id = c.org_id
		WHERE c.month BETWEEN $1 AND $2 AND $3 LIKE o.path || '%' ORDER BY o.path DESC`, from, to, path)
	if err != nil {
		return nil, fmt.Errorf("store: closed dues months: %w", err)
	}
	defer rows.Close()
	out := map[domain.Month]string{}
	for rows.Next() {
		var m domain.Month
		var name string
		if err := rows.Scan(&m, &name); err != nil {
			return nil, fmt.Errorf("store: closed dues months: %w", err)
		}
		if _, ok := out[m]; !ok {
			out[m] = name // the nearest organization that closed it
		}
	}
	return out, rows.Err()
}

// DuesClosing is an organization's own closing of a month.
type DuesClosing struct {
	Month    domain.Month
	ClosedBy string
	ClosedAt time.Time
}

// DuesClosings lists the months from from to to that the organization
// itself closed (not those closed above it), oldest first.
func DuesClosings(ctx context.Context, q Q, org domain.OrgID, from, to domain.Month) ([]DuesClosing, error) {
	rows, err := q.QueryContext(ctx, `SELECT month, closed_by, closed_at FROM dues_closed_months WHERE org_id = $1 AND month BETWEEN $2 AND $3
		ORDER BY month`, org, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: dues closings: %w", err)
	}
	defer rows.Close()
	var out []DuesClosing
	for rows.Next() {
		var c DuesClosing
		if err := rows.Scan(&c.Month, &c.ClosedBy, &c.ClosedAt); err != nil {
			return nil, fmt.Errorf("store: dues closings: %w", err)
		}
		c.ClosedAt = c.ClosedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// ReopenDuesMonth removes the organization's own closing of a month and
// reports whether there was one.
func ReopenDuesMonth(ctx context.Context, q Q, org domain.OrgID, m domain.Month) (bool, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM dues_closed_months WHERE org_id = $1 AND month = $2`, org, m)
	if err != nil {
		return false, fmt.Errorf("store: reopen dues month: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
