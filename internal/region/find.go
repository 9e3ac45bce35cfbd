package region

import (
	"slices"
	"strings"
	"unicode/utf8"

	"gongjian/internal/region/divname"
)

// maxQuery bounds a query (in bytes) so that the address split below,
// which tries every cut, stays cheap whatever a roster cell holds.
const maxQuery = 120

// Find returns the units that query names, best first:
//   - a code (see Lookup for the forms): every entry with that code;
//   - else full names and short names, current and historical;
//   - else, when nothing matched, the query's own short form (肃北县 finds
//     肃北蒙古族自治县 through 肃北);
//   - else the query read as names strung together, each within the one
//     before (江苏省灌南县新安镇, 连云港灌南), which yields the last part.
//
// Ranking: an exact full name before a short name, current before
// historical, a higher level before a lower one, then code order. An
// empty query, or one longer than 120 bytes, matches nothing.
func Find(query string) []Match {
	return load().find(clean(query), nil)
}

// FindIn is Find within the unit parentCode (a province, prefecture or
// county, current or historical): only its descendants match. A
// historical parent also admits the descendants of its current successor,
// so FindIn of 酒泉地区 622100 finds 瓜州县. An unknown parent matches
// nothing.
func FindIn(parentCode, name string) []Match {
	t := load()
	sc := t.scopeOf(normalizeCode(clean(parentCode)))
	if len(sc) == 0 {
		return nil
	}
	return t.find(clean(name), sc)
}

// scope is a set of code prefixes: the descendants of a unit share its
// code up to its level (32 for 江苏省, 3207 for 连云港市, 320724 for 灌南县).
type scope []string

func (s scope) has(code string) bool {
	if s == nil {
		return true
	}
	for _, p := range s {
		if len(code) > len(p) && strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// scopeOf is the scope of every entry with code and of their current
// successors.
func (t *table) scopeOf(code string) scope {
	var sc scope
	add := func(i int) {
		r := &t.rows[i]
		p := r.code
		switch r.level {
		case Province:
			p = p[:2]
		case Prefecture:
			p = p[:4]
		}
		if !slices.Contains(sc, p) {
			sc = append(sc, p)
		}
	}
	for _, i := range t.codeRange(code) {
		add(int(i))
		if j, ok := t.current(int(i)); ok {
			add(j)
		}
	}
	return sc
}

// hit is a match during the search, with its rank.
type hit struct {
	row  int
	rank int // 0 current full name or code, 1 current short, 2 historical full name, 3 historical short
	path bool
}

func (t *table) find(q string, sc scope) []Match {
	if q == "" || len(q) > maxQuery {
		return nil
	}
	var hits []hit
	if isDigits(q) {
		for _, i := range t.codeRange(normalizeCode(q)) {
			if sc.has(t.rows[i].code) {
				hits = append(hits, hit{row: int(i), rank: t.histRank(int(i), 0)})
			}
		}
		return t.matches(hits, "code")
	}
	hits = t.byNames(q, sc)
	if len(hits) == 0 {
		if stem := divname.Short(q, divname.Any); stem != "" {
			hits = t.byShortName(stem, sc)
		}
	}
	if len(hits) == 0 {
		hits = t.byPath(q, sc, 3)
	}
	return t.matches(hits, "")
}

// histRank adds 2 to rank for a historical row.
func (t *table) histRank(i, rank int) int {
	if t.rows[i].hist >= 0 {
		return rank + 2
	}
	return rank
}

// byNames finds rows whose full name or short name is s.
func (t *table) byNames(s string, sc scope) []hit {
	var hits []hit
	for _, i := range t.nameRange(t.byName, s, func(r *row) string { return r.name }) {
		if sc.has(t.rows[i].code) {
			hits = append(hits, hit{row: int(i), rank: t.histRank(int(i), 0)})
		}
	}
	return append(hits, t.byShortName(s, sc)...)
}

func (t *table) byShortName(s string, sc scope) []hit {
	var hits []hit
	for _, i := range t.nameRange(t.byShort, s, func(r *row) string { return r.short }) {
		if sc.has(t.rows[i].code) {
			hits = append(hits, hit{row: int(i), rank: t.histRank(int(i), 1)})
		}
	}
	return hits
}

// nameRange returns the part of idx (sorted by key) whose key is s.
func (t *table) nameRange(idx []int32, s string, key func(*row) string) []int32 {
	lo, _ := slices.BinarySearchFunc(idx, s, func(i int32, s string) int { return strings.Compare(key(&t.rows[i]), s) })
	hi := lo
	for hi < len(idx) && key(&t.rows[idx[hi]]) == s {
		hi++
	}
	return idx[lo:hi]
}

// maxHeads bounds how many units one part of an address may stand for
// before the rest is searched under each (城关 alone names dozens).
const maxHeads = 40

// byPath reads q as a name followed by names within it: it cuts q after
// each character, longest head first, and searches the tail under each
// unit the head names, recursing depth times. The first cut that works
// wins; its hits are the units the last part names.
func (t *table) byPath(q string, sc scope, depth int) []hit {
	if depth == 0 {
		return nil
	}
	for cut := len(q) - 1; cut > 0; cut-- {
		if !utf8.RuneStart(q[cut]) || utf8.RuneCountInString(q[:cut]) < 2 || utf8.RuneCountInString(q[cut:]) < 2 {
			continue
		}
		heads := t.byNames(q[:cut], sc)
		if len(heads) == 0 || len(heads) > maxHeads {
			continue
		}
		var out []hit
		for _, h := range heads {
			sub := t.scopeOf(t.rows[h.row].code)
			tail := t.byNames(q[cut:], sub)
			if len(tail) == 0 {
				if stem := divname.Short(q[cut:], divname.Any); stem != "" {
					tail = t.byShortName(stem, sub)
				}
			}
			if len(tail) == 0 {
				tail = t.byPath(q[cut:], sub, depth-1)
			}
			for _, x := range tail {
				x.path = true
				out = append(out, x)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// matches sorts hits, drops repeated rows and converts them. how, when
// set, overrides the kind of match.
func (t *table) matches(hits []hit, how string) []Match {
	slices.SortFunc(hits, func(a, b hit) int {
		ra, rb := &t.rows[a.row], &t.rows[b.row]
		switch {
		case a.rank != b.rank:
			return a.rank - b.rank
		case ra.level != rb.level:
			return int(ra.level - rb.level)
		case ra.zone != rb.zone:
			if ra.zone {
				return 1
			}
			return -1
		case ra.code != rb.code:
			return strings.Compare(ra.code, rb.code)
		}
		return t.recency(int32(b.row)) - t.recency(int32(a.row))
	})
	out := make([]Match, 0, len(hits))
	seen := map[int]bool{}
	for _, h := range hits {
		if seen[h.row] {
			continue
		}
		seen[h.row] = true
		m := Match{Region: t.region(h.row), How: how}
		if m.How == "" {
			switch {
			case h.path:
				m.How = "path"
			case h.rank >= 2:
				m.How = "historical"
			case h.rank == 1:
				m.How = "short"
			default:
				m.How = "name"
			}
		}
		out = append(out, m)
	}
	return out
}
