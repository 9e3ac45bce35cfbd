package service

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Suggestion is a mobile branch or group proposed for a member, with the
// reasons in words (message IDs and their arguments) and a score that
// orders them.
type Suggestion struct {
	Org     domain.Org
	Score   int
	Members int
	Reasons []domain.Advice
}

// Placement weights: place first (district, then city, then province),
// then trade, then room in the group. Kept as data so the county can tune
// them with the rules it applies (地域相邻、行业归口).
var placementWeights = struct{ District, City, Province, Industry, Room, RoomBelow int }{
	District: 50, City: 30, Province: 10, Industry: 20, Room: 10, RoomBelow: 50,
}

// SuggestPlacement proposes up to three mobile branches or groups for an
// unplaced member, best first.
func (s *Service) SuggestPlacement(ctx context.Context, a *authz.Actor, id domain.PersonID) ([]Suggestion, error) {
	p, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonWrite)
	if err != nil {
		return nil, err
	}
	if p.Membership == nil {
		return nil, domain.Rule("placement.not_member", nil)
	}
	candidates, counts, err := s.placementCandidates(ctx, a)
	if err != nil {
		return nil, err
	}
	return rankPlacements(p.Person, candidates, counts, 3), nil
}

// placementCandidates are the active mobile branches and groups the actor
// may place members in, with their member counts.
func (s *Service) placementCandidates(ctx context.Context, a *authz.Actor) ([]domain.Org, map[domain.OrgID]domain.OrgCounts, error) {
	orgs, err := s.ListOrgs(ctx, a, OrgFilter{Side: domain.SideMobile, Status: domain.StatusActive})
	if err != nil {
		return nil, nil, err
	}
	var out []domain.Org
	for _, o := range orgs {
		if (o.Kind == domain.KindBranch || o.Kind == domain.KindGroup) && a.CanAt(authz.PersonWrite, target(o)).Allowed {
			out = append(out, o)
		}
	}
	counts, err := store.MemberCounts(ctx, s.db.Read(), 0)
	return out, counts, err
}

// rankPlacements scores every candidate for the person and keeps the best
// n with a positive score.
func rankPlacements(p domain.Person, orgs []domain.Org, counts map[domain.OrgID]domain.OrgCounts, n int) []Suggestion {
	w := placementWeights
	place := p.DistrictCode
	if place == "" {
		place = p.CityCode
	}
	var out []Suggestion
	for _, o := range orgs {
		sg := Suggestion{Org: o, Members: counts[o.ID].Total()}
		switch {
		case place != "" && o.RegionCode == p.DistrictCode:
			sg.Score += w.District
			sg.Reasons = append(sg.Reasons, domain.Advice{Rule: "placement.same_district", Args: map[string]any{"Code": o.RegionCode}})
		case len(place) >= 4 && len(o.RegionCode) >= 4 && place[:4] == o.RegionCode[:4]:
			sg.Score += w.City
			sg.Reasons = append(sg.Reasons, domain.Advice{Rule: "placement.same_city", Args: map[string]any{"Code": o.RegionCode[:4] + "00"}})
		case len(place) >= 2 && len(o.RegionCode) >= 2 && place[:2] == o.RegionCode[:2]:
			sg.Score += w.Province
			sg.Reasons = append(sg.Reasons, domain.Advice{Rule: "placement.same_province", Args: map[string]any{"Code": o.RegionCode[:2] + "0000"}})
		}
		if p.Industry != "" && o.Industry == p.Industry {
			sg.Score += w.Industry
			sg.Reasons = append(sg.Reasons, domain.Advice{Rule: "placement.same_industry", Args: map[string]any{"Industry": o.Industry}})
		}
		if sg.Members < w.RoomBelow {
			sg.Score += w.Room
			sg.Reasons = append(sg.Reasons, domain.Advice{Rule: "placement.has_room", Args: map[string]any{"Members": sg.Members}})
		}
		if sg.Score > w.Room {
			out = append(out, sg)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Members < out[j].Members
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Place puts a member in a mobile branch or group and records the
// placement in the member's history. version is the membership's.
func (s *Service) Place(ctx context.Context, a *authz.Actor, id domain.PersonID, org domain.OrgID, version int64) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		p, err := s.personFor(ctx, tx, a, id, authz.PersonWrite)
		if err != nil {
			return err
		}
		if p.Membership == nil {
			return domain.Rule("placement.not_member", nil)
		}
		o, err := store.OrgByID(ctx, tx, org)
		if err != nil || o.Side != domain.SideMobile || o.Status != domain.StatusActive || !a.CanAt(authz.PersonWrite, target(o)).Allowed {
			return domain.Invalid("org", "person.mobile_invalid", nil)
		}
		if err := store.SetPlacement(ctx, tx, id, version, org); err != nil {
			return err
		}
		d, _ := json.Marshal(map[string]any{"from": p.Membership.MobileOrgID, "to": org})
		if err := store.AddPersonEvent(ctx, tx, id, "placed", s.Today(), string(d), a.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "person.place", "person", fmt.Sprint(id), "ok",
			change{Before: map[string]any{"mobile_org": p.Membership.MobileOrgID}, After: map[string]any{"mobile_org": org}})
	})
}
