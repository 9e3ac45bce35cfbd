package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// The reads behind the rhythm of organizational life and the attendance
// rates: held meetings counted by organization, kind and day; full
// members per mobile organization (the committee rule binds a branch from
// seven); attendance lines tallied by status for a person or an
// organization's subtree; and the members whose absences without reason
// run unbroken past the cutoff (party-rules.md §2.4). The meetings and
// their sheets are written elsewhere (the meetings' own store file); these
// queries only read them.

// HeldCount is how many meetings of a kind an organization held on a day.
type HeldCount struct {
	OrgID domain.OrgID
	Kind  domain.MeetingKind
	On    domain.Date
	Count int
}

// HeldQuery selects held meetings: those of the organizations the scope
// admits, on one side, under a path (or of one organization), of some
// kinds (none: every kind), held between From and To.
type HeldQuery struct {
	Scope    authz.OrgFilter
	Side     domain.Side
	Under    string
	OrgID    domain.OrgID
	Kinds    []domain.MeetingKind
	From, To domain.Date
}

// HeldMeetings counts the held meetings q selects, by organization, kind
// and day: one row per day with meetings, so three years of a county's
// meetings are a few thousand rows.
func HeldMeetings(ctx context.Context, q Q, f HeldQuery) ([]HeldCount, error) {
	args := []any{f.From, f.To}
	scope, args := f.Scope.SQL("o.path", args)
	where := []string{"m.state = 'held'", "m.held_on >= $1", "m.held_on <= $2", scope}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Side != "" {
		add("o.side = ?", string(f.Side))
	}
	if f.Under != "" {
		add("o.path LIKE ?", f.Under+"%")
	}
	if f.OrgID != 0 {
		add("m.org_id = ?", f.OrgID)
	}
	if len(f.Kinds) > 0 {
		in := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			args = append(args, string(k))
			in[i] = "$" + strconv.Itoa(len(args))
		}
		where = append(where, "m.kind IN ("+strings.Join(in, ", ")+")")
	}
	rows, err := q.QueryContext(ctx, `SELECT m.org_id, m.kind, m.held_on, COUNT(*) FROM meetings m JOIN orgs o ON o.id = m.org_id
		WHERE `+strings.Join(where, " AND ")+` GROUP BY m.org_id, m.kind, m.held_on`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: held meetings: %w", err)
	}
	defer rows.Close()
	var out []HeldCount
	for rows.Next() {
		var h HeldCount
		if err := rows.Scan(&h.OrgID, &h.Kind, &h.On, &h.Count); err != nil {
			return nil, fmt.Errorf("store: held meetings: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// FullPlaced counts the full members placed in each mobile organization
// (the members who take part there), from the placement index alone.
func FullPlaced(ctx context.Context, q Q) (map[domain.OrgID]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT mobile_org_id, COUNT(*) FROM memberships
		WHERE mobile_org_id IS NOT NULL AND status = 'full' GROUP BY mobile_org_id`)
	if err != nil {
		return nil, fmt.Errorf("store: full placed: %w", err)
	}
	defer rows.Close()
	out := map[domain.OrgID]int{}
	for rows.Next() {
		var id domain.OrgID
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: full placed: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// TallyQuery selects attendance lines: a member's own (Person), or those
// of the meetings of the organizations under a path; only expected lines
// of held meetings between From and To count.
type TallyQuery struct {
	Person   domain.PersonID
	Under    string
	From, To domain.Date
}

// linesFrom is the FROM and WHERE of the lines a TallyQuery selects.
func (f TallyQuery) linesFrom() (string, []any) {
	args := []any{f.From, f.To}
	sql := ` FROM meeting_attendance ma JOIN meetings m ON m.id = ma.meeting_id`
	where := ` WHERE ma.expected AND m.state = 'held' AND m.held_on >= $1 AND m.held_on <= $2`
	if f.Person != 0 {
		args = append(args, f.Person)
		where += ` AND ma.person_id = $3`
	} else {
		args = append(args, f.Under+"%")
		sql += ` JOIN orgs o ON o.id = m.org_id`
		where += ` AND o.path LIKE $3`
	}
	return sql + where, args
}

// Tally counts the lines f selects by status.
func Tally(ctx context.Context, q Q, f TallyQuery) (domain.Tally, error) {
	var t domain.Tally
	from, args := f.linesFrom()
	rows, err := q.QueryContext(ctx, `SELECT ma.status, COUNT(*)`+from+` GROUP BY ma.status`, args...)
	if err != nil {
		return t, fmt.Errorf("store: tally: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return t, fmt.Errorf("store: tally: %w", err)
		}
		t.Add(domain.AttendanceStatus(s), n)
	}
	return t, rows.Err()
}

// MemberTally is one member's attendance at an organization's meetings.
type MemberTally struct {
	PersonID domain.PersonID
	Name     string
	domain.Tally
}

// MemberTallies tallies, member by member, the lines f selects (f.Under:
// an organization's meetings), in the order of the register. One row per
// member with a count per status, so the database groups by member alone.
func MemberTallies(ctx context.Context, q Q, f TallyQuery) ([]MemberTally, error) {
	from, args := f.linesFrom()
	count := func(s domain.AttendanceStatus) string {
		return `SUM(CASE WHEN ma.status = '` + string(s) + `' THEN 1 ELSE 0 END)`
	}
	rows, err := q.QueryContext(ctx, `SELECT x.person_id, p.name, x.n, x.present, x.leave, x.excused, x.absent FROM (
		SELECT ma.person_id, COUNT(*) AS n, `+count(domain.AttendPresent)+` AS present, `+count(domain.AttendLeave)+` AS leave, `+
		count(domain.AttendExcused)+` AS excused, `+count(domain.AttendAbsent)+` AS absent`+from+` GROUP BY ma.person_id) x
		JOIN persons p ON p.id = x.person_id ORDER BY p.sort_key, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: member tallies: %w", err)
	}
	defer rows.Close()
	var out []MemberTally
	for rows.Next() {
		var m MemberTally
		if err := rows.Scan(&m.PersonID, &m.Name, &m.Expected, &m.Present, &m.Leave, &m.Excused, &m.Absent); err != nil {
			return nil, fmt.Errorf("store: member tallies: %w", err)
		}
		m.Unmarked = m.Expected - m.Present - m.Leave - m.Excused - m.Absent
		out = append(out, m)
	}
	return out, rows.Err()
}

// absenceRuns selects (person_id, since, last_absent, missed) for every
// member whose expected lines at held meetings, since the last one they
// attended or were excused from (on leave, excused), are all absences,
// the first on or before the cutoff ($1) and at least one after it: an
// unbroken run of absences without reason that spans the whole period.
// Unmarked lines are no evidence either way and are skipped. $2 is today;
// person, when not empty, narrows the lines to one member's.
//
// Only the meetings after the cutoff are read for everyone: a member
// answered at any of them, or expected at none, cannot be flagged. The
// few left (candidates) have their whole history read, once, from their
// own lines (own) to the meetings: the CTEs are MATERIALIZED, since a
// planner that inlines lines into its two readers (SQLite 3.4x does)
// scans every member's lines to find the candidates', and one without
// statistics (PostgreSQL after a bulk load) walks every held meeting for
// each candidate (decision 0013).
func absenceRuns(person string) string {
	line := `ma.expected AND m.state = 'held' AND ma.status <> 'unmarked'`
	return `WITH candidates AS MATERIALIZED (
		SELECT ma.person_id FROM meetings m JOIN meeting_attendance ma ON ma.meeting_id = m.id
		WHERE ` + line + ` AND m.held_on > $1 AND m.held_on <= $2` + person + `
		GROUP BY ma.person_id HAVING MIN(CASE WHEN ma.status = 'absent' THEN 1 ELSE 0 END) = 1),
	own AS MATERIALIZED (
		SELECT ma.person_id, ma.meeting_id, ma.status FROM candidates c JOIN meeting_attendance ma ON ma.person_id = c.person_id
		WHERE ma.expected AND ma.status <> 'unmarked'),
	lines AS MATERIALIZED (
		SELECT o.person_id, m.held_on, o.status FROM own o JOIN meetings m ON m.id = o.meeting_id
		WHERE m.state = 'held' AND m.held_on <= $2),
	answered AS (SELECT person_id, MAX(held_on) AS last_ok FROM lines WHERE status <> 'absent' GROUP BY person_id),
	runs AS (
		SELECT l.person_id, MIN(l.held_on) AS since, MAX(l.held_on) AS last_absent, COUNT(*) AS missed
		FROM lines l LEFT JOIN answered a ON a.person_id = l.person_id
		WHERE l.status = 'absent' AND (a.last_ok IS NULL OR l.held_on > a.last_ok)
		GROUP BY l.person_id HAVING MIN(l.held_on) <= $1 AND MAX(l.held_on) > $1)`
}

// AbsenceFlag is one member absent without reason from every meeting they
// were expected at since Since.
type AbsenceFlag struct {
	PersonID      domain.PersonID
	Name          string
	Status        domain.MemberStatus
	HomeOrgID     domain.OrgID
	HomeOrgName   string
	MobileOrgID   domain.OrgID
	MobileOrgName string
	Since         domain.Date // the first absence of the run
	LastAbsent    domain.Date // the latest
	Missed        int         // meetings missed in the run
}

// AbsenceQuery selects flagged members. Scope is the actor's person:read
// filter on the origin, home and mobile organization, as for the
// lost-contact list; the zero filter of the scheduled check is replaced by
// All.
type AbsenceQuery struct {
	Scope  authz.OrgFilter
	All    bool // the program's own check: no scope
	Person domain.PersonID
	Org    string
	Cutoff domain.Date
	Today  domain.Date
	Offset int
	Limit  int
}

// query is the CTE and the FROM … WHERE of the flags f selects.
func (f AbsenceQuery) query() (cte, from string, args []any) {
	args = []any{f.Cutoff, f.Today}
	person := ""
	if f.Person != 0 {
		args = append(args, f.Person)
		person = " AND ma.person_id = $3"
	}
	where := []string{"m.status IN ('probationary', 'full')"}
	if !f.All {
		var origin, home, mobile string
		origin, args = f.Scope.SQL("oo.path", args)
		home, args = f.Scope.SQL("ho.path", args)
		mobile, args = f.Scope.SQL("mo.path", args)
		where = append(where, "("+origin+" OR "+home+" OR "+mobile+")")
	}
	if f.Org != "" {
		args = append(args, f.Org+"%")
		n := "$" + strconv.Itoa(len(args))
		where = append(where, "(ho.path LIKE "+n+" OR mo.path LIKE "+n+")")
	}
	return absenceRuns(person), ` FROM runs r JOIN persons p ON p.id = r.person_id JOIN orgs oo ON oo.id = p.origin_org_id
		JOIN memberships m ON m.person_id = p.id JOIN orgs ho ON ho.id = m.home_org_id
		LEFT JOIN orgs mo ON mo.id = m.mobile_org_id WHERE ` + strings.Join(where, " AND "), args
}

// AbsenceFlags lists one page of flagged members, the longest run first.
func AbsenceFlags(ctx context.Context, q Q, f AbsenceQuery) ([]AbsenceFlag, error) {
	cte, from, args := f.query()
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 50
	}
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := q.QueryContext(ctx, cte+` SELECT p.id, p.name, m.status, m.home_org_id, ho.name, COALESCE(m.mobile_org_id, 0),
		COALESCE(mo.name, ''), r.since, r.last_absent, r.missed`+from+` ORDER BY r.since, p.sort_key, p.id
		LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: absence flags: %w", err)
	}
	defer rows.Close()
	var out []AbsenceFlag
	for rows.Next() {
		var a AbsenceFlag
		if err := rows.Scan(&a.PersonID, &a.Name, &a.Status, &a.HomeOrgID, &a.HomeOrgName, &a.MobileOrgID, &a.MobileOrgName,
			&a.Since, &a.LastAbsent, &a.Missed); err != nil {
			return nil, fmt.Errorf("store: absence flags: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountAbsenceFlags counts what AbsenceFlags pages through.
func CountAbsenceFlags(ctx context.Context, q Q, f AbsenceQuery) (int, error) {
	cte, from, args := f.query()
	var n int
	if err := q.QueryRowContext(ctx, cte+` SELECT COUNT(*)`+from, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count absence flags: %w", err)
	}
	return n, nil
}
