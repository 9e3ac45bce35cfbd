package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Member development (发展党员, issue #6, decision 0014). A case runs the
// 25 steps of domain.DevSteps for one person. The host side (an agreement
// granting cultivation, or the mobile secretary) cultivates: it decides
// activists, names mentors, records the inspections and gives the written
// opinion each approval needs; the home side (the home secretary, the
// county) files, reviews, votes and approves. Each step is checked by
// domain.DevTrack.Check — order, dates, the rule of the step — and is
// written with the case, the person's membership, the person's history,
// the audit entry and the other side's notice in one transaction.

// The refusals that depend on who asks; each is audited.
var (
	errDevNoCap   = &domain.Error{Code: domain.CodeForbidden, MsgID: "development.no_capability"}
	errDevNotHost = &domain.Error{Code: domain.CodeForbidden, MsgID: "development.not_host"}
	errDevNotHome = &domain.Error{Code: domain.CodeForbidden, MsgID: "development.not_home"}
)

const devRulesKey = "development_rules"

// DevRules returns the development rules in force (the unverified ones,
// domain.DefaultDevRules until changed).
func (s *Service) DevRules(ctx context.Context) (domain.DevRules, error) {
	return loadSetting(ctx, s, devRulesKey, domain.DefaultDevRules())
}

// CanSetDevRules reports whether the actor may change the rules: they
// bind every case of the county (development:approve at every origin
// root, the county officer).
func (s *Service) CanSetDevRules(ctx context.Context, a *authz.Actor) (bool, error) {
	return s.countyWide(ctx, a, authz.DevelopmentApprove)
}

// SetDevRules stores new development rules, audited with the old ones.
func (s *Service) SetDevRules(ctx context.Context, a *authz.Actor, r domain.DevRules) error {
	ok, err := s.CanSetDevRules(ctx, a)
	if err != nil {
		return err
	}
	if !ok {
		return s.denied(ctx, a, "development.rules", "setting", devRulesKey, domain.ErrForbidden)
	}
	if err := domain.CheckDevRules(r); err != nil {
		return err
	}
	old, err := s.DevRules(ctx)
	if err != nil {
		return err
	}
	b := detail(r)
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.PutSetting(ctx, tx, devRulesKey, b, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "development.rules", "setting", devRulesKey, "ok", change{Before: old, After: r})
	})
}

// devTargets are the policy's view of a case's two organizations.
func devTargets(c domain.DevCase) (home, mobile authz.Target) {
	return authz.Target{ID: c.HomeOrgID, Path: c.HomeOrgPath, Side: domain.SideOrigin},
		authz.Target{ID: c.MobileOrgID, Path: c.MobileOrgPath, Side: domain.SideMobile}
}

// devCaseFor reads a case the actor may see (either side) with its
// reach. A host whose agreement does not grant cultivation learns why
// (forbidden); anyone else out of reach gets not found.
func (s *Service) devCaseFor(ctx context.Context, q store.Q, a *authz.Actor, id domain.DevCaseID) (domain.DevCase, authz.DevReach, error) {
	c, err := store.DevCaseByID(ctx, q, id)
	if err != nil {
		return c, authz.DevReach{}, err
	}
	r := a.Development(devTargets(c))
	switch {
	case r.Reads():
		return c, r, nil
	case r.NoCapability:
		return c, r, errDevNoCap
	}
	return domain.DevCase{}, r, notFound()
}

// stepSide is the side that performs a step under the rules in force.
func stepSide(st domain.DevStep, rules domain.DevRules) domain.DevSide {
	if st.Side == domain.DevProbation {
		if rules.HostProbation {
			return domain.DevEither
		}
		return domain.DevHome
	}
	return st.Side
}

// devAct reads an open case the actor may see and decides as which side
// it performs an action of side want; a refusal of who asks comes before
// the case's state.
func (s *Service) devAct(ctx context.Context, q store.Q, a *authz.Actor, id domain.DevCaseID, want domain.DevSide) (domain.DevCase, authz.DevReach, devActor, error) {
	c, r, err := s.devCaseFor(ctx, q, a, id)
	if err != nil {
		return c, r, devActor{}, err
	}
	as, err := s.actAs(ctx, q, a, c, r, want)
	if err != nil {
		return c, r, as, err
	}
	if c.State != domain.DevOpen {
		return c, r, as, domain.Rule("development.case_closed", map[string]any{"State": string(c.State)})
	}
	return c, r, as, nil
}

// requiredText trims a free text, bounds it and requires it.
func requiredText(field, msgID string, v *string) error {
	if err := checkText(field, v); err != nil {
		return err
	}
	if *v == "" {
		return domain.Invalid(field, msgID, nil)
	}
	return nil
}

// devActor is how an actor acts on a case: its side, the organization it
// acts as, and the agreement it reaches through.
type devActor struct {
	side      domain.Side
	org       domain.Org
	agreement domain.AgreementID
}

// actAs decides as which side the actor performs an action of side want,
// or refuses with the side it lacks.
func (s *Service) actAs(ctx context.Context, q store.Q, a *authz.Actor, c domain.DevCase, r authz.DevReach, want domain.DevSide) (devActor, error) {
	asHome := func() (devActor, error) {
		o, err := store.OrgByID(ctx, q, c.HomeOrgID)
		return devActor{side: domain.SideOrigin, org: o}, err
	}
	asHost := func() (devActor, error) {
		if r.Agreement != 0 {
			o, err := s.hostParty(ctx, q, a, r.Agreement)
			return devActor{side: domain.SideHost, org: o, agreement: r.Agreement}, err
		}
		o, err := store.OrgByID(ctx, q, c.MobileOrgID)
		return devActor{side: domain.SideMobile, org: o}, err
	}
	switch want {
	case domain.DevHost:
		if r.Host {
			return asHost()
		}
		return devActor{}, errDevNotHost
	case domain.DevHome:
		if r.Home {
			return asHome()
		}
		return devActor{}, errDevNotHome
	}
	if r.Home {
		return asHome()
	}
	return asHost()
}

// OpenInput is step 1, the written application, which opens a case.
// MobileOrgID is where the person takes part when the person is not yet
// in the register as a member or applicant (zero: the membership's).
type OpenInput struct {
	Person      domain.PersonID
	MobileOrgID domain.OrgID
	On          domain.Date
	Note        string
	DocNo       string
}

// OpenDevCase records an application (step 1) and opens the person's
// case: the applicant is 18 or older, has no open case and is not yet a
// member; the case is joint, so the person must take part in a mobile
// organization.
func (s *Service) OpenDevCase(ctx context.Context, a *authz.Actor, in OpenInput) (domain.DevCaseID, error) {
	if err := checkText("note", &in.Note); err != nil {
		return 0, err
	}
	in.DocNo = strings.TrimSpace(in.DocNo)
	var id domain.DevCaseID
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		p, err := s.personFor(ctx, tx, a, in.Person, authz.PersonRead)
		if err != nil {
			return err
		}
		c := domain.DevCase{PersonID: p.ID, PersonName: p.Name, BirthOn: p.BirthOn, HomeOrgID: p.OriginOrgID, MobileOrgID: in.MobileOrgID,
			AppliedOn: in.On, OpenedAt: s.Now()}
		m := p.Membership
		if m != nil {
			if m.Status.IsMember() {
				return domain.Rule("development.already_member", map[string]any{"Name": p.Name})
			}
			c.HomeOrgID = m.HomeOrgID
			if m.MobileOrgID != 0 {
				c.MobileOrgID = m.MobileOrgID
			}
		}
		if c.MobileOrgID == 0 {
			return domain.Rule("development.unplaced", map[string]any{"Name": p.Name})
		}
		home, mobile, err := s.twoOrgs(ctx, tx, c.HomeOrgID, c.MobileOrgID)
		if err != nil {
			return err
		}
		if mobile.Side != domain.SideMobile {
			return domain.Invalid("mobile_org", "development.mobile_org_invalid", nil)
		}
		c.HomeOrgPath, c.HomeOrgName, c.MobileOrgPath, c.MobileOrgName = home.Path, home.Name, mobile.Path, mobile.Name
		r := a.Development(devTargets(c))
		if !r.Reads() {
			if r.NoCapability {
				return errDevNoCap
			}
			return notFound()
		}
		if _, err := store.OpenDevCaseOf(ctx, tx, p.ID); err == nil {
			return domain.Conflict("person", "development.duplicate", map[string]any{"Name": p.Name})
		} else if domain.CodeOf(err) != domain.CodeNotFound {
			return err
		}
		track := domain.NewTrack(c, nil, nil, nil)
		if err := track.Check(domain.StepInput{Step: 1, On: in.On}, domain.DefaultDevRules(), s.Today()); err != nil {
			return err
		}
		if c.ID, err = store.CreateDevCase(ctx, tx, c); err != nil {
			return err
		}
		if m == nil {
			if err := store.CreateMembership(ctx, tx, p.ID, domain.Membership{Status: domain.StatusApplicant, HomeOrgID: c.HomeOrgID,
				MobileOrgID: c.MobileOrgID}, s.Now()); err != nil {
				return err
			}
			if err := s.personEvent(ctx, tx, a, p.ID, "status_changed", map[string]any{"from": "", "to": domain.StatusApplicant,
				"reason": "development"}); err != nil {
				return err
			}
		}
		id = c.ID
		c, err = store.DevCaseByID(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		return s.recordStep(ctx, tx, a, c, r, domain.StepInput{Step: 1, On: in.On, Note: in.Note, DocNo: in.DocNo}, track,
			domain.DefaultDevRules(), "development.open")
	})
	return id, s.refused(ctx, a, "development.open", "person", in.Person, err)
}

// RecordStep records step in.Step (2–25) of a case: the side that
// performs it, its order, its dates and its rule are checked first, and
// nothing changes when one refuses. Version is the case version the
// recorder saw (zero: any).
func (s *Service) RecordStep(ctx context.Context, a *authz.Actor, id domain.DevCaseID, in domain.StepInput, version int64) error {
	st, ok := domain.DevStepOf(in.Step)
	if !ok || in.Step == 1 {
		return domain.Invalid("step", "development.step_unknown", map[string]any{"Step": in.Step})
	}
	for _, v := range []*string{&in.Note, &in.Reason} {
		if err := checkText("note", v); err != nil {
			return err
		}
	}
	in.DocNo, in.Outcome = strings.TrimSpace(in.DocNo), strings.TrimSpace(in.Outcome)
	rules, err := s.DevRules(ctx)
	if err != nil {
		return err
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		c, r, _, err := s.devAct(ctx, tx, a, id, stepSide(st, rules))
		if err != nil {
			return err
		}
		if version != 0 && version != c.Version {
			return domain.ErrStale
		}
		track, err := s.devTrack(ctx, tx, c)
		if err != nil {
			return err
		}
		if st.Has(domain.FieldMentors) || st.Has(domain.FieldIntroducer) {
			if in.People, err = s.devPeople(ctx, tx, a, in.People); err != nil {
				return err
			}
		}
		if in.Step == 17 && !in.On.IsZero() {
			y := in.On.Time().Year()
			if track.ApprovedInYear, err = store.CountDevApprovals(ctx, tx, domain.NewDate(y, 1, 1), domain.NewDate(y, 12, 31)); err != nil {
				return err
			}
		}
		if err := track.Check(in, rules, s.Today()); err != nil {
			return err
		}
		if in.Step == 24 {
			in.Outcome, in.Months = track.Done[23].Outcome, track.Done[23].Months
		}
		return s.recordStep(ctx, tx, a, c, r, in, track, rules, "development.step")
	})
	return s.refused(ctx, a, "development.step", "development_case", id, err)
}

// devTrack reads what the rules look at for a case.
func (s *Service) devTrack(ctx context.Context, q store.Q, c domain.DevCase) (domain.DevTrack, error) {
	recs, err := store.DevSteps(ctx, q, c.ID)
	if err != nil {
		return domain.DevTrack{}, err
	}
	as, err := store.DevAssessments(ctx, q, c.ID)
	if err != nil {
		return domain.DevTrack{}, err
	}
	ops, err := store.DevOpinions(ctx, q, c.ID)
	if err != nil {
		return domain.DevTrack{}, err
	}
	return domain.NewTrack(c, recs, as, ops), nil
}

// devPeople reads the mentors or introducers named, each a person the
// actor may read, with their membership status.
func (s *Service) devPeople(ctx context.Context, q store.Q, a *authz.Actor, in []domain.DevPerson) ([]domain.DevPerson, error) {
	out := make([]domain.DevPerson, 0, len(in))
	for _, x := range in {
		p, err := s.personFor(ctx, q, a, x.PersonID, authz.PersonRead)
		if domain.CodeOf(err) == domain.CodeNotFound {
			return nil, domain.Invalid("people", "development.person_unknown", map[string]any{"ID": int64(x.PersonID)})
		}
		if err != nil {
			return nil, err
		}
		x.Name = p.Name
		if p.Membership != nil {
			x.Status = p.Membership.Status
		}
		out = append(out, x)
	}
	return out, nil
}

// statusRank orders the statuses on the way in; a step never moves a
// person back.
func statusRank(s domain.MemberStatus) int { return slices.Index(domain.MemberStatuses(), s) }

// recordStep writes a checked step: the record, the case's position and
// dates, mentors or introducers, the membership, the history, the audit
// entry and the notices.
func (s *Service) recordStep(ctx context.Context, tx store.Tx, a *authz.Actor, c domain.DevCase, r authz.DevReach, in domain.StepInput,
	track domain.DevTrack, rules domain.DevRules, action string) error {
	st, _ := domain.DevStepOf(in.Step)
	as, err := s.actAs(ctx, tx, a, c, r, stepSide(st, rules))
	if err != nil {
		return err
	}
	rec := domain.DevRecord{CaseID: c.ID, StepInput: in, Side: as.side, OrgID: as.org.ID, OrgName: as.org.Name, ActorName: a.Name,
		At: s.Now()}
	gate := st.Gate
	if rec.ID, err = store.InsertDevStep(ctx, tx, rec, gate, a.AccountID); err != nil {
		return err
	}
	track.Done[in.Step] = rec
	next := c
	next.Step, next.Stage = in.Step, st.Stage
	switch in.Step {
	case 3:
		next.ActivistOn = in.On
	case 5:
		err = store.AddDevPeople(ctx, tx, c.ID, "mentor", in.People, in.On)
	case 7:
		next.TargetOn = in.On
	case 9:
		err = store.AddDevPeople(ctx, tx, c.ID, "introducer", in.People, in.On)
	case 15:
		next.AdmittedOn = in.On
		next.ProbationEnd = track.ProbationEnd()
	case 17:
		next.ApprovedOn = in.On
	case 24:
		switch in.Outcome {
		case domain.OutcomeConvert:
			next.FullOn = next.ProbationEnd
		case domain.OutcomeExtend:
			next.Extension = in.Months
			next.ProbationEnd = next.ProbationEnd.AddMonths(in.Months)
			next.Step = 20
			err = store.SupersedeDevSteps(ctx, tx, c.ID, 21, 24)
		case domain.OutcomeCancel:
			next.State, next.CloseReason = domain.DevCancelled, in.Note
		}
	case 25:
		next.State = domain.DevCompleted
	}
	if err != nil {
		return err
	}
	if next.State != domain.DevOpen {
		now := s.Now()
		next.ClosedAt = &now
	}
	if err := store.UpdateDevCase(ctx, tx, next); err != nil {
		return err
	}
	if err := s.devMembership(ctx, tx, a, next, in); err != nil {
		return err
	}
	d := map[string]any{"case": c.ID, "step": in.Step, "on": in.On, "side": as.side, "org": as.org.Name}
	if in.Outcome != "" {
		d["outcome"], d["months"] = in.Outcome, in.Months
	}
	if len(in.People) > 0 {
		names := make([]string, len(in.People))
		for i, p := range in.People {
			names[i] = p.Name
		}
		d["people"] = names
	}
	if err := s.personEvent(ctx, tx, a, c.PersonID, "development_step", d); err != nil {
		return err
	}
	if err := s.record(ctx, tx, a, action, "development_case", fmt.Sprint(c.ID), "ok", d); err != nil {
		return err
	}
	return s.devTell(ctx, tx, a, next, as.side, Notice{Kind: "development", MsgID: "development.notice.step",
		Args: map[string]any{"Person": c.PersonName, "Step": in.Step, "Org": as.org.Name}, Link: devCaseURL(c.ID),
		Key: fmt.Sprintf("development:%d:step:%d", c.ID, rec.ID)}, track)
}

// devMembership moves the person's membership as the step makes it:
// forward only; a probation cancelled removes the membership.
func (s *Service) devMembership(ctx context.Context, tx store.Tx, a *authz.Actor, c domain.DevCase, in domain.StepInput) error {
	p, err := store.PersonByID(ctx, tx, c.PersonID)
	if err != nil {
		return err
	}
	m := p.Membership
	if m == nil {
		return nil
	}
	reason := map[string]any{"reason": "development", "case": c.ID, "step": in.Step}
	if in.Step == 24 && in.Outcome == domain.OutcomeCancel {
		if err := store.DeleteMembership(ctx, tx, p.ID); err != nil {
			return err
		}
		reason["from"], reason["to"] = m.Status, ""
		return s.personEvent(ctx, tx, a, p.ID, "status_changed", reason)
	}
	to := domain.StatusAfter(in.Step, in.Outcome)
	if to == "" || statusRank(to) <= statusRank(m.Status) {
		return nil
	}
	next := *m
	next.Status = to
	switch to {
	case domain.StatusProbationary:
		next.JoinedOn = c.AdmittedOn // Party standing from the assembly vote
	case domain.StatusFull:
		next.FullOn = c.FullOn
	}
	if err := store.UpdateMembership(ctx, tx, p.ID, m.Version, next, 0); err != nil {
		return err
	}
	reason["from"], reason["to"] = m.Status, to
	return store.AddPersonEvent(ctx, tx, p.ID, "status_changed", in.On, detail(reason), a.Name, s.Now())
}

func devCaseURL(id domain.DevCaseID) string {
	return "/development/" + strconv.FormatInt(int64(id), 10)
}

// devTell tells the other side of a step, and the host side when the
// next step waits for its opinion.
func (s *Service) devTell(ctx context.Context, tx store.Tx, a *authz.Actor, c domain.DevCase, side domain.Side, n Notice, track domain.DevTrack) error {
	other, roles := c.MobileOrgID, mobileRoles
	if side != domain.SideOrigin {
		other, roles = c.HomeOrgID, homeRoles
	}
	if err := s.tell(ctx, tx, a, other, roles, nil, n); err != nil {
		return err
	}
	if c.State != domain.DevOpen {
		return nil
	}
	next, _ := domain.DevStepOf(track.Next())
	if next.Gate != 0 && !track.Opinions[next.Gate] {
		return s.tell(ctx, tx, a, c.MobileOrgID, mobileRoles, nil, Notice{Kind: "development", MsgID: "development.notice.opinion_wanted",
			Args: map[string]any{"Person": c.PersonName, "Step": next.N}, Link: devCaseURL(c.ID),
			Key: fmt.Sprintf("development:%d:opinion:%d", c.ID, next.Gate)})
	}
	return nil
}

// OpinionGiven is the host side's written opinion before an approval.
type OpinionGiven struct {
	Gate int
	On   domain.Date
	Text string
}

// GiveDevOpinion records the host side's written opinion for one of the
// approvals (the gates 7, 17, 24); only the host side gives it, once per
// gate.
func (s *Service) GiveDevOpinion(ctx context.Context, a *authz.Actor, id domain.DevCaseID, in OpinionGiven) error {
	if !slices.Contains(domain.DevGates(), in.Gate) {
		return domain.Invalid("gate", "development.gate_invalid", nil)
	}
	if err := requiredText("text", "development.opinion_required", &in.Text); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		c, _, as, err := s.devAct(ctx, tx, a, id, domain.DevHost)
		if err != nil {
			return err
		}
		if err := s.devDate(in.On, c.AppliedOn); err != nil {
			return err
		}
		o := domain.DevOpinion{CaseID: c.ID, Gate: in.Gate, On: in.On, Text: in.Text, Side: as.side, OrgName: as.org.Name,
			ActorName: a.Name, At: s.Now()}
		if o.ID, err = store.AddDevOpinion(ctx, tx, o, as.org.ID, as.agreement, a.AccountID); err != nil {
			return err
		}
		d := map[string]any{"case": c.ID, "gate": in.Gate, "on": in.On, "org": as.org.Name}
		if err := s.personEvent(ctx, tx, a, c.PersonID, "development_opinion", d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "development.opinion", "development_case", fmt.Sprint(c.ID), "ok", d); err != nil {
			return err
		}
		return s.tell(ctx, tx, a, c.HomeOrgID, homeRoles, nil, Notice{Kind: "development", MsgID: "development.notice.opinion",
			Args: map[string]any{"Person": c.PersonName, "Step": in.Gate, "Org": as.org.Name}, Link: devCaseURL(c.ID),
			Key: fmt.Sprintf("development:%d:opinion_given:%d", c.ID, in.Gate)})
	})
	return s.refused(ctx, a, "development.opinion", "development_case", id, err)
}

// devDate checks a date entered for a case: given, not in the future,
// not before the application.
func (s *Service) devDate(on, applied domain.Date) error {
	switch {
	case on.IsZero():
		return domain.Invalid("on", "development.date_required", nil)
	case on.After(s.Today()):
		return domain.Invalid("on", "development.date_future", nil)
	case on.Before(applied):
		return domain.Invalid("on", "development.date_before_application", map[string]any{"Date": applied.String()})
	}
	return nil
}

// AssessInput is one inspection.
type AssessInput struct {
	On   domain.Date
	Text string
}

// AssessDev records the host side's inspection of an activist (after
// step 3, until cultivation is complete at step 6) or of a probationary
// member (after the vote at step 15, until step 21).
func (s *Service) AssessDev(ctx context.Context, a *authz.Actor, id domain.DevCaseID, in AssessInput) error {
	if err := requiredText("text", "development.assessment_required", &in.Text); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		c, _, as, err := s.devAct(ctx, tx, a, id, domain.DevHost)
		if err != nil {
			return err
		}
		stage, from := domain.DevStage(0), domain.Date{}
		switch {
		case c.Step >= 3 && c.Step < 6:
			stage, from = domain.StageActivist, c.ActivistOn
		case c.Step >= 15 && c.Step < 21:
			stage, from = domain.StageProbation, c.AdmittedOn
		default:
			return domain.Rule("development.assessment_stage", map[string]any{"Step": c.Step})
		}
		if err := s.devDate(in.On, from); err != nil {
			return err
		}
		x := domain.DevAssessment{CaseID: c.ID, On: in.On, Stage: stage, Text: in.Text, Side: as.side, OrgName: as.org.Name,
			ActorName: a.Name, At: s.Now()}
		if x.ID, err = store.AddDevAssessment(ctx, tx, x, as.org.ID, a.AccountID); err != nil {
			return err
		}
		d := map[string]any{"case": c.ID, "on": in.On, "stage": int(stage), "org": as.org.Name}
		if err := s.record(ctx, tx, a, "development.assess", "development_case", fmt.Sprint(c.ID), "ok", d); err != nil {
			return err
		}
		return s.tell(ctx, tx, a, c.HomeOrgID, homeRoles, nil, Notice{Kind: "development", MsgID: "development.notice.assessed",
			Args: map[string]any{"Person": c.PersonName, "Date": in.On.String(), "Org": as.org.Name}, Link: devCaseURL(c.ID),
			Key: fmt.Sprintf("development:%d:assessment:%d", c.ID, x.ID)})
	})
	return s.refused(ctx, a, "development.assess", "development_case", id, err)
}

// CloseDevCase ends an open case before admission (the applicant
// withdrew, was not found suitable …) with a reason; the home side
// decides. A probationary member's case ends only by the conversion vote.
func (s *Service) CloseDevCase(ctx context.Context, a *authz.Actor, id domain.DevCaseID, reason string) error {
	if err := requiredText("reason", "development.close_reason", &reason); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		c, _, _, err := s.devAct(ctx, tx, a, id, domain.DevHome)
		if err != nil {
			return err
		}
		if c.Step >= 17 {
			return domain.Rule("development.close_probation", nil)
		}
		next := c
		now := s.Now()
		next.State, next.CloseReason, next.ClosedAt = domain.DevClosed, reason, &now
		if err := store.UpdateDevCase(ctx, tx, next); err != nil {
			return err
		}
		p, err := store.PersonByID(ctx, tx, c.PersonID)
		if err != nil {
			return err
		}
		if m := p.Membership; m != nil && !m.Status.IsMember() {
			if err := store.DeleteMembership(ctx, tx, p.ID); err != nil {
				return err
			}
			if err := s.personEvent(ctx, tx, a, p.ID, "status_changed", map[string]any{"from": m.Status, "to": "",
				"reason": reason}); err != nil {
				return err
			}
		}
		d := map[string]any{"case": c.ID, "reason": reason, "step": c.Step}
		if err := s.record(ctx, tx, a, "development.close", "development_case", fmt.Sprint(c.ID), "ok", d); err != nil {
			return err
		}
		return s.tell(ctx, tx, a, c.MobileOrgID, mobileRoles, nil, Notice{Kind: "development", MsgID: "development.notice.closed",
			Args: map[string]any{"Person": c.PersonName}, Link: devCaseURL(c.ID), Key: fmt.Sprintf("development:%d:closed", c.ID)})
	})
	return s.refused(ctx, a, "development.close", "development_case", id, err)
}
