package api

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"gongjian/internal/domain"
)

func TestIfMatch(t *testing.T) {
	for header, want := range map[string]int64{`"3"`: 3, `W/"12"`: 12, `7`: 7, ``: 0, `"x"`: 0, `"-1"`: 0, `*`: 0} {
		r := httptest.NewRequest("PATCH", "/api/v1/orgs/1", nil)
		if header != "" {
			r.Header.Set("If-Match", header)
		}
		if got := ifMatch(r); got != want {
			t.Errorf("If-Match %q = %d, want %d", header, got, want)
		}
	}
}

func TestAPIDateNamesItsField(t *testing.T) {
	if d, err := apiDate("on", "2010-04-01"); err != nil || d != domain.NewDate(2010, 4, 1) {
		t.Errorf("good date: %v %v", d, err)
	}
	if d, err := apiDate("on", ""); err != nil || !d.IsZero() {
		t.Errorf("empty date: %v %v", d, err)
	}
	_, err := apiDate("valid_to", "2010/04/01")
	if e := domain.AsError(err); e.Code != domain.CodeInvalid || e.Field != "valid_to" || e.MsgID != "web.orgapi.bad_date" {
		t.Errorf("bad date: %v", err)
	}
}

// Dates go out as "YYYY-MM-DD" and are left out when unknown; the state
// is the one of the day asked.
func TestAgreementShape(t *testing.T) {
	a := domain.Agreement{ID: 5, Title: "协议", OriginID: 1, OriginName: "县委", Mobile: []domain.OrgRef{{ID: 4, Name: "流动党委"}},
		Capabilities: []domain.Capability{domain.CapAttendance}, ValidFrom: domain.NewDate(2026, 1, 1),
		ValidTo: domain.NewDate(2026, 12, 31), State: domain.AgreementInForce, SignedOn: domain.NewDate(2026, 1, 1)}
	b, _ := json.Marshal(toAgreement(a, domain.NewDate(2026, 11, 29)))
	out := string(b)
	for _, want := range []string{`"valid_from":"2026-01-01"`, `"state":"in_force"`, `"renewal_due":true`, `"host":[]`,
		`"capabilities":["attendance"]`, `"origin":{"id":1,"name":"县委"}`} {
		if !strings.Contains(out, want) {
			t.Errorf("%s lacks %s", out, want)
		}
	}
	if strings.Contains(out, "terminated_on") || strings.Contains(out, "document") {
		t.Errorf("unknown fields not left out: %s", out)
	}
	b, _ = json.Marshal(toAgreement(a, domain.NewDate(2027, 1, 1)))
	if !strings.Contains(string(b), `"state":"expired"`) {
		t.Errorf("after its end: %s", b)
	}
}
