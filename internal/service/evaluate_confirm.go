package service

import (
	"context"
	"fmt"
	"slices"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Confirmation by the home organization, and the follow-up task an
// unqualified rating opens (限期改正, 劝退, 除名), tracked until the home
// organization closes it.

// ConfirmInput is the home side's confirmation: the rating (empty: the one
// proposed), the reason when it differs, and for an unqualified rating the
// disposal and its due date.
type ConfirmInput struct {
	Rating       domain.Rating
	Reason       string
	FollowUp     domain.FollowUpKind
	FollowUpDue  domain.Date
	FollowUpNote string
	Version      int64
}

// errFollowUpNotHome refuses closing a task to anyone but the home side.
var errFollowUpNotHome = &domain.Error{Code: domain.CodeForbidden, MsgID: "followup.not_home"}

// checkConfirm validates a confirmation of e.
func (s *Service) checkConfirm(in *ConfirmInput, e domain.Evaluation) error {
	if in.Rating == "" {
		in.Rating = e.Proposed
	}
	switch {
	case e.State != domain.EvaluationProposed:
		return domain.Conflict("year", "evaluation.confirmed_already", map[string]any{"Year": e.Year})
	case in.Version != 0 && in.Version != e.Version:
		return domain.ErrStale
	case !in.Rating.Valid():
		return domain.Invalid("rating", "evaluation.rating_invalid", nil)
	}
	if err := checkText("reason", &in.Reason); err != nil {
		return err
	}
	if in.Rating != e.Proposed && in.Reason == "" {
		return domain.Invalid("reason", "evaluation.reason_required", nil)
	}
	if in.Rating.NeedsFollowUp() {
		return s.checkFollowUp("followup", in.FollowUp, in.FollowUpDue, &in.FollowUpNote)
	}
	return nil
}

// checkFollowUp validates a task to open: a known kind, due after today
// and within two years.
func (s *Service) checkFollowUp(field string, k domain.FollowUpKind, due domain.Date, note *string) error {
	switch {
	case !k.Valid():
		return domain.Invalid(field+"_kind", "evaluation.followup_kind_invalid", nil)
	case due.IsZero() || !due.After(s.Today()) || due.After(s.Today().AddYears(2)):
		return domain.Invalid(field+"_due", "evaluation.followup_due_invalid", nil)
	}
	return checkText(field+"_note", note)
}

// checkShare refuses a confirmation that would make more than the allowed
// share of the organization's members rated this year excellent.
func checkShare(ctx context.Context, q store.Q, e domain.Evaluation, r domain.Rating, pol domain.EvaluationPolicy) error {
	if r != domain.RatingExcellent {
		return nil
	}
	confirmed, proposed, err := store.OrgRatings(ctx, q, e.OrgID, e.Year)
	if err != nil {
		return err
	}
	rated := 0
	for _, m := range []map[domain.Rating]int{confirmed, proposed} {
		for _, n := range m {
			rated += n
		}
	}
	excellent := confirmed[domain.RatingExcellent] + 1
	return domain.CheckExcellentShare(map[domain.Rating]int{domain.RatingExcellent: excellent,
		domain.RatingQualified: rated - excellent}, pol.ExcellentNum, pol.ExcellentDen)
}

// ConfirmEvaluation is the home organization's confirmation. An
// unqualified rating opens its follow-up task; the proposing side and the
// member (when the account is linked) are told.
func (s *Service) ConfirmEvaluation(ctx context.Context, a *authz.Actor, id domain.EvaluationID, in ConfirmInput) error {
	pol, err := s.EvaluationPolicy(ctx)
	if err != nil {
		return err
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		e, home, org, err := s.evaluationFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !homeSide(a, home) {
			return errEvalNotHome
		}
		if err := s.checkConfirm(&in, e); err != nil {
			return err
		}
		if err := checkShare(ctx, tx, e, in.Rating, pol); err != nil {
			return err
		}
		now := s.Now()
		e.Rating, e.ChangeReason, e.ConfirmerID, e.ConfirmedBy, e.ConfirmedAt = in.Rating, in.Reason, a.AccountID, a.Name, &now
		if err := store.ConfirmEvaluation(ctx, tx, e); err != nil {
			return err
		}
		d := map[string]any{"evaluation": id, "year": e.Year, "proposed": e.Proposed, "rating": e.Rating, "reason": e.ChangeReason}
		if err := s.personEvent(ctx, tx, a, e.PersonID, "evaluation_confirmed", d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "evaluation.confirm", "evaluation", fmt.Sprint(id), "ok", d); err != nil {
			return err
		}
		if in.Rating.NeedsFollowUp() {
			if err := s.openFollowUp(ctx, tx, a, e, in.FollowUp, in.FollowUpDue, in.FollowUpNote); err != nil {
				return err
			}
		}
		return s.tellConfirmed(ctx, tx, a, e, org)
	})
	return s.refused(ctx, a, "evaluation.confirm", "evaluation", id, err)
}

// tellConfirmed tells the proposing side and the member's own account.
func (s *Service) tellConfirmed(ctx context.Context, tx store.Tx, a *authz.Actor, e domain.Evaluation, org domain.Org) error {
	extra := []domain.AccountID{e.ProposerID}
	if own, err := store.AccountByPerson(ctx, tx, e.PersonID); err == nil {
		extra = append(extra, own.ID)
	} else if domain.CodeOf(err) != domain.CodeNotFound {
		return err
	}
	return s.tell(ctx, tx, a, org.ID, sideRoles(org.Side), extra, Notice{Kind: "evaluation", MsgID: "evaluation.notice.confirmed",
		Args: map[string]any{"Person": e.PersonName, "Year": e.Year},
		Link: evaluationURL(e.ID), Key: fmt.Sprintf("evaluation:%d:confirmed", e.ID)})
}

// openFollowUp opens a task for e, with its history and audit entry.
func (s *Service) openFollowUp(ctx context.Context, tx store.Tx, a *authz.Actor, e domain.Evaluation, k domain.FollowUpKind,
	due domain.Date, note string) error {
	id, err := store.InsertFollowUp(ctx, tx, domain.FollowUp{EvaluationID: e.ID, Kind: k, DueOn: due, Note: note, OpenedBy: a.Name,
		OpenedAt: s.Now()})
	if err != nil {
		return err
	}
	d := map[string]any{"followup": id, "evaluation": e.ID, "year": e.Year, "kind": k, "due": due}
	if err := s.personEvent(ctx, tx, a, e.PersonID, "followup_opened", d); err != nil {
		return err
	}
	return s.record(ctx, tx, a, "followup.open", "followup", fmt.Sprint(id), "ok", d)
}

// CloseInput closes a follow-up task: how it ended and a note; an
// escalation names the harder disposal that follows and its due date.
type CloseInput struct {
	Outcome  domain.FollowUpOutcome
	Note     string
	NextKind domain.FollowUpKind
	NextDue  domain.Date
	NextNote string
	Version  int64
}

// CloseFollowUp closes an open task (home side); an escalation opens the
// next one in the same transaction.
func (s *Service) CloseFollowUp(ctx context.Context, a *authz.Actor, id domain.FollowUpID, in CloseInput) error {
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		f, err := store.FollowUpByID(ctx, tx, id)
		if err != nil {
			return err
		}
		e, home, _, err := s.evaluationFor(ctx, tx, a, f.EvaluationID)
		if err != nil {
			return err
		}
		if !homeSide(a, home) {
			return errFollowUpNotHome
		}
		if err := s.checkClose(&in, f); err != nil {
			return err
		}
		if err := store.CloseFollowUp(ctx, tx, id, f.Version, in.Outcome, in.Note, a.Name, s.Now()); err != nil {
			return err
		}
		d := map[string]any{"followup": id, "evaluation": e.ID, "kind": f.Kind, "outcome": in.Outcome, "note": in.Note}
		if err := s.personEvent(ctx, tx, a, e.PersonID, "followup_closed", d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "followup.close", "followup", fmt.Sprint(id), "ok", d); err != nil {
			return err
		}
		if in.Outcome == domain.OutcomeEscalated {
			return s.openFollowUp(ctx, tx, a, e, in.NextKind, in.NextDue, in.NextNote)
		}
		return nil
	})
	return s.refused(ctx, a, "followup.close", "followup", id, err)
}

// checkClose validates closing f: still open, a known outcome with a
// note, and for an escalation a harder disposal than f's.
func (s *Service) checkClose(in *CloseInput, f domain.FollowUp) error {
	switch {
	case !f.Open:
		return domain.Conflict("outcome", "followup.closed_already", nil)
	case in.Version != 0 && in.Version != f.Version:
		return domain.ErrStale
	case !in.Outcome.Valid():
		return domain.Invalid("outcome", "followup.outcome_invalid", nil)
	}
	if err := checkText("note", &in.Note); err != nil {
		return err
	}
	if in.Note == "" {
		return domain.Invalid("note", "followup.note_required", nil)
	}
	if in.Outcome != domain.OutcomeEscalated {
		return nil
	}
	kinds := domain.FollowUpKinds()
	if slices.Index(kinds, in.NextKind) <= slices.Index(kinds, f.Kind) {
		return domain.Invalid("next_kind", "followup.escalate_milder", nil)
	}
	return s.checkFollowUp("next", in.NextKind, in.NextDue, &in.NextNote)
}

// FollowUpSearch filters the task list.
type FollowUpSearch struct {
	Open   *bool
	Before domain.FollowUpID
	Limit  int
}

// FollowUpPage is one page of tasks.
type FollowUpPage struct {
	FollowUps []domain.FollowUp
	Next      domain.FollowUpID
}

// ListFollowUps lists the tasks of members the actor may see evaluations
// of, newest first.
func (s *Service) ListFollowUps(ctx context.Context, a *authz.Actor, f FollowUpSearch) (FollowUpPage, error) {
	limit := listLimit(f.Limit)
	rows, err := store.ListFollowUps(ctx, s.db.Read(), store.FollowUpQuery{Scope: a.Filter(authz.FeedbackWrite), Open: f.Open,
		Before: f.Before, Limit: limit})
	page := FollowUpPage{FollowUps: rows}
	if len(rows) == limit {
		page.Next = rows[len(rows)-1].ID
	}
	return page, err
}

// FollowUp reads one task for an actor who may see its evaluation.
func (s *Service) FollowUp(ctx context.Context, a *authz.Actor, id domain.FollowUpID) (domain.FollowUp, error) {
	f, err := store.FollowUpByID(ctx, s.db.Read(), id)
	if err != nil {
		return f, err
	}
	_, _, _, err = s.evaluationFor(ctx, s.db.Read(), a, f.EvaluationID)
	return f, err
}
