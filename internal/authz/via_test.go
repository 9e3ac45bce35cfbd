package authz

import (
	"testing"

	"gongjian/internal/domain"
)

func TestViaNamesTheReach(t *testing.T) {
	a := &Actor{AccountID: 1, Reach: []Reach{
		{Role: RoleHostOfficer, OrgID: 9, Path: "/9/", Side: domain.SideHost},
		{Role: RoleHostOfficer, OrgID: 4, Path: "/1/4/", Side: domain.SideMobile, Agreement: 7, Caps: []domain.Capability{domain.CapFeedback}},
		{Role: RoleHostOfficer, OrgID: 6, Path: "/1/6/", Side: domain.SideMobile, Agreement: 8, Caps: []domain.Capability{domain.CapViewBasic}},
	}}
	if v := a.Via(FeedbackWrite, Target{Path: "/1/4/5/"}); len(v) != 1 || v[0].Agreement != 7 {
		t.Errorf("feedback at /1/4/5/ via %+v", v)
	}
	if v := a.Via(FeedbackWrite, Target{Path: "/1/6/"}); len(v) != 0 {
		t.Errorf("feedback without the capability via %+v", v)
	}
	if v := a.Via(OrgRead, Target{Path: "/1/6/"}); len(v) != 1 || v[0].Agreement != 8 {
		t.Errorf("read via %+v", v)
	}
	if v := (&Actor{Reach: a.Reach}).Via(OrgRead, Target{Path: "/9/"}); v != nil {
		t.Errorf("anonymous via %+v", v)
	}
}
