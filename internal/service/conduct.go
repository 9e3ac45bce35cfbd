package service

import (
	"context"
	"sort"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// A member's feedback and evaluation history from both sides, for the
// person page (officials) and the member's own page (on a phone).

// ConductRecord is a member's feedback, evaluations and follow-up tasks,
// newest first, with what the reader may start from there.
type ConductRecord struct {
	Person      domain.PersonID
	Feedback    []domain.Feedback
	Evaluations []domain.Evaluation
	FollowUps   []domain.FollowUp
	Quarter     string // the current quarter, for a "write" link
	Year        int    // the current year, for a "propose" link
	CanWrite    bool   // the reader writes feedback for this member
	CanPropose  bool   // the reader proposes this member's rating
}

// The bounds of a member's history on a page.
const (
	maxConductFeedback    = 200
	maxConductEvaluations = 50
)

// memberHistory reads the member's whole history (the caller has decided
// the reader may see it).
func (s *Service) memberHistory(ctx context.Context, q store.Q, id domain.PersonID) (*ConductRecord, error) {
	all := authz.OrgFilter{Prefixes: []string{"/"}}
	r := &ConductRecord{Person: id, Quarter: s.CurrentQuarter(), Year: s.Today().Time().Year()}
	var err error
	if r.Feedback, err = store.ListFeedback(ctx, q, store.FeedbackQuery{Scope: all, Person: id, Limit: maxConductFeedback}); err != nil {
		return nil, err
	}
	if r.Evaluations, err = store.ListEvaluations(ctx, q, store.EvaluationQuery{Scope: all, Person: id,
		Limit: maxConductEvaluations}); err != nil {
		return nil, err
	}
	r.FollowUps, err = store.ListFollowUps(ctx, q, store.FollowUpQuery{Scope: all, Person: id, Limit: maxConductEvaluations})
	// Newest period first, whatever order they were entered in.
	sort.SliceStable(r.Feedback, func(i, j int) bool { return r.Feedback[i].Quarter > r.Feedback[j].Quarter })
	sort.SliceStable(r.Evaluations, func(i, j int) bool { return r.Evaluations[i].Year > r.Evaluations[j].Year })
	return r, err
}

// MemberConduct is a member's history for a reader holding feedback:write
// at the member's home or mobile organization; nil (and no error) for
// anyone else and for people who are not members, whose pages leave the
// section out.
func (s *Service) MemberConduct(ctx context.Context, a *authz.Actor, id domain.PersonID) (*ConductRecord, error) {
	q := s.db.Read()
	p, err := s.personFor(ctx, q, a, id, authz.PersonRead)
	if err != nil || p.Membership == nil {
		return nil, err
	}
	m := p.Membership
	home, err := store.OrgByID(ctx, q, m.HomeOrgID)
	if err != nil {
		return nil, err
	}
	var mob domain.Org
	if m.MobileOrgID != 0 {
		if mob, err = store.OrgByID(ctx, q, m.MobileOrgID); err != nil {
			return nil, err
		}
	}
	if !a.CanAt(authz.FeedbackWrite, target(home)).Allowed && (mob.ID == 0 || !a.CanAt(authz.FeedbackWrite, target(mob)).Allowed) {
		return nil, nil
	}
	r, err := s.memberHistory(ctx, q, id)
	if err != nil {
		return nil, err
	}
	rated := m.Status == domain.StatusFull || m.Status == domain.StatusProbationary
	if mob.ID != 0 && rated {
		if w, err := s.writerFor(ctx, q, a, mob); err == nil {
			done, err := store.FeedbackExists(ctx, q, id, r.Quarter, w.org.ID)
			if err != nil {
				return nil, err
			}
			r.CanWrite = !done
		}
	}
	pol, err := s.EvaluationPolicy(ctx)
	if err != nil {
		return nil, err
	}
	if pol.Rates(m.Status) && !confirmedIn(r.Evaluations, r.Year) {
		org := mob
		if org.ID == 0 {
			org = home
		}
		r.CanPropose = proposes(a, org) == nil
	}
	return r, nil
}

// confirmedIn reports whether the year's evaluation is confirmed already.
func confirmedIn(es []domain.Evaluation, year int) bool {
	for _, e := range es {
		if e.Year == year && e.State == domain.EvaluationConfirmed {
			return true
		}
	}
	return false
}

// OwnConduct is the signed-in member's own history: the feedback as
// written (without the home side's internal comments and the officials'
// names), the confirmed ratings (a proposal shows only that it is under
// way) and the follow-up tasks. Nil when the account's own record is not
// found.
func (s *Service) OwnConduct(ctx context.Context, a *authz.Actor) (*ConductRecord, error) {
	p, err := s.OwnPerson(ctx, a)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := s.memberHistory(ctx, s.db.Read(), p.ID)
	if err != nil {
		return nil, err
	}
	for i := range r.Feedback {
		f := &r.Feedback[i]
		f.Comment, f.AuthorName, f.AnsweredBy, f.AuthorID, f.AnswererID = "", "", "", 0, 0
	}
	for i := range r.Evaluations {
		e := &r.Evaluations[i]
		e.ProposalNote, e.ProposedBy, e.ProposerID, e.HostRating, e.HostNote, e.HostBy = "", "", 0, "", "", ""
		e.ConfirmedBy, e.ConfirmerID = "", 0
		if e.State != domain.EvaluationConfirmed {
			e.Proposed = ""
		}
	}
	for i := range r.FollowUps {
		r.FollowUps[i].OpenedBy, r.FollowUps[i].ClosedBy = "", ""
	}
	return r, nil
}
