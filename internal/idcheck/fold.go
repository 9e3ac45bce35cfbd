package idcheck

import (
	"strings"
	"unicode"
)

// foldCode prepares the text of a code-like cell (ID, phone, credit code,
// date): full-width ASCII (U+FF01–FF5E) and the ideographic space become
// ASCII, zero-width characters vanish, characters for which drop reports
// true are removed, and a leading apostrophe — Excel's "store as text"
// marker, which some users type — goes. Names never pass through here:
// width-folding a name would change letters people chose.
func foldCode(s string, drop func(rune) bool) string {
	if isPlainASCII(s) && !strings.ContainsFunc(s, drop) && !strings.HasPrefix(s, "'") {
		// The common case on the hot path: nothing to rewrite.
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == '\u3000':
			r = ' '
		case isZeroWidth(r):
			continue
		}
		if drop(r) {
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	out = strings.TrimPrefix(out, "'")
	out = strings.TrimPrefix(out, "’")
	return out
}

// isPlainASCII reports whether s is printable ASCII without spaces.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7F {
			return false
		}
	}
	return true
}

// isZeroWidth reports the invisible characters copy-and-paste leaves in
// cells: zero-width space, joiners, word joiner, byte-order mark, soft hyphen.
func isZeroWidth(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return false
}

// isSpace covers Unicode spaces including NBSP and U+3000.
func isSpace(r rune) bool { return unicode.IsSpace(r) }

// isDash covers the hyphens and dashes people put between digit groups.
func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '－', '−':
		return true
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// firstNonDigit returns the 1-based position and the character of the
// first rune that is not an ASCII digit, for error arguments.
func firstNonDigit(s string) (int, string) {
	pos := 0
	for _, r := range s {
		pos++
		if r < '0' || r > '9' {
			return pos, string(r)
		}
	}
	return 0, ""
}
