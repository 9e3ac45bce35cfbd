package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/domain"
)

// Bulk writes for the demo's member development (internal/demo): cases
// with their steps, inspections, opinions and people inserted many rows
// to a statement, in the caller's transaction.

// DevCandidate is a member of the register placed in a mobile
// organization, as the demo reads it to give cases.
type DevCandidate struct {
	PersonID    domain.PersonID
	Name        string
	Status      domain.MemberStatus
	HomeOrgID   domain.OrgID
	MobileOrgID domain.OrgID
	BirthOn     domain.Date
	JoinedOn    domain.Date
	Linked      bool // an account is linked to the person
}

// DevCandidates lists the placed members (of every status) in id order.
func DevCandidates(ctx context.Context, q Q) ([]DevCandidate, error) {
	return rowsOf(ctx, q, "development candidates", `SELECT p.id, p.name, m.status, m.home_org_id, m.mobile_org_id, p.birth_on, m.joined_on,
		EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
		FROM persons p JOIN memberships m ON m.person_id = p.id WHERE m.mobile_org_id IS NOT NULL ORDER BY p.id`,
		func(row interface{ Scan(...any) error }) (DevCandidate, error) {
			var c DevCandidate
			err := row.Scan(&c.PersonID, &c.Name, &c.Status, &c.HomeOrgID, &c.MobileOrgID, &c.BirthOn, &c.JoinedOn, &c.Linked)
			return c, err
		})
}

// DevWorkers lists up to n people without a membership born on or before
// born, newest first, with their origin organization (in MobileOrgID's
// place: HomeOrgID).
func DevWorkers(ctx context.Context, q Q, n int, born domain.Date) ([]DevCandidate, error) {
	return rowsOf(ctx, q, "development workers", `SELECT p.id, p.name, p.origin_org_id, p.birth_on FROM persons p
		WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id) AND p.birth_on <= $1 ORDER BY p.id DESC LIMIT $2`,
		func(row interface{ Scan(...any) error }) (DevCandidate, error) {
			var c DevCandidate
			err := row.Scan(&c.PersonID, &c.Name, &c.HomeOrgID, &c.BirthOn)
			return c, err
		}, born, n)
}

// DevBulkCase is one case with everything recorded on it.
type DevBulkCase struct {
	Case        domain.DevCase
	Steps       []domain.DevRecord
	Assessments []domain.DevAssessment
	Opinions    []domain.DevOpinion
	Mentors     []domain.DevPerson
	Introducers []domain.DevPerson
	// NewMembership gives a worker a membership (Case.PersonID, status
	// Status, the case's organizations); MembershipDates rewrites the
	// joined and full dates of an existing one.
	NewMembership   domain.MemberStatus
	MembershipDates bool
	JoinedOn        domain.Date
	FullOn          domain.Date
}

// bulkRows inserts rows with one statement per chunk: head is the
// INSERT … VALUES prefix, width the values per row.
func bulkRows(ctx context.Context, tx Tx, what, head string, width int, rows [][]any) error {
	const chunk = 400
	for start := 0; start < len(rows); start += chunk {
		end := min(start+chunk, len(rows))
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, (end-start)*width)
		for i, r := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, r[j])
				b.WriteString("$" + strconv.Itoa(len(args)))
			}
			b.WriteString(")")
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: bulk %s: %w", what, err)
		}
	}
	return nil
}

// InsertDevCasesBulk writes the cases, each with its steps, inspections,
// opinions, mentors and introducers, and the memberships they give or
// date, in tx; actor names the recorder.
func InsertDevCasesBulk(ctx context.Context, tx Tx, cases []DevBulkCase, actor string, now time.Time) error {
	var ms, caseRows [][]any
	for _, x := range cases {
		c := x.Case
		if x.NewMembership != "" {
			ms = append(ms, []any{c.PersonID, string(x.NewMembership), c.HomeOrgID, nullOrg(c.MobileOrgID), domain.Today(now)})
		}
		var closed any
		if c.ClosedAt != nil {
			closed = ts(*c.ClosedAt)
		}
		caseRows = append(caseRows, []any{c.PersonID, c.HomeOrgID, c.MobileOrgID, string(c.State), c.Step, int(c.Stage), c.AppliedOn,
			c.ActivistOn, c.TargetOn, c.AdmittedOn, c.ApprovedOn, c.ProbationEnd, c.FullOn, ts(now), closed})
	}
	if err := bulkRows(ctx, tx, "memberships", `INSERT INTO memberships (person_id, status, home_org_id, mobile_org_id,
		last_contact_on) VALUES `, 5, ms); err != nil {
		return err
	}
	for _, x := range cases {
		if x.MembershipDates {
			if _, err := tx.ExecContext(ctx, `UPDATE memberships SET joined_on = $2, full_on = $3 WHERE person_id = $1`,
				x.Case.PersonID, x.JoinedOn, x.FullOn); err != nil {
				return fmt.Errorf("store: demo membership dates: %w", err)
			}
		}
	}
	if err := bulkRows(ctx, tx, "development cases", `INSERT INTO dev_cases (person_id, home_org_id, mobile_org_id, state, step, stage,
		applied_on, activist_on, target_on, admitted_on, approved_on, probation_end, full_on, opened_at, closed_at) VALUES `, 15,
		caseRows); err != nil {
		return err
	}
	ids := map[domain.PersonID]domain.DevCaseID{}
	rows, err := tx.QueryContext(ctx, `SELECT person_id, id FROM dev_cases`)
	if err != nil {
		return fmt.Errorf("store: demo case ids: %w", err)
	}
	for rows.Next() {
		var p domain.PersonID
		var id domain.DevCaseID
		if err := rows.Scan(&p, &id); err != nil {
			rows.Close()
			return err
		}
		ids[p] = id
	}
	rows.Close()
	var steps, as, ops, people [][]any
	for _, x := range cases {
		id := ids[x.Case.PersonID]
		for _, r := range x.Steps {
			steps = append(steps, []any{id, r.Step, r.On, string(r.Side), nullOrg(r.OrgID), r.OrgName, r.Note, r.DocNo, r.Days,
				r.Entitled, r.Present, r.Yes, r.Outcome, r.NoticeFrom, r.NoticeTo, actor, ts(now)})
		}
		for _, a := range x.Assessments {
			as = append(as, []any{id, a.On, int(a.Stage), a.Text, string(a.Side), a.OrgName, actor, ts(now)})
		}
		for _, o := range x.Opinions {
			ops = append(ops, []any{id, o.Gate, o.On, o.Text, string(o.Side), o.OrgName, actor, ts(now)})
		}
		for _, m := range x.Mentors {
			people = append(people, []any{id, "mentor", m.PersonID, m.Name, x.Case.ActivistOn})
		}
		for _, m := range x.Introducers {
			people = append(people, []any{id, "introducer", m.PersonID, m.Name, x.Case.TargetOn})
		}
	}
	if err := bulkRows(ctx, tx, "development steps", `INSERT INTO dev_steps (case_id, step, on_date, side, org_id, org_name, note, doc_no,
		days, entitled, present, yes, outcome, notice_from, notice_to, actor_name, recorded_at) VALUES `, 17, steps); err != nil {
		return err
	}
	if err := bulkRows(ctx, tx, "development assessments", `INSERT INTO dev_assessments (case_id, on_date, stage, text, side, org_name,
		actor_name, recorded_at) VALUES `, 8, as); err != nil {
		return err
	}
	if err := bulkRows(ctx, tx, "development opinions", `INSERT INTO dev_opinions (case_id, gate, on_date, text, side, org_name,
		actor_name, recorded_at) VALUES `, 8, ops); err != nil {
		return err
	}
	return bulkRows(ctx, tx, "development people", `INSERT INTO dev_people (case_id, role, person_id, name, since_on) VALUES `, 5,
		people)
}
