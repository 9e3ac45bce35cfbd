package roster

import (
	"slices"
	"strings"
	"testing"
)

// FuzzFindHeader runs FindHeader over arbitrary grids (lines of
// |-separated cells) and checks what it returns hangs together.
func FuzzFindHeader(f *testing.F) {
	for _, s := range []string{
		"新安镇花名册||\n序号|姓名|身份证号码（必填）\n1|张三|320724199001011234",
		"姓名|身份证号|联系方式||户籍地\n||手机|固话|\n张三|1|2|3|4",
		"基本信息|||联系方式|\n姓名|性别|身份证号|手机|固话",
		"姓名|姓名|身份证\n|||\n||",
		"(姓名)|【身份证号】|联系方式\n|手机|",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var rows [][]string
		for _, l := range strings.Split(data, "\n") {
			rows = append(rows, strings.Split(l, "|"))
		}
		m, err := FindHeader(rows, PersonFields)
		if err != nil {
			if code(t, err) != CodeNoHeader {
				t.Fatalf("unexpected %v", err)
			}
			return
		}
		if m.First > m.Row || m.Row-m.First > 1 || m.Row >= len(rows) || m.First >= headerScan {
			t.Fatalf("header rows %d–%d of %d", m.First, m.Row, len(rows))
		}
		width := 0
		for _, r := range rows[m.First : m.Row+1] {
			width = max(width, len(r))
		}
		if len(m.Headers) != width || len(m.Columns) < 1 {
			t.Fatalf("%d headers for width %d, %d columns", len(m.Headers), width, len(m.Columns))
		}
		used := map[int]bool{}
		for k, c := range m.Columns {
			if c < 0 || c >= width || used[c] {
				t.Fatalf("key %s at column %d (width %d, used %v)", k, c, width, used)
			}
			used[c] = true
		}
		if len(m.Unmatched)+len(m.Columns) > width {
			t.Fatalf("%d unmatched and %d matched in %d columns", len(m.Unmatched), len(m.Columns), width)
		}
		for _, k := range m.Missing {
			if _, ok := m.Columns[k]; ok || !slices.ContainsFunc(PersonFields, func(f Field) bool { return f.Key == k && f.Required }) {
				t.Fatalf("missing %s wrongly", k)
			}
		}
	})
}
