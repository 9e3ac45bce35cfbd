package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// NewAgreement is the input for drafting a co-management agreement.
type NewAgreement struct {
	Title        string
	OriginID     domain.OrgID
	MobileIDs    []domain.OrgID
	HostIDs      []domain.OrgID
	Capabilities []domain.Capability
	ValidFrom    domain.Date
	ValidTo      domain.Date
	Folded       bool // the mobile organizations join the host committee's sequence
	SitsIn       bool // the mobile secretary sits in on host committee meetings
	RenewedFrom  domain.AgreementID
}

func validateAgreement(in NewAgreement) error {
	switch {
	case strings.TrimSpace(in.Title) == "":
		return domain.Invalid("title", "agreement.title_required", nil)
	case len(in.MobileIDs) == 0:
		return domain.Invalid("mobile", "agreement.mobile_required", nil)
	case len(in.HostIDs) == 0:
		return domain.Invalid("host", "agreement.host_required", nil)
	case len(in.Capabilities) == 0:
		return domain.Invalid("capabilities", "agreement.capabilities_required", nil)
	case in.ValidFrom.IsZero() || in.ValidTo.IsZero():
		return domain.Invalid("valid_to", "agreement.validity_required", nil)
	case in.ValidTo.Before(in.ValidFrom):
		return domain.Invalid("valid_to", "agreement.ends_before_start",
			map[string]any{"From": in.ValidFrom.String(), "To": in.ValidTo.String()})
	}
	for _, c := range in.Capabilities {
		if !c.Valid() {
			return domain.Invalid("capabilities", "agreement.capability_unknown", map[string]any{"Value": string(c)})
		}
	}
	return nil
}

// DraftAgreement records a new agreement as a draft. The actor needs
// agreement:write at the origin organization; the mobile organizations
// must be mobile-side and under the origin, the hosts host-side.
func (s *Service) DraftAgreement(ctx context.Context, a *authz.Actor, in NewAgreement) (domain.AgreementID, error) {
	return s.draftAgreement(ctx, a, in, false)
}

// BootstrapAgreement drafts as the system, for the demo.
func (s *Service) BootstrapAgreement(ctx context.Context, in NewAgreement) (domain.AgreementID, error) {
	return s.draftAgreement(ctx, authz.System, in, true)
}

func (s *Service) draftAgreement(ctx context.Context, a *authz.Actor, in NewAgreement, system bool) (domain.AgreementID, error) {
	in.Title = strings.TrimSpace(in.Title)
	slices.Sort(in.Capabilities)
	in.Capabilities = slices.Compact(in.Capabilities)
	if err := validateAgreement(in); err != nil {
		return 0, err
	}
	var id domain.AgreementID
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		ag, err := s.agreementParties(ctx, tx, a, in, system)
		if err != nil {
			return err
		}
		if err := s.checkOverlap(ctx, tx, ag, 0); err != nil {
			return err
		}
		if id, err = store.CreateAgreement(ctx, tx, ag, s.Now()); err != nil {
			return err
		}
		if err := store.AddAgreementEvent(ctx, tx, id, "drafted", "", a.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "agreement.draft", "agreement", fmt.Sprint(id), "ok", change{After: ag})
	})
	return id, err
}

// agreementParties resolves and checks the parties of a draft.
func (s *Service) agreementParties(ctx context.Context, tx store.Tx, a *authz.Actor, in NewAgreement, system bool) (domain.Agreement, error) {
	ag := domain.Agreement{Title: in.Title, OriginID: in.OriginID, Capabilities: in.Capabilities, ValidFrom: in.ValidFrom,
		ValidTo: in.ValidTo, Folded: in.Folded, SitsIn: in.SitsIn, RenewedFrom: in.RenewedFrom}
	origin, err := store.OrgByID(ctx, tx, in.OriginID)
	if err != nil || origin.Side != domain.SideOrigin {
		return ag, domain.Invalid("origin", "agreement.origin_invalid", nil)
	}
	if !system && !a.CanAt(authz.AgreementWrite, target(origin)).Allowed {
		if !a.CanAt(authz.OrgRead, target(origin)).Allowed {
			return ag, domain.Invalid("origin", "agreement.origin_invalid", nil)
		}
		return ag, domain.ErrForbidden
	}
	for _, id := range in.MobileIDs {
		m, err := store.OrgByID(ctx, tx, id)
		if err != nil || m.Side != domain.SideMobile || !strings.HasPrefix(m.Path, origin.Path) || m.Status != domain.StatusActive {
			return ag, domain.Invalid("mobile", "agreement.mobile_invalid", map[string]any{"ID": int64(id)})
		}
		ag.Mobile = append(ag.Mobile, domain.OrgRef{ID: m.ID, Name: m.Name})
	}
	for _, id := range in.HostIDs {
		h, err := store.OrgByID(ctx, tx, id)
		if err != nil || h.Side != domain.SideHost || h.Status != domain.StatusActive {
			return ag, domain.Invalid("host", "agreement.host_invalid", map[string]any{"ID": int64(id)})
		}
		ag.Host = append(ag.Host, domain.OrgRef{ID: h.ID, Name: h.Name})
	}
	return ag, nil
}

// checkOverlap refuses an agreement that would grant a capability that
// another live agreement already grants for the same mobile and host
// organizations over an overlapping period.
func (s *Service) checkOverlap(ctx context.Context, q store.Q, ag domain.Agreement, except domain.AgreementID) error {
	ids := func(refs []domain.OrgRef) []domain.OrgID {
		out := make([]domain.OrgID, len(refs))
		for i, r := range refs {
			out[i] = r.ID
		}
		return out
	}
	others, err := store.OverlappingAgreements(ctx, q, ids(ag.Mobile), ids(ag.Host), ag.ValidFrom, ag.ValidTo, except)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.StateOn(s.Today()) == domain.AgreementExpired {
			continue
		}
		for _, c := range ag.Capabilities {
			if o.Grants(c) {
				return &domain.Error{Code: domain.CodeConflict, Field: "capabilities", MsgID: "agreement.overlap",
					Args: map[string]any{"Other": o.Title, "OtherID": int64(o.ID), "Capability": string(c)}}
			}
		}
	}
	return nil
}

// AgreementView is an agreement's page.
type AgreementView struct {
	Agreement domain.Agreement
	State     domain.AgreementState // as of today
	Events    []store.AgreementEvent
	CanWrite  bool
	Renewal   bool // in force and ending within 60 days
}

// agreementFor reads an agreement the actor may see, or not found.
func (s *Service) agreementFor(ctx context.Context, q store.Q, a *authz.Actor, id domain.AgreementID) (domain.Agreement, error) {
	f := s.agreementScope(a)
	if f.Empty() {
		return domain.Agreement{}, notFound()
	}
	visible, err := store.ListAgreements(ctx, q, store.AgreementQuery{Scope: f, ID: id, Limit: 1})
	if err != nil {
		return domain.Agreement{}, err
	}
	if len(visible) == 0 {
		return domain.Agreement{}, notFound()
	}
	return visible[0], nil
}

// Agreement returns an agreement's page.
func (s *Service) Agreement(ctx context.Context, a *authz.Actor, id domain.AgreementID) (AgreementView, error) {
	q := s.db.Read()
	ag, err := s.agreementFor(ctx, q, a, id)
	if err != nil {
		return AgreementView{}, err
	}
	v := AgreementView{Agreement: ag, State: ag.StateOn(s.Today()), Renewal: ag.RenewalDue(s.Today())}
	origin, err := store.OrgByID(ctx, q, ag.OriginID)
	if err != nil {
		return v, err
	}
	v.CanWrite = a.CanAt(authz.AgreementWrite, target(origin)).Allowed
	v.Events, err = store.AgreementEvents(ctx, q, id)
	return v, err
}

// AgreementFilter narrows an agreement list.
type AgreementFilter struct {
	Org   domain.OrgID
	State domain.AgreementState // stored or derived; "expiring" lists renewals due
}

// ListAgreements lists the agreements the actor may read.
func (s *Service) ListAgreements(ctx context.Context, a *authz.Actor, f AgreementFilter) ([]domain.Agreement, error) {
	stored := f.State
	if stored == domain.AgreementExpired || stored == domain.AgreementPending || stored == "expiring" {
		stored = domain.AgreementInForce
	}
	all, err := store.ListAgreements(ctx, s.db.Read(), store.AgreementQuery{Scope: s.agreementScope(a), Org: f.Org, State: stored})
	if err != nil || f.State == "" {
		return all, err
	}
	today := s.Today()
	out := all[:0]
	for _, ag := range all {
		if (f.State == "expiring" && ag.RenewalDue(today)) || ag.StateOn(today) == f.State {
			out = append(out, ag)
		}
	}
	return out, nil
}
