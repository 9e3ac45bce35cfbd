package roster

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// FuzzCSV feeds arbitrary bytes to the CSV path. Every refusal must be
// coded; a file Open accepts must read to the end without error (Open
// has already read it once), in rows numbered upwards within the file's
// line count, each non-blank and inside the limits.
func FuzzCSV(f *testing.F) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(rosterCSV)
	for _, s := range []string{rosterCSV, gb, "\xEF\xBB\xBF" + rosterCSV, "a,\"b\nc\"\n\n\nd", "\"\"\"", ",,,\n,,",
		"\xFF\xFEa", "\r\r\n\r", "a\"b", "张三,\xD5\xC5\x81\x20", strings.Repeat("x,", 30)} {
		f.Add([]byte(s))
	}
	lim := Limits{MaxColumns: 20, MaxCell: 100, MaxRowBytes: 2048, MaxRows: 500}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := Open(bytes.NewReader(data), int64(len(data)), "fuzz.csv", lim)
		if err != nil {
			code(t, err)
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		last, n := 0, 0
		for {
			row, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Next failed after Open accepted the file: %v", err)
			}
			if row.Number <= last || row.Number > lines {
				t.Fatalf("row %d after %d in %d lines", row.Number, last, lines)
			}
			if len(row.Cells) == 0 || len(row.Cells) > lim.MaxColumns || row.Cells[len(row.Cells)-1].Text == "" {
				t.Fatalf("row %d has %d cells, the last %q", row.Number, len(row.Cells), row.Cells[len(row.Cells)-1].Text)
			}
			blank := true
			for _, c := range row.Cells {
				if !utf8.ValidString(c.Text) || utf8.RuneCountInString(c.Text) > lim.MaxCell || c.IsNumber {
					t.Fatalf("row %d: bad cell %+q", row.Number, c.Text)
				}
				blank = blank && strings.TrimSpace(c.Text) == ""
			}
			if blank {
				t.Fatalf("blank row %d returned", row.Number)
			}
			last = row.Number
			n++
		}
		if n != rd.Rows() || n == 0 {
			t.Fatalf("%d rows read, Rows says %d", n, rd.Rows())
		}
	})
}
