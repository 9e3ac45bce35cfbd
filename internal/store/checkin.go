package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// QR check-ins: what a scan needs to know before it is written, and the
// batched write itself.

// CheckinState is what a QR check-in needs to know before it is written,
// read in one query: the scanning account's person, the meeting (all the
// page after the scan shows), and that person's line (with the name;
// Line.Status empty when there is none).
type CheckinState struct {
	Person  domain.PersonID
	Meeting domain.Meeting
	Line    domain.Attendance
}

// CheckinStateOf reads the CheckinState of account acc scanning a code of
// meeting id; a missing account or meeting is not found.
func CheckinStateOf(ctx context.Context, q Q, acc domain.AccountID, id domain.MeetingID) (CheckinState, error) {
	var st CheckinState
	var person sql.NullInt64
	var expected sql.NullBool
	var name, status sql.NullString
	var recorded sql.NullTime
	m, err := scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingCols+`, ac.person_id, p.name, a.expected, a.status, a.recorded_at
		`+meetingFrom+` CROSS JOIN accounts ac LEFT JOIN persons p ON p.id = ac.person_id
		LEFT JOIN meeting_attendance a ON a.meeting_id = m.id AND a.person_id = ac.person_id
		WHERE ac.id = $1 AND m.id = $2`, acc, id), &person, &name, &expected, &status, &recorded)
	if err != nil {
		return st, err
	}
	st.Person, st.Meeting = domain.PersonID(person.Int64), m
	st.Line = domain.Attendance{MeetingID: id, PersonID: st.Person, Name: name.String, Expected: expected.Bool,
		Status: domain.AttendanceStatus(status.String), RecordedAt: nullTime(recorded)}
	return st, nil
}

// Scan is one QR check-in to write: the meeting of the code and the
// account that scanned it (its name is recorded as who checked in).
type Scan struct {
	Meeting domain.MeetingID
	Account domain.AccountID
	By      string
}

// Scanned is what became of one Scan: whether it took, and when it did,
// the member checked in and the meeting (all the answer shows).
type Scanned struct {
	Took    bool
	Person  domain.PersonID
	Meeting domain.Meeting
}

// checkIn checks in the members of the scanning accounts, each once, with
// a few statements for the whole batch, and checks in the same statements
// that each may be: the account is linked to a member, the meeting is
// planned for today, and the member has an expected line not yet present.
// A request for leave, or leave given, is overtaken by the presence. Each
// check-in is also a reached contact (channel checkin) on the meeting's
// day, which moves the member's last contact forward. A scan that did not
// take changed nothing; the reason is for the caller to read
// (CheckinStateOf). The same scan twice in a batch takes once.
//
// This is SQLite's way (CheckInAudited): it pays no round trip and cannot
// return another table's columns from an UPDATE, so it reads the
// candidates, updates their lines, and adds the contacts (AddContacts);
// the entries go in with AppendAudits. PostgreSQL does it all in one
// statement (checkInStmt: the lines, the contacts, the last contacts, the
// audit chain's head moved on by one sequence number per check-in taken,
// and the meetings to answer with), sent with the transaction's begin.
func checkIn(ctx context.Context, tx Tx, scans []Scan, now time.Time, today domain.Date) ([]Scanned, error) {
	if len(scans) == 0 {
		return nil, nil
	}
	took, err := checkInSQLite(ctx, tx, scans, now, today)
	if err != nil {
		return nil, fmt.Errorf("store: check in: %w", err)
	}
	return answer(scans, took)
}

// answer tells each scan whether it took, from the lines taken.
func answer(scans []Scan, took []scanTook) ([]Scanned, error) {
	left := map[[2]int64]scanTook{}
	for _, t := range took {
		left[[2]int64{int64(t.m.ID), int64(t.account)}] = t
	}
	out := make([]Scanned, len(scans))
	for i, sc := range scans {
		key := [2]int64{int64(sc.Meeting), int64(sc.Account)}
		if t, ok := left[key]; ok {
			delete(left, key) // the same scan twice in a batch counts once
			out[i] = Scanned{Took: true, Person: t.person, Meeting: t.m}
		}
	}
	if n := countTook(out); n != len(took) {
		// Every line taken answers one scan, or the head reserved numbers
		// that no entry would fill.
		return nil, fmt.Errorf("store: check in: %d lines taken, %d scans answered", len(took), n)
	}
	return out, nil
}

func countTook(out []Scanned) int {
	n := 0
	for _, s := range out {
		if s.Took {
			n++
		}
	}
	return n
}

// Reserved is the audit chain's head after a statement that reserved one
// sequence number per check-in taken, when Ok.
type Reserved struct {
	AuditHead
	Ok bool
}

// scanTook is one line a batch checked in.
type scanTook struct {
	account domain.AccountID
	person  domain.PersonID
	m       domain.Meeting
}

// tookRows is what readTook reads: database/sql's rows or pgx's.
type tookRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// readTook reads the check-ins taken: each row the meeting's columns, the
// account and the person, then the extra columns into extra (the same
// in every row).
func readTook(rows tookRows, extra ...any) ([]scanTook, error) {
	var out []scanTook
	for rows.Next() {
		var t scanTook
		m, err := scanMeeting(rows, append([]any{&t.account, &t.person}, extra...)...)
		if err != nil {
			return nil, err
		}
		t.m = m
		out = append(out, t)
	}
	return out, rows.Err()
}

// readTookReserved reads the check-ins taken by checkInStmt and the audit
// head it moved on.
func readTookReserved(rows tookRows) ([]scanTook, Reserved, error) {
	var h Reserved
	took, err := readTook(rows, &h.Seq, &h.Hash)
	h.Ok = len(took) > 0
	return took, h, err
}

// checkInStmt is PostgreSQL's one statement for a batch of scans
// (checkIn). The scans go as one array a column, so the text is the same
// for a batch of any size: each connection prepares it once, where a
// VALUES list of each length was a statement of its own, prepared in a
// round trip more and planned anew — most often in the first bursts of
// scans, whose batches are the largest (decision 0013, "session 8").
func checkInStmt(scans []Scan, now time.Time, today domain.Date) stmt {
	meetings, accounts, actors := make([]int64, len(scans)), make([]int64, len(scans)), make([]string, len(scans))
	for i, sc := range scans {
		meetings[i], accounts[i], actors[i] = int64(sc.Meeting), int64(sc.Account), sc.By
	}
	args := []any{ts(now), today, meetings, accounts, actors}
	// Locks are taken in the order of every other writer, the audit head
	// last: a data-modifying WITH that the main query does not read runs
	// after it, so the head's condition reads the contacts and the last
	// contacts (always true) to have them written before it locks the head.
	//
	// The statement names memberships only to set last_contact_on and orgs
	// only to read them; no trigger of the people index watches either
	// (TestOnlyPeopleTablesMarkPeople), so the commit need not read
	// person_stale.
	return stmt{`WITH took AS (
		UPDATE meeting_attendance a SET status = 'present', method = 'qr', checked_in_at = $1, recorded_at = $1,
			recorded_by = v.actor, leave_state = CASE WHEN a.leave_state = 'refused' THEN 'refused' ELSE '' END
		FROM unnest($3::BIGINT[], $4::BIGINT[], $5::TEXT[]) AS v (meeting, account, actor)
			JOIN accounts ac ON ac.id = v.account JOIN meetings m ON m.id = v.meeting
		WHERE a.meeting_id = m.id AND a.person_id = ac.person_id AND a.expected AND a.status <> 'present'
			AND m.state = 'planned' AND m.held_on = $2
		RETURNING a.meeting_id, a.person_id, v.account, v.actor, m.held_on, m.topic
	), contacts AS (
		INSERT INTO person_contacts (person_id, on_date, channel, reached, note, actor_name, recorded_at)
		SELECT person_id, held_on, 'checkin', TRUE, topic, actor, $1 FROM took RETURNING 1
	), last_contacts AS (
		UPDATE memberships SET last_contact_on = took.held_on FROM took
		WHERE memberships.person_id = took.person_id
			AND (memberships.last_contact_on IS NULL OR memberships.last_contact_on < took.held_on)
		RETURNING 1
	), head AS (
		UPDATE audit_head SET seq = seq + (SELECT COUNT(*) FROM took)
		WHERE id = 1 AND EXISTS (SELECT 1 FROM took)
			AND (SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM last_contacts) >= 0
		RETURNING seq, hash
	)
	SELECT ` + meetingCols + `, took.account, took.person_id, head.seq, head.hash FROM took CROSS JOIN head
		JOIN meetings m ON m.id = took.meeting_id JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs c ON c.id = m.co_org_id`, args}
}

func checkInSQLite(ctx context.Context, tx Tx, scans []Scan, now time.Time, today domain.Date) ([]scanTook, error) {
	args := make([]any, 0, 2*len(scans)+1)
	for _, sc := range scans {
		args = append(args, sc.Meeting, sc.Account)
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT `+meetingCols+`, ac.id, ac.person_id
		FROM (VALUES `+values(tx.Dialect(), len(scans), 2)+`) AS v JOIN accounts ac ON ac.id = v.column2
		JOIN meetings m ON m.id = v.column1 JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs c ON c.id = m.co_org_id
		JOIN meeting_attendance a ON a.meeting_id = m.id AND a.person_id = ac.person_id
		WHERE a.expected AND a.status <> 'present' AND m.state = 'planned' AND m.held_on = ?`, append(args, today)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	all, err := readTook(rows)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	// Two accounts of one member take one line once, as on PostgreSQL.
	var cands []scanTook
	seen := map[[2]int64]bool{}
	for _, c := range all {
		if key := [2]int64{int64(c.m.ID), int64(c.person)}; !seen[key] {
			seen[key] = true
			cands = append(cands, c)
		}
	}
	by := map[domain.AccountID]string{}
	for _, sc := range scans {
		by[sc.Account] = sc.By
	}
	args = append(args[:0], ts(now))
	for _, c := range cands {
		args = append(args, c.m.ID, c.person, by[c.account])
	}
	// The candidates were read in this transaction, which holds SQLite's
	// one writer: they all take.
	if _, err := tx.ExecContext(ctx, `UPDATE meeting_attendance SET status = 'present', method = 'qr', checked_in_at = $1,
		recorded_at = $1, recorded_by = v.column3,
		leave_state = CASE WHEN meeting_attendance.leave_state = 'refused' THEN 'refused' ELSE '' END
		FROM (VALUES `+castValues(tx.Dialect(), 1, len(cands), "", "", "")+`) AS v
		WHERE meeting_attendance.meeting_id = v.column1 AND meeting_attendance.person_id = v.column2`, args...); err != nil {
		return nil, err
	}
	contacts := make([]Contact, len(cands))
	for i, c := range cands {
		contacts[i] = Contact{PersonID: c.person, On: c.m.HeldOn, Channel: "checkin", Reached: true, Note: c.m.Topic,
			ActorName: by[c.account], RecordedAt: now}
	}
	return cands, AddContacts(ctx, tx, contacts)
}
