package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// The lost-contact check and its lists, in set-based SQL: one statement
// reads the changes, one writes their events and one writes the states,
// whatever the number of members, so a register of 200,000 people costs
// three statements, not 200,000 round trips.

// registeredOn is the Beijing date a person was registered, the last
// contact of a member nobody has reached yet.
func registeredOn(d Dialect) string {
	if d == Postgres {
		return `CAST(p.created_at AT TIME ZONE 'Asia/Shanghai' AS DATE)`
	}
	return `date(substr(p.created_at, 1, 19), '+8 hours')` // stored as Go's UTC text
}

// lastContact is a member's latest reached contact, or the registration.
func lastContact(d Dialect) string {
	return `COALESCE(m.last_contact_on, ` + registeredOn(d) + `)`
}

// nextState is the state a membership reads on the check's day: $1 and
// $2 are the at-risk and lost cutoffs. Only members (probationary, full)
// can lose contact.
func nextState(d Dialect) string {
	last := lastContact(d)
	return `CASE WHEN m.status NOT IN ('probationary', 'full') THEN 'ok'
		WHEN ` + last + ` <= $2 THEN 'lost' WHEN ` + last + ` <= $1 THEN 'at_risk' ELSE 'ok' END`
}

// changedStates selects (person_id, home, mobile, cur, nxt) for every
// membership whose state moves.
func changedStates(d Dialect) string {
	return `SELECT person_id, home, mobile, cur, nxt FROM (SELECT m.person_id, m.home_org_id AS home, m.mobile_org_id AS mobile,
		m.contact_state AS cur, ` + nextState(d) + ` AS nxt FROM memberships m JOIN persons p ON p.id = m.person_id) x
		WHERE nxt <> cur`
}

// StateChange counts the members of one home and mobile organization that
// moved from one contact state to another in a run.
type StateChange struct {
	HomeOrgID   domain.OrgID
	MobileOrgID domain.OrgID // zero: not placed
	From, To    domain.ContactState
	Count       int
}

// ApplyContactStates reads every membership against the cutoffs, records
// a "contact_state" event for each one whose state changes and writes the
// new states (dated today); it returns the changes counted by
// organization and transition.
func ApplyContactStates(ctx context.Context, tx Tx, atRiskOn, lostOn, today domain.Date, actor string, now time.Time) ([]StateChange, error) {
	changed := changedStates(tx.Dialect())
	rows, err := tx.QueryContext(ctx, `SELECT home, mobile, cur, nxt, COUNT(*) FROM (`+changed+`) c
		GROUP BY home, mobile, cur, nxt ORDER BY home, mobile, cur, nxt`, atRiskOn, lostOn)
	if err != nil {
		return nil, fmt.Errorf("store: contact states: %w", err)
	}
	var out []StateChange
	for rows.Next() {
		var c StateChange
		var mobile *int64
		if err := rows.Scan(&c.HomeOrgID, &mobile, &c.From, &c.To, &c.Count); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: contact states: %w", err)
		}
		if mobile != nil {
			c.MobileOrgID = domain.OrgID(*mobile)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO person_events (person_id, kind, on_date, detail, actor_name, recorded_at)
		SELECT person_id, 'contact_state', $3, '{"from":"' || cur || '","to":"' || nxt || '"}', $4, $5 FROM (`+changed+`) c`,
		atRiskOn, lostOn, today, actor, ts(now)); err != nil {
		return nil, fmt.Errorf("store: contact state events: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE memberships SET contact_state = c.nxt, contact_state_on = $3
		FROM (`+changed+`) c WHERE c.person_id = memberships.person_id`, atRiskOn, lostOn, today); err != nil {
		return nil, fmt.Errorf("store: contact states: %w", err)
	}
	return out, nil
}

// SetContactState writes one member's state, as a reached contact does
// at once.
func SetContactState(ctx context.Context, q Q, id domain.PersonID, state domain.ContactState, on domain.Date) error {
	return exec1(ctx, q, "set contact state", `UPDATE memberships SET contact_state = $2, contact_state_on = $3
		WHERE person_id = $1`, id, string(state), on)
}

// ContactWarning is one flagged member in a list: the state and since
// when, the last known contact and the steps taken since (attempts that
// did not reach the member).
type ContactWarning struct {
	PersonID      domain.PersonID
	Name          string
	Status        domain.MemberStatus
	HomeOrgID     domain.OrgID
	HomeOrgName   string
	MobileOrgID   domain.OrgID
	MobileOrgName string
	State         domain.ContactState
	StateOn       domain.Date
	LastContactOn domain.Date // the latest reached contact, or the registration
	LastChannel   string      // its channel; empty: none recorded (registration)
	Attempts      int         // failed attempts since the last contact
	AttemptOn     domain.Date // the latest of them
	AttemptWith   string      // its channel
	AttemptNote   string
}

// ContactWarningQuery selects flagged members. Scope is the actor's
// person:read filter, applied to the origin, home and mobile
// organization: the home side sees its members, the mobile and host side
// those placed in the organizations it reaches.
type ContactWarningQuery struct {
	Scope  authz.OrgFilter
	State  domain.ContactState // at_risk or lost; empty: both
	Org    string              // path prefix: the home or mobile organization lies under it
	Offset int
	Limit  int
}

func warningWhere(f ContactWarningQuery) (string, []any) {
	var args []any
	origin, args := f.Scope.SQL("oo.path", args)
	home, args := f.Scope.SQL("ho.path", args)
	mobile, args := f.Scope.SQL("mo.path", args)
	where := []string{"(" + origin + " OR " + home + " OR " + mobile + ")", "m.contact_state IN ('at_risk', 'lost')"}
	if f.State != "" {
		args = append(args, string(f.State))
		where = append(where, "m.contact_state = $"+strconv.Itoa(len(args)))
	}
	if f.Org != "" {
		args = append(args, f.Org+"%")
		n := "$" + strconv.Itoa(len(args))
		where = append(where, "(ho.path LIKE "+n+" OR mo.path LIKE "+n+")")
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ContactWarnings lists one page of flagged members, longest without
// contact first.
func ContactWarnings(ctx context.Context, q Q, d Dialect, f ContactWarningQuery) ([]ContactWarning, error) {
	where, args := warningWhere(f)
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 50
	}
	args = append(args, f.Limit, max(f.Offset, 0))
	failed := `FROM person_contacts c WHERE c.person_id = p.id AND NOT c.reached
		AND (m.last_contact_on IS NULL OR c.on_date >= m.last_contact_on)`
	latest := failed + ` ORDER BY c.on_date DESC, c.id DESC LIMIT 1`
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.name, m.status, m.home_org_id, ho.name, COALESCE(m.mobile_org_id, 0),
		COALESCE(mo.name, ''), m.contact_state, m.contact_state_on, `+lastContact(d)+`,
		COALESCE((SELECT c.channel FROM person_contacts c WHERE c.person_id = p.id AND c.reached
			ORDER BY c.on_date DESC, c.id DESC LIMIT 1), ''),
		(SELECT COUNT(*) `+failed+`), (SELECT c.on_date `+latest+`), COALESCE((SELECT c.channel `+latest+`), ''),
		COALESCE((SELECT c.note `+latest+`), '')`+personFrom+where+
		` ORDER BY `+lastContact(d)+`, p.sort_key, p.id LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: contact warnings: %w", err)
	}
	defer rows.Close()
	var out []ContactWarning
	for rows.Next() {
		var w ContactWarning
		if err := rows.Scan(&w.PersonID, &w.Name, &w.Status, &w.HomeOrgID, &w.HomeOrgName, &w.MobileOrgID, &w.MobileOrgName,
			&w.State, &w.StateOn, &w.LastContactOn, &w.LastChannel, &w.Attempts, &w.AttemptOn, &w.AttemptWith,
			&w.AttemptNote); err != nil {
			return nil, fmt.Errorf("store: contact warnings: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// CountContactWarnings counts what ContactWarnings pages through, by
// state.
func CountContactWarnings(ctx context.Context, q Q, f ContactWarningQuery) (atRisk, lost int, err error) {
	where, args := warningWhere(f)
	err = q.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN m.contact_state = 'at_risk' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.contact_state = 'lost' THEN 1 ELSE 0 END), 0)`+personFrom+where, args...).Scan(&atRisk, &lost)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count contact warnings: %w", err)
	}
	return atRisk, lost, nil
}

// RootOrgs are the organizations of a side that have no parent (the
// county committee on the origin side).
func RootOrgs(ctx context.Context, q Q, side domain.Side) ([]domain.Org, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+orgCols+orgFrom+` WHERE o.parent_id IS NULL AND o.side = $1 ORDER BY o.id`, string(side))
	if err != nil {
		return nil, fmt.Errorf("store: root orgs: %w", err)
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
