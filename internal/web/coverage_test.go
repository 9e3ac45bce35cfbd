package web

import (
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

func init() { moreSamples = append(moreSamples, coverageSamples) }

func coverageSamples() map[string][]any {
	placed := domain.Person{ID: 2, Name: "二号<b>", Membership: &domain.Membership{Status: domain.StatusFull, MobileOrgID: 9, MobileOrgName: "驻苏州支部"}}
	unplaced := domain.Person{ID: 3, Name: "未安排", Membership: &domain.Membership{Status: domain.StatusFull}}
	return map[string][]any{"coverage": {
		coverageData{},
		coverageData{Coverage: service.Coverage{Members: 3, Placed: 2, Covered: 1,
			ByCity:     []service.CoverageRow{{Key: "330100", Members: 2, Placed: 2, Covered: 1}, {Key: "", Members: 1}},
			ByOrg:      []service.CoverageRow{{Key: "9", Name: "驻苏州支部", Members: 1}},
			NotCovered: []domain.Person{placed, unplaced}}},
	}}
}
