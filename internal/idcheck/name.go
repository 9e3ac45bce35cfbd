package idcheck

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/unicode/norm"
)

// nameMaxLen is generous: Uyghur, Kazakh and Tibetan names with their
// parts joined by · run long, and transliterated foreign names longer.
const nameMaxLen = 50

// middleDot is U+00B7, the separator of the parts of a transliterated name
// (买买提·艾力) that the public-security system uses.
const middleDot = '·'

// isDotLookalike reports the characters that fonts draw like U+00B7 and
// that input methods and legacy decoders produce instead of it. U+30FB in
// particular is what a strict GB 2312 decoder makes of the bytes A1 A4.
func isDotLookalike(r rune) bool {
	switch r {
	case '\u30FB', '\u2022', '\u2027', '\uFF0E', '\uFF65', '\u2219':
		return true
	}
	return false
}

// NormalizeName brings a personal name to the form it is stored and
// matched in, and says what is doubtful about it. It applies NFC, drops
// zero-width characters, maps the look-alikes of U+00B7 to it (and an ASCII
// full stop too when the name has hanzi: 买买提.艾力), collapses repeated
// dots, and removes spaces, including U+3000, which templates insert to
// align two-character names (「王　伟」 → 王伟). A space between two letters of
// a script written with spaces (Li Ming) is kept, as one ASCII space.
//
// The result has 1–50 characters, no digits and no punctuation other than
// the dot (and hyphens, apostrophes and full stops in a name without hanzi). Letters of
// every script are allowed, hanzi beyond GBK included (䶮, 𫖯). Private Use
// Area characters, which legacy systems used for characters their fonts
// lacked, draw WarnNamePrivateUse; a name in Latin letters only (pinyin in
// place of hanzi?) WarnNameLatin; hanzi mixed with Latin letters
// WarnNameMixedScript.
func NormalizeName(s string) (string, []string, error) {
	s = norm.NFC.String(s)
	hasHan := strings.ContainsFunc(s, isHan)
	var b strings.Builder
	b.Grow(len(s))
	var prev rune // last rune written; 0 at the start
	space := false
	for _, r := range s {
		switch {
		case isZeroWidth(r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case isDotLookalike(r), r == '.' && hasHan:
			r = middleDot
		}
		if r == middleDot && prev == middleDot {
			space = false
			continue
		}
		if space && prev != 0 && spacedScript(prev) && spacedScript(r) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = r
	}
	name := b.String()
	if name == "" {
		return "", nil, newError(CodeNameEmpty)
	}
	if n := utf8.RuneCountInString(name); n > nameMaxLen {
		return "", nil, newError(CodeNameLength, "len", n)
	}
	if strings.HasPrefix(name, "·") || strings.HasSuffix(name, "·") {
		return "", nil, newError(CodeNameDot)
	}
	var warnings []string
	latin, pua := false, false
	for _, r := range name {
		switch {
		case unicode.IsDigit(r) || (unicode.IsNumber(r) && !isHan(r)):
			return "", nil, newError(CodeNameDigit, "char", string(r))
		case unicode.Is(unicode.Co, r):
			pua = true
		case unicode.Is(unicode.Latin, r):
			latin = true
		case isHan(r), unicode.IsLetter(r), unicode.IsMark(r), r == middleDot, r == ' ':
		case r == '\u0F0B' || r == '\u0F0C':
			// The Tibetan tsheg separates syllables inside a word.
		case (r == '-' || r == '\'' || r == '’' || r == '.') && !hasHan:
		default:
			return "", nil, newError(CodeNameChars, "char", string(r))
		}
	}
	if pua {
		warnings = append(warnings, WarnNamePrivateUse)
	}
	switch {
	case latin && hasHan:
		warnings = append(warnings, WarnNameMixedScript)
	case latin && !strings.ContainsFunc(name, nonLatinLetter):
		warnings = append(warnings, WarnNameLatin)
	}
	return name, warnings, nil
}

// isHan covers hanzi of every extension plus 〇 and 々, which Unicode
// files under the Han script.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// spacedScript reports letters of scripts that separate words with
// spaces, so that a space between two of them is a real separator.
func spacedScript(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsMark(r)) && !isHan(r) &&
		!unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Yi)
}

// nonLatinLetter reports letters of any script but Latin.
func nonLatinLetter(r rune) bool { return unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) }

// BeyondGBK reports whether a name has a character that GBK (code page
// 936, the encoding of many older government systems and of Excel's
// default CSV export) cannot hold, so that it would come back as "?" or a
// private-use character there. golang.org/x/text's GBK encoder follows the
// WHATWG table, which maps some CJK Extension A characters (䶮 U+4DAE) to
// slots in FE50–FEA0 as GB 18030-2005 does; CP936 maps those slots to the
// Private Use Area, so Extension A counts as beyond GBK here.
func BeyondGBK(name string) bool {
	for _, r := range name {
		if r >= 0x3400 && r <= 0x4DBF {
			return true
		}
	}
	_, err := simplifiedchinese.GBK.NewEncoder().String(name)
	return err != nil
}
