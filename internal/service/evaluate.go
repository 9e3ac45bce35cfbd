package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// The yearly democratic evaluation (民主评议党员, issue #5 item 4,
// party-rules.md §3). The organization where the member takes part — the
// mobile organization, or the home one for a member not placed — proposes
// the rating through a role on its own side; a host whose agreement
// grants CapFeedback records its opinion; the home organization confirms
// it or changes it with a reason. The excellent share (a third by
// default) is reported on proposal and enforced at confirmation; an
// unqualified rating opens a follow-up task.

// The refusals that depend on who asks; each is audited.
var (
	errEvalNoCap       = &domain.Error{Code: domain.CodeForbidden, MsgID: "evaluation.no_capability"}
	errEvalNotProposer = &domain.Error{Code: domain.CodeForbidden, MsgID: "evaluation.not_proposer"}
	errEvalHostOpinion = &domain.Error{Code: domain.CodeForbidden, MsgID: "evaluation.host_gives_opinion"}
	errEvalNotHost     = &domain.Error{Code: domain.CodeForbidden, MsgID: "evaluation.not_host"}
	errEvalNotHome     = &domain.Error{Code: domain.CodeForbidden, MsgID: "evaluation.not_home"}
)

const evaluationPolicyKey = "evaluation_policy"

// EvaluationPolicy is the evaluation setting in force.
func (s *Service) EvaluationPolicy(ctx context.Context) (domain.EvaluationPolicy, error) {
	return loadSetting(ctx, s, evaluationPolicyKey, domain.DefaultEvaluationPolicy())
}

// CanSetEvaluationPolicy reports whether the actor may change the policy:
// it binds every member of the county, so it takes feedback:write at each
// root of the origin side (the county officer).
func (s *Service) CanSetEvaluationPolicy(ctx context.Context, a *authz.Actor) (bool, error) {
	roots, err := store.RootOrgs(ctx, s.db.Read(), domain.SideOrigin)
	if err != nil || len(roots) == 0 {
		return false, err
	}
	for _, o := range roots {
		if !homeSide(a, o) {
			return false, nil
		}
	}
	return true, nil
}

// SetEvaluationPolicy stores a new policy, audited with the old one.
func (s *Service) SetEvaluationPolicy(ctx context.Context, a *authz.Actor, p domain.EvaluationPolicy) error {
	ok, err := s.CanSetEvaluationPolicy(ctx, a)
	if err != nil {
		return err
	}
	if !ok {
		return s.denied(ctx, a, "evaluation.policy", "setting", evaluationPolicyKey, domain.ErrForbidden)
	}
	if err := p.Check(); err != nil {
		return err
	}
	old, err := s.EvaluationPolicy(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.FeedbackWrite, "evaluation.policy", evaluationPolicyKey, old, p)
}

// ProposalInput is a proposed rating.
type ProposalInput struct {
	Person domain.PersonID
	Year   int
	Rating domain.Rating
	Note   string
}

// Proposal is what a proposal did: the evaluation, and a warning when the
// organization's proposals for the year exceed the excellent share (the
// home side will be refused at confirmation unless some change).
type Proposal struct {
	ID      domain.EvaluationID
	Warning error
}

// checkYear refuses a year not begun, or before the records.
func (s *Service) checkYear(y int) error {
	if y < 2000 {
		return domain.Invalid("year", "evaluation.year_invalid", map[string]any{"Year": y})
	}
	if y > s.Today().Time().Year() {
		return domain.Invalid("year", "evaluation.year_future", map[string]any{"Year": y})
	}
	return nil
}

// participating is the organization where a member takes part: the
// mobile one, or the home one for a member not placed.
func participating(ctx context.Context, q store.Q, m *domain.Membership) (domain.Org, error) {
	if m.MobileOrgID != 0 {
		return store.OrgByID(ctx, q, m.MobileOrgID)
	}
	return store.OrgByID(ctx, q, m.HomeOrgID)
}

// proposes reports whether the actor proposes for org: feedback:write
// there through a role on the organization's own side. A host (through an
// agreement) gives an opinion instead; without the capability it is told
// so.
func proposes(a *authz.Actor, org domain.Org) error {
	t := target(org)
	via := a.Via(authz.FeedbackWrite, t)
	switch {
	case slices.ContainsFunc(via, func(r authz.Reach) bool { return r.Agreement == 0 && r.Side == org.Side }):
		return nil
	case len(via) > 0 && viaAgreement(a, authz.FeedbackWrite, t):
		return errEvalHostOpinion
	case viaAgreement(a, authz.OrgRead, t):
		return errEvalNoCap
	}
	return errEvalNotProposer
}

// ratable reads a member the actor may see who is rated under the policy,
// with the organization where the member takes part.
func (s *Service) ratable(ctx context.Context, q store.Q, a *authz.Actor, id domain.PersonID, pol domain.EvaluationPolicy) (store.PersonRow, domain.Org, error) {
	p, err := s.personFor(ctx, q, a, id, authz.PersonRead)
	if err != nil {
		return p, domain.Org{}, err
	}
	m := p.Membership
	switch {
	case m == nil || (m.Status != domain.StatusFull && m.Status != domain.StatusProbationary):
		return p, domain.Org{}, domain.Rule("evaluation.not_member", map[string]any{"Name": p.Name})
	case !pol.Rates(m.Status):
		return p, domain.Org{}, domain.Rule("evaluation.probationary_not_rated", map[string]any{"Name": p.Name})
	}
	org, err := participating(ctx, q, m)
	return p, org, err
}

func evaluationURL(id domain.EvaluationID) string {
	return "/evaluations/" + strconv.FormatInt(int64(id), 10)
}

// ProposeEvaluation proposes (or, before confirmation, proposes again) a
// member's rating for a year, tells the home side and asks the hosts
// whose agreements grant feedback for their opinion.
func (s *Service) ProposeEvaluation(ctx context.Context, a *authz.Actor, in ProposalInput) (Proposal, error) {
	var out Proposal
	if err := s.checkYear(in.Year); err != nil {
		return out, err
	}
	if !in.Rating.Valid() {
		return out, domain.Invalid("rating", "evaluation.rating_invalid", nil)
	}
	if err := checkText("note", &in.Note); err != nil {
		return out, err
	}
	pol, err := s.EvaluationPolicy(ctx)
	if err != nil {
		return out, err
	}
	p, org, err := s.ratable(ctx, s.db.Read(), a, in.Person, pol)
	if err != nil {
		return out, err
	}
	if err := proposes(a, org); err != nil {
		return out, s.refused(ctx, a, "evaluation.propose", "person", in.Person, err)
	}
	e := domain.Evaluation{PersonID: p.ID, PersonName: p.Name, Year: in.Year, OrgID: org.ID, OrgName: org.Name,
		HomeOrgID: p.Membership.HomeOrgID, Proposed: in.Rating, ProposalNote: in.Note, ProposerID: a.AccountID, ProposedBy: a.Name,
		ProposedAt: s.Now()}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		if err := s.saveProposal(ctx, tx, &e); err != nil {
			return err
		}
		d := map[string]any{"evaluation": e.ID, "year": e.Year, "rating": e.Proposed, "org": org.Name}
		if err := s.personEvent(ctx, tx, a, p.ID, "evaluation_proposed", d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "evaluation.propose", "evaluation", fmt.Sprint(e.ID), "ok", d); err != nil {
			return err
		}
		args := map[string]any{"Person": p.Name, "Year": e.Year, "Org": org.Name}
		if err := s.tell(ctx, tx, a, e.HomeOrgID, homeRoles, nil, Notice{Kind: "evaluation", MsgID: "evaluation.notice.proposed",
			Args: args, Link: evaluationURL(e.ID), Key: fmt.Sprintf("evaluation:%d:proposed:%d", e.ID, e.Version)}); err != nil {
			return err
		}
		if err := s.askHosts(ctx, tx, a, org, e.ID, args); err != nil {
			return err
		}
		confirmed, proposed, err := store.OrgRatings(ctx, tx, org.ID, e.Year)
		if err != nil {
			return err
		}
		for r, n := range confirmed {
			proposed[r] += n
		}
		out = Proposal{ID: e.ID, Warning: domain.CheckExcellentShare(proposed, pol.ExcellentNum, pol.ExcellentDen)}
		return nil
	})
	return out, err
}

// saveProposal inserts the evaluation or replaces a proposal not yet
// confirmed, leaving e with its id and new version.
func (s *Service) saveProposal(ctx context.Context, tx store.Tx, e *domain.Evaluation) error {
	old, err := store.EvaluationOf(ctx, tx, e.PersonID, e.Year)
	switch {
	case domain.CodeOf(err) == domain.CodeNotFound:
		e.Version = 1
		e.ID, err = store.InsertEvaluation(ctx, tx, *e)
		return err
	case err != nil:
		return err
	case old.State == domain.EvaluationConfirmed:
		return domain.Conflict("year", "evaluation.confirmed_already", map[string]any{"Year": e.Year})
	}
	e.ID, e.Version = old.ID, old.Version
	if err := store.UpdateProposal(ctx, tx, *e); err != nil {
		return err
	}
	e.Version++
	return nil
}

// askHosts asks the host organizations whose in-force agreements cover org
// and grant feedback for their opinion, once per evaluation.
func (s *Service) askHosts(ctx context.Context, tx store.Tx, a *authz.Actor, org domain.Org, id domain.EvaluationID, args map[string]any) error {
	if org.Side != domain.SideMobile {
		return nil
	}
	hosts, err := store.FeedbackHosts(ctx, tx, org.Path, s.Today())
	if err != nil {
		return err
	}
	for _, h := range hosts {
		if err := s.tell(ctx, tx, a, h, hostRoles, nil, Notice{Kind: "evaluation", MsgID: "evaluation.notice.opinion_asked",
			Args: args, Link: evaluationURL(id), Key: fmt.Sprintf("evaluation:%d:opinion_asked", id)}); err != nil {
			return err
		}
	}
	return nil
}

// evaluationFor reads an evaluation the actor may see (feedback:write at
// the home organization or where the member takes part), with those two
// organizations. One whose member the actor may only read is forbidden
// (a host whose agreement lacks the capability learns why).
func (s *Service) evaluationFor(ctx context.Context, q store.Q, a *authz.Actor, id domain.EvaluationID) (domain.Evaluation, domain.Org, domain.Org, error) {
	e, err := store.EvaluationByID(ctx, q, id)
	if err != nil {
		return e, domain.Org{}, domain.Org{}, err
	}
	home, org, err := s.twoOrgs(ctx, q, e.HomeOrgID, e.OrgID)
	if err != nil {
		return e, home, org, err
	}
	return e, home, org, s.mayRead(ctx, q, a, e.PersonID, home, org, errEvalNoCap)
}

// OpinionInput is the host side's opinion: the rating it suggests and why.
type OpinionInput struct {
	Rating  domain.Rating
	Note    string
	Version int64
}

// RecordHostOpinion records (or, before confirmation, replaces) the host
// side's opinion on a proposed evaluation. Only a host whose agreement
// grants CapFeedback may; any other account is refused and nothing
// changes.
func (s *Service) RecordHostOpinion(ctx context.Context, a *authz.Actor, id domain.EvaluationID, in OpinionInput) error {
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		e, _, org, err := s.evaluationFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		w, err := s.hostWriter(ctx, tx, a, org)
		if err != nil {
			return err
		}
		if err := checkOpinion(&in, e); err != nil {
			return err
		}
		now := s.Now()
		e.HostOrgID, e.HostRating, e.HostNote, e.HostBy, e.HostAt = w.org.ID, in.Rating, in.Note, a.Name, &now
		if err := store.SetHostOpinion(ctx, tx, e); err != nil {
			return err
		}
		d := map[string]any{"evaluation": id, "year": e.Year, "host": w.org.Name, "rating": in.Rating}
		if err := s.personEvent(ctx, tx, a, e.PersonID, "evaluation_opinion", d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "evaluation.opinion", "evaluation", fmt.Sprint(id), "ok", d); err != nil {
			return err
		}
		return s.tell(ctx, tx, a, e.HomeOrgID, homeRoles, nil, Notice{Kind: "evaluation", MsgID: "evaluation.notice.opinion",
			Args: map[string]any{"Person": e.PersonName, "Year": e.Year, "Org": w.org.Name}, Link: evaluationURL(id),
			Key: fmt.Sprintf("evaluation:%d:opinion:%d", id, e.Version)})
	})
	return s.refused(ctx, a, "evaluation.opinion", "evaluation", id, err)
}

// hostWriter is the host party an actor gives its opinion as, for a member
// taking part in org: only through an agreement granting feedback.
func (s *Service) hostWriter(ctx context.Context, q store.Q, a *authz.Actor, org domain.Org) (writer, error) {
	w, err := s.writerFor(ctx, q, a, org)
	switch {
	case errors.Is(err, errFeedbackNoCap):
		return w, errEvalNoCap
	case err != nil || w.side != domain.SideHost:
		return w, errEvalNotHost
	}
	return w, nil
}

func checkOpinion(in *OpinionInput, e domain.Evaluation) error {
	switch {
	case e.State != domain.EvaluationProposed:
		return domain.Conflict("year", "evaluation.confirmed_already", map[string]any{"Year": e.Year})
	case in.Version != 0 && in.Version != e.Version:
		return domain.ErrStale
	case !in.Rating.Valid():
		return domain.Invalid("rating", "evaluation.rating_invalid", nil)
	}
	return checkText("note", &in.Note)
}
