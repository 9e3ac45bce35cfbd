package idcheck

import "strings"

// Gender is a sex code of GB/T 2261.1: 0 unknown, 1 male, 2 female,
// 9 unstated. The numeric values are the codes.
type Gender int

// The GB/T 2261.1 codes.
const (
	GenderUnknown  Gender = 0
	Male           Gender = 1
	Female         Gender = 2
	GenderUnstated Gender = 9
)

// Code is the one-digit code ("1").
func (g Gender) Code() string {
	switch g {
	case GenderUnknown, Male, Female, GenderUnstated:
		return string(rune('0' + g))
	}
	return ""
}

// String is the standard's Chinese name (男, 女, 未知的性别, 未说明的性别).
func (g Gender) String() string {
	switch g {
	case Male:
		return "男"
	case Female:
		return "女"
	case GenderUnknown:
		return "未知的性别"
	case GenderUnstated:
		return "未说明的性别"
	}
	return ""
}

// genders maps what rosters write to a code. Upper case is folded before
// the lookup.
var genders = map[string]Gender{
	"男": Male, "男性": Male, "1": Male, "M": Male, "MALE": Male, "男士": Male,
	"女": Female, "女性": Female, "2": Female, "F": Female, "FEMALE": Female, "女士": Female,
	"0": GenderUnknown, "未知": GenderUnknown, "未知的性别": GenderUnknown,
	"9": GenderUnstated, "未说明": GenderUnstated, "未说明的性别": GenderUnstated,
}

// ParseGender reads 男/女, 1/2, M/F (any case, full-width too), male/female,
// and the codes 0 and 9 with their names. An empty cell is an error: the
// caller decides whether a missing sex is allowed or is taken from the ID.
func ParseGender(s string) (Gender, error) {
	k := strings.ToUpper(foldCode(s, isSpace))
	if g, ok := genders[k]; ok {
		return g, nil
	}
	return GenderUnknown, newError(CodeGender, "value", truncate(s, 20))
}

// truncate keeps error arguments short when a cell holds a paragraph.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
