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

// MaskName hides a name but its first and last characters (张*伟,
// 欧**娜); a two-character name keeps its first (张*), and a name of one
// character shows as one star. Shown where someone without access to the
// record sees that it exists: the certificate check a QR code opens.
func MaskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	switch n := len(r); {
	case n == 0:
		return ""
	case n == 1:
		return "*"
	case n == 2:
		return string(r[0]) + "*"
	default:
		return string(r[0]) + strings.Repeat("*", n-2) + string(r[n-1])
	}
}
