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

// InsertFeedback stores a feedback as sent. A second one for the same
// member, quarter and writing organization is a conflict.
func InsertFeedback(ctx context.Context, q Q, f domain.Feedback) (domain.FeedbackID, error) {
	var id domain.FeedbackID
	err := q.QueryRowContext(ctx, `INSERT INTO feedback (person_id, quarter, writer_org_id, writer_side, agreement_id, home_org_id,
		mobile_org_id, participation, conduct, remarks, state, author_id, author_name, sent_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'sent', $11, $12, $13) RETURNING id`,
		f.PersonID, f.Quarter, f.WriterOrgID, string(f.WriterSide), nullID(f.Agreement), f.HomeOrgID, f.MobileOrgID,
		string(f.Participation), string(f.Conduct), f.Remarks, nullID(f.AuthorID), f.AuthorName, ts(f.SentAt)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("quarter", "feedback.duplicate", map[string]any{"Quarter": f.Quarter})
	}
	if err != nil {
		return 0, fmt.Errorf("store: insert feedback: %w", err)
	}
	return id, nil
}

// FeedbackExists reports whether the writing organization already wrote
// the member's feedback for the quarter.
func FeedbackExists(ctx context.Context, q Q, person domain.PersonID, quarter string, writer domain.OrgID) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback WHERE person_id = $1 AND quarter = $2 AND writer_org_id = $3`,
		person, quarter, writer).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: feedback exists: %w", err)
	}
	return n > 0, nil
}

const feedbackCols = `f.id, f.person_id, p.name, p.id_masked, f.quarter, f.writer_org_id, wo.name, f.writer_side, f.agreement_id,
	f.home_org_id, ho.name, f.mobile_org_id, mo.name, f.participation, f.conduct, f.remarks, f.state, f.comment, f.author_id,
	f.author_name, f.sent_at, f.answerer_id, f.answered_by, f.answered_at, f.revision, f.version`

const feedbackFrom = ` FROM feedback f JOIN persons p ON p.id = f.person_id JOIN orgs wo ON wo.id = f.writer_org_id
	JOIN orgs ho ON ho.id = f.home_org_id JOIN orgs mo ON mo.id = f.mobile_org_id`

func scanFeedback(row interface{ Scan(...any) error }) (domain.Feedback, error) {
	var f domain.Feedback
	var masked, side, part, conduct, state string
	var agreement, author, answerer sql.NullInt64
	var answeredAt sql.NullTime
	err := row.Scan(&f.ID, &f.PersonID, &f.PersonName, &masked, &f.Quarter, &f.WriterOrgID, &f.WriterOrgName, &side, &agreement,
		&f.HomeOrgID, &f.HomeOrgName, &f.MobileOrgID, &f.MobileOrgName, &part, &conduct, &f.Remarks, &state, &f.Comment, &author,
		&f.AuthorName, &f.SentAt, &answerer, &f.AnsweredBy, &answeredAt, &f.Revision, &f.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return f, domain.ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("store: scan feedback: %w", err)
	}
	f.IDNumber, f.WriterSide, f.Participation, f.Conduct = domain.Masked(masked), domain.Side(side), domain.Participation(part), domain.Conduct(conduct)
	f.State, f.Agreement = domain.FeedbackState(state), domain.AgreementID(agreement.Int64)
	f.AuthorID, f.AnswererID, f.SentAt = domain.AccountID(author.Int64), domain.AccountID(answerer.Int64), f.SentAt.UTC()
	f.AnsweredAt = nullTime(answeredAt)
	return f, nil
}

// FeedbackByID reads one feedback.
func FeedbackByID(ctx context.Context, q Q, id domain.FeedbackID) (domain.Feedback, error) {
	return scanFeedback(q.QueryRowContext(ctx, `SELECT `+feedbackCols+feedbackFrom+` WHERE f.id = $1`, id))
}

// AnswerFeedback moves a sent feedback to acknowledged or returned, if it
// is still sent and at version.
func AnswerFeedback(ctx context.Context, q Q, id domain.FeedbackID, version int64, state domain.FeedbackState, comment string,
	by domain.AccountID, byName string, at time.Time) error {
	return exec1(ctx, q, "answer feedback", `UPDATE feedback SET state = $3, comment = $4, answerer_id = $5, answered_by = $6,
		answered_at = $7, version = version + 1 WHERE id = $1 AND version = $2 AND state = 'sent'`,
		id, version, string(state), comment, nullID(by), byName, ts(at))
}

// ReviseFeedback replaces a returned feedback's values (and its author,
// who revised it) and sends it again, if it is still returned and at
// version.
func ReviseFeedback(ctx context.Context, q Q, f domain.Feedback) error {
	return exec1(ctx, q, "revise feedback", `UPDATE feedback SET participation = $3, conduct = $4, remarks = $5, state = 'sent',
		author_id = $6, author_name = $7, sent_at = $8, revision = revision + 1, version = version + 1
		WHERE id = $1 AND version = $2 AND state = 'returned'`,
		f.ID, f.Version, string(f.Participation), string(f.Conduct), f.Remarks, nullID(f.AuthorID), f.AuthorName, ts(f.SentAt))
}

// AddFeedbackEvent records one step of a feedback's history.
func AddFeedbackEvent(ctx context.Context, q Q, id domain.FeedbackID, e domain.FeedbackEvent) error {
	_, err := q.ExecContext(ctx, `INSERT INTO feedback_events (feedback_id, kind, participation, conduct, remarks, comment, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, e.Kind, string(e.Participation), string(e.Conduct), e.Remarks, e.Comment,
		e.ActorName, ts(e.At))
	if err != nil {
		return fmt.Errorf("store: feedback event: %w", err)
	}
	return nil
}

// FeedbackEvents is a feedback's history, oldest first.
func FeedbackEvents(ctx context.Context, q Q, id domain.FeedbackID) ([]domain.FeedbackEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, participation, conduct, remarks, comment, actor_name, at FROM feedback_events
		WHERE feedback_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: feedback events: %w", err)
	}
	defer rows.Close()
	var out []domain.FeedbackEvent
	for rows.Next() {
		var e domain.FeedbackEvent
		var part, conduct string
		if err := rows.Scan(&e.Kind, &part, &conduct, &e.Remarks, &e.Comment, &e.ActorName, &e.At); err != nil {
			return nil, fmt.Errorf("store: feedback events: %w", err)
		}
		e.Participation, e.Conduct, e.At = domain.Participation(part), domain.Conduct(conduct), e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// FeedbackQuery selects feedback for a list. Scope is matched against the
// home and the mobile organization the feedback was written for; Home,
// when set, against the home organization alone (what waits for an
// answer there).
type FeedbackQuery struct {
	Scope   authz.OrgFilter
	Home    bool
	Person  domain.PersonID
	Quarter string
	State   domain.FeedbackState
	Before  domain.FeedbackID // keyset: ids below this one
	Limit   int
}

// ListFeedback returns one page of feedback, newest first.
func ListFeedback(ctx context.Context, q Q, f FeedbackQuery) ([]domain.Feedback, error) {
	var args []any
	home, args := f.Scope.SQL("ho.path", args)
	where := []string{home}
	if !f.Home {
		var mobile string
		mobile, args = f.Scope.SQL("mo.path", args)
		where[0] = "(" + home + " OR " + mobile + ")"
	}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Person != 0 {
		add("f.person_id = ?", f.Person)
	}
	if f.Quarter != "" {
		add("f.quarter = ?", f.Quarter)
	}
	if f.State != "" {
		add("f.state = ?", string(f.State))
	}
	if f.Before != 0 {
		add("f.id < ?", f.Before)
	}
	args = append(args, pageLimit(f.Limit))
	rows, err := q.QueryContext(ctx, `SELECT `+feedbackCols+feedbackFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY f.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list feedback: %w", err)
	}
	defer rows.Close()
	var out []domain.Feedback
	for rows.Next() {
		x, err := scanFeedback(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// pageLimit bounds a page: 50 unless asked, at most 10,000 (an export).
func pageLimit(n int) int {
	if n <= 0 || n > 10000 {
		return 50
	}
	return n
}

// DueWriter is one place an actor writes feedback from: the members placed
// under Path, written for by Org (zero: by the member's own mobile
// organization).
type DueWriter struct {
	Path string
	Org  domain.OrgID
}

// FeedbackDueQuery selects the members who still lack a feedback for the
// quarter from one of the writers.
type FeedbackDueQuery struct {
	Writers  []DueWriter
	Quarter  string
	Statuses []domain.MemberStatus
	After    string // keyset, as PersonQuery.After
	Limit    int
}

// FeedbackDue lists those members in pinyin order.
func FeedbackDue(ctx context.Context, q Q, f FeedbackDueQuery) ([]PersonRow, error) {
	if len(f.Writers) == 0 || len(f.Statuses) == 0 {
		return nil, nil
	}
	args := []any{f.Quarter}
	var alts []string
	for _, w := range f.Writers {
		args = append(args, w.Path+"%")
		under := "$" + strconv.Itoa(len(args))
		writer := "m.mobile_org_id"
		if w.Org != 0 {
			args = append(args, w.Org)
			writer = "$" + strconv.Itoa(len(args))
		}
		alts = append(alts, `(mo.path LIKE `+under+` AND NOT EXISTS (SELECT 1 FROM feedback f
			WHERE f.person_id = p.id AND f.quarter = $1 AND f.writer_org_id = `+writer+`))`)
	}
	where := []string{"(" + strings.Join(alts, " OR ") + ")"}
	where, args = statusIn(where, args, f.Statuses)
	return pagePersons(ctx, q, "feedback due", where, args, f.After, f.Limit)
}

// statusIn adds "m.status IN (…)" to a query.
func statusIn(where []string, args []any, ss []domain.MemberStatus) ([]string, []any) {
	var in []string
	for _, s := range ss {
		args = append(args, string(s))
		in = append(in, "$"+strconv.Itoa(len(args)))
	}
	return append(where, "m.status IN ("+strings.Join(in, ", ")+")"), args
}

// pagePersons runs a person query with its conditions, one page in
// pinyin order after the keyset.
func pagePersons(ctx context.Context, q Q, what string, where []string, args []any, after string, limit int) ([]PersonRow, error) {
	if after != "" {
		key, id, _ := strings.Cut(after, "\x00")
		n, _ := strconv.ParseInt(id, 10, 64)
		args = append(args, key, n)
		k, i := "$"+strconv.Itoa(len(args)-1), "$"+strconv.Itoa(len(args))
		where = append(where, `(p.sort_key > `+k+` OR (p.sort_key = `+k+` AND p.id > `+i+`))`)
	}
	args = append(args, pageLimit(limit))
	rows, err := q.QueryContext(ctx, `SELECT `+personCols+personFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY p.sort_key, p.id LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return collectPersons(rows)
}

// FeedbackHosts lists the host organizations that are parties to the
// agreements in force on today that cover the mobile organization at path
// and grant feedback: those asked for their opinion on an evaluation.
func FeedbackHosts(ctx context.Context, q Q, path string, today domain.Date) ([]domain.OrgID, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT h.org_id FROM agreements a
		JOIN agreement_orgs m ON m.agreement_id = a.id AND m.role = 'mobile' JOIN orgs mo ON mo.id = m.org_id
		JOIN agreement_orgs h ON h.agreement_id = a.id AND h.role = 'host'
		WHERE a.state = 'in_force' AND a.valid_from <= $1 AND a.valid_to >= $1 AND $2 LIKE mo.path || '%'
		AND (',' || a.capabilities || ',') LIKE $3 ORDER BY h.org_id`, today, path, "%,"+string(domain.CapFeedback)+",%")
	if err != nil {
		return nil, fmt.Errorf("store: feedback hosts: %w", err)
	}
	defer rows.Close()
	var out []domain.OrgID
	for rows.Next() {
		var id domain.OrgID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
