package web

import (
	"net/url"
	"reflect"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

func TestForestFollowsPaths(t *testing.T) {
	org := func(id, parent int64) domain.Org {
		return domain.Org{ID: domain.OrgID(id), ParentID: domain.OrgID(parent)}
	}
	// In path order; 9's parent 8 is filtered out, so 9 is a root.
	roots := forest([]domain.Org{org(1, 0), org(2, 1), org(3, 2), org(4, 1), org(9, 8)})
	shape := func(ns []*treeNode) []domain.OrgID {
		var out []domain.OrgID
		for _, n := range ns {
			out = append(out, n.Org.ID)
		}
		return out
	}
	if got := shape(roots); !reflect.DeepEqual(got, []domain.OrgID{1, 9}) {
		t.Fatalf("roots %v", got)
	}
	if got := shape(roots[0].Children); !reflect.DeepEqual(got, []domain.OrgID{2, 4}) {
		t.Errorf("children of 1: %v", got)
	}
	if got := shape(roots[0].Children[0].Children); !reflect.DeepEqual(got, []domain.OrgID{3}) {
		t.Errorf("children of 2: %v", got)
	}
}

func TestDefaultSideIsTheFirstOwnGrant(t *testing.T) {
	host := &authz.Actor{Reach: []authz.Reach{{Role: authz.RoleHostOfficer, Side: domain.SideHost}, {Agreement: 1, Side: domain.SideMobile}}}
	covered := &authz.Actor{Reach: []authz.Reach{{Agreement: 1, Side: domain.SideMobile}}}
	for a, want := range map[*authz.Actor]domain.Side{host: domain.SideHost, covered: domain.SideOrigin, {}: domain.SideOrigin} {
		if got := defaultSide(a); got != want {
			t.Errorf("defaultSide(%+v) = %s, want %s", a.Reach, got, want)
		}
	}
}

func TestHistoryRowsAreReadable(t *testing.T) {
	rows := historyOf([]domain.OrgEvent{{Kind: domain.EventOfficer, Note: "secretary:王建国"}, {Kind: domain.EventEdited, Note: "name,phone"},
		{Kind: domain.EventDissolved, Note: "撤并"}})
	if rows[0].PositionKey != "org.position.secretary" || rows[0].Person != "王建国" || rows[0].Note != "" {
		t.Errorf("officer row %+v", rows[0])
	}
	if !reflect.DeepEqual(rows[1].FieldKeys, []string{"web.org.name", "web.org.phone"}) || rows[1].Note != "" {
		t.Errorf("edit row %+v", rows[1])
	}
	if rows[2].Note != "撤并" {
		t.Errorf("dissolution row %+v", rows[2])
	}
}

func TestAgreementFilterIgnoresUnknownValues(t *testing.T) {
	for q, want := range map[string]service.AgreementFilter{
		"state=expiring&org=4": {State: "expiring", Org: 4},
		"state=lapsed&org=-1":  {},
		"state=in_force":       {State: domain.AgreementInForce},
	} {
		v, _ := url.ParseQuery(q)
		if got := agreementFilter(v); got != want {
			t.Errorf("%s: %+v, want %+v", q, got, want)
		}
	}
}

func TestCapabilitiesInDisplayOrder(t *testing.T) {
	got := orderedCaps([]domain.Capability{domain.CapAttendance, domain.CapFeedback, domain.CapViewBasic})
	want := []domain.Capability{domain.CapViewBasic, domain.CapAttendance, domain.CapFeedback}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("orderedCaps = %v", got)
	}
}
