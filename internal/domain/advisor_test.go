package domain

import (
	"slices"
	"testing"
)

func TestAdvise(t *testing.T) {
	th := DefaultThresholds()
	rules := func(kind OrgKind, c OrgCounts) []string {
		var out []string
		for _, a := range Advise(kind, c, th) {
			out = append(out, a.Rule)
		}
		return out
	}
	cases := []struct {
		kind OrgKind
		c    OrgCounts
		want []string
	}{
		{KindBranch, OrgCounts{Full: 2, Probationary: 5}, []string{"advice.branch_too_small"}},
		{KindBranch, OrgCounts{Full: 3}, nil},
		{KindBranch, OrgCounts{Full: 6, Probationary: 4}, nil},
		{KindBranch, OrgCounts{Full: 7}, []string{"advice.branch_committee"}},
		{KindBranch, OrgCounts{Full: 50, Probationary: 4}, []string{"advice.branch_committee", "advice.may_become_general_branch"}},
		{KindBranch, OrgCounts{Full: 50}, []string{"advice.branch_committee"}},
		{KindGeneralBranch, OrgCounts{Full: 90, Probationary: 10}, []string{"advice.may_become_committee"}},
		{KindGeneralBranch, OrgCounts{Full: 99}, nil},
		{KindCommittee, OrgCounts{Full: 1}, nil},
		{KindGroup, OrgCounts{Full: 1}, nil},
	}
	for _, c := range cases {
		if got := rules(c.kind, c.c); !slices.Equal(got, c.want) {
			t.Errorf("%s %+v: got %v, want %v", c.kind, c.c, got, c.want)
		}
	}
}

func TestKindRules(t *testing.T) {
	if !KindBranch.CanUpgradeTo(KindCommittee) || KindCommittee.CanUpgradeTo(KindBranch) || KindUnion.CanUpgradeTo(KindBranch) {
		t.Error("upgrade rules wrong")
	}
	ok := [][2]OrgKind{{KindBranch, KindGroup}, {KindCommittee, KindBranch}, {KindGeneralBranch, KindBranch},
		{KindCommittee, KindCommittee}, {KindBranch, KindUnion}, {KindOffice, KindCommittee}}
	bad := [][2]OrgKind{{KindGroup, KindGroup}, {KindCommittee, KindGroup}, {KindBranch, KindBranch},
		{KindUnion, KindGroup}, {KindBranch, KindCommittee}, {KindGeneralBranch, KindGeneralBranch}}
	for _, p := range ok {
		if !p[0].CanContain(p[1]) {
			t.Errorf("%s should contain %s", p[0], p[1])
		}
	}
	for _, p := range bad {
		if p[0].CanContain(p[1]) {
			t.Errorf("%s should not contain %s", p[0], p[1])
		}
	}
}

func TestAgreementStateOn(t *testing.T) {
	a := Agreement{State: AgreementInForce, ValidFrom: NewDate(2025, 1, 1), ValidTo: NewDate(2026, 12, 31)}
	for _, c := range []struct {
		day  Date
		want AgreementState
	}{
		{NewDate(2024, 12, 31), AgreementPending},
		{NewDate(2025, 1, 1), AgreementInForce},
		{NewDate(2026, 12, 31), AgreementInForce},
		{NewDate(2027, 1, 1), AgreementExpired},
	} {
		if got := a.StateOn(c.day); got != c.want {
			t.Errorf("%s: %s, want %s", c.day, got, c.want)
		}
	}
	if !a.RenewalDue(NewDate(2026, 11, 1)) || a.RenewalDue(NewDate(2026, 10, 1)) {
		t.Error("renewal reminder window wrong")
	}
}
