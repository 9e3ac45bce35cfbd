package store

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// Organizational life written after the fact in bulk — held meetings with
// their sheets, feedback with its steps, evaluations, dues standards and
// payments — for the program's own loaders (service.RecordLifeInBulk).
// The rows are those the per-row use cases write; only the statements
// differ: many rows each, under both databases' parameter limits.

// bulkParams is how many parameters one statement takes at most (SQLite
// allows 32,766).
const bulkParams = 30_000

// insertRows runs INSERT INTO head VALUES … for n rows of width columns,
// args(i) giving row i's values, in statements of at most bulkParams
// parameters; suffix follows the VALUES (RETURNING …), and each
// statement's returned rows go to scan.
func insertRows(ctx context.Context, tx Tx, what, head, suffix string, n, width int, args func(i int) []any,
	scan func(row interface{ Scan(...any) error }) error) error {
	per := bulkParams / width
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		vals := make([]any, 0, (end-start)*width)
		for i := start; i < end; i++ {
			vals = append(vals, args(i)...)
		}
		query := `INSERT INTO ` + head + ` VALUES ` + values(tx.Dialect(), end-start, width) + suffix
		if scan == nil {
			if _, err := tx.ExecContext(ctx, query, vals...); err != nil {
				return fmt.Errorf("store: insert %s: %w", what, err)
			}
			continue
		}
		rows, err := tx.QueryContext(ctx, query, vals...)
		if err != nil {
			return fmt.Errorf("store: insert %s: %w", what, err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return fmt.Errorf("store: insert %s: %w", what, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: insert %s: %w", what, err)
		}
	}
	return nil
}

// InsertMeetingRecords stores meetings as they stand (state, minutes,
// decisions) and returns their ids in order.
func InsertMeetingRecords(ctx context.Context, tx Tx, ms []domain.Meeting, now time.Time) ([]domain.MeetingID, error) {
	ids := make([]domain.MeetingID, len(ms))
	for i, m := range ms {
		err := tx.QueryRowContext(ctx, `INSERT INTO meetings (org_id, kind, state, starts_at, ends_at, held_on, place, online, topic,
			organizer, co_org_id, minutes, decisions, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
			m.OrgID, string(m.Kind), string(m.State), ts(m.StartsAt), tsOrNull(m.EndsAt), m.HeldOn, m.Place, m.Online, m.Topic,
			m.Organizer, nullOrg(m.CoOrgID), m.Minutes, m.Decisions, m.CreatedBy, ts(now)).Scan(&ids[i])
		if err != nil {
			return nil, fmt.Errorf("store: insert meeting: %w", err)
		}
	}
	return ids, nil
}

// InsertAttendanceLines stores sheet lines as they stand.
func InsertAttendanceLines(ctx context.Context, tx Tx, ls []domain.Attendance) error {
	return insertRows(ctx, tx, "attendance", `meeting_attendance (meeting_id, person_id, expected, status, leave_reason,
		leave_state, method, checked_in_at, recorded_by, recorded_at)`, "", len(ls), 10, func(i int) []any {
		a := ls[i]
		return []any{a.MeetingID, a.PersonID, a.Expected, string(a.Status), a.LeaveReason, string(a.LeaveState), string(a.Method),
			tsPtr(a.CheckedInAt), a.RecordedBy, tsPtr(a.RecordedAt)}
	}, nil)
}

// FeedbackRecord is a feedback as it stands with its steps, oldest first.
type FeedbackRecord struct {
	domain.Feedback
	Events []domain.FeedbackEvent
}

// InsertFeedbackRecords stores feedback as it stands, with its events.
// A second feedback for the same member, quarter and writer fails the
// statement.
func InsertFeedbackRecords(ctx context.Context, tx Tx, fs []FeedbackRecord) error {
	type key struct {
		person  domain.PersonID
		quarter string
		writer  domain.OrgID
	}
	at := make(map[key]int, len(fs))
	for i, f := range fs {
		at[key{f.PersonID, f.Quarter, f.WriterOrgID}] = i
	}
	ids := make([]domain.FeedbackID, len(fs))
	err := insertRows(ctx, tx, "feedback", `feedback (person_id, quarter, writer_org_id, writer_side, agreement_id, home_org_id,
		mobile_org_id, participation, conduct, remarks, state, comment, author_id, author_name, sent_at, answerer_id, answered_by,
		answered_at, revision)`, ` RETURNING id, person_id, quarter, writer_org_id`, len(fs), 19, func(i int) []any {
		f := fs[i]
		return []any{f.PersonID, f.Quarter, f.WriterOrgID, string(f.WriterSide), nullID(f.Agreement), f.HomeOrgID, f.MobileOrgID,
			string(f.Participation), string(f.Conduct), f.Remarks, string(f.State), f.Comment, nullID(f.AuthorID), f.AuthorName,
			ts(f.SentAt), nullID(f.AnswererID), f.AnsweredBy, tsPtr(f.AnsweredAt), max(f.Revision, 1)}
	}, func(row interface{ Scan(...any) error }) error {
		var id domain.FeedbackID
		var k key
		if err := row.Scan(&id, &k.person, &k.quarter, &k.writer); err != nil {
			return err
		}
		ids[at[k]] = id
		return nil
	})
	if err != nil {
		return err
	}
	type event struct {
		id domain.FeedbackID
		e  domain.FeedbackEvent
	}
	var evs []event
	for i, f := range fs {
		for _, e := range f.Events {
			evs = append(evs, event{ids[i], e})
		}
	}
	return insertRows(ctx, tx, "feedback events", `feedback_events (feedback_id, kind, participation, conduct, remarks, comment,
		actor_name, at)`, "", len(evs), 8, func(i int) []any {
		e := evs[i].e
		return []any{evs[i].id, e.Kind, string(e.Participation), string(e.Conduct), e.Remarks, e.Comment, e.ActorName, ts(e.At)}
	}, nil)
}

// EvaluationRecord is an evaluation as it stands and, for an unqualified
// rating, the follow-up task it opened.
type EvaluationRecord struct {
	domain.Evaluation
	FollowUp *domain.FollowUp
}

// InsertEvaluationRecords stores evaluations as they stand, with their
// follow-up tasks.
func InsertEvaluationRecords(ctx context.Context, tx Tx, es []EvaluationRecord) error {
	type key struct {
		person domain.PersonID
		year   int
	}
	at := make(map[key]int, len(es))
	for i, e := range es {
		at[key{e.PersonID, e.Year}] = i
	}
	ids := make([]domain.EvaluationID, len(es))
	rating := func(r domain.Rating) any {
		if r == "" {
			return nil
		}
		return string(r)
	}
	err := insertRows(ctx, tx, "evaluations", `evaluations (person_id, year, org_id, home_org_id, state, proposed_rating,
		proposal_note, proposer_id, proposed_by, proposed_at, host_org_id, host_rating, host_note, host_by, host_at, rating,
		change_reason, confirmer_id, confirmed_by, confirmed_at)`, ` RETURNING id, person_id, year`, len(es), 20, func(i int) []any {
		e := es[i]
		return []any{e.PersonID, e.Year, e.OrgID, e.HomeOrgID, string(e.State), string(e.Proposed), e.ProposalNote,
			nullID(e.ProposerID), e.ProposedBy, ts(e.ProposedAt), nullOrg(e.HostOrgID), rating(e.HostRating), e.HostNote, e.HostBy,
			tsPtr(e.HostAt), rating(e.Rating), e.ChangeReason, nullID(e.ConfirmerID), e.ConfirmedBy, tsPtr(e.ConfirmedAt)}
	}, func(row interface{ Scan(...any) error }) error {
		var id domain.EvaluationID
		var k key
		if err := row.Scan(&id, &k.person, &k.year); err != nil {
			return err
		}
		ids[at[k]] = id
		return nil
	})
	if err != nil {
		return err
	}
	for i, e := range es {
		f := e.FollowUp
		if f == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO evaluation_followups (evaluation_id, kind, due_on, note, open, outcome,
			outcome_note, opened_by, opened_at, closed_by, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			ids[i], string(f.Kind), f.DueOn, f.Note, f.Open, string(f.Outcome), f.OutcomeNote, f.OpenedBy, ts(f.OpenedAt),
			f.ClosedBy, tsPtr(f.ClosedAt)); err != nil {
			return fmt.Errorf("store: insert follow-up: %w", err)
		}
	}
	return nil
}

// InsertDuesStandards stores standards; one for a member and month
// already set fails the statement.
func InsertDuesStandards(ctx context.Context, tx Tx, ss []domain.DuesStandard) error {
	return insertRows(ctx, tx, "dues standards", `dues_standards (person_id, from_month, basis, income, amount, note, set_by,
		set_at)`, "", len(ss), 8, func(i int) []any {
		s := ss[i]
		return []any{s.PersonID, int(s.From), string(s.Basis), int64(s.Income), int64(s.Amount), s.Note, s.SetBy, ts(s.SetAt)}
	}, nil)
}

// InsertDuesPayments stores payments; a second one for a member and
// month fails the statement.
func InsertDuesPayments(ctx context.Context, tx Tx, ps []domain.DuesPayment) error {
	return insertRows(ctx, tx, "dues payments", `dues_payments (person_id, month, amount, standard, retained, channel, paid_on,
		org_id, side, hardship, backpay, note, recorded_by, recorded_at)`, "", len(ps), 14, func(i int) []any {
		p := ps[i]
		return []any{p.PersonID, int(p.Month), int64(p.Amount), int64(p.Standard), int64(p.Retained), string(p.Channel), p.PaidOn,
			p.OrgID, string(p.Side), p.Hardship, p.BackPay, p.Note, p.RecordedBy, ts(p.RecordedAt)}
	}, nil)
}

// LifeMember is what a loader of organizational life needs to know of a
// member: where the member stands, takes part and belongs, since when,
// and when last reached.
type LifeMember struct {
	Person        domain.PersonID
	Name          string
	Status        domain.MemberStatus
	JoinedOn      domain.Date // zero when unknown
	FullOn        domain.Date
	HomeOrgID     domain.OrgID
	MobileOrgID   domain.OrgID // zero: not placed
	LastContactOn domain.Date
	ContactState  domain.ContactState
}

// LifeMembers lists the probationary and full members, by person id.
func LifeMembers(ctx context.Context, q Q) ([]LifeMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.person_id, p.name, m.status, m.joined_on, m.full_on, m.home_org_id,
		COALESCE(m.mobile_org_id, 0), m.last_contact_on, m.contact_state FROM memberships m JOIN persons p ON p.id = m.person_id
		WHERE m.status IN ('probationary', 'full') ORDER BY m.person_id`)
	if err != nil {
		return nil, fmt.Errorf("store: life members: %w", err)
	}
	defer rows.Close()
	var out []LifeMember
	for rows.Next() {
		var m LifeMember
		var status, state string
		if err := rows.Scan(&m.Person, &m.Name, &status, &m.JoinedOn, &m.FullOn, &m.HomeOrgID, &m.MobileOrgID, &m.LastContactOn,
			&state); err != nil {
			return nil, fmt.Errorf("store: life members: %w", err)
		}
		m.Status, m.ContactState = domain.MemberStatus(status), domain.ContactState(state)
		out = append(out, m)
	}
	return out, rows.Err()
}

// CountMeetings counts the meetings stored in a state.
func CountMeetings(ctx context.Context, q Q, state domain.MeetingState) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings WHERE state = $1`, string(state)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count meetings: %w", err)
	}
	return n, nil
}
