// Package pinyin turns a person's name into the toneless pinyin that
// officials search and sort by: "张伟" becomes Full "zhangwei", Initials
// "zw", and a Sort key that orders names the way a printed roster does.
//
// Readings come from github.com/mozillazg/go-pinyin, which knows each
// character's readings but not that a character at the start of a name is
// a surname: 单 is "dan" in a word and "shan" as a surname, 曾 "ceng" and
// "zeng". The tables in surname.go fix that, and recognise compound
// surnames such as 欧阳 and 尉迟 as one surname.
//
// Of gives one reading per character, the one a clerk would say. A
// character in the given name may have several (乐 le/yue), and people type
// whichever they know, so Readings lists the variants and Match accepts any
// of them. The store indexes Full and Initials and does prefix matches in
// SQL; Match is for tests and small in-memory lists.
//
// The package keeps no state: the tables are fixed at compile time and
// every function is safe for concurrent use.
package pinyin

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	gopinyin "github.com/mozillazg/go-pinyin"
)

// Name is the pinyin form of a person's name.
type Name struct {
	// Source is the name as given to Of. Match derives the polyphonic
	// variants from it; a Name rebuilt from stored Full and Initials
	// without Source still matches on those two.
	Source string
	// Full is the name in toneless pinyin, lower case, without spaces or
	// separators: "zhangwei". It holds only a–z and 0–9 (ü is written v,
	// as input methods do: 吕 is "lv").
	Full string
	// Initials holds the first letter of each syllable: "zw". A run of
	// Latin letters or of digits counts as one syllable.
	Initials string
	// Syllables holds Full cut into its syllables, surname first:
	// ["zhang" "wei"]; a compound surname gives two (["ou" "yang" "xiu"]).
	Syllables []string
	// Sort is a printable-ASCII key whose byte order is the order of
	// names in a roster: by the surname's pinyin, then by the surname
	// character's code point (every 张 before every 章), then the given
	// name character by character in the same way. Compare it bytewise:
	// SQLite's default BINARY collation does, PostgreSQL needs
	// COLLATE "C". Equal names give equal keys, so a keyset cursor adds
	// the row id after it.
	Sort string
	// Unknown lists, in order, the letters of the name that have no
	// pinyin: characters beyond go-pinyin's table (many in CJK Extension
	// B and later, such as 𠮷) or from other scripts. They add nothing to
	// Full and Initials but keep their place in Sort. Nil when none.
	Unknown []rune
}

// Kinds of token a name is cut into.
const (
	kindHan     = iota // a character with a pinyin reading
	kindLatin          // a run of ASCII letters (full-width ones folded)
	kindDigit          // a run of digits
	kindUnknown        // a letter without a reading
)

// token is one unit of a name: a character, a run of Latin letters or
// digits, or an unknown letter. Separators make no token.
type token struct {
	kind       int
	r          rune   // the character, for kindHan and kindUnknown
	start, end int    // byte range in the source, for the code points in Sort
	syl        string // the reading Of uses; "" for kindUnknown
	surname    bool   // the reading came from the surname tables
}

// Of returns the pinyin form of name. It never fails: characters without a
// reading are listed in Unknown, and separators (spaces including U+3000,
// the middle dot of minority names, punctuation) are skipped. Callers
// normalise names before storing them (domain §4.5); Of copes with names
// that were not.
func Of(name string) Name {
	toks := scan(name)
	n := Name{Source: name}
	if len(toks) == 0 {
		return n
	}
	var full, initials strings.Builder
	full.Grow(len(toks) * 4)
	initials.Grow(len(toks))
	bounds := make([]int, 0, len(toks)+1)
	for _, t := range toks {
		if t.kind == kindUnknown {
			n.Unknown = append(n.Unknown, t.r)
			continue
		}
		bounds = append(bounds, full.Len())
		full.WriteString(t.syl)
		initials.WriteByte(t.syl[0])
	}
	bounds = append(bounds, full.Len())
	n.Full = full.String()
	n.Initials = initials.String()
	if len(bounds) > 1 {
		// Syllables share Full's memory: one allocation for all of them.
		n.Syllables = make([]string, len(bounds)-1)
		for i := range n.Syllables {
			n.Syllables[i] = n.Full[bounds[i]:bounds[i+1]]
		}
	}
	n.Sort = sortKey(name, toks)
	return n
}

// scan cuts name into tokens and gives each its reading, applying the
// surname tables to the first one or two characters.
func scan(name string) []token {
	toks := make([]token, 0, utf8.RuneCountInString(name))
	dotted := false
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		if r == utf8.RuneError && size <= 1 {
			// Broken UTF-8 is not a separator a clerk typed: flag it.
			toks = append(toks, token{kind: kindUnknown, r: utf8.RuneError, start: i, end: i + size})
			i += size
			continue
		}
		if c, kind := foldASCII(r); kind != kindUnknown {
			// Extend the previous run when it is of the same kind and
			// nothing stood between them.
			if k := len(toks) - 1; k >= 0 && toks[k].kind == kind && toks[k].end == i {
				toks[k].end = i + size
				toks[k].syl += string(c)
			} else {
				toks = append(toks, token{kind: kind, start: i, end: i + size, syl: string(c)})
			}
			i += size
			continue
		}
		if s, ok := gopinyin.PinyinDict[int(r)]; ok && s != "" {
			toks = append(toks, token{kind: kindHan, r: r, start: i, end: i + size, syl: primary(s)})
		} else if isSeparator(r) {
			dotted = dotted || isNameDot(r)
		} else {
			toks = append(toks, token{kind: kindUnknown, r: r, start: i, end: i + size})
		}
		i += size
	}
	// A name with a middle dot is a transliteration (买买提·艾力): its first
	// character is a sound, not a Han surname, so the surname tables stay
	// out of it.
	if !dotted {
		applySurname(name, toks)
	}
	return toks
}

// primary returns go-pinyin's first reading of a character, folded. The
// first reading is the one go-pinyin itself returns with its heteronym
// handling off; reading the table directly spares its regexp-based tone
// stripping, which also leaves ê and combining marks in place.
func primary(readings string) string {
	if i := strings.IndexByte(readings, ','); i >= 0 {
		readings = readings[:i]
	}
	return fold(readings)
}

// fold turns a toned reading into lower-case ASCII: tone marks go, ü
// becomes v (input methods type 吕 as "lv"), ê becomes e.
func fold(reading string) string {
	ascii := true
	for i := 0; i < len(reading); i++ {
		if c := reading[i]; c < 'a' || c > 'z' {
			ascii = false
			break
		}
	}
	if ascii {
		return reading
	}
	b := make([]byte, 0, len(reading))
	for _, r := range reading {
		if c := foldVowel(r); c != 0 {
			b = append(b, c)
		}
	}
	return string(b)
}

// foldVowel maps a letter of a toned reading to its base letter, and
// anything else (combining marks) to 0.
func foldVowel(r rune) byte {
	switch {
	case r >= 'a' && r <= 'z':
		return byte(r)
	case r >= 'A' && r <= 'Z':
		return byte(r - 'A' + 'a')
	}
	switch r {
	case 'ā', 'á', 'ǎ', 'à':
		return 'a'
	case 'ē', 'é', 'ě', 'è', 'ê', 'ế', 'ề':
		return 'e'
	case 'ī', 'í', 'ǐ', 'ì':
		return 'i'
	case 'ō', 'ó', 'ǒ', 'ò':
		return 'o'
	case 'ū', 'ú', 'ǔ', 'ù':
		return 'u'
	case 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
		return 'v'
	case 'ń', 'ň', 'ǹ':
		return 'n'
	case 'ḿ':
		return 'm'
	}
	return 0
}

// foldASCII reports r as a lower-case ASCII letter or digit, folding the
// full-width forms that spreadsheets exported on Chinese Windows carry.
func foldASCII(r rune) (byte, int) {
	switch {
	case r >= 'a' && r <= 'z':
		return byte(r), kindLatin
	case r >= 'A' && r <= 'Z':
		return byte(r - 'A' + 'a'), kindLatin
	case r >= '0' && r <= '9':
		return byte(r), kindDigit
	case r >= 'ａ' && r <= 'ｚ':
		return byte(r - 'ａ' + 'a'), kindLatin
	case r >= 'Ａ' && r <= 'Ｚ':
		return byte(r - 'Ａ' + 'a'), kindLatin
	case r >= '０' && r <= '９':
		return byte(r - '０' + '0'), kindDigit
	}
	return 0, kindUnknown
}

// isSeparator reports characters that carry no sound: spaces of every
// width, punctuation (the middle dot and its look-alikes), symbols (U+2219
// is a math symbol), and invisible format characters such as U+200B.
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) ||
		unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me)
}

// isNameDot reports the middle dot of transliterated names and the
// look-alikes that legacy encodings and keyboards produce (domain §4.5),
// plus the ASCII full stop that some clerks type instead.
func isNameDot(r rune) bool {
	switch r {
	case '\u00b7', '\u30fb', '\u2022', '\u2027', '\uff0e', '\uff65', '\u2219', '.':
		return true
	}
	return false
}

// sortKey builds the Sort key. A name is a sequence of units: the surname
// (one or two characters), then each further token. A unit's key is its
// toneless pinyin, "!", then the code points of its characters as six hex
// digits each; units are joined by a space. So names order by the
// surname's pinyin; equal pinyin is split by character, which keeps every
// 张 together ahead of every 章 as a roster does, and then the given name
// follows the same rule. Unknown letters have pinyin "~", after z, so they
// sort last within their place, like the "#" group of a phone's contacts.
// "!" and " " sort below every letter and digit, so a shorter pinyin or
// name comes first ("chen" before "cheng", 张 before 张伟).
func sortKey(name string, toks []token) string {
	var b strings.Builder
	b.Grow(len(toks) * 14)
	var hex [8]byte
	for i := 0; i < len(toks); i++ {
		j := i + 1
		// A compound surname is one unit.
		if i == 0 && len(toks) > 1 && toks[0].surname && toks[1].surname {
			j = 2
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, t := range toks[i:j] {
			if t.kind == kindUnknown {
				b.WriteByte('~')
			} else {
				b.WriteString(t.syl)
			}
		}
		b.WriteByte('!')
		for _, t := range toks[i:j] {
			for _, r := range name[t.start:t.end] {
				h := strconv.AppendUint(hex[:0], uint64(r), 16)
				b.WriteString("000000"[len(h):])
				b.Write(h)
			}
		}
		i = j - 1
	}
	return b.String()
}
