package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Performance feedback (表现反馈, issue #5 item 3). Each quarter the host
// side — an account whose reach comes through an in-force agreement that
// grants CapFeedback — and the mobile secretary write one feedback per
// co-managed member; the home organization acknowledges it or returns it
// with a comment, and a returned one is revised and sent again. Who may
// write depends on how the actor reaches the member (authz.Actor.Via):
// through an agreement it writes as that agreement's host party, through
// a mobile-side role as the member's mobile organization; the county and
// the home secretary hold feedback:write too, but at the home side, where
// they answer rather than write.

// FeedbackInput is a feedback as its writer enters it. Version is the one
// a reviser saw (zero: the current one).
type FeedbackInput struct {
	Person        domain.PersonID
	Quarter       string
	Participation domain.Participation
	Conduct       domain.Conduct
	Remarks       string
	Version       int64
}

// maxConductText bounds remarks, comments, notes and reasons, in
// characters: a feedback is short by design.
const maxConductText = 1000

// The refusals that depend on who asks; each is audited.
var (
	errFeedbackNoCap     = &domain.Error{Code: domain.CodeForbidden, MsgID: "feedback.no_capability"}
	errFeedbackNotWriter = &domain.Error{Code: domain.CodeForbidden, MsgID: "feedback.not_writer"}
	errFeedbackNotHome   = &domain.Error{Code: domain.CodeForbidden, MsgID: "feedback.not_home"}
	errFeedbackOwn       = &domain.Error{Code: domain.CodeForbidden, MsgID: "feedback.own"}
)

// refused audits a refusal of who the actor is (forbidden) and passes
// every error through.
func (s *Service) refused(ctx context.Context, a *authz.Actor, action, objType string, objID any, err error) error {
	if domain.CodeOf(err) == domain.CodeForbidden {
		return s.denied(ctx, a, action, objType, fmt.Sprint(objID), err)
	}
	return err
}

// checkText trims a free text and bounds its length.
func checkText(field string, v *string) error {
	*v = strings.TrimSpace(*v)
	if utf8.RuneCountInString(*v) > maxConductText {
		return domain.Invalid(field, "feedback.text_long", map[string]any{"Max": maxConductText})
	}
	return nil
}

// checkFeedbackValues validates the scales and the remarks, which a low
// grade must explain.
func checkFeedbackValues(in *FeedbackInput) error {
	switch {
	case !in.Participation.Valid():
		return domain.Invalid("participation", "feedback.participation_invalid", nil)
	case !in.Conduct.Valid():
		return domain.Invalid("conduct", "feedback.conduct_invalid", nil)
	}
	if err := checkText("remarks", &in.Remarks); err != nil {
		return err
	}
	if in.Remarks == "" && (in.Participation == domain.ParticipationRarely || in.Conduct == domain.ConductPoor) {
		return domain.Invalid("remarks", "feedback.remarks_required", nil)
	}
	return nil
}

// feedbackQuarter reads a quarter that has begun.
func (s *Service) feedbackQuarter(key string) (domain.Span, error) {
	q, ok := domain.ParseQuarter(strings.TrimSpace(key))
	if !ok {
		return q, domain.Invalid("quarter", "feedback.quarter_invalid", map[string]any{"Value": key})
	}
	if q.First.After(s.Today()) {
		return q, domain.Invalid("quarter", "feedback.quarter_future", map[string]any{"Quarter": q.Key})
	}
	return q, nil
}

// CurrentQuarter is the key of the quarter that holds today.
func (s *Service) CurrentQuarter() string { return domain.SpanOf(domain.Quarterly, s.Today()).Key }

// coManaged reads a member the actor may see who is placed in a mobile
// organization, with that organization.
func (s *Service) coManaged(ctx context.Context, q store.Q, a *authz.Actor, id domain.PersonID) (store.PersonRow, domain.Org, error) {
	p, err := s.personFor(ctx, q, a, id, authz.PersonRead)
	if err != nil {
		return p, domain.Org{}, err
	}
	m := p.Membership
	if m == nil || (m.Status != domain.StatusFull && m.Status != domain.StatusProbationary) {
		return p, domain.Org{}, domain.Rule("feedback.not_member", map[string]any{"Name": p.Name})
	}
	if m.MobileOrgID == 0 {
		return p, domain.Org{}, domain.Rule("feedback.unplaced", map[string]any{"Name": p.Name})
	}
	mob, err := store.OrgByID(ctx, q, m.MobileOrgID)
	return p, mob, err
}

// writer is the organization an actor writes as.
type writer struct {
	org       domain.Org
	side      domain.Side
	agreement domain.AgreementID
}

// writerFor decides as which organization the actor writes feedback for a
// member placed in mob: the host party of an agreement that reaches mob
// and grants feedback, or mob itself for a mobile-side role. Reaching mob
// through an agreement without the capability, or only from the home side,
// is forbidden with its own message.
func (s *Service) writerFor(ctx context.Context, q store.Q, a *authz.Actor, mob domain.Org) (writer, error) {
	t := target(mob)
	for _, r := range a.Via(authz.FeedbackWrite, t) {
		if r.Agreement != 0 {
			host, err := s.hostParty(ctx, q, a, r.Agreement)
			return writer{org: host, side: domain.SideHost, agreement: r.Agreement}, err
		}
		if r.Side == domain.SideMobile {
			return writer{org: mob, side: domain.SideMobile}, nil
		}
	}
	if viaAgreement(a, authz.OrgRead, t) {
		return writer{}, errFeedbackNoCap
	}
	return writer{}, errFeedbackNotWriter
}

// viaAgreement reports whether the actor holds p at t through an agreement.
func viaAgreement(a *authz.Actor, p authz.Perm, t authz.Target) bool {
	return slices.ContainsFunc(a.Via(p, t), func(r authz.Reach) bool { return r.Agreement != 0 })
}

// homeSide reports whether the actor answers for the organization o from
// the origin side (a home secretary, the county): feedback:write held
// through a role there, not through an agreement.
func homeSide(a *authz.Actor, o domain.Org) bool {
	return slices.ContainsFunc(a.Via(authz.FeedbackWrite, target(o)), func(r authz.Reach) bool {
		return r.Agreement == 0 && r.Side == domain.SideOrigin
	})
}

// hostParty is the host organization of the agreement that the actor's
// host-side grant reaches through: the party at or under one of the
// actor's own host organizations.
func (s *Service) hostParty(ctx context.Context, q store.Q, a *authz.Actor, id domain.AgreementID) (domain.Org, error) {
	ag, err := store.AgreementByID(ctx, q, id)
	if err != nil {
		return domain.Org{}, err
	}
	var first domain.Org
	for i, ref := range ag.Host {
		o, err := store.OrgByID(ctx, q, ref.ID)
		if err != nil {
			return o, err
		}
		if i == 0 {
			first = o
		}
		for _, r := range a.Reach {
			if r.Agreement == 0 && r.Side == domain.SideHost && strings.HasPrefix(o.Path, r.Path) {
				return o, nil
			}
		}
	}
	return first, nil
}

// tell notices the accounts answering for org in roles, and extra, except
// the actor: a notice of one's own action is noise.
func (s *Service) tell(ctx context.Context, tx store.Tx, a *authz.Actor, org domain.OrgID, roles []string, extra []domain.AccountID, n Notice) error {
	to, err := s.responsibleFor(ctx, tx, org, roles...)
	if err != nil {
		return err
	}
	to = slices.DeleteFunc(append(to, extra...), func(id domain.AccountID) bool { return id == 0 || id == a.AccountID })
	return s.notify(ctx, tx, to, n)
}

// The roles told on each side.
var (
	homeRoles   = []string{authz.RoleHomeSecretary, authz.RoleCountyOfficer}
	mobileRoles = []string{authz.RoleMobileSecretary}
	hostRoles   = []string{authz.RoleHostOfficer}
)

func sideRoles(side domain.Side) []string {
	switch side {
	case domain.SideHost:
		return hostRoles
	case domain.SideMobile:
		return mobileRoles
	}
	return homeRoles
}

// personEvent adds a step to the member's history.
func (s *Service) personEvent(ctx context.Context, tx store.Tx, a *authz.Actor, id domain.PersonID, kind string, d any) error {
	return store.AddPersonEvent(ctx, tx, id, kind, s.Today(), detail(d), a.Name, s.Now())
}

func feedbackURL(id domain.FeedbackID) string { return "/feedback/" + strconv.FormatInt(int64(id), 10) }

// WriteFeedback sends a member's feedback for a quarter that has begun,
// as the organization the actor writes for; the home organization is
// told.
func (s *Service) WriteFeedback(ctx context.Context, a *authz.Actor, in FeedbackInput) (domain.FeedbackID, error) {
	span, err := s.feedbackQuarter(in.Quarter)
	if err != nil {
		return 0, err
	}
	if err := checkFeedbackValues(&in); err != nil {
		return 0, err
	}
	p, mob, err := s.coManaged(ctx, s.db.Read(), a, in.Person)
	if err != nil {
		return 0, err
	}
	w, err := s.writerFor(ctx, s.db.Read(), a, mob)
	if err != nil {
		return 0, s.refused(ctx, a, "feedback.write", "person", in.Person, err)
	}
	f := domain.Feedback{PersonID: p.ID, PersonName: p.Name, Quarter: span.Key, WriterOrgID: w.org.ID, WriterOrgName: w.org.Name,
		WriterSide: w.side, Agreement: w.agreement, HomeOrgID: p.Membership.HomeOrgID, MobileOrgID: mob.ID,
		Participation: in.Participation, Conduct: in.Conduct, Remarks: in.Remarks, AuthorID: a.AccountID, AuthorName: a.Name,
		SentAt: s.Now(), Revision: 1}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		dup, err := store.FeedbackExists(ctx, tx, p.ID, span.Key, w.org.ID)
		if err != nil {
			return err
		}
		if dup {
			return domain.Conflict("quarter", "feedback.duplicate", map[string]any{"Quarter": span.Key, "Org": w.org.Name})
		}
		if f.ID, err = store.InsertFeedback(ctx, tx, f); err != nil {
			return err
		}
		return s.feedbackSent(ctx, tx, a, f, "sent", "feedback.write")
	})
	return f.ID, err
}

// feedbackSent records a feedback sent (first or revised): its event, the
// member's history, the audit entry, and the notice home.
func (s *Service) feedbackSent(ctx context.Context, tx store.Tx, a *authz.Actor, f domain.Feedback, kind, action string) error {
	if err := store.AddFeedbackEvent(ctx, tx, f.ID, domain.FeedbackEvent{Kind: kind, Participation: f.Participation,
		Conduct: f.Conduct, Remarks: f.Remarks, ActorName: a.Name, At: s.Now()}); err != nil {
		return err
	}
	d := map[string]any{"feedback": f.ID, "quarter": f.Quarter, "org": f.WriterOrgName, "side": f.WriterSide,
		"participation": f.Participation, "conduct": f.Conduct, "revision": f.Revision}
	if err := s.personEvent(ctx, tx, a, f.PersonID, "feedback_"+kind, d); err != nil {
		return err
	}
	if err := s.feedbackReached(ctx, tx, a, f); err != nil {
		return err
	}
	if err := s.record(ctx, tx, a, action, "feedback", fmt.Sprint(f.ID), "ok", d); err != nil {
		return err
	}
	return s.tell(ctx, tx, a, f.HomeOrgID, homeRoles, nil, Notice{Kind: "feedback", MsgID: "feedback.notice.sent",
		Args: map[string]any{"Person": f.PersonName, "Quarter": f.Quarter, "Org": f.WriterOrgName}, Link: feedbackURL(f.ID),
		Key: fmt.Sprintf("feedback:%d:sent:%d", f.ID, f.Revision)})
}

// feedbackContact is the contact a feedback is evidence of: the writer
// saw the member that quarter, so the member is in touch (party-rules.md
// "lost contact"), dated on the day it was sent. A feedback that rates both
// participation and conduct at the bottom of their scales is the writer
// saying it has lost sight of the member, and is no contact (ok false).
func feedbackContact(f domain.Feedback, now time.Time) (store.Contact, bool) {
	if f.Participation == domain.ParticipationRarely && f.Conduct == domain.ConductPoor {
		return store.Contact{}, false
	}
	return store.Contact{PersonID: f.PersonID, On: domain.Today(f.SentAt), Channel: "feedback", Reached: true,
		Note: strings.TrimSpace(f.Quarter + " " + f.WriterOrgName), ActorName: f.AuthorName, RecordedAt: now}, true
}

// feedbackReached records the contact a feedback is evidence of and, like
// a contact recorded by hand, clears a warning it ends at once.
func (s *Service) feedbackReached(ctx context.Context, tx store.Tx, a *authz.Actor, f domain.Feedback) error {
	c, ok := feedbackContact(f, s.Now())
	if !ok {
		return nil
	}
	if _, err := store.AddContact(ctx, tx, c); err != nil {
		return err
	}
	th, err := s.ContactThresholds(ctx)
	if err != nil {
		return err
	}
	p, err := store.PersonByID(ctx, tx, f.PersonID)
	if err != nil {
		return err
	}
	return s.rereadContactState(ctx, tx, a, p, c.On, th)
}

// feedbackFor reads a feedback the actor may see: feedback:write at the
// member's home or mobile organization of the time. One the actor may not
// see but whose member it may read is forbidden (a host whose agreement
// lacks the capability learns why); otherwise not found.
func (s *Service) feedbackFor(ctx context.Context, q store.Q, a *authz.Actor, id domain.FeedbackID) (domain.Feedback, domain.Org, domain.Org, error) {
	f, err := store.FeedbackByID(ctx, q, id)
	if err != nil {
		return f, domain.Org{}, domain.Org{}, err
	}
	home, mob, err := s.twoOrgs(ctx, q, f.HomeOrgID, f.MobileOrgID)
	if err != nil {
		return f, home, mob, err
	}
	return f, home, mob, s.mayRead(ctx, q, a, f.PersonID, home, mob, errFeedbackNoCap)
}

// twoOrgs reads two organizations.
func (s *Service) twoOrgs(ctx context.Context, q store.Q, x, y domain.OrgID) (domain.Org, domain.Org, error) {
	a, err := store.OrgByID(ctx, q, x)
	if err != nil {
		return a, domain.Org{}, err
	}
	b, err := store.OrgByID(ctx, q, y)
	return a, b, err
}

// mayRead admits an actor holding feedback:write at either organization;
// one that may only read the person gets refusal, anyone else not found.
func (s *Service) mayRead(ctx context.Context, q store.Q, a *authz.Actor, person domain.PersonID, x, y domain.Org, refusal error) error {
	if a.CanAt(authz.FeedbackWrite, target(x)).Allowed || a.CanAt(authz.FeedbackWrite, target(y)).Allowed {
		return nil
	}
	if _, err := s.personFor(ctx, q, a, person, authz.PersonRead); err != nil {
		return err
	}
	return refusal
}

// AcknowledgeFeedback is the home organization's acknowledgement of a sent
// feedback, with an optional comment.
func (s *Service) AcknowledgeFeedback(ctx context.Context, a *authz.Actor, id domain.FeedbackID, comment string) error {
	return s.answerFeedback(ctx, a, id, domain.FeedbackAcknowledged, comment, "feedback.acknowledge")
}

// ReturnFeedback sends a feedback back to its writer with a comment.
func (s *Service) ReturnFeedback(ctx context.Context, a *authz.Actor, id domain.FeedbackID, comment string) error {
	return s.answerFeedback(ctx, a, id, domain.FeedbackReturned, comment, "feedback.return")
}

func (s *Service) answerFeedback(ctx context.Context, a *authz.Actor, id domain.FeedbackID, to domain.FeedbackState, comment, action string) error {
	if err := checkText("comment", &comment); err != nil {
		return err
	}
	if to == domain.FeedbackReturned && comment == "" {
		return domain.Invalid("comment", "feedback.comment_required", nil)
	}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		f, home, _, err := s.feedbackFor(ctx, tx, a, id)
		switch {
		case err != nil:
			return err
		case !homeSide(a, home):
			return errFeedbackNotHome
		case f.AuthorID == a.AccountID:
			return errFeedbackOwn
		case f.State != domain.FeedbackSent:
			return domain.Rule("feedback.not_sent", map[string]any{"State": string(f.State)})
		}
		if err := store.AnswerFeedback(ctx, tx, id, f.Version, to, comment, a.AccountID, a.Name, s.Now()); err != nil {
			return err
		}
		if err := store.AddFeedbackEvent(ctx, tx, id, domain.FeedbackEvent{Kind: string(to), Comment: comment, ActorName: a.Name,
			At: s.Now()}); err != nil {
			return err
		}
		d := map[string]any{"feedback": id, "quarter": f.Quarter, "org": f.WriterOrgName, "comment": comment}
		if err := s.personEvent(ctx, tx, a, f.PersonID, "feedback_"+string(to), d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, action, "feedback", fmt.Sprint(id), "ok", d); err != nil {
			return err
		}
		return s.tell(ctx, tx, a, f.WriterOrgID, sideRoles(f.WriterSide), []domain.AccountID{f.AuthorID}, Notice{Kind: "feedback",
			MsgID: "feedback.notice." + string(to), Args: map[string]any{"Person": f.PersonName, "Quarter": f.Quarter,
				"Org": f.HomeOrgName}, Link: feedbackURL(id), Key: fmt.Sprintf("feedback:%d:%s:%d", id, to, f.Revision)})
	})
	return s.refused(ctx, a, action, "feedback", id, err)
}

// ReviseFeedback changes a returned feedback and sends it again; only the
// side that wrote it may, and the history keeps every version.
func (s *Service) ReviseFeedback(ctx context.Context, a *authz.Actor, id domain.FeedbackID, in FeedbackInput) error {
	if err := checkFeedbackValues(&in); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		f, _, mob, err := s.feedbackFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		w, err := s.writerFor(ctx, tx, a, mob)
		switch {
		case err != nil:
			return err
		case w.org.ID != f.WriterOrgID:
			return errFeedbackNotWriter
		case f.State != domain.FeedbackReturned:
			return domain.Rule("feedback.not_returned", map[string]any{"State": string(f.State)})
		case in.Version != 0 && in.Version != f.Version:
			return domain.ErrStale
		}
		f.Participation, f.Conduct, f.Remarks, f.AuthorID, f.AuthorName, f.SentAt = in.Participation, in.Conduct, in.Remarks,
			a.AccountID, a.Name, s.Now()
		if err := store.ReviseFeedback(ctx, tx, f); err != nil {
			return err
		}
		f.Revision++
		return s.feedbackSent(ctx, tx, a, f, "revised", "feedback.revise")
	})
	return s.refused(ctx, a, "feedback.revise", "feedback", id, err)
}

// FeedbackView is one feedback with its history and what the actor may
// do with it now.
type FeedbackView struct {
	domain.Feedback
	Events    []domain.FeedbackEvent
	CanAnswer bool // acknowledge or return
	CanRevise bool
}

// Feedback reads one feedback for an actor who may see it.
func (s *Service) Feedback(ctx context.Context, a *authz.Actor, id domain.FeedbackID) (FeedbackView, error) {
	q := s.db.Read()
	f, home, mob, err := s.feedbackFor(ctx, q, a, id)
	if err != nil {
		return FeedbackView{}, err
	}
	v := FeedbackView{Feedback: f}
	if v.Events, err = store.FeedbackEvents(ctx, q, id); err != nil {
		return v, err
	}
	v.CanAnswer = f.State == domain.FeedbackSent && homeSide(a, home) && f.AuthorID != a.AccountID
	if f.State == domain.FeedbackReturned {
		w, err := s.writerFor(ctx, q, a, mob)
		v.CanRevise = err == nil && w.org.ID == f.WriterOrgID
	}
	return v, nil
}
