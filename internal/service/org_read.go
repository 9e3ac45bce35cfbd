package service

import (
	"context"
	"fmt"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// OrgView is an organization's page: the record, its parent chain, its
// children, officers, history, agreements and the advisor's notes.
type OrgView struct {
	Org        domain.Org
	Ancestors  []domain.Org
	Children   []domain.Org
	Officers   []domain.Officer
	History    []domain.OrgEvent
	Agreements []domain.Agreement
	Counts     domain.OrgCounts
	Advice     []domain.Advice
	CanWrite   bool
}

// visible reports whether the actor may see the organization: in reach
// for org:read, or a host-side counterparty that it registers or that is a
// party to an agreement it may read. (A mobile organization is never
// visible through an agreement alone: its reach ends with the agreement.)
func (s *Service) visible(ctx context.Context, a *authz.Actor, o domain.Org) (bool, error) {
	if a.CanAt(authz.OrgRead, target(o)).Allowed {
		return true, nil
	}
	if o.Side != domain.SideHost {
		return false, nil
	}
	if canAnywhere(a, authz.OrgRegisterHost) {
		return true, nil
	}
	f := a.Filter(authz.AgreementRead)
	if f.Empty() {
		return false, nil
	}
	as, err := store.ListAgreements(ctx, s.db.Read(), store.AgreementQuery{Scope: f, Org: o.ID, Limit: 1})
	return len(as) > 0, err
}

// orgFor reads an organization the actor may see, or not found.
func (s *Service) orgFor(ctx context.Context, q store.Q, a *authz.Actor, id domain.OrgID) (domain.Org, error) {
	o, err := store.OrgByID(ctx, q, id)
	if err != nil {
		return o, err
	}
	ok, err := s.visible(ctx, a, o)
	if err != nil {
		return o, err
	}
	if !ok {
		return o, notFound()
	}
	return o, nil
}

// Org returns an organization's page.
func (s *Service) Org(ctx context.Context, a *authz.Actor, id domain.OrgID) (OrgView, error) {
	q := s.db.Read()
	o, err := s.orgFor(ctx, q, a, id)
	if err != nil {
		return OrgView{}, err
	}
	v := OrgView{Org: o, CanWrite: a.CanAt(authz.OrgWrite, target(o)).Allowed}
	if v.Children, err = store.ListOrgs(ctx, q, s.orgQuery(a, store.OrgQuery{Parent: o.ID})); err != nil {
		return v, err
	}
	for p := o.ParentID; p != 0; {
		anc, err := store.OrgByID(ctx, q, p)
		if err != nil {
			return v, err
		}
		v.Ancestors = append([]domain.Org{anc}, v.Ancestors...)
		p = anc.ParentID
	}
	if v.Officers, err = s.officers(ctx, q, o.ID); err != nil {
		return v, err
	}
	if v.History, err = store.OrgEvents(ctx, q, o.ID); err != nil {
		return v, err
	}
	if v.Agreements, err = store.ListAgreements(ctx, q, store.AgreementQuery{Scope: s.agreementScope(a), Org: o.ID}); err != nil {
		return v, err
	}
	v.Counts, v.Advice, err = s.advise(ctx, o)
	return v, err
}

// OrgFilter narrows an organization list.
type OrgFilter struct {
	Side   domain.Side
	Under  domain.OrgID // the subtree of this organization
	Status domain.OrgStatus
	Name   string
}

// ListOrgs lists the organizations the actor may see, in tree order.
func (s *Service) ListOrgs(ctx context.Context, a *authz.Actor, f OrgFilter) ([]domain.Org, error) {
	q := store.OrgQuery{Side: f.Side, Status: f.Status, Name: f.Name}
	if f.Under != 0 {
		root, err := s.orgFor(ctx, s.db.Read(), a, f.Under)
		if err != nil {
			return nil, err
		}
		q.Under = root.Path
	}
	return store.ListOrgs(ctx, s.db.Read(), s.orgQuery(a, q))
}

// orgQuery puts the actor's scope into a store query.
func (s *Service) orgQuery(a *authz.Actor, q store.OrgQuery) store.OrgQuery {
	q.Read = a.Filter(authz.OrgRead)
	q.Agreements = s.agreementScope(a)
	q.AllHosts = canAnywhere(a, authz.OrgRegisterHost)
	return q
}

// agreementScope is where the actor may read agreements: its own subtrees
// for agreement:read (agreement-derived reach does not extend to reading
// other agreements of the covered organizations).
func (s *Service) agreementScope(a *authz.Actor) authz.OrgFilter {
	var f authz.OrgFilter
	for _, r := range a.Reach {
		if r.Agreement == 0 && a.CanAt(authz.AgreementRead, authz.Target{Path: r.Path, Side: r.Side}).Allowed {
			f.Prefixes = append(f.Prefixes, r.Path)
		}
	}
	return f
}

// advise counts and applies the structure thresholds.
func (s *Service) advise(ctx context.Context, o domain.Org) (domain.OrgCounts, []domain.Advice, error) {
	members, err := store.MemberCounts(ctx, s.db.Read(), o.ID)
	if err != nil {
		return domain.OrgCounts{}, nil, err
	}
	c := members[o.ID]
	kids, err := store.ListOrgs(ctx, s.db.Read(), store.OrgQuery{Read: authz.OrgFilter{Prefixes: []string{o.Path}},
		Parent: o.ID, Status: domain.StatusActive})
	if err != nil {
		return c, nil, err
	}
	c.Children = len(kids)
	th, err := s.Thresholds(ctx)
	if err != nil {
		return c, nil, err
	}
	return c, domain.Advise(o.Kind, c, th), nil
}

// officers lists an organization's officers with their phones opened and
// masked: the clear number never leaves the service (revealing one is a
// separate, audited action).
func (s *Service) officers(ctx context.Context, q store.Q, org domain.OrgID) ([]domain.Officer, error) {
	list, err := store.Officers(ctx, q, org)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Phone == "" {
			continue
		}
		clear, err := s.cfg.Keys.Open(list[i].Phone, officerPhoneAAD)
		if err != nil {
			return nil, fmt.Errorf("service: open officer phone: %w", err)
		}
		list[i].Phone = domain.MaskPhone(string(clear))
	}
	return list, nil
}
