package service

import (
	"context"
	"sort"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// CoverageRow is one line of the coverage report: of the members counted
// there, how many are placed in a mobile organization and how many of
// those an agreement in force today covers.
type CoverageRow struct {
	Key                      string // a city code, or a mobile organization's id
	Name                     string // the organization's name (cities are named by the page)
	Members, Placed, Covered int
}

// Coverage is the county's answer to "is every outgoing member placed and
// co-managed?", by city and by mobile organization, with the members who
// are not.
type Coverage struct {
	Members, Placed, Covered int
	ByCity                   []CoverageRow
	ByOrg                    []CoverageRow
	NotCovered               []domain.Person // members not placed, or placed where no agreement is in force
}

// maxNotCovered bounds the list that comes with the report; the people
// page lists the rest with its filters.
const maxNotCovered = 500

// Coverage computes the report over the members the actor may see.
func (s *Service) Coverage(ctx context.Context, a *authz.Actor) (Coverage, error) {
	var c Coverage
	covered, err := store.CoveredMobilePaths(ctx, s.db.Read(), s.Today())
	if err != nil {
		return c, err
	}
	mobile, err := store.ListOrgs(ctx, s.db.Read(), store.OrgQuery{Read: authz.OrgFilter{Prefixes: []string{"/"}}, Side: domain.SideMobile})
	if err != nil {
		return c, err
	}
	orgs := map[domain.OrgID]domain.Org{}
	for _, o := range mobile {
		orgs[o.ID] = o
	}
	byCity, byOrg := map[string]*CoverageRow{}, map[domain.OrgID]*CoverageRow{}
	yes := true
	f := PersonSearch{Members: &yes, Limit: 500}
	for {
		page, err := s.SearchPersons(ctx, a, f)
		if err != nil {
			return c, err
		}
		for _, p := range page.People {
			c.add(p, orgs, covered, byCity, byOrg)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	c.ByCity, c.ByOrg = sortedRows(byCity), sortedRows(byOrg)
	return c, nil
}

func (c *Coverage) add(p domain.Person, orgs map[domain.OrgID]domain.Org, covered []string,
	byCity map[string]*CoverageRow, byOrg map[domain.OrgID]*CoverageRow) {
	city := p.CityCode
	if len(city) >= 4 {
		city = city[:4] + "00"
	}
	rows := []*CoverageRow{row(byCity, city, city, "")}
	placed, isCovered := false, false
	if m := p.Membership; m != nil && m.MobileOrgID != 0 {
		o := orgs[m.MobileOrgID]
		placed = true
		for _, path := range covered {
			if strings.HasPrefix(o.Path, path) {
				isCovered = true
				break
			}
		}
		rows = append(rows, row(byOrg, m.MobileOrgID, o.Name, o.Name))
	}
	c.Members++
	for _, r := range rows {
		r.Members++
	}
	if placed {
		c.Placed++
		for _, r := range rows {
			r.Placed++
		}
	}
	if isCovered {
		c.Covered++
		for _, r := range rows {
			r.Covered++
		}
	} else if len(c.NotCovered) < maxNotCovered {
		c.NotCovered = append(c.NotCovered, p)
	}
}

func row[K comparable](m map[K]*CoverageRow, k K, key, name string) *CoverageRow {
	r, ok := m[k]
	if !ok {
		r = &CoverageRow{Key: key, Name: name}
		m[k] = r
	}
	return r
}

// sortedRows orders a breakdown with the largest groups first.
func sortedRows[K comparable](m map[K]*CoverageRow) []CoverageRow {
	out := make([]CoverageRow, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Members != out[j].Members {
			return out[i].Members > out[j].Members
		}
		return out[i].Key < out[j].Key
	})
	return out
}
