package service

import (
	"context"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// OrgAdvice is one organization's line in the county-wide advisor list.
type OrgAdvice struct {
	Org    domain.Org
	Counts domain.OrgCounts
	Advice []domain.Advice
}

// StructureAdvice applies the structure thresholds to every active Party
// organization the actor may see and returns those with a note, in tree
// order. Child counts come from the same listing and member counts from one
// grouped query, so the whole county costs two.
func (s *Service) StructureAdvice(ctx context.Context, a *authz.Actor) ([]OrgAdvice, error) {
	orgs, err := s.ListOrgs(ctx, a, OrgFilter{Status: domain.StatusActive})
	if err != nil {
		return nil, err
	}
	th, err := s.Thresholds(ctx)
	if err != nil {
		return nil, err
	}
	children := map[domain.OrgID]int{}
	for _, o := range orgs {
		children[o.ParentID]++
	}
	members, err := store.MemberCounts(ctx, s.db.Read(), 0)
	if err != nil {
		return nil, err
	}
	var out []OrgAdvice
	for _, o := range orgs {
		c := members[o.ID]
		c.Children = children[o.ID]
		if adv := domain.Advise(o.Kind, c, th); len(adv) > 0 {
			out = append(out, OrgAdvice{Org: o, Counts: c, Advice: adv})
		}
	}
	return out, nil
}
