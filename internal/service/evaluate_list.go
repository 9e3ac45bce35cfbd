package service

import (
	"context"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// The evaluation lists — members still to be proposed for a year, the
// proposals that wait for the home side, every evaluation the actor may
// see — the distribution of ratings per organization and for the county,
// and their exports.

// EvaluationView is one evaluation with its tasks and what the actor may
// do with it now.
type EvaluationView struct {
	domain.Evaluation
	FollowUps  []domain.FollowUp
	CanPropose bool // propose again (not confirmed yet)
	CanOpinion bool // give the host side's opinion
	CanConfirm bool
	CanClose   bool // close an open task
}

// Evaluation reads one evaluation for an actor who may see it.
func (s *Service) Evaluation(ctx context.Context, a *authz.Actor, id domain.EvaluationID) (EvaluationView, error) {
	q := s.db.Read()
	e, home, org, err := s.evaluationFor(ctx, q, a, id)
	if err != nil {
		return EvaluationView{}, err
	}
	v := EvaluationView{Evaluation: e}
	all := authz.OrgFilter{Prefixes: []string{"/"}}
	if v.FollowUps, err = store.ListFollowUps(ctx, q, store.FollowUpQuery{Scope: all, Evaluation: id, Limit: 100}); err != nil {
		return v, err
	}
	open := e.State == domain.EvaluationProposed
	v.CanPropose = open && proposes(a, org) == nil
	if open {
		_, err := s.hostWriter(ctx, q, a, org)
		v.CanOpinion = err == nil
	}
	v.CanConfirm = open && homeSide(a, home)
	v.CanClose = homeSide(a, home) && e.FollowUpID != 0 && !e.FollowUpClosed
	return v, nil
}

// EvaluationsDue lists the members still to be proposed for a year (zero:
// the current one) by an organization where the actor proposes: members
// placed in its mobile organizations, and for the origin side the members
// of its organizations who are not placed. Probationary members count only
// when the policy rates them.
func (s *Service) EvaluationsDue(ctx context.Context, a *authz.Actor, year int, after string, limit int) (DuePage, error) {
	if year == 0 {
		year = s.Today().Time().Year()
	}
	if err := s.checkYear(year); err != nil {
		return DuePage{}, err
	}
	pol, err := s.EvaluationPolicy(ctx)
	if err != nil {
		return DuePage{}, err
	}
	statuses := []domain.MemberStatus{domain.StatusFull}
	if pol.RateProbationary {
		statuses = ratedStatuses
	}
	var f store.EvaluationDueQuery
	for _, r := range a.Reach {
		if r.Agreement != 0 || !roleHolds(r.Role, authz.FeedbackWrite) {
			continue
		}
		switch r.Side {
		case domain.SideMobile:
			f.Placed = append(f.Placed, r.Path)
		case domain.SideOrigin:
			f.Unplaced = append(f.Unplaced, r.Path)
		}
	}
	limit = listLimit(limit)
	f.Year, f.Statuses, f.After, f.Limit = year, statuses, after, limit
	rows, err := store.EvaluationDue(ctx, s.db.Read(), f)
	if err != nil {
		return DuePage{}, err
	}
	page := DuePage{Period: strconv.Itoa(year), Next: personCursor(rows, limit)}
	for _, r := range rows {
		name := r.Membership.MobileOrgName
		if name == "" {
			name = r.Membership.HomeOrgName
		}
		page.Members = append(page.Members, DueMember{Person: r.Person, WriterOrg: name})
	}
	return page, nil
}

// EvaluationSearch filters a list of evaluations.
type EvaluationSearch struct {
	Year   int
	State  domain.EvaluationState
	Before domain.EvaluationID
	Limit  int
}

// EvaluationPage is one page of evaluations.
type EvaluationPage struct {
	Evaluations []domain.Evaluation
	Next        domain.EvaluationID
}

// EvaluationsToConfirm lists the proposals that wait for the actor's
// confirmation: the home side's list.
func (s *Service) EvaluationsToConfirm(ctx context.Context, a *authz.Actor, f EvaluationSearch) (EvaluationPage, error) {
	f.State = domain.EvaluationProposed
	return s.listEvaluations(ctx, a, f, true)
}

// ListEvaluations lists every evaluation the actor may see.
func (s *Service) ListEvaluations(ctx context.Context, a *authz.Actor, f EvaluationSearch) (EvaluationPage, error) {
	return s.listEvaluations(ctx, a, f, false)
}

func (s *Service) listEvaluations(ctx context.Context, a *authz.Actor, f EvaluationSearch, home bool) (EvaluationPage, error) {
	if f.Year != 0 {
		if err := s.checkYear(f.Year); err != nil {
			return EvaluationPage{}, err
		}
	}
	if f.State != "" && f.State != domain.EvaluationProposed && f.State != domain.EvaluationConfirmed {
		return EvaluationPage{}, domain.Invalid("state", "evaluation.state_invalid", nil)
	}
	scope := a.Filter(authz.FeedbackWrite)
	if home {
		scope = homeFilter(a, authz.FeedbackWrite)
	}
	limit := listLimit(f.Limit)
	rows, err := store.ListEvaluations(ctx, s.db.Read(), store.EvaluationQuery{Scope: scope, Home: home, Year: f.Year,
		State: f.State, Before: f.Before, Limit: limit})
	page := EvaluationPage{Evaluations: rows}
	if len(rows) == limit {
		page.Next = rows[len(rows)-1].ID
	}
	return page, err
}

// Distribution is the spread of ratings for a year: per organization
// where members take part, and the total over all of them (the county's
// figure for a county officer).
type Distribution struct {
	Year  int
	Rows  []domain.RatingCounts
	Total domain.RatingCounts
	// Num/Den is the excellent share in force, for the page to flag rows
	// over it.
	Num, Den int
}

// EvaluationDistribution counts the ratings of a year (zero: the current
// one) over the evaluations the actor may see.
func (s *Service) EvaluationDistribution(ctx context.Context, a *authz.Actor, year int) (Distribution, error) {
	if year == 0 {
		year = s.Today().Time().Year()
	}
	if err := s.checkYear(year); err != nil {
		return Distribution{}, err
	}
	pol, err := s.EvaluationPolicy(ctx)
	if err != nil {
		return Distribution{}, err
	}
	rows, err := store.RatingDistribution(ctx, s.db.Read(), a.Filter(authz.FeedbackWrite), year)
	d := Distribution{Year: year, Rows: rows, Total: domain.RatingCounts{Confirmed: map[domain.Rating]int{}},
		Num: pol.ExcellentNum, Den: pol.ExcellentDen}
	for _, r := range rows {
		for k, n := range r.Confirmed {
			d.Total.Confirmed[k] += n
		}
		d.Total.Pending += r.Pending
	}
	return d, err
}

// ExportDistribution is EvaluationDistribution for a spreadsheet, audited.
func (s *Service) ExportDistribution(ctx context.Context, a *authz.Actor, year int) (Distribution, error) {
	if err := s.throttle(ctx, a, throttle.Export); err != nil {
		return Distribution{}, err
	}
	d, err := s.EvaluationDistribution(ctx, a, year)
	if err == nil {
		s.recordAlone(ctx, a, "evaluation.export", "evaluation", "", "ok", map[string]any{"list": "distribution", "year": d.Year,
			"rows": len(d.Rows)})
	}
	return d, err
}

// EvaluationList names a list for an export.
type EvaluationList string

// The lists.
const (
	EvalDue       EvaluationList = "due"
	EvalConfirm   EvaluationList = "confirm"
	EvalAll       EvaluationList = "all"
	EvalFollowUps EvaluationList = "followups"
)

// EvaluationExport is a whole list read for a spreadsheet: one of its
// fields is filled, by the list.
type EvaluationExport struct {
	Due         DuePage
	Evaluations []domain.Evaluation
	FollowUps   []domain.FollowUp
}

// ExportEvaluations reads a whole list (at most maxExportRows), audited.
func (s *Service) ExportEvaluations(ctx context.Context, a *authz.Actor, list EvaluationList, f EvaluationSearch) (EvaluationExport, error) {
	var out EvaluationExport
	if err := s.throttle(ctx, a, throttle.Export); err != nil {
		return out, err
	}
	var err error
	f.Before, f.Limit = 0, maxExportRows
	switch list {
	case EvalDue:
		out.Due, err = s.EvaluationsDue(ctx, a, f.Year, "", maxExportRows)
	case EvalConfirm:
		var p EvaluationPage
		p, err = s.EvaluationsToConfirm(ctx, a, f)
		out.Evaluations = p.Evaluations
	case EvalFollowUps:
		var p FollowUpPage
		p, err = s.ListFollowUps(ctx, a, FollowUpSearch{Limit: maxExportRows})
		out.FollowUps = p.FollowUps
	default:
		list = EvalAll
		var p EvaluationPage
		p, err = s.ListEvaluations(ctx, a, f)
		out.Evaluations = p.Evaluations
	}
	if err != nil {
		return out, err
	}
	s.recordAlone(ctx, a, "evaluation.export", "evaluation", "", "ok", map[string]any{"list": list, "filter": f,
		"rows": len(out.Due.Members) + len(out.Evaluations) + len(out.FollowUps)})
	return out, nil
}
