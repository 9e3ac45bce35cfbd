package idcheck

import (
	"slices"
	"strings"
	"testing"
)

func TestParseUSCC(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		code      string // canonical or legacy Code
		authority string
		category  string
		region    string
		org       string
		legacy    bool
		warnings  []string
		err       string
	}{
		{name: "reference 1", in: "914403001922038216", code: "914403001922038216",
			authority: "market", category: "enterprise", region: "440300", org: "192203821"},
		{name: "reference 2", in: "91440300708461136T", code: "91440300708461136T",
			authority: "market", category: "enterprise", region: "440300", org: "708461136"},
		{name: "lower case, spaces, full width", in: " ９１ 440300 708461136t ", code: "91440300708461136T",
			authority: "market", category: "enterprise", region: "440300", org: "708461136"},
		{name: "org code ending in X", in: "9144030071526726XG", code: "9144030071526726XG",
			authority: "market", category: "enterprise", region: "440300", org: "71526726X"},
		{name: "MA sequence", in: "91310115MA1K3BTP2B", code: "91310115MA1K3BTP2B",
			authority: "market", category: "enterprise", region: "310115", org: "MA1K3BTP2"},
		{name: "individual business", in: "92340602MA2PBMEM24", code: "92340602MA2PBMEM24",
			authority: "market", category: "individual_business", region: "340602", org: "MA2PBMEM2"},
		{name: "public institution", in: "121200004013590816", code: "121200004013590816",
			authority: "establishment", category: "public_institution", region: "120000", org: "401359081"},

		{name: "legacy registration number", in: "320724000012345", code: "320724000012345", legacy: true, region: "320724"},
		{name: "legacy organization code", in: "70846113-6", code: "70846113-6", legacy: true, org: "708461136"},
		{name: "legacy organization code without hyphen", in: "708461136", code: "708461136", legacy: true, org: "708461136"},

		{name: "empty", in: "  ", err: CodeUSCCEmpty},
		{name: "wrong check", in: "914403001922038217", err: CodeUSCCCheck},
		{name: "made-up example", in: "91310115MA1G4L1WXK", err: CodeUSCCCheck},
		{name: "letter O", in: "91440300708461136O", err: CodeUSCCChars},
		{name: "letter I", in: "9I440300708461136T", err: CodeUSCCChars},
		{name: "too short", in: "9144030070846113", err: CodeUSCCLength},
		{name: "legacy org code with wrong check", in: "70846113-5", err: CodeUSCCOrgCheck},
		{name: "hanzi", in: "91440300708461136号", err: CodeUSCCChars},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := ParseUSCC(tt.in)
			if tt.err != "" {
				if CodeOf(err) != tt.err {
					t.Fatalf("ParseUSCC(%q) error = %v, want %s", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseUSCC(%q): %v", tt.in, err)
			}
			if u.Code != tt.code || u.Authority != tt.authority || u.Category != tt.category ||
				u.Region != tt.region || u.OrgCode != tt.org || u.Legacy != tt.legacy || !slices.Equal(u.Warnings, tt.warnings) {
				t.Errorf("ParseUSCC(%q) = %+v", tt.in, u)
			}
		})
	}
}

// TestUSCCOrgCheck builds codes whose position 18 is right but whose
// embedded organization code is not, which only the second check catches.
func TestUSCCOrgCheck(t *testing.T) {
	body := "91440300708461135" // org check should be 6
	sum := 0
	for i, w := range usccWeights {
		sum += strings.IndexByte(USCCAlphabet, body[i]) * w
	}
	code := body + string(USCCAlphabet[(31-sum%31)%31])
	if _, err := ParseUSCC(code); CodeOf(err) != CodeUSCCOrgCheck {
		t.Errorf("ParseUSCC(%q) = %v, want %s", code, err, CodeUSCCOrgCheck)
	}
}

func TestUSCCWarnings(t *testing.T) {
	// Position 18 recomputed for each body so only the decoded parts vary.
	withCheck := func(body17 string) string {
		sum := 0
		for i, w := range usccWeights {
			sum += strings.IndexByte(USCCAlphabet, body17[i]) * w
		}
		return body17 + string(USCCAlphabet[(31-sum%31)%31])
	}
	tests := []struct {
		body     string
		category string
		warnings []string
	}{
		{"94440300708461136", "", []string{WarnUSCCCategory}},
		{"B1440300708461136", "", []string{WarnUSCCAuthority}},
		{"91999999708461136", "enterprise", []string{WarnUSCCRegion}},
		{"91100000708461136", "enterprise", nil},
		{"39440300708461136", "other", nil},
		{"81440300708461136", "grassroots_union", nil},
		{"N2440300708461136", "collective_village", nil},
		{"31440300708461136", "", nil},
	}
	for _, tt := range tests {
		code := withCheck(tt.body)
		u, err := ParseUSCC(code)
		if err != nil {
			t.Errorf("ParseUSCC(%q): %v", code, err)
			continue
		}
		if u.Category != tt.category || !slices.Equal(u.Warnings, tt.warnings) {
			t.Errorf("ParseUSCC(%q) category %q warnings %v, want %q %v", code, u.Category, u.Warnings, tt.category, tt.warnings)
		}
	}
}
