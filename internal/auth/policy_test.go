package auth

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongjian/internal/domain"
)

func TestPolicyCheck(t *testing.T) {
	p := DefaultPolicy()
	long := func(n int) string {
		b := make([]rune, n)
		for i := range b {
			b[i] = rune("aB3$xY7!"[i%8])
		}
		return string(b)
	}
	cases := []struct {
		account, pw string
		msgID       string // "" means accepted
		args        map[string]any
	}{
		{"zhangsan", "Tq7#mV2p!xLw", "", nil},
		{"zhangsan", "Tq7#mV2p!", "auth.password.too_short", map[string]any{"Min": 10}},
		{"zhangsan", "", "auth.password.too_short", map[string]any{"Min": 10}},
		{"zhangsan", long(128), "", nil},
		{"zhangsan", long(129), "auth.password.too_long", map[string]any{"Max": 128}},
		{"zhangsan", "tq7mv2pxlwqz", "auth.password.classes", map[string]any{"Min": 3}},
		{"zhangsan", "TQMVPXLWqzrt", "auth.password.classes", map[string]any{"Min": 3}},
		{"zhangsan", "tq7mv2pxlw!z", "", nil},
		// Chinese characters count as "other" and as one character each.
		{"zhangsan", "春风化雨润物无声tq7", "", nil},
		{"zhangsan", "春风化雨润物无声细无", "auth.password.classes", map[string]any{"Min": 3}},
		{"zhangsan", "xZhangSan#2024", "auth.password.contains_name", nil},
		{"ZhangSan", "my-zhangsan-Q7", "auth.password.contains_name", nil},
		{"li", "Li7#mV2p!xLw", "", nil}, // names under three characters are not checked
		{"zhangsan", "Password2024!", "auth.password.common", nil},
		{"zhangsan", "Admin@123456", "auth.password.common", nil},
		{"zhangsan", "Woaini1314!", "auth.password.common", nil},
		{"zhangsan", "1qaz@WSX3edc", "auth.password.common", nil},
		{"zhangsan", "P@ssw0rd2024", "auth.password.common", nil},
	}
	for _, c := range cases {
		err := p.Check(c.account, c.pw)
		if c.msgID == "" {
			if err != nil {
				t.Errorf("Check(%q, %q) = %v, want nil", c.account, c.pw, err)
			}
			continue
		}
		var de *domain.Error
		if !errors.As(err, &de) {
			t.Errorf("Check(%q, %q) = %v, want a *domain.Error %s", c.account, c.pw, err, c.msgID)
			continue
		}
		want := &domain.Error{Code: domain.CodeInvalid, Field: "password", MsgID: c.msgID, Args: c.args}
		if diff := cmp.Diff(want, de); diff != "" {
			t.Errorf("Check(%q, %q) mismatch (-want +got):\n%s", c.account, c.pw, diff)
		}
	}
}

func TestPolicyZeroValueIsPermissive(t *testing.T) {
	if err := (Policy{}).Check("a", "x"); err != nil {
		t.Errorf("zero Policy refused a password: %v", err)
	}
}

func TestClasses(t *testing.T) {
	for pw, want := range map[string]int{"": 0, "abc": 1, "aB": 2, "aB3": 3, "aB3!": 4, "中文": 1, "aＢ３": 3} {
		if got := Classes(pw); got != want {
			t.Errorf("Classes(%q) = %d, want %d", pw, got, want)
		}
	}
}

func TestPolicyJSON(t *testing.T) {
	data, err := json.Marshal(DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"min_length":10,"min_classes":3,"forbid_account_name":true,"check_common":true,"max_age_days":90,"history_count":5,"max_length":128}`
	if string(data) != want {
		t.Errorf("JSON = %s\nwant   %s", data, want)
	}
	var back Policy
	if err := json.Unmarshal(data, &back); err != nil || back != DefaultPolicy() {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

func TestPolicyValidate(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Errorf("DefaultPolicy invalid: %v", err)
	}
	cases := map[string]func(*Policy){
		"min_length":    func(p *Policy) { p.MinLength = 6 },
		"min_classes":   func(p *Policy) { p.MinClasses = 5 },
		"max_age_days":  func(p *Policy) { p.MaxAgeDays = -1 },
		"history_count": func(p *Policy) { p.HistoryCount = 100 },
		"max_length":    func(p *Policy) { p.MaxLength = 32 }, // ASVS 6.2.9 wants 64+
	}
	for field, mutate := range cases {
		p := DefaultPolicy()
		mutate(&p)
		err := p.Validate()
		if de := domain.AsError(err); err == nil || de.Field != field || de.MsgID != "auth.policy.out_of_range" {
			t.Errorf("%s: Validate = %v", field, err)
		}
	}
}

func TestCheckHistory(t *testing.T) {
	p := DefaultPolicy()
	var history []string // newest first
	for _, pw := range []string{"Old-pass-6", "Old-pass-5", "Old-pass-4", "Old-pass-3", "Old-pass-2", "Old-pass-1"} {
		h, _ := Hash(pw, TestParams)
		history = append(history, h)
	}
	if err := p.CheckHistory("Old-pass-2", history); domain.AsError(err).MsgID != "auth.password.reused" {
		t.Errorf("reuse of the 5th newest: %v", err)
	}
	if err := p.CheckHistory("Old-pass-1", history); err != nil {
		t.Errorf("the 6th newest is beyond HistoryCount 5: %v", err)
	}
	if err := p.CheckHistory("Brand-new-7", history); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if err := (Policy{}).CheckHistory("Old-pass-6", history); err != nil {
		t.Errorf("HistoryCount 0 refused: %v", err)
	}
	if err := p.CheckHistory("x", []string{"garbage"}); err == nil || domain.CodeOf(err) != domain.CodeInternal {
		t.Errorf("malformed history hash: %v", err)
	}
}

func TestExpired(t *testing.T) {
	p := DefaultPolicy()
	changed := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	if p.Expired(changed, changed.Add(89*24*time.Hour)) {
		t.Error("expired after 89 days")
	}
	if !p.Expired(changed, changed.Add(90*24*time.Hour)) {
		t.Error("not expired after 90 days")
	}
	if (Policy{}).Expired(changed, changed.Add(10000*24*time.Hour)) {
		t.Error("MaxAgeDays 0 expired")
	}
	if e := p.ExpiredError(); e.Code != domain.CodeRule || e.Args["Days"] != 90 {
		t.Errorf("ExpiredError = %v", e)
	}
}
