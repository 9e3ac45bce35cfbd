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

// InsertEvaluation stores a proposal. A second evaluation of the member
// for the year is a conflict.
func InsertEvaluation(ctx context.Context, q Q, e domain.Evaluation) (domain.EvaluationID, error) {
	var id domain.EvaluationID
	err := q.QueryRowContext(ctx, `INSERT INTO evaluations (person_id, year, org_id, home_org_id, state, proposed_rating,
		proposal_note, proposer_id, proposed_by, proposed_at) VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7, $8, $9) RETURNING id`,
		e.PersonID, e.Year, e.OrgID, e.HomeOrgID, string(e.Proposed), e.ProposalNote, nullID(e.ProposerID), e.ProposedBy,
		ts(e.ProposedAt)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("year", "evaluation.exists", map[string]any{"Year": e.Year})
	}
	if err != nil {
		return 0, fmt.Errorf("store: insert evaluation: %w", err)
	}
	return id, nil
}

// UpdateProposal replaces the proposal of an evaluation not yet confirmed.
func UpdateProposal(ctx context.Context, q Q, e domain.Evaluation) error {
	return exec1(ctx, q, "update proposal", `UPDATE evaluations SET org_id = $3, home_org_id = $4, proposed_rating = $5,
		proposal_note = $6, proposer_id = $7, proposed_by = $8, proposed_at = $9, version = version + 1
		WHERE id = $1 AND version = $2 AND state = 'proposed'`, e.ID, e.Version, e.OrgID, e.HomeOrgID, string(e.Proposed),
		e.ProposalNote, nullID(e.ProposerID), e.ProposedBy, ts(e.ProposedAt))
}

// SetHostOpinion records (or replaces) the host side's opinion on an
// evaluation not yet confirmed.
func SetHostOpinion(ctx context.Context, q Q, e domain.Evaluation) error {
	return exec1(ctx, q, "host opinion", `UPDATE evaluations SET host_org_id = $3, host_rating = $4, host_note = $5, host_by = $6,
		host_at = $7, version = version + 1 WHERE id = $1 AND version = $2 AND state = 'proposed'`,
		e.ID, e.Version, e.HostOrgID, string(e.HostRating), e.HostNote, e.HostBy, tsPtr(e.HostAt))
}

// ConfirmEvaluation sets the confirmed rating.
func ConfirmEvaluation(ctx context.Context, q Q, e domain.Evaluation) error {
	return exec1(ctx, q, "confirm evaluation", `UPDATE evaluations SET state = 'confirmed', rating = $3, change_reason = $4,
		confirmer_id = $5, confirmed_by = $6, confirmed_at = $7, version = version + 1
		WHERE id = $1 AND version = $2 AND state = 'proposed'`,
		e.ID, e.Version, string(e.Rating), e.ChangeReason, nullID(e.ConfirmerID), e.ConfirmedBy, tsPtr(e.ConfirmedAt))
}

const evaluationCols = `e.id, e.person_id, p.name, p.id_masked, e.year, e.org_id, o.name, e.home_org_id, ho.name, e.state,
	e.proposed_rating, e.proposal_note, e.proposer_id, e.proposed_by, e.proposed_at, e.host_org_id, hs.name, e.host_rating,
	e.host_note, e.host_by, e.host_at, e.rating, e.change_reason, e.confirmer_id, e.confirmed_by, e.confirmed_at, e.version,
	fu.id, fu.kind, fu.due_on, fu.open`

// evaluationFrom joins the names and the latest follow-up task.
const evaluationFrom = ` FROM evaluations e JOIN persons p ON p.id = e.person_id JOIN orgs o ON o.id = e.org_id
	JOIN orgs ho ON ho.id = e.home_org_id LEFT JOIN orgs hs ON hs.id = e.host_org_id
	LEFT JOIN evaluation_followups fu ON fu.id = (SELECT MAX(x.id) FROM evaluation_followups x WHERE x.evaluation_id = e.id)`

func scanEvaluation(row interface{ Scan(...any) error }) (domain.Evaluation, error) {
	var e domain.Evaluation
	var masked, state, proposed string
	var proposer, hostOrg, confirmer, fuID sql.NullInt64
	var hostName, hostRating, rating, fuKind sql.NullString
	var hostAt, confirmedAt sql.NullTime
	var fuOpen sql.NullBool
	err := row.Scan(&e.ID, &e.PersonID, &e.PersonName, &masked, &e.Year, &e.OrgID, &e.OrgName, &e.HomeOrgID, &e.HomeOrgName, &state,
		&proposed, &e.ProposalNote, &proposer, &e.ProposedBy, &e.ProposedAt, &hostOrg, &hostName, &hostRating, &e.HostNote,
		&e.HostBy, &hostAt, &rating, &e.ChangeReason, &confirmer, &e.ConfirmedBy, &confirmedAt, &e.Version,
		&fuID, &fuKind, &e.FollowUpDue, &fuOpen)
	if errors.Is(err, sql.ErrNoRows) {
		return e, domain.ErrNotFound
	}
	if err != nil {
		return e, fmt.Errorf("store: scan evaluation: %w", err)
	}
	e.IDNumber, e.State, e.Proposed = domain.Masked(masked), domain.EvaluationState(state), domain.Rating(proposed)
	e.ProposerID, e.ProposedAt = domain.AccountID(proposer.Int64), e.ProposedAt.UTC()
	e.HostOrgID, e.HostOrgName, e.HostRating, e.HostAt = domain.OrgID(hostOrg.Int64), hostName.String, domain.Rating(hostRating.String), nullTime(hostAt)
	e.Rating, e.ConfirmerID, e.ConfirmedAt = domain.Rating(rating.String), domain.AccountID(confirmer.Int64), nullTime(confirmedAt)
	e.FollowUpID, e.FollowUpKind, e.FollowUpClosed = domain.FollowUpID(fuID.Int64), domain.FollowUpKind(fuKind.String), fuID.Valid && !fuOpen.Bool
	return e, nil
}

// EvaluationByID reads one evaluation.
func EvaluationByID(ctx context.Context, q Q, id domain.EvaluationID) (domain.Evaluation, error) {
	return scanEvaluation(q.QueryRowContext(ctx, `SELECT `+evaluationCols+evaluationFrom+` WHERE e.id = $1`, id))
}

// EvaluationOf reads a member's evaluation for a year.
func EvaluationOf(ctx context.Context, q Q, person domain.PersonID, year int) (domain.Evaluation, error) {
	return scanEvaluation(q.QueryRowContext(ctx, `SELECT `+evaluationCols+evaluationFrom+` WHERE e.person_id = $1 AND e.year = $2`,
		person, year))
}

// OrgRatings counts an organization's evaluations for a year: confirmed
// ones by their rating, proposed ones by the rating proposed.
func OrgRatings(ctx context.Context, q Q, org domain.OrgID, year int) (confirmed, proposed map[domain.Rating]int, err error) {
	rows, err := q.QueryContext(ctx, `SELECT state, COALESCE(rating, proposed_rating), COUNT(*) FROM evaluations
		WHERE org_id = $1 AND year = $2 GROUP BY state, COALESCE(rating, proposed_rating)`, org, year)
	if err != nil {
		return nil, nil, fmt.Errorf("store: org ratings: %w", err)
	}
	defer rows.Close()
	confirmed, proposed = map[domain.Rating]int{}, map[domain.Rating]int{}
	for rows.Next() {
		var state, rating string
		var n int
		if err := rows.Scan(&state, &rating, &n); err != nil {
			return nil, nil, err
		}
		if state == string(domain.EvaluationConfirmed) {
			confirmed[domain.Rating(rating)] += n
		} else {
			proposed[domain.Rating(rating)] += n
		}
	}
	return confirmed, proposed, rows.Err()
}

// EvaluationQuery selects evaluations for a list. Scope is matched against
// the home organization and the one where the member takes part; Home,
// when set, against the home organization alone.
type EvaluationQuery struct {
	Scope  authz.OrgFilter
	Home   bool
	Person domain.PersonID
	Year   int
	State  domain.EvaluationState
	Before domain.EvaluationID
	Limit  int
}

func evaluationWhere(f EvaluationQuery) ([]string, []any) {
	var args []any
	home, args := f.Scope.SQL("ho.path", args)
	where := []string{home}
	if !f.Home {
		var org string
		org, args = f.Scope.SQL("o.path", args)
		where[0] = "(" + home + " OR " + org + ")"
	}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Person != 0 {
		add("e.person_id = ?", f.Person)
	}
	if f.Year != 0 {
		add("e.year = ?", f.Year)
	}
	if f.State != "" {
		add("e.state = ?", string(f.State))
	}
	if f.Before != 0 {
		add("e.id < ?", f.Before)
	}
	return where, args
}

// ListEvaluations returns one page of evaluations, newest first.
func ListEvaluations(ctx context.Context, q Q, f EvaluationQuery) ([]domain.Evaluation, error) {
	where, args := evaluationWhere(f)
	args = append(args, pageLimit(f.Limit))
	rows, err := q.QueryContext(ctx, `SELECT `+evaluationCols+evaluationFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY e.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list evaluations: %w", err)
	}
	defer rows.Close()
	var out []domain.Evaluation
	for rows.Next() {
		e, err := scanEvaluation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RatingDistribution counts the evaluations of a year the scope admits,
// per organization where the members take part, in tree order.
func RatingDistribution(ctx context.Context, q Q, scope authz.OrgFilter, year int) ([]domain.RatingCounts, error) {
	where, args := evaluationWhere(EvaluationQuery{Scope: scope, Year: year})
	rows, err := q.QueryContext(ctx, `SELECT e.org_id, o.name, o.path, e.state, COALESCE(e.rating, ''), COUNT(*)
		FROM evaluations e JOIN orgs o ON o.id = e.org_id JOIN orgs ho ON ho.id = e.home_org_id
		WHERE `+strings.Join(where, " AND ")+` GROUP BY e.org_id, o.name, o.path, e.state, e.rating ORDER BY o.path`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: rating distribution: %w", err)
	}
	defer rows.Close()
	var out []domain.RatingCounts
	for rows.Next() {
		var org domain.OrgID
		var name, path, state, rating string
		var n int
		if err := rows.Scan(&org, &name, &path, &state, &rating, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].OrgID != org {
			out = append(out, domain.RatingCounts{OrgID: org, OrgName: name, Confirmed: map[domain.Rating]int{}})
		}
		c := &out[len(out)-1]
		if state == string(domain.EvaluationConfirmed) {
			c.Confirmed[domain.Rating(rating)] += n
		} else {
			c.Pending += n
		}
	}
	return out, rows.Err()
}

// EvaluationDueQuery selects the members still to be proposed for a year:
// those placed under one of Placed, and those not placed whose home
// organization lies under one of Unplaced.
type EvaluationDueQuery struct {
	Placed, Unplaced []string
	Year             int
	Statuses         []domain.MemberStatus
	After            string
	Limit            int
}

// EvaluationDue lists those members in pinyin order.
func EvaluationDue(ctx context.Context, q Q, f EvaluationDueQuery) ([]PersonRow, error) {
	if (len(f.Placed) == 0 && len(f.Unplaced) == 0) || len(f.Statuses) == 0 {
		return nil, nil
	}
	args := []any{f.Year}
	var alts []string
	for _, p := range f.Placed {
		args = append(args, p+"%")
		alts = append(alts, "mo.path LIKE $"+strconv.Itoa(len(args)))
	}
	for _, p := range f.Unplaced {
		args = append(args, p+"%")
		alts = append(alts, "(m.mobile_org_id IS NULL AND ho.path LIKE $"+strconv.Itoa(len(args))+")")
	}
	where := []string{"(" + strings.Join(alts, " OR ") + ")",
		"NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.person_id = p.id AND e.year = $1)"}
	where, args = statusIn(where, args, f.Statuses)
	return pagePersons(ctx, q, "evaluation due", where, args, f.After, f.Limit)
}

// InsertFollowUp opens a follow-up task.
func InsertFollowUp(ctx context.Context, q Q, f domain.FollowUp) (domain.FollowUpID, error) {
	var id domain.FollowUpID
	err := q.QueryRowContext(ctx, `INSERT INTO evaluation_followups (evaluation_id, kind, due_on, note, open, opened_by, opened_at)
		VALUES ($1, $2, $3, $4, TRUE, $5, $6) RETURNING id`, f.EvaluationID, string(f.Kind), f.DueOn, f.Note, f.OpenedBy,
		ts(f.OpenedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: insert follow-up: %w", err)
	}
	return id, nil
}

// CloseFollowUp closes an open task at version with its outcome.
func CloseFollowUp(ctx context.Context, q Q, id domain.FollowUpID, version int64, outcome domain.FollowUpOutcome, note, by string,
	at time.Time) error {
	return exec1(ctx, q, "close follow-up", `UPDATE evaluation_followups SET open = FALSE, outcome = $3, outcome_note = $4,
		closed_by = $5, closed_at = $6, version = version + 1 WHERE id = $1 AND version = $2 AND open`,
		id, version, string(outcome), note, by, ts(at))
}

const followUpCols = `f.id, f.evaluation_id, e.year, e.person_id, p.name, p.id_masked, e.home_org_id, ho.name, e.org_id, o.name,
	f.kind, f.due_on, f.note, f.open, f.outcome, f.outcome_note, f.opened_by, f.opened_at, f.closed_by, f.closed_at, f.version`

const followUpFrom = ` FROM evaluation_followups f JOIN evaluations e ON e.id = f.evaluation_id JOIN persons p ON p.id = e.person_id
	JOIN orgs o ON o.id = e.org_id JOIN orgs ho ON ho.id = e.home_org_id`

func scanFollowUp(row interface{ Scan(...any) error }) (domain.FollowUp, error) {
	var f domain.FollowUp
	var masked, kind, outcome string
	var closed sql.NullTime
	err := row.Scan(&f.ID, &f.EvaluationID, &f.Year, &f.PersonID, &f.PersonName, &masked, &f.HomeOrgID, &f.HomeOrgName, &f.OrgID,
		&f.OrgName, &kind, &f.DueOn, &f.Note, &f.Open, &outcome, &f.OutcomeNote, &f.OpenedBy, &f.OpenedAt, &f.ClosedBy, &closed,
		&f.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return f, domain.ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("store: scan follow-up: %w", err)
	}
	f.IDNumber, f.Kind, f.Outcome = domain.Masked(masked), domain.FollowUpKind(kind), domain.FollowUpOutcome(outcome)
	f.OpenedAt, f.ClosedAt = f.OpenedAt.UTC(), nullTime(closed)
	return f, nil
}

// FollowUpByID reads one task.
func FollowUpByID(ctx context.Context, q Q, id domain.FollowUpID) (domain.FollowUp, error) {
	return scanFollowUp(q.QueryRowContext(ctx, `SELECT `+followUpCols+followUpFrom+` WHERE f.id = $1`, id))
}

// FollowUpQuery selects tasks: Scope is matched against the home
// organization and the one where the member takes part.
type FollowUpQuery struct {
	Scope      authz.OrgFilter
	Evaluation domain.EvaluationID
	Person     domain.PersonID
	Open       *bool
	Before     domain.FollowUpID
	Limit      int
}

// ListFollowUps returns one page of tasks, newest first.
func ListFollowUps(ctx context.Context, q Q, f FollowUpQuery) ([]domain.FollowUp, error) {
	var args []any
	home, args := f.Scope.SQL("ho.path", args)
	org, args := f.Scope.SQL("o.path", args)
	where := []string{"(" + home + " OR " + org + ")"}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Evaluation != 0 {
		add("f.evaluation_id = ?", f.Evaluation)
	}
	if f.Person != 0 {
		add("e.person_id = ?", f.Person)
	}
	if f.Open != nil {
		add("f.open = ?", *f.Open)
	}
	if f.Before != 0 {
		add("f.id < ?", f.Before)
	}
	args = append(args, pageLimit(f.Limit))
	rows, err := q.QueryContext(ctx, `SELECT `+followUpCols+followUpFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY f.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list follow-ups: %w", err)
	}
	defer rows.Close()
	var out []domain.FollowUp
	for rows.Next() {
		x, err := scanFollowUp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
