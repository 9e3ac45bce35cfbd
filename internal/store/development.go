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

// Member development (decision 0014): cases, their steps, the mentors and
// introducers, the host side's inspections and opinions, and the step
// documents. Lists are scoped in SQL by the case's home organization (the
// actor's development:approve filter) and its mobile organization (the
// host side's cultivation filter).

// rowsOf runs a query and scans every row with scan.
func rowsOf[T any](ctx context.Context, q Q, what, query string, scan func(interface{ Scan(...any) error }) (T, error), args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// CreateDevCase opens a case; a second open case for the person is a
// conflict.
func CreateDevCase(ctx context.Context, q Q, c domain.DevCase) (domain.DevCaseID, error) {
	var id domain.DevCaseID
	err := q.QueryRowContext(ctx, `INSERT INTO dev_cases (person_id, home_org_id, mobile_org_id, state, step, stage, applied_on,
		opened_at) VALUES ($1, $2, $3, 'open', 0, 1, $4, $5) RETURNING id`, c.PersonID, c.HomeOrgID, c.MobileOrgID, c.AppliedOn,
		ts(c.OpenedAt)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("person", "development.duplicate", map[string]any{"Name": c.PersonName})
	}
	if err != nil {
		return 0, fmt.Errorf("store: create development case: %w", err)
	}
	return id, nil
}

const devCaseCols = `c.id, c.person_id, p.name, p.id_masked, p.birth_on, c.home_org_id, ho.name, ho.path, c.mobile_org_id, mo.name,
	mo.path, c.state, c.step, c.stage, c.applied_on, c.activist_on, c.target_on, c.admitted_on, c.approved_on, c.probation_end,
	c.full_on, c.extension, c.close_reason, c.opened_at, c.closed_at, c.version`

const devCaseFrom = ` FROM dev_cases c JOIN persons p ON p.id = c.person_id JOIN orgs ho ON ho.id = c.home_org_id
	JOIN orgs mo ON mo.id = c.mobile_org_id`

func scanDevCase(row interface{ Scan(...any) error }) (domain.DevCase, error) {
	var c domain.DevCase
	var masked string
	var closed sql.NullTime
	err := row.Scan(&c.ID, &c.PersonID, &c.PersonName, &masked, &c.BirthOn, &c.HomeOrgID, &c.HomeOrgName, &c.HomeOrgPath,
		&c.MobileOrgID, &c.MobileOrgName, &c.MobileOrgPath, &c.State, &c.Step, &c.Stage, &c.AppliedOn, &c.ActivistOn, &c.TargetOn,
		&c.AdmittedOn, &c.ApprovedOn, &c.ProbationEnd, &c.FullOn, &c.Extension, &c.CloseReason, &c.OpenedAt, &closed, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("store: scan development case: %w", err)
	}
	c.IDNumber, c.OpenedAt = domain.Masked(masked), c.OpenedAt.UTC()
	if closed.Valid {
		t := closed.Time.UTC()
		c.ClosedAt = &t
	}
	return c, nil
}

// DevCaseByID reads one case; the caller checks the scope on its
// organizations.
func DevCaseByID(ctx context.Context, q Q, id domain.DevCaseID) (domain.DevCase, error) {
	return scanDevCase(q.QueryRowContext(ctx, `SELECT `+devCaseCols+devCaseFrom+` WHERE c.id = $1`, id))
}

// OpenDevCaseOf is the person's open case, if any.
func OpenDevCaseOf(ctx context.Context, q Q, person domain.PersonID) (domain.DevCase, error) {
	return scanDevCase(q.QueryRowContext(ctx, `SELECT `+devCaseCols+devCaseFrom+` WHERE c.person_id = $1 AND c.state = 'open'`,
		person))
}

// DevCasesOf lists a person's cases, newest first.
func DevCasesOf(ctx context.Context, q Q, person domain.PersonID) ([]domain.DevCase, error) {
	return rowsOf(ctx, q, "development cases of person", `SELECT `+devCaseCols+devCaseFrom+` WHERE c.person_id = $1
		ORDER BY c.id DESC`, scanDevCase, person)
}

// UpdateDevCase writes where a case stands if its version is still
// c.Version.
func UpdateDevCase(ctx context.Context, q Q, c domain.DevCase) error {
	return exec1(ctx, q, "update development case", `UPDATE dev_cases SET state = $3, step = $4, stage = $5, activist_on = $6,
		target_on = $7, admitted_on = $8, approved_on = $9, probation_end = $10, full_on = $11, extension = $12, close_reason = $13,
		closed_at = $14, version = version + 1 WHERE id = $1 AND version = $2`,
		c.ID, c.Version, string(c.State), c.Step, int(c.Stage), c.ActivistOn, c.TargetOn, c.AdmittedOn, c.ApprovedOn, c.ProbationEnd,
		c.FullOn, c.Extension, c.CloseReason, tsPtr(c.ClosedAt))
}

// DevCaseQuery selects cases for a list. Home and Mobile are the actor's
// scopes (development:approve and host-side cultivation).
type DevCaseQuery struct {
	Home, Mobile authz.OrgFilter
	State        domain.DevCaseState // empty: any
	Stage        domain.DevStage     // zero: any
	Org          string              // path prefix of the home or the mobile organization
	Name         string              // substring of the person's name
	Before       domain.DevCaseID    // keyset: newest first
	Limit        int
}

func devCaseWhere(f DevCaseQuery) ([]string, []any) {
	var args []any
	home, args := f.Home.SQL("ho.path", args)
	mobile, args := f.Mobile.SQL("mo.path", args)
	where := []string{"(" + home + " OR " + mobile + ")"}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.State != "" {
		add("c.state = ?", string(f.State))
	}
	if f.Stage != 0 {
		add("c.stage = ?", int(f.Stage))
	}
	if f.Org != "" {
		add("(ho.path LIKE ? OR mo.path LIKE ?)", f.Org+"%")
	}
	if f.Name != "" {
		add("p.name LIKE ?", "%"+escapeLike(f.Name)+"%")
	}
	if f.Before != 0 {
		add("c.id < ?", f.Before)
	}
	return where, args
}

// ListDevCases returns one page of cases, newest first.
func ListDevCases(ctx context.Context, q Q, f DevCaseQuery) ([]domain.DevCase, error) {
	where, args := devCaseWhere(f)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args = append(args, f.Limit)
	return rowsOf(ctx, q, "list development cases", `SELECT `+devCaseCols+devCaseFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY c.id DESC LIMIT $`+strconv.Itoa(len(args)), scanDevCase, args...)
}

// CountDevCases counts what ListDevCases pages through (Before ignored).
func CountDevCases(ctx context.Context, q Q, f DevCaseQuery) (int, error) {
	f.Before = 0
	where, args := devCaseWhere(f)
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+devCaseFrom+` WHERE `+strings.Join(where, " AND "), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count development cases: %w", err)
	}
	return n, nil
}

// InsertDevStep records a step. A step behind an opinion gate (gate
// non-zero) is written only when the host side's opinion for that gate is
// on record, checked here in the same transaction, so no path around the
// service's rules can approve before the opinion.
func InsertDevStep(ctx context.Context, q Q, r domain.DevRecord, gate int, actor domain.AccountID) (int64, error) {
	if gate != 0 {
		var ok bool
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dev_opinions WHERE case_id = $1 AND gate = $2)`,
			r.CaseID, gate).Scan(&ok); err != nil {
			return 0, fmt.Errorf("store: development opinion on record: %w", err)
		}
		if !ok {
			return 0, domain.Rule("development.rule.opinion_missing", map[string]any{"Step": r.Step, "Gate": gate})
		}
	}
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO dev_steps (case_id, step, on_date, side, org_id, org_name, note, doc_no, days, hours,
		notice_from, notice_to, leaving, entitled, present, yes, outcome, months, reason, actor_id, actor_name, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
		RETURNING id`,
		r.CaseID, r.Step, r.On, string(r.Side), nullOrg(r.OrgID), r.OrgName, r.Note, r.DocNo, r.Days, r.Hours, r.NoticeFrom,
		r.NoticeTo, r.Leaving, r.Entitled, r.Present, r.Yes, r.Outcome, r.Months, r.Reason, nullAccount(actor), r.ActorName,
		ts(r.At)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add development step: %w", err)
	}
	return id, nil
}

const devStepCols = `id, case_id, step, on_date, side, COALESCE(org_id, 0), org_name, note, doc_no, days, hours, notice_from,
	notice_to, leaving, entitled, present, yes, outcome, months, reason, actor_name, recorded_at, superseded`

func scanDevStep(row interface{ Scan(...any) error }) (domain.DevRecord, error) {
	var r domain.DevRecord
	err := row.Scan(&r.ID, &r.CaseID, &r.Step, &r.On, &r.Side, &r.OrgID, &r.OrgName, &r.Note, &r.DocNo, &r.Days, &r.Hours,
		&r.NoticeFrom, &r.NoticeTo, &r.Leaving, &r.Entitled, &r.Present, &r.Yes, &r.Outcome, &r.Months, &r.Reason, &r.ActorName,
		&r.At, &r.Superseded)
	if err != nil {
		return r, fmt.Errorf("store: scan development step: %w", err)
	}
	r.At = r.At.UTC()
	return r, nil
}

// DevSteps lists a case's steps in the order recorded.
func DevSteps(ctx context.Context, q Q, id domain.DevCaseID) ([]domain.DevRecord, error) {
	return rowsOf(ctx, q, "development steps", `SELECT `+devStepCols+` FROM dev_steps WHERE case_id = $1 ORDER BY id`,
		scanDevStep, id)
}

// SupersedeDevSteps marks a case's steps from..to as undone (an approved
// extension of probation).
func SupersedeDevSteps(ctx context.Context, q Q, id domain.DevCaseID, from, to int) error {
	if _, err := q.ExecContext(ctx, `UPDATE dev_steps SET superseded = TRUE WHERE case_id = $1 AND step BETWEEN $2 AND $3`,
		id, from, to); err != nil {
		return fmt.Errorf("store: supersede development steps: %w", err)
	}
	return nil
}

// DevPersonRow is a mentor or an introducer of a case.
type DevPersonRow struct {
	Role     string // mentor, introducer
	PersonID domain.PersonID
	Name     string
	Since    domain.Date
}

// AddDevPeople names mentors or introducers.
func AddDevPeople(ctx context.Context, q Q, id domain.DevCaseID, role string, ps []domain.DevPerson, since domain.Date) error {
	for _, p := range ps {
		if _, err := q.ExecContext(ctx, `INSERT INTO dev_people (case_id, role, person_id, name, since_on) VALUES ($1, $2, $3, $4, $5)`,
			id, role, p.PersonID, p.Name, since); err != nil {
			return fmt.Errorf("store: add development %s: %w", role, err)
		}
	}
	return nil
}

// DevPeople lists a case's mentors and introducers.
func DevPeople(ctx context.Context, q Q, id domain.DevCaseID) ([]DevPersonRow, error) {
	return rowsOf(ctx, q, "development people", `SELECT role, person_id, name, since_on FROM dev_people WHERE case_id = $1
		ORDER BY role DESC, since_on, name`, func(row interface{ Scan(...any) error }) (DevPersonRow, error) {
		var p DevPersonRow
		err := row.Scan(&p.Role, &p.PersonID, &p.Name, &p.Since)
		return p, err
	}, id)
}

// AddDevAssessment records an inspection.
func AddDevAssessment(ctx context.Context, q Q, a domain.DevAssessment, org domain.OrgID, actor domain.AccountID) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO dev_assessments (case_id, on_date, stage, text, side, org_id, org_name, actor_id,
		actor_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, a.CaseID, a.On, int(a.Stage), a.Text,
		string(a.Side), nullOrg(org), a.OrgName, nullAccount(actor), a.ActorName, ts(a.At)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add development assessment: %w", err)
	}
	return id, nil
}

// DevAssessments lists a case's inspections by date.
func DevAssessments(ctx context.Context, q Q, id domain.DevCaseID) ([]domain.DevAssessment, error) {
	return rowsOf(ctx, q, "development assessments", `SELECT id, case_id, on_date, stage, text, side, org_name, actor_name,
		recorded_at FROM dev_assessments WHERE case_id = $1 ORDER BY on_date, id`, func(row interface{ Scan(...any) error }) (domain.DevAssessment, error) {
		var a domain.DevAssessment
		err := row.Scan(&a.ID, &a.CaseID, &a.On, &a.Stage, &a.Text, &a.Side, &a.OrgName, &a.ActorName, &a.At)
		a.At = a.At.UTC()
		return a, err
	}, id)
}

// AddDevOpinion records the host side's opinion for a gate; a second one
// for the same gate is a conflict.
func AddDevOpinion(ctx context.Context, q Q, o domain.DevOpinion, org domain.OrgID, agreement domain.AgreementID, actor domain.AccountID) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO dev_opinions (case_id, gate, on_date, text, side, org_id, org_name, agreement_id,
		actor_id, actor_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, o.CaseID, o.Gate, o.On,
		o.Text, string(o.Side), nullOrg(org), o.OrgName, nullID(agreement), nullAccount(actor), o.ActorName, ts(o.At)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("gate", "development.opinion_duplicate", map[string]any{"Gate": o.Gate})
	}
	if err != nil {
		return 0, fmt.Errorf("store: add development opinion: %w", err)
	}
	return id, nil
}

// DevOpinions lists a case's opinions by gate.
func DevOpinions(ctx context.Context, q Q, id domain.DevCaseID) ([]domain.DevOpinion, error) {
	return rowsOf(ctx, q, "development opinions", `SELECT id, case_id, gate, on_date, text, side, org_name, actor_name, recorded_at
		FROM dev_opinions WHERE case_id = $1 ORDER BY gate`, func(row interface{ Scan(...any) error }) (domain.DevOpinion, error) {
		var o domain.DevOpinion
		err := row.Scan(&o.ID, &o.CaseID, &o.Gate, &o.On, &o.Text, &o.Side, &o.OrgName, &o.ActorName, &o.At)
		o.At = o.At.UTC()
		return o, err
	}, id)
}

// AddDevFile keeps a document's record.
func AddDevFile(ctx context.Context, q Q, f domain.DevFile) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO dev_files (case_id, step, name, content_type, size, sha256, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, f.CaseID, f.Step, f.Name, f.ContentType, f.Size, f.SHA256,
		f.UploadedBy, ts(f.UploadedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add development file: %w", err)
	}
	return id, nil
}

const devFileCols = `id, case_id, step, name, content_type, size, sha256, uploaded_by, uploaded_at`

func scanDevFile(row interface{ Scan(...any) error }) (domain.DevFile, error) {
	var f domain.DevFile
	err := row.Scan(&f.ID, &f.CaseID, &f.Step, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.UploadedBy, &f.UploadedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, domain.ErrNotFound
	}
	f.UploadedAt = f.UploadedAt.UTC()
	return f, err
}

// DevFiles lists a case's documents by step.
func DevFiles(ctx context.Context, q Q, id domain.DevCaseID) ([]domain.DevFile, error) {
	return rowsOf(ctx, q, "development files", `SELECT `+devFileCols+` FROM dev_files WHERE case_id = $1 ORDER BY step, id`,
		scanDevFile, id)
}

// DevFileByID reads one document of a case.
func DevFileByID(ctx context.Context, q Q, id domain.DevCaseID, file int64) (domain.DevFile, error) {
	return scanDevFile(q.QueryRowContext(ctx, `SELECT `+devFileCols+` FROM dev_files WHERE case_id = $1 AND id = $2`, id, file))
}

// DevFilesSize is the total size of a case's documents.
func DevFilesSize(ctx context.Context, q Q, id domain.DevCaseID) (int64, error) {
	var n int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0) FROM dev_files WHERE case_id = $1`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: development files size: %w", err)
	}
	return n, nil
}

// CountDevApprovals counts approvals (step 17) recorded in [from, to].
func CountDevApprovals(ctx context.Context, q Q, from, to domain.Date) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dev_steps WHERE step = 17 AND on_date BETWEEN $1 AND $2`, from, to).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count approvals: %w", err)
	}
	return n, nil
}

// DevDeadline kinds.
const (
	DeadlineConversion = "conversion" // probation ends within the window; no conversion request yet
	DeadlineApproval   = "approval"   // an approval (17 or 24) past three months
	DeadlineEligible   = "eligible"   // an activist of a year or more not yet a candidate
)

// DevDeadlineQuery selects the open cases behind each deadline list.
type DevDeadlineQuery struct {
	Home, Mobile authz.OrgFilter
	Kind         string
	Today        domain.Date
	Within       int // days ahead, for conversions
	Limit        int
}

// DevDeadlines lists the open cases of one deadline kind, soonest first.
// The date each is due is put in ProbationEnd (conversion), ApprovedOn
// (approval: the latest day it was due) or TargetOn (eligible: the day
// the year as an activist was complete).
func DevDeadlines(ctx context.Context, q Q, f DevDeadlineQuery) ([]domain.DevCase, error) {
	var args []any
	home, args := f.Home.SQL("ho.path", args)
	mobile, args := f.Mobile.SQL("mo.path", args)
	scope := "(" + home + " OR " + mobile + ") AND c.state = 'open'"
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	n := len(args)
	p := func(i int) string { return "$" + strconv.Itoa(n+i) }
	var query string
	switch f.Kind {
	case DeadlineConversion:
		args = append(args, f.Today.AddDays(f.Within), f.Limit)
		query = `SELECT ` + devCaseCols + devCaseFrom + ` WHERE ` + scope + ` AND c.step BETWEEN 17 AND 21
			AND c.probation_end <= ` + p(1) + ` ORDER BY c.probation_end, c.id LIMIT ` + p(2)
	case DeadlineApproval:
		// The admission waits at step 15 or 16; a conversion at 23. The
		// cutoff is three months back: votes on or before it are late.
		args = append(args, f.Today.AddMonths(-domain.DevApprovalMonths), f.Limit)
		query = `SELECT ` + devCaseCols + devCaseFrom + ` WHERE ` + scope + ` AND (
			(c.step IN (15, 16) AND c.admitted_on < ` + p(1) + `)
			OR (c.step = 23 AND EXISTS (SELECT 1 FROM dev_steps s WHERE s.case_id = c.id AND s.step = 23 AND NOT s.superseded
				AND s.on_date < ` + p(1) + `)))
			ORDER BY c.admitted_on, c.id LIMIT ` + p(2)
	case DeadlineEligible:
		args = append(args, f.Today.AddYears(-domain.DevActivistYears), f.Limit)
		query = `SELECT ` + devCaseCols + devCaseFrom + ` WHERE ` + scope + ` AND c.step BETWEEN 3 AND 6
			AND c.activist_on <= ` + p(1) + ` ORDER BY c.activist_on, c.id LIMIT ` + p(2)
	default:
		return nil, domain.Invalid("kind", "development.deadline_kind", nil)
	}
	return rowsOf(ctx, q, "development deadlines", query, scanDevCase, args...)
}

// DevStageDate is one stage boundary of a case: the date of the first
// step of a stage, or of the archive (step 25).
type DevStageDate struct {
	CaseID domain.DevCaseID
	Step   int
	On     domain.Date
}

// DevReportRows reads, for the cases in scope, the case rows and their
// stage boundaries (the first steps of the stages and the archive), for
// the reports. The county's few thousand cases fit in memory.
func DevReportRows(ctx context.Context, q Q, home, mobile authz.OrgFilter, org string) ([]domain.DevCase, []DevStageDate, error) {
	f := DevCaseQuery{Home: home, Mobile: mobile, Org: org}
	where, args := devCaseWhere(f)
	cases, err := rowsOf(ctx, q, "development report", `SELECT `+devCaseCols+devCaseFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY c.id`, scanDevCase, args...)
	if err != nil {
		return nil, nil, err
	}
	dates, err := rowsOf(ctx, q, "development stage dates", `SELECT s.case_id, s.step, s.on_date FROM dev_steps s
		JOIN dev_cases c ON c.id = s.case_id JOIN orgs ho ON ho.id = c.home_org_id JOIN orgs mo ON mo.id = c.mobile_org_id
		JOIN persons p ON p.id = c.person_id
		WHERE `+strings.Join(where, " AND ")+` AND s.step IN (1, 3, 7, 12, 19, 25) AND NOT s.superseded ORDER BY s.case_id, s.step`,
		func(row interface{ Scan(...any) error }) (DevStageDate, error) {
			var d DevStageDate
			err := row.Scan(&d.CaseID, &d.Step, &d.On)
			return d, err
		}, args...)
	return cases, dates, err
}

// DeleteMembership removes a person's membership: probation cancelled
// (the history keeps the events).
func DeleteMembership(ctx context.Context, q Q, id domain.PersonID) error {
	return exec1(ctx, q, "delete membership", `DELETE FROM memberships WHERE person_id = $1`, id)
}

// CreateMembership gives a person who is not yet in the Party's register a
// membership (an applicant at home, taking part at mobile).
func CreateMembership(ctx context.Context, q Q, id domain.PersonID, m domain.Membership, now time.Time) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO memberships (person_id, status, home_org_id, mobile_org_id, last_contact_on)
		VALUES ($1, $2, $3, $4, $5)`, id, string(m.Status), m.HomeOrgID, nullOrg(m.MobileOrgID), domain.Today(now)); err != nil {
		return fmt.Errorf("store: create membership: %w", err)
	}
	return nil
}
