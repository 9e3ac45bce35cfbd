package service

import (
	"context"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// PersonCountBy is what people are counted by.
type PersonCountBy string

// The groupings.
const (
	// CountByOrg counts, for every organization in scope, the people its
	// subtree holds (as origin, home or mobile organization); a person
	// placed away from home is counted on both sides, so the rows do not
	// add up to the total.
	CountByOrg PersonCountBy = "org"
	// CountByCity counts people by the city they work in; every person
	// once.
	CountByCity PersonCountBy = "city"
)

// Valid reports whether b is a known grouping.
func (b PersonCountBy) Valid() bool { return b == CountByOrg || b == CountByCity }

// PersonCounts are the counts of the people a search selects, inside the
// actor's scope.
type PersonCounts struct {
	By    PersonCountBy
	Total int // people selected, each once
	Orgs  []store.OrgPersonCount
	// Cities by the number of people, largest first; CityCode "" holds
	// the people whose place of work is not known.
	Cities []store.CityPersonCount
}

// CountPersons counts the people a search would list (its organization,
// status, membership, city, industry and employer filters; a text, a
// cursor and a limit have no place in counts) by organization or by city.
// The count tables answer when the filters are ones they keep; the other
// filters are counted row by row.
func (s *Service) CountPersons(ctx context.Context, a *authz.Actor, by PersonCountBy, f PersonSearch) (PersonCounts, error) {
	if !by.Valid() {
		return PersonCounts{}, domain.Invalid("by", "person.counts.bad_by", nil)
	}
	f.Text, f.After, f.Limit = "", "", 0
	q, err := s.personQuery(ctx, a, f)
	if err != nil {
		return PersonCounts{}, err
	}
	out := PersonCounts{By: by}
	if out.Total, err = store.CountPersons(ctx, s.db.Read(), q); err != nil {
		return out, err
	}
	if by == CountByOrg {
		out.Orgs, err = store.PersonCountsByOrg(ctx, s.db.Read(), q)
	} else {
		out.Cities, err = store.PersonCountsByCity(ctx, s.db.Read(), q)
	}
	return out, err
}
