package pinyin

import (
	"strings"

	gopinyin "github.com/mozillazg/go-pinyin"
)

// MaxReadings caps the variants Readings returns. A name of three
// characters with four readings each would otherwise give 64, almost all
// of them readings nobody uses.
const MaxReadings = 16

// Readings returns every full-pinyin spelling of name that its polyphonic
// characters allow, for search: 张乐 gives "zhangle" and "zhangyue". The
// first is always Of(name).Full; at most MaxReadings are returned, varying
// the last character fastest. A surname from the tables keeps its surname
// reading (and the other readings its bearers use, as 乐 yue/le), and any
// other surname its first reading (the tables list the polyphonic ones);
// each character of the given name may take each of its dictionary
// readings.
func Readings(name string) []string {
	toks := scan(name)
	compound := len(toks) > 1 && toks[0].surname && toks[1].surname
	opts := make([][]string, 0, len(toks))
	for i, t := range toks {
		switch {
		case t.kind == kindUnknown:
			continue
		case compound && i < 2:
			opts = append(opts, []string{t.syl})
		case t.surname:
			// Surnames outside the table are read as go-pinyin first
			// reads them: 王 is never "yu".
			opts = append(opts, []string{t.syl})
			if s, ok := singleSurnames[t.r]; ok {
				opts[len(opts)-1] = append(opts[len(opts)-1], s.also...)
			}
		default:
			opts = append(opts, all(t))
		}
	}
	return combine(opts)
}

// all returns a Han token's readings, its Of reading first, without
// duplicates (go-pinyin lists tones separately: 华 huá, huà, huā).
func all(t token) []string {
	out := []string{t.syl}
	if t.kind != kindHan {
		return out
	}
	for r := range strings.SplitSeq(gopinyin.PinyinDict[int(t.r)], ",") {
		if f := fold(r); f != "" && !contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// combine joins one option from each position, odometer fashion, up to
// MaxReadings distinct strings. The number of tries is bounded too, so a
// name whose spellings keep colliding cannot walk the whole product.
func combine(opts [][]string) []string {
	idx := make([]int, len(opts))
	var out []string
	var b strings.Builder
	for try := 0; len(out) < MaxReadings && try < 4*MaxReadings; try++ {
		b.Reset()
		for i, o := range opts {
			b.WriteString(o[idx[i]])
		}
		// Different cuts can spell the same string (xi+an, xian).
		if s := b.String(); !contains(out, s) {
			out = append(out, s)
		}
		i := len(opts) - 1
		for ; i >= 0; i-- {
			if idx[i]++; idx[i] < len(opts[i]) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			break
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Match reports whether query finds n: whether the query, lower-cased and
// stripped of spaces and apostrophes (xi'an), is a prefix of n.Full, of
// n.Initials, or of any of Readings(n.Source). An empty query matches
// every name, as a prefix search for "" does.
//
// The store does not call this: it indexes Full and Initials and matches
// prefixes in SQL, so lists stay filtered and paginated by the database.
// Match is for tests and small in-memory lists (a picker of one branch's
// members), and states the rule the SQL follows.
func Match(query string, n Name) bool {
	q := normaliseQuery(query)
	if strings.HasPrefix(n.Full, q) || strings.HasPrefix(n.Initials, q) {
		return true
	}
	if n.Source == "" {
		return false
	}
	for _, r := range Readings(n.Source) {
		if strings.HasPrefix(r, q) {
			return true
		}
	}
	return false
}

// normaliseQuery lower-cases query and drops what people type between
// syllables; ü is written v, as in Full.
func normaliseQuery(query string) string {
	var b strings.Builder
	b.Grow(len(query))
	for _, r := range strings.ToLower(query) {
		switch {
		case r == ' ' || r == '\'' || r == '\u3000' || r == '\t':
		case r == 'ü':
			b.WriteByte('v')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
