package domain

import (
	"slices"
	"strings"
)

// MaskPhone hides the middle of a phone number (138****5678; for a
// landline, the digits after the area code: 0518-****567). At least a
// third is always hidden, so a short number never shows whole.
func MaskPhone(s string) string {
	r := []rune(strings.TrimSpace(s))
	n := len(r)
	if n == 0 {
		return ""
	}
	keep := 3
	if i := slices.Index(r, '-'); i > 0 && i < 6 {
		keep = i + 1
	}
	hide := max(n-keep-4, n/3, 1)
	tail := min(4, n-hide)
	return string(r[:n-hide-tail]) + strings.Repeat("*", hide) + string(r[n-tail:])
}
