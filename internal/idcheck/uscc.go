package idcheck

import (
	"strings"

	"gongjian/internal/region"
)

// USCC is a Unified Social Credit Code (统一社会信用代码, GB 32100-2015) or,
// with Legacy set, one of the identifiers it replaced.
type USCC struct {
	// Code is the canonical 18 characters, or a legacy identifier as
	// entered (spaces removed, width and case folded, hyphen kept).
	Code string
	// Legacy marks a 15-digit business registration number (注册号) or an
	// organization code (组织机构代码, XXXXXXXX-X) from before October 2015.
	Legacy bool
	// Authority is the registration authority of position 1 (Authority…
	// names: "market", "civil_affairs" …), "" when unknown or legacy.
	Authority string
	// Category is the kind of organization of position 2 ("enterprise",
	// "individual_business" …), "" when unknown or legacy.
	Category string
	// Region is the registering authority's division code (positions 3–8,
	// or the first six digits of a registration number).
	Region string
	// OrgCode is the organization code without hyphen (positions 9–17).
	OrgCode string
	// Warnings holds Warn… codes.
	Warnings []string
}

// USCCAlphabet lists the 31 characters of GB 32100 in value order; I, O,
// Z, S and V are left out because they read like 1, 0, 2, 5 and U.
// Generators of credit codes draw from it.
const USCCAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^i mod 31.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are the GB 11714 weights of the organization code.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// usccAuthorities names position 1.
var usccAuthorities = map[byte]string{
	'1': "establishment", '2': "foreign_affairs", '3': "justice", '4': "culture",
	'5': "civil_affairs", '6': "tourism", '7': "religion", '8': "union",
	'9': "market", 'A': "military", 'N': "agriculture", 'Y': "other",
}

// usccCategories names position 2 for each authority, as far as the data
// reference lists them. Authorities present here have their list complete,
// so another character draws WarnUSCCCategory; for the others an unknown
// category is merely not decoded.
var usccCategories = map[byte]map[byte]string{
	'1': {'1': "organ", '2': "public_institution", '9': "other"},
	'5': {'1': "social_organization", '2': "private_non_enterprise", '3': "foundation", '9': "other"},
	'8': {'1': "grassroots_union", '9': "other"},
	'9': {'1': "enterprise", '2': "individual_business", '3': "farmers_cooperative"},
	'N': {'1': "collective_group", '2': "collective_village", '3': "collective_township", '9': "other"},
	'Y': {'1': "other"},
}

// usccCompleteCategories are the authorities whose list above is complete.
const usccCompleteCategories = "589NY"

// ParseUSCC checks a credit code: the alphabet, the check character of
// position 18, and the check of the embedded organization code, and
// decodes authority, category and region. Spaces are removed, full-width
// and lower-case letters folded. Pre-2015 identifiers (a 15-digit
// registration number, an organization code with or without its hyphen)
// are accepted as Legacy; an organization code's check is verified.
func ParseUSCC(s string) (USCC, error) {
	n := strings.ToUpper(foldCode(s, isSpace))
	if n == "" {
		return USCC{}, newError(CodeUSCCEmpty)
	}
	switch {
	case len(n) == 15 && allDigits(n):
		return USCC{Code: n, Legacy: true, Region: n[:6]}, nil
	case len(n) == 10 && n[8] == '-', len(n) == 9:
		org := strings.Replace(n, "-", "", 1)
		if err := checkOrgCode(org, 1); err != nil {
			return USCC{}, err
		}
		return USCC{Code: n, Legacy: true, OrgCode: org}, nil
	}
	for i, r := range n {
		if r > 0x7F || strings.IndexByte(USCCAlphabet, byte(r)) < 0 {
			return USCC{}, newError(CodeUSCCChars, "pos", 1+len([]rune(n[:i])), "char", string(r))
		}
	}
	if len(n) != 18 {
		return USCC{}, newError(CodeUSCCLength, "len", len(n))
	}
	if want := usccCheck(n[:17]); n[17] != want {
		return USCC{}, newError(CodeUSCCCheck, "got", n[17:], "want", string(want))
	}
	if err := checkOrgCode(n[8:17], 9); err != nil {
		return USCC{}, err
	}
	u := USCC{Code: n, Region: n[2:8], OrgCode: n[8:17]}
	u.Authority = usccAuthorities[n[0]]
	if u.Authority == "" {
		u.Warnings = append(u.Warnings, WarnUSCCAuthority)
	}
	u.Category = usccCategories[n[0]][n[1]]
	if n[1] == '9' && u.Authority != "" {
		u.Category = "other" // 9 is "other" under every authority
	}
	if u.Category == "" && strings.IndexByte(usccCompleteCategories, n[0]) >= 0 {
		u.Warnings = append(u.Warnings, WarnUSCCCategory)
	}
	if u.Region != "100000" { // 100000: registered by a national authority
		if _, ok := region.Lookup(u.Region); !ok {
			u.Warnings = append(u.Warnings, WarnUSCCRegion)
		}
	}
	return u, nil
}

// checkOrgCode verifies a 9-character organization code (GB 11714): eight
// characters of body, digits and A=10 … Z=35, weighted 3 7 9 10 5 8 4 2;
// the check is 11 − Σ mod 11, written X for 10 and 0 for 11. pos is the
// code's first position in the entered text, for the error.
func checkOrgCode(org string, pos int) error {
	if len(org) != 9 {
		return newError(CodeUSCCLength, "len", len(org))
	}
	want, bad := orgCheck(org[:8])
	if bad >= 0 {
		return newError(CodeUSCCChars, "pos", pos+bad, "char", string(rune(org[bad])))
	}
	if org[8] != want {
		return newError(CodeUSCCOrgCheck, "got", org[8:], "want", string(want))
	}
	return nil
}

// usccCheck is the check character of 17 characters of the alphabet.
func usccCheck(body string) byte {
	sum := 0
	for i, w := range usccWeights {
		sum += strings.IndexByte(USCCAlphabet, body[i]) * w
	}
	return USCCAlphabet[(31-sum%31)%31]
}

// orgCheck is the GB 11714 check character of an organization code's
// eight characters, or the position of the first character that is
// neither a digit nor an upper-case letter (bad ≥ 0).
func orgCheck(body string) (check byte, bad int) {
	sum := 0
	for i, w := range orgWeights {
		c := body[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		default:
			return 0, i
		}
		sum += v * w
	}
	return "0123456789X0"[11-sum%11], -1
}

// CompleteUSCC completes a credit code from its first 16 characters
// (authority, category, six-digit region, and the eight characters of an
// organization code before its check): it appends the organization
// code's GB 11714 check and the GB 32100 check character. ok is false
// when body is not 16 characters of the alphabet. Generators of test and
// demonstration data use it; ParseUSCC accepts what it returns.
func CompleteUSCC(body string) (code string, ok bool) {
	if len(body) != 16 {
		return "", false
	}
	for i := 0; i < len(body); i++ {
		if strings.IndexByte(USCCAlphabet, body[i]) < 0 {
			return "", false
		}
	}
	org, bad := orgCheck(body[8:16])
	if bad >= 0 {
		return "", false
	}
	first := body + string(org)
	return first + string(usccCheck(first)), true
}
