package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// Meetings, their attendance sheets and the members a meeting expects.
// The rhythm checks and attendance rates of a later part read the same
// tables: held meetings by organization and day (meetings_org), and each
// person's lines (meeting_attendance_person).

const meetingCols = `m.id, m.org_id, o.name, o.path, m.kind, m.state, m.starts_at, m.ends_at, m.held_on, m.place, m.online,
	m.topic, m.organizer, COALESCE(m.co_org_id, 0), COALESCE(c.name, ''), COALESCE(c.path, ''), m.minutes, m.decisions, m.created_by,
	m.created_at, m.updated_at, m.version`

const meetingFrom = ` FROM meetings m JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs c ON c.id = m.co_org_id`

func scanMeeting(row interface{ Scan(...any) error }, extra ...any) (domain.Meeting, error) {
	var m domain.Meeting
	var kind, state string
	var ends sql.NullTime
	dest := []any{&m.ID, &m.OrgID, &m.OrgName, &m.OrgPath, &kind, &state, &m.StartsAt, &ends, &m.HeldOn, &m.Place, &m.Online,
		&m.Topic, &m.Organizer, &m.CoOrgID, &m.CoOrgName, &m.CoOrgPath, &m.Minutes, &m.Decisions, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt, &m.Version}
	err := row.Scan(append(dest, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return m, domain.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("store: scan meeting: %w", err)
	}
	m.Kind, m.State = domain.MeetingKind(kind), domain.MeetingState(state)
	m.StartsAt, m.CreatedAt, m.UpdatedAt = m.StartsAt.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	if ends.Valid {
		m.EndsAt = ends.Time.UTC()
	}
	return m, nil
}

// tsOrNull is ts for an optional instant, NULL when zero.
func tsOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// CreateMeeting inserts a planned meeting.
func CreateMeeting(ctx context.Context, q Q, m domain.Meeting, now time.Time) (domain.MeetingID, error) {
	var id domain.MeetingID
	err := q.QueryRowContext(ctx, `INSERT INTO meetings (org_id, kind, state, starts_at, ends_at, held_on, place, online, topic,
		organizer, co_org_id, created_by, created_at, updated_at) VALUES ($1, $2, 'planned', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
		RETURNING id`, m.OrgID, string(m.Kind), ts(m.StartsAt), tsOrNull(m.EndsAt), m.HeldOn, m.Place, m.Online, m.Topic,
		m.Organizer, nullOrg(m.CoOrgID), m.CreatedBy, ts(now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create meeting: %w", err)
	}
	return id, nil
}

// MeetingByID reads one meeting, whatever the scope: the service checks the
// policy on its organization.
func MeetingByID(ctx context.Context, q Q, id domain.MeetingID) (domain.Meeting, error) {
	return scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.id = $1`, id))
}

// SetMeetingState moves a meeting to state with its minutes and decisions
// if its version is still version.
func SetMeetingState(ctx context.Context, q Q, m domain.Meeting, now time.Time) error {
	return exec1(ctx, q, "set meeting state", `UPDATE meetings SET state = $3, minutes = $4, decisions = $5, updated_at = $6,
		version = version + 1 WHERE id = $1 AND version = $2`, m.ID, m.Version, string(m.State), m.Minutes, m.Decisions, ts(now))
}

// MeetingQuery selects meetings for a calendar or a list.
type MeetingQuery struct {
	// Scope is the actor's meeting:read filter on the meeting's organization.
	Scope authz.OrgFilter
	// Org is a path prefix: meetings of that subtree, and those an
	// organization of it co-organizes.
	Org      string
	From, To domain.Date // held_on, inclusive; zero: open
	Kind     domain.MeetingKind
	State    domain.MeetingState
	Newest   bool // newest first (lists) rather than in date order (calendars)
	Limit    int
}

// MeetingRow is a meeting in a list, with its sheet's head counts.
type MeetingRow struct {
	domain.Meeting
	Expected int
	Present  int
}

// ListMeetings returns the meetings f selects, at most f.Limit (default
// 500, at most 5,000).
func ListMeetings(ctx context.Context, q Q, f MeetingQuery) ([]MeetingRow, error) {
	where, args := f.Scope.SQL("o.path", nil)
	conds := []string{where}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Org != "" {
		add("(o.path LIKE ? OR c.path LIKE ?)", f.Org+"%")
	}
	if !f.From.IsZero() {
		add("m.held_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("m.held_on <= ?", f.To)
	}
	if f.Kind != "" {
		add("m.kind = ?", string(f.Kind))
	}
	if f.State != "" {
		add("m.state = ?", string(f.State))
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	args = append(args, min(f.Limit, 5000))
	order := "m.starts_at, m.id"
	if f.Newest {
		order = "m.starts_at DESC, m.id DESC"
	}
	rows, err := q.QueryContext(ctx, `SELECT `+meetingCols+`,
		(SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.expected),
		(SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.status = 'present')`+meetingFrom+
		` WHERE `+strings.Join(conds, " AND ")+` ORDER BY `+order+` LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list meetings: %w", err)
	}
	defer rows.Close()
	var out []MeetingRow
	for rows.Next() {
		var r MeetingRow
		if r.Meeting, err = scanMeeting(rows, &r.Expected, &r.Present); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ExpectedMembers lists the members (probationary and full, admitted by
// day) who belonged to the subtree of org on day: for a mobile
// organization those placed in it that day, read back from the placements
// recorded after day (moves later than today cannot exist, so
// withHistory may be false for a meeting today or later); for an origin
// organization those whose home organization it is.
func ExpectedMembers(ctx context.Context, q Q, org domain.Org, day domain.Date, withHistory bool) ([]domain.PersonID, error) {
	col := "m.mobile_org_id"
	if org.Side == domain.SideOrigin {
		col, withHistory = "m.home_org_id", false
	}
	now, err := personIDs(ctx, q, `SELECT m.person_id FROM memberships m JOIN orgs o ON o.id = `+col+`
		WHERE o.path LIKE $1 AND `+admittedBy("$2")+` ORDER BY m.person_id`, org.Path+"%", day)
	if err != nil || !withHistory {
		return now, err
	}
	moved, err := placementsOn(ctx, q, day)
	if err != nil {
		return nil, err
	}
	inside, err := subtreeIDs(ctx, q, org.Path)
	if err != nil {
		return nil, err
	}
	var out []domain.PersonID
	for _, id := range now {
		if _, ok := moved[id]; !ok {
			out = append(out, id)
		}
	}
	for id, from := range moved {
		if inside[from] {
			out = append(out, id)
		}
	}
	return out, nil
}

// admittedBy is the condition on memberships m for a member (probationary
// or full) admitted by the day in the placeholder arg.
func admittedBy(arg string) string {
	return `m.status IN ('probationary', 'full') AND (m.joined_on IS NULL OR m.joined_on <= ` + arg + `)`
}

// placementsOn reads, for every member moved after day, where the first
// such move took them from: where they were placed on day.
func placementsOn(ctx context.Context, q Q, day domain.Date) (map[domain.PersonID]domain.OrgID, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.person_id, e.detail FROM person_events e JOIN memberships m ON m.person_id = e.person_id
		WHERE e.kind = 'placed' AND e.on_date > $1 AND `+admittedBy("$1")+`
		ORDER BY e.person_id, e.on_date, e.id`, day)
	if err != nil {
		return nil, fmt.Errorf("store: placements: %w", err)
	}
	defer rows.Close()
	out := map[domain.PersonID]domain.OrgID{}
	for rows.Next() {
		var id domain.PersonID
		var detail string
		if err := rows.Scan(&id, &detail); err != nil {
			return nil, err
		}
		if _, seen := out[id]; seen {
			continue
		}
		var d struct {
			From domain.OrgID `json:"from"`
		}
		if err := json.Unmarshal([]byte(detail), &d); err != nil {
			return nil, fmt.Errorf("store: placement of person %d: %w", id, err)
		}
		out[id] = d.From
	}
	return out, rows.Err()
}

func subtreeIDs(ctx context.Context, q Q, path string) (map[domain.OrgID]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM orgs WHERE path LIKE $1`, path+"%")
	if err != nil {
		return nil, fmt.Errorf("store: subtree: %w", err)
	}
	defer rows.Close()
	out := map[domain.OrgID]bool{}
	for rows.Next() {
		var id domain.OrgID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func personIDs(ctx context.Context, q Q, query string, args ...any) ([]domain.PersonID, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: person ids: %w", err)
	}
	defer rows.Close()
	var out []domain.PersonID
	for rows.Next() {
		var id domain.PersonID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// CoOrganizerAgreed reports whether an agreement in force on day covers
// the organization at orgPath (a mobile subtree) with the host
// organization at hostPath (at or under a host party); sitsIn asks for an
// agreement that lets the mobile secretary sit in on host meetings.
func CoOrganizerAgreed(ctx context.Context, q Q, orgPath, hostPath string, day domain.Date, sitsIn bool) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM agreements a
		JOIN agreement_orgs h ON h.agreement_id = a.id AND h.role = 'host' JOIN orgs ho ON ho.id = h.org_id
		JOIN agreement_orgs mb ON mb.agreement_id = a.id AND mb.role = 'mobile' JOIN orgs mo ON mo.id = mb.org_id
		WHERE a.state = 'in_force' AND a.valid_from <= $1 AND a.valid_to >= $1
		AND $2 LIKE mo.path || '%' AND $3 LIKE ho.path || '%' AND (a.sits_in OR NOT $4)`,
		day, orgPath, hostPath, sitsIn).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: co-organizer agreement: %w", err)
	}
	return n > 0, nil
}

// AddAttendance puts lines on a meeting's sheet, unmarked: the expected
// members when it is planned.
func AddAttendance(ctx context.Context, tx Tx, id domain.MeetingID, persons []domain.PersonID, expected bool) error {
	const chunk = 1000
	for len(persons) > 0 {
		n := min(len(persons), chunk)
		args := make([]any, 0, 3*n)
		for _, p := range persons[:n] {
			args = append(args, id, p, expected)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, person_id, expected) VALUES `+
			values(tx.Dialect(), n, 3), args...); err != nil {
			return fmt.Errorf("store: add attendance: %w", err)
		}
		persons = persons[n:]
	}
	return nil
}

// AddGuest puts a guest on the sheet as present; a person already on it is
// a conflict.
func AddGuest(ctx context.Context, q Q, a domain.Attendance) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, person_id, expected, status, method, recorded_by,
		recorded_at) VALUES ($1, $2, FALSE, $3, $4, $5, $6)`, a.MeetingID, a.PersonID, string(a.Status), string(a.Method),
		a.RecordedBy, tsPtr(a.RecordedAt))
	if isUnique(err) {
		return domain.Conflict("person", "meeting.guest_already", map[string]any{"Name": a.Name})
	}
	if err != nil {
		return fmt.Errorf("store: add guest: %w", err)
	}
	return nil
}

const attendanceCols = `a.meeting_id, a.person_id, p.name, a.expected, a.status, a.leave_reason, a.leave_state, a.method,
	a.checked_in_at, a.recorded_by, a.recorded_at, p.id_masked`

// line scans an attendance line's columns into a.
type line struct {
	a                     *domain.Attendance
	status, leave, method string
	checked, recorded     sql.NullTime
	idMasked              string
}

func (l *line) dest() []any {
	a := l.a
	return []any{&a.MeetingID, &a.PersonID, &a.Name, &a.Expected, &l.status, &a.LeaveReason, &l.leave, &l.method, &l.checked,
		&a.RecordedBy, &l.recorded, &l.idMasked}
}

func (l *line) done() {
	l.a.Status, l.a.LeaveState, l.a.Method = domain.AttendanceStatus(l.status), domain.LeaveState(l.leave), domain.CheckinMethod(l.method)
	l.a.CheckedInAt, l.a.RecordedAt = nullTime(l.checked), nullTime(l.recorded)
	if n := len(l.idMasked); n >= 4 { // a masked number ends in its last four characters, in clear
		l.a.IDTail = l.idMasked[n-4:]
	}
}

func scanAttendance(row interface{ Scan(...any) error }) (domain.Attendance, error) {
	var a domain.Attendance
	l := line{a: &a}
	err := row.Scan(l.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("store: scan attendance: %w", err)
	}
	l.done()
	return a, nil
}

// MeetingAttendance is a meeting's sheet: the expected members, then the
// guests, each in pinyin order.
func MeetingAttendance(ctx context.Context, q Q, id domain.MeetingID) ([]domain.Attendance, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+attendanceCols+` FROM meeting_attendance a JOIN persons p ON p.id = a.person_id
		WHERE a.meeting_id = $1 ORDER BY a.expected DESC, p.sort_key, p.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: meeting attendance: %w", err)
	}
	defer rows.Close()
	var out []domain.Attendance
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttendanceLine reads one person's line on a meeting's sheet.
func AttendanceLine(ctx context.Context, q Q, id domain.MeetingID, person domain.PersonID) (domain.Attendance, error) {
	return scanAttendance(q.QueryRowContext(ctx, `SELECT `+attendanceCols+` FROM meeting_attendance a
		JOIN persons p ON p.id = a.person_id WHERE a.meeting_id = $1 AND a.person_id = $2`, id, person))
}

// UpdateAttendance writes a line's status, leave and how it was recorded.
func UpdateAttendance(ctx context.Context, q Q, a domain.Attendance) error {
	return exec1(ctx, q, "update attendance", `UPDATE meeting_attendance SET status = $3, leave_reason = $4, leave_state = $5,
		method = $6, checked_in_at = $7, recorded_by = $8, recorded_at = $9 WHERE meeting_id = $1 AND person_id = $2`,
		a.MeetingID, a.PersonID, string(a.Status), a.LeaveReason, string(a.LeaveState), string(a.Method), tsPtr(a.CheckedInAt),
		a.RecordedBy, tsPtr(a.RecordedAt))
}

// castValues renders n rows of VALUES whose placeholders are numbered
// after skip (SQLite: anonymous, see values), each cast to its column's
// type where one is named: a VALUES list gives PostgreSQL no column to
// infer a parameter's type from.
func castValues(d Dialect, skip, n int, types ...string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + castList(d, skip+i*len(types), 1, types...) + ")")
	}
	return b.String()
}

// castList renders n groups of len(types) placeholders, comma-separated,
// numbered after skip and cast as castValues does.
func castList(d Dialect, skip, n int, types ...string) string {
	var b strings.Builder
	k := skip
	for i := range n * len(types) {
		if i > 0 {
			b.WriteString(", ")
		}
		k++
		p := "?"
		if d != SQLite {
			p = "$" + strconv.Itoa(k)
		}
		if t := types[i%len(types)]; t != "" {
			p = "CAST(" + p + " AS " + t + ")"
		}
		b.WriteString(p)
	}
	return b.String()
}

// MarkUnmarkedAbsent turns every expected line still unmarked into absent
// when a meeting is recorded as held; it returns how many.
func MarkUnmarkedAbsent(ctx context.Context, q Q, id domain.MeetingID, by string, now time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `UPDATE meeting_attendance SET status = 'absent', recorded_by = $2, recorded_at = $3
		WHERE meeting_id = $1 AND expected AND status = 'unmarked'`, id, by, ts(now))
	if err != nil {
		return 0, fmt.Errorf("store: mark absent: %w", err)
	}
	return res.RowsAffected()
}

// MeetingAccounts are the enabled accounts linked to the people expected
// at a meeting: whom its notices reach.
func MeetingAccounts(ctx context.Context, q Q, id domain.MeetingID) ([]domain.AccountID, error) {
	rows, err := q.QueryContext(ctx, `SELECT ac.id FROM accounts ac JOIN meeting_attendance a ON a.person_id = ac.person_id
		WHERE a.meeting_id = $1 AND a.expected AND ac.disabled_at IS NULL ORDER BY ac.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: meeting accounts: %w", err)
	}
	defer rows.Close()
	var out []domain.AccountID
	for rows.Next() {
		var acc domain.AccountID
		if err := rows.Scan(&acc); err != nil {
			return nil, err
		}
		out = append(out, acc)
	}
	return out, rows.Err()
}

// PersonMeeting is one meeting on a person's own record with the
// person's line.
type PersonMeeting struct {
	Meeting domain.Meeting
	Line    domain.Attendance
}

// PersonMeetings lists the meetings a person was expected at or attended
// as a guest, newest first.
func PersonMeetings(ctx context.Context, q Q, person domain.PersonID, limit int) ([]PersonMeeting, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := q.QueryContext(ctx, `SELECT `+meetingCols+`, `+attendanceCols+meetingFrom+`
		JOIN meeting_attendance a ON a.meeting_id = m.id JOIN persons p ON p.id = a.person_id
		WHERE a.person_id = $1 ORDER BY m.starts_at DESC, m.id DESC LIMIT $2`, person, limit)
	if err != nil {
		return nil, fmt.Errorf("store: person meetings: %w", err)
	}
	defer rows.Close()
	var out []PersonMeeting
	for rows.Next() {
		var pm PersonMeeting
		l := line{a: &pm.Line}
		if pm.Meeting, err = scanMeeting(rows, l.dest()...); err != nil {
			return nil, err
		}
		l.done()
		out = append(out, pm)
	}
	return out, rows.Err()
}
