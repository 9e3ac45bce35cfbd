package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"gongjian/internal/region/divname"
)

// Kinds of change, as package region documents them.
const (
	renamed           = "renamed"            // same code, new name (安西县 → 瓜州县)
	convertedCity     = "converted_city"     // a county (or prefecture) became a city
	convertedDistrict = "converted_district" // a county or county-level city became a district
	merged            = "merged"             // absorbed by the successor
	abolished         = "abolished"          // ended; the sources cannot name a successor
	recoded           = "recoded"            // same name, new code (a new parent, mostly)
)

// histRow is one code or name that is no longer current.
type histRow struct {
	code, name string
	level      int    // 0 province, 1 prefecture, 2 county
	parent     string // the parent's code at the time
	from       int    // first year a source shows it; 0 when the oldest list has it
	toMin, to  int    // the change happened in toMin…to (equal when exact); 0 unknown
	successor  string // the code that took over; "" when unknown
	succName   string // its name then: codes are reused (Hainan, 2007)
	kind       string
	source     string
}

type key struct{ code, name string }

// deriveHistory diffs each neighbouring pair of lists. Every (code, name)
// pair that is missing from the last list ended between the last list that
// has it and the next one; that pair of lists names its successor.
func deriveHistory(chain []snapshot) []histRow {
	first, last := map[key]int{}, map[key]int{}
	for i, s := range chain {
		for c, n := range s.units {
			k := key{c, n}
			if _, ok := first[k]; !ok {
				first[k] = i
			}
			last[k] = i
		}
	}
	final := len(chain) - 1
	byPair := map[int][]key{}
	for k, i := range last {
		if i < final {
			byPair[i] = append(byPair[i], k)
		}
	}
	var out []histRow
	for i := 0; i < final; i++ {
		d := newPairDiff(chain[i], chain[i+1])
		gone := byPair[i]
		// Prefectures first: their successors guide the counties'.
		sort.Slice(gone, func(a, b int) bool {
			la, lb := level(gone[a].code), level(gone[b].code)
			if la != lb {
				return la < lb
			}
			return gone[a].code < gone[b].code
		})
		var rows []histRow
		for _, k := range gone {
			h := d.explain(k)
			if f := first[k]; f > 0 {
				h.from = chain[f].year
			}
			rows = append(rows, h)
		}
		out = append(out, settleTownships(rows, d)...)
	}
	return out
}

// pairDiff compares list a with the next list b.
type pairDiff struct {
	a, b     snapshot
	added    []key             // pairs of b that a lacks
	shared   []key             // pairs of both, built on first use
	prefSucc map[string]string // prefecture of a → its successor in b
	townIdx  map[string]map[string][]string
}

func newPairDiff(a, b snapshot) *pairDiff {
	d := &pairDiff{a: a, b: b, prefSucc: map[string]string{}}
	for c, n := range b.units {
		if a.units[c] != n {
			d.added = append(d.added, key{c, n})
		}
	}
	sort.Slice(d.added, func(i, j int) bool { return d.added[i].code < d.added[j].code })
	if len(a.towns) > 0 && len(b.towns) > 0 {
		// province → township name → counties of b that have it
		d.townIdx = map[string]map[string][]string{}
		for county, names := range b.towns {
			p := county[:2]
			if d.townIdx[p] == nil {
				d.townIdx[p] = map[string][]string{}
			}
			for _, n := range names {
				d.townIdx[p][n] = append(d.townIdx[p][n], county)
			}
		}
	}
	return d
}

// window is the span of years in which a change between a and b happened:
// a list of December shows the whole year.
func (d *pairDiff) window() (int, int) {
	lo := d.a.year
	if d.a.month == 12 {
		lo++
	}
	return min(lo, d.b.year), d.b.year
}

// explain finds what became of k, which a has and b lacks.
func (d *pairDiff) explain(k key) histRow {
	lo, hi := d.window()
	h := histRow{code: k.code, name: k.name, level: level(k.code), toMin: lo, to: hi,
		source: fmt.Sprintf("diff %s → %s", d.a.label, d.b.label)}
	h.parent = d.parentIn(d.a, k.code)
	succeed := func(code, kind string) histRow {
		h.successor, h.succName, h.kind = code, d.b.units[code], kind
		if h.level == 1 && level(code) == 1 {
			d.prefSucc[k.code] = code
		}
		return h
	}
	exact := func(n string) bool { return n == k.name }
	if bn, ok := d.b.units[k.code]; ok {
		// The code lives on under another name. If the old name moved to
		// a new code, the code was reused and the unit recoded (Hainan's
		// 4690xx counties were reshuffled in 2007); otherwise renamed.
		if c2 := d.pick(k, exact, false); c2 != "" {
			return succeed(c2, recoded)
		}
		return succeed(k.code, kindOf(k.name, bn, h.level))
	}
	if c2 := d.pick(k, exact, true); c2 != "" {
		return succeed(c2, recoded)
	}
	if c2 := d.pick(k, func(n string) bool { return sameStem(k.name, n, h.level) }, false); c2 != "" {
		kind := kindOf(k.name, d.b.units[c2], h.level)
		if h.level == 2 && d.a.units[c2] == d.b.units[c2] {
			kind = merged // 宣化县 into the 宣化区 that was already there
		}
		return succeed(c2, kind)
	}
	if c2 := d.byTownships(k); c2 != "" {
		h.source += ", successor by township names"
		return succeed(c2, townships)
	}
	h.kind = abolished
	return h
}

// townships marks a successor found through township names until
// settleTownships has seen the whole pair.
const townships = "townships"

// settleTownships gives the successors found through township names their
// kind: merged when the successor already existed or took in another unit
// too (港闸区 and 崇川区 became a new 崇川区), else the conversion or renaming
// it was (株洲县 → 渌口区).
func settleTownships(rows []histRow, d *pairDiff) []histRow {
	takers := map[string]int{}
	for _, h := range rows {
		takers[h.successor]++
	}
	for i, h := range rows {
		if h.kind != townships {
			continue
		}
		if d.a.units[h.successor] == h.succName || takers[h.successor] > 1 {
			rows[i].kind = merged
		} else {
			rows[i].kind = kindOf(h.name, h.succName, h.level)
		}
	}
	return rows
}

// parentIn is the code of c's parent in list s: the prefecture when s has
// it, else the province.
func (d *pairDiff) parentIn(s snapshot, c string) string {
	switch level(c) {
	case 0:
		return ""
	case 2:
		if p := c[:4] + "00"; s.units[p] != "" {
			return p
		}
	}
	return c[:2] + "0000"
}

// pick returns the code of a unit of b in the same province whose name
// satisfies match. New units (pairs of b that a lacks) are tried first,
// then the units a and b share (菏泽地区 and the 菏泽市 that both lists
// have). Of each set it takes one under the same prefecture (or its
// successor) when there is one, else the only one in the province. With
// crossLevel a county may match a prefecture and back (儋州市 469003 became
// the prefecture-level 460400 in 2015).
func (d *pairDiff) pick(k key, match func(string) bool, crossLevel bool) string {
	if c := d.pickFrom(d.added, k, match, crossLevel); c != "" {
		return c
	}
	return d.pickFrom(d.kept(), k, match, crossLevel)
}

// kept lists the pairs that a and b share, in code order.
func (d *pairDiff) kept() []key {
	if d.shared == nil {
		d.shared = []key{}
		for c, n := range d.b.units {
			if d.a.units[c] == n {
				d.shared = append(d.shared, key{c, n})
			}
		}
		sort.Slice(d.shared, func(i, j int) bool { return d.shared[i].code < d.shared[j].code })
	}
	return d.shared
}

func (d *pairDiff) pickFrom(set []key, k key, match func(string) bool, crossLevel bool) string {
	lv := level(k.code)
	// A unit of another prefecture counts only when k's name is unique in
	// its province: the many 郊区 of 1998 must not all map to one.
	unique := true
	for c, n := range d.a.units {
		if n == k.name && c != k.code && c[:2] == k.code[:2] {
			unique = false
			break
		}
	}
	var near, far []string
	nearPref := map[string]bool{k.code[:4]: true}
	if s, ok := d.prefSucc[k.code[:4]+"00"]; ok {
		nearPref[s[:4]] = true
	}
	for _, a := range set {
		if a.code[:2] != k.code[:2] || a.code == k.code || !match(a.name) {
			continue
		}
		if la := level(a.code); la != lv && !(crossLevel && la > 0 && lv > 0) {
			continue
		}
		if lv == 2 && nearPref[a.code[:4]] {
			near = append(near, a.code)
		} else {
			far = append(far, a.code)
		}
	}
	switch {
	case len(near) > 0:
		return near[0]
	case len(far) == 1 && unique:
		return far[0]
	}
	return ""
}

// byTownships names the county of b that holds most of the townships of
// the county k.code of a, when it holds at least half of them (NBS lists
// only). This is how 下城区's streets are found in 拱墅区.
func (d *pairDiff) byTownships(k key) string {
	if d.townIdx == nil || level(k.code) != 2 {
		return ""
	}
	names := d.a.towns[k.code]
	if len(names) == 0 {
		return ""
	}
	votes := map[string]float64{}
	for _, n := range names {
		counties := d.townIdx[k.code[:2]][n]
		for _, c := range counties {
			votes[c] += 1 / float64(len(counties))
		}
	}
	best, bestVotes := "", 0.0
	for c, v := range votes {
		if v > bestVotes || (v == bestVotes && c < best) {
			best, bestVotes = c, v
		}
	}
	if best == "" || bestVotes < float64(len(names))/2 || d.b.units[best] == "" {
		return ""
	}
	return best
}

// sameStem reports whether new is old under another suffix: 昌平县 and
// 昌平区, 赣县 and 赣县区, 盘县特区 and 盘县, and the one-character counties
// that took a second character on the way (滦县 → 滦州市, 达县 → 达川区).
func sameStem(old, new string, lv int) bool {
	so, sn := divname.Stem(old, lv), divname.Stem(new, lv)
	switch {
	case so == sn, sn == old, so == new:
		return true
	case strings.HasSuffix(old, "县") && utf8.RuneCountInString(so) == 1 && utf8.RuneCountInString(sn) == 2:
		return strings.HasPrefix(sn, so)
	}
	return false
}

// kindOf classifies a change of name from old to new.
func kindOf(old, new string, lv int) string {
	city := func(n string) bool { return strings.HasSuffix(n, "市") }
	district := func(n string) bool { return strings.HasSuffix(n, "区") && !strings.HasSuffix(n, "地区") }
	switch {
	case old == new:
		return recoded
	case city(new) && !city(old):
		return convertedCity
	case lv == 2 && district(new) && !district(old):
		return convertedDistrict
	}
	return renamed
}
