package roster

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Field is a column the import wants, with every label people give it.
// Key is the caller's name for it; Labels are matched after NormLabel, so
// spacing, width, punctuation and remarks in parentheses do not matter.
type Field struct {
	Key      string
	Labels   []string
	Required bool
}

// HeaderMatch is where the header is and what each column means, for the
// import preview ("身份证号码 → ID number") and for naming columns in
// error reports.
type HeaderMatch struct {
	// Row is the index (into the rows given to FindHeader) of the last
	// header row; data starts after it. First is the first header row:
	// Row-1 when a row of group headers (「联系方式」 over 「手机」「固话」)
	// sits above, else Row.
	Row, First int
	// Columns maps a field's Key to its column index.
	Columns map[string]int
	// Headers holds each column's header as shown, "联系方式/手机" for a
	// column under a group header: the name to use in error reports.
	Headers []string
	// Unmatched lists the headers that no field claimed (序号, columns
	// the import does not know, a second column with a taken meaning).
	Unmatched []string
	// Missing lists the keys of required fields no column matched.
	Missing []string
}

// headerScan is how many leading rows FindHeader looks at: title rows,
// "填报单位" lines and notes take a few, never twenty.
const headerScan = 20

// FindHeader finds the header among the first rows of a sheet: the row
// whose cells match the most distinct fields (at least two, or one if
// only one is wanted; the topmost wins a tie), so title rows, merged
// captions and notes above it are passed over. A second header row is
// recognised by its shape, not its words: below a row of headers, a row
// whose every non-blank cell stands under a group header (a header
// followed by blank cells, as a horizontally merged cell leaves them),
// while the other columns are blank (merged vertically). Its cells are
// matched first, then the group header above them. A group row above the
// best row is joined the same way when it matches a field itself.
//
// rows are cell texts (Row.Texts); FindHeader fails with CodeNoHeader.
func FindHeader(rows [][]string, want []Field) (HeaderMatch, error) {
	index := make(map[string]string)
	for _, f := range want {
		for _, l := range f.Labels {
			if n := NormLabel(l); n != "" && index[n] == "" {
				index[n] = f.Key
			}
		}
	}
	scan := min(len(rows), headerScan)
	best, bestScore := -1, 0
	for i := range scan {
		if s := score(rows[i], index); s > bestScore {
			best, bestScore = i, s
		}
	}
	if bestScore == 0 || bestScore < min(2, len(want)) {
		return HeaderMatch{}, fail(CodeNoHeader, nil, "rows", scan)
	}
	m := HeaderMatch{Row: best, First: best, Columns: map[string]int{}}
	upper, lower := rows[best], []string(nil)
	switch {
	case best+1 < len(rows) && subHeader(rows[best], rows[best+1]):
		m.Row, lower = best+1, rows[best+1]
	case best > 0 && score(rows[best-1], index) > 0 && subHeader(rows[best-1], rows[best]):
		m.First, upper, lower = best-1, rows[best-1], rows[best]
	}
	m.assign(upper, lower, index)
	for _, f := range want {
		if _, ok := m.Columns[f.Key]; f.Required && !ok {
			m.Missing = append(m.Missing, f.Key)
		}
	}
	return m, nil
}

// score counts the distinct fields a row's cells name.
func score(row []string, index map[string]string) int {
	seen := map[string]bool{}
	for _, c := range row {
		if k := index[NormLabel(c)]; k != "" {
			seen[k] = true
		}
	}
	return len(seen)
}

// groups returns, for each column, the group header it stands under
// (upper's text for the group's own column and the blank cells after it),
// or "" outside groups. A group must have lower text under one of its
// blank cells; otherwise it is just a header with blank neighbours.
func groups(upper, lower []string) []string {
	width := max(len(upper), len(lower))
	g := make([]string, width)
	for c := 0; c < width; c++ {
		if blank(cell(upper, c)) {
			continue
		}
		end := c + 1
		for end < width && blank(cell(upper, end)) {
			end++
		}
		under := false
		for k := c + 1; k < end; k++ {
			under = under || !blank(cell(lower, k))
		}
		if under {
			for k := c; k < end; k++ {
				g[k] = strings.TrimSpace(upper[c])
			}
		}
		c = end - 1
	}
	return g
}

// subHeader reports whether lower is a second header row under upper. A
// title (one cell across the sheet) is never a group header.
func subHeader(upper, lower []string) bool {
	filled, grouped := 0, false
	for _, c := range upper {
		if !blank(c) {
			filled++
		}
	}
	if filled < 2 {
		return false
	}
	for c, g := range groups(upper, lower) {
		if g == "" && !blank(cell(lower, c)) {
			return false
		}
		grouped = grouped || g != ""
	}
	return grouped
}

// assign maps columns to fields; lower is nil for a one-row header.
func (m *HeaderMatch) assign(upper, lower []string, index map[string]string) {
	g := groups(upper, lower)
	width := max(len(upper), len(lower))
	m.Headers = make([]string, width)
	for c := range width {
		var cands []string
		switch {
		case lower == nil:
			cands = []string{cell(upper, c)}
		case g[c] != "" && !blank(cell(lower, c)):
			cands = []string{cell(lower, c), g[c]}
			m.Headers[c] = g[c] + "/" + strings.TrimSpace(cell(lower, c))
		case g[c] != "":
			cands = []string{g[c]}
		default:
			cands = []string{cell(upper, c)}
		}
		if m.Headers[c] == "" {
			m.Headers[c] = strings.TrimSpace(cands[0])
		}
		matched := false
		for _, cand := range cands {
			if k := index[NormLabel(cand)]; k != "" {
				if _, taken := m.Columns[k]; !taken {
					m.Columns[k], matched = c, true
					break
				}
			}
		}
		if !matched && m.Headers[c] != "" {
			m.Unmatched = append(m.Unmatched, m.Headers[c])
		}
	}
}

func cell(row []string, c int) string {
	if c < len(row) {
		return row[c]
	}
	return ""
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// NormLabel reduces a header to what identifies it: NFKC (full-width
// letters, digits and brackets become ASCII), lower case, and without
// remarks in brackets (「身份证号（必填）」, 【18位】), white space of any
// kind, zero-width characters, punctuation and symbols (「*姓名：」).
func NormLabel(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range strings.ToLower(norm.NFKC.String(s)) {
		switch {
		case strings.ContainsRune("([【〔〖<《", r):
			depth++
		case strings.ContainsRune(")]】〕〗>》", r):
			depth = max(0, depth-1)
		case depth > 0:
		case unicode.IsSpace(r), unicode.IsPunct(r), unicode.IsSymbol(r), unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// footerPrefixes start the lines under a roster's data: totals, the
// signatures of who filled it in and who checked it, dates, notes.
var footerPrefixes = []string{
	"合计", "总计", "小计", "共计", "填表人", "填报人", "制表人", "审核人", "审批人",
	"负责人", "单位负责人", "主要负责人", "填表日期", "填报日期", "制表日期", "填表时间",
	"填报时间", "填报单位", "注", "说明",
}

// IsFooter reports a row below the data that is not a person: its first
// non-blank cell starts with 合计, 填表人, 审核人, 填表日期, 注 and the
// like. The import stops at, or skips, such rows rather than rejecting
// them as malformed records.
func IsFooter(cells []string) bool {
	for _, c := range cells {
		if blank(c) {
			continue
		}
		n := NormLabel(c)
		for _, p := range footerPrefixes {
			if strings.HasPrefix(n, p) {
				return true
			}
		}
		return false
	}
	return false
}
