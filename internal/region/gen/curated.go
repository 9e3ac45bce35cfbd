package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// readCurated reads curated.tsv: tab-separated rows of
//
//	code  name  parent  from  to  successor  kind  source
//
// where from and to are years (empty: unknown) and parent may be empty
// (derived from the code). Lines starting with # are comments.
func readCurated(path string) ([]histRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []histRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		col := strings.Split(line, "\t")
		if len(col) != 8 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 8", path, n, len(col))
		}
		h := histRow{code: col[0], name: col[1], parent: col[2], successor: col[5], kind: col[6], source: col[7]}
		if len(h.code) != 6 || h.name == "" || h.source == "" {
			return nil, fmt.Errorf("%s:%d: want a 6-digit code, a name and a source", path, n)
		}
		switch h.kind {
		case renamed, convertedCity, convertedDistrict, merged, abolished, recoded:
		default:
			return nil, fmt.Errorf("%s:%d: unknown kind %q", path, n, h.kind)
		}
		for i, p := range []*int{&h.from, &h.to} {
			if col[3+i] == "" {
				continue
			}
			if *p, err = strconv.Atoi(col[3+i]); err != nil || *p < 1949 || *p > 2100 {
				return nil, fmt.Errorf("%s:%d: year %q", path, n, col[3+i])
			}
		}
		h.toMin = h.to
		h.level = level(h.code)
		rows = append(rows, h)
	}
	return rows, sc.Err()
}

// applyCurated lets each curated row replace the derived row of the same
// code and name (keeping what the curated row leaves empty), or adds it.
func applyCurated(hist, curated []histRow, chain []snapshot) []histRow {
	idx := map[key]int{}
	for i, h := range hist {
		idx[key{h.code, h.name}] = i
	}
	for _, c := range curated {
		c.succName = nameOf(c.successor, c.to, chain)
		i, ok := idx[key{c.code, c.name}]
		if !ok {
			if c.parent == "" {
				c.parent = parentOf(c.code, chain)
			}
			hist = append(hist, c)
			idx[key{c.code, c.name}] = len(hist) - 1
			continue
		}
		h := &hist[i]
		if c.parent != "" {
			h.parent = c.parent
		}
		if c.succName == "" {
			c.succName = h.succName
		}
		if c.from != 0 {
			h.from = c.from
		}
		if c.to != 0 {
			h.toMin, h.to = c.to, c.to
		}
		h.successor, h.succName, h.kind = c.successor, c.succName, c.kind
		h.source = c.source + "; was: " + h.source
	}
	sort.Slice(hist, func(i, j int) bool {
		if hist[i].code != hist[j].code {
			return hist[i].code < hist[j].code
		}
		if hist[i].to != hist[j].to {
			return hist[i].to < hist[j].to
		}
		return hist[i].name < hist[j].name
	})
	return hist
}

// nameOf is the name code had just after year (the first list dated after
// it), else the name in the newest list; "" for no code.
func nameOf(code string, year int, chain []snapshot) string {
	if code == "" {
		return ""
	}
	for _, s := range chain {
		if s.year >= year && s.units[code] != "" {
			return s.units[code]
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if n := chain[i].units[code]; n != "" {
			return n
		}
	}
	return ""
}

// parentOf guesses the parent of a code from the newest list that has its
// prefecture.
func parentOf(code string, chain []snapshot) string {
	switch level(code) {
	case 0:
		return ""
	case 2:
		p := code[:4] + "00"
		for i := len(chain) - 1; i >= 0; i-- {
			if chain[i].units[p] != "" {
				return p
			}
		}
	}
	return code[:2] + "0000"
}

// chongqingPrefectures are the Sichuan prefectures whose units formed
// Chongqing municipality in 1997, by their last Sichuan codes: 重庆市
// itself, 万县市, 涪陵市 and 黔江地区.
var chongqingPrefectures = []string{"5102", "5112", "5170", "5135"}

// chongqing derives the pre-1997 Sichuan codes of Chongqing's units from
// idcard's table, which keeps every code ID numbers have carried (with the
// latest name of each, and no years). Each unit is matched by name or stem
// to a 50xxxx unit of the oldest list (≈1998); an exact name dates the end
// to 1997, the year of the move; anything else is left undated. curated.tsv
// adds the successors of units that were dissolved (龙宝区 → 万州区).
func (s sources) chongqing(oldest snapshot) ([]histRow, error) {
	type entry struct {
		Code string `json:"code"`
		Text string `json:"text"`
	}
	var areas, cities map[string]entry
	if err := readJSON(s.path(idcard, "lib", "data", "area.json"), &areas); err != nil {
		return nil, err
	}
	if err := readJSON(s.path(idcard, "lib", "data", "city.json"), &cities); err != nil {
		return nil, err
	}
	cq := map[string]string{} // 50xxxx units of the oldest list
	for c, n := range oldest.units {
		if strings.HasPrefix(c, "50") && level(c) == 2 {
			cq[c] = n
		}
	}
	cqCodes := make([]string, 0, len(cq))
	for c := range cq {
		cqCodes = append(cqCodes, c)
	}
	sort.Strings(cqCodes) // map order must not choose a successor
	var out []histRow
	source := idcard.String() + " lib/data (code list of ID numbers); successor by name in " + oldest.label
	add := func(code, name string) {
		h := histRow{code: code, name: name, level: level(code), kind: recoded, source: source}
		if h.level == 2 {
			h.parent = code[:4] + "00"
		} else {
			h.parent = "510000"
		}
		var stems []string
		for _, c := range cqCodes {
			n := cq[c]
			if n == name && h.successor == "" {
				h.successor, h.toMin, h.to = c, 1997, 1997
			} else if h.level == 2 && sameStem(name, n, 2) {
				stems = append(stems, c)
			}
		}
		if h.successor == "" && len(stems) == 1 {
			h.successor = stems[0]
		}
		h.succName = cq[h.successor]
		out = append(out, h)
	}
	for _, p := range chongqingPrefectures {
		if e, ok := cities[p]; ok {
			add(e.Code, e.Text)
		}
		for c, e := range areas {
			if strings.HasPrefix(c, p) && !pseudo(e.Text) {
				add(c, e.Text)
			}
		}
	}
	if len(out) < 30 {
		return nil, fmt.Errorf("%s: only %d Chongqing rows; has the table changed?", idcard, len(out))
	}
	return out, nil
}
