package roster

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf8"
)

// FuzzSheet puts arbitrary text in the worksheet part of an otherwise
// sound workbook. Every refusal must be coded; a sheet Open accepts must
// read to the end without error, rows numbered upwards within Excel's
// range, inside the limits, with valid UTF-8 text.
func FuzzSheet(f *testing.F) {
	for _, s := range []string{
		sheetHead + `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="C2" s="1"><v>42552</v></c></row>` + sheetTail,
		sheetHead + `<row><c t="inlineStr"><is><r><t>张</t></r><rPh><t>x</t></rPh></is></c><c t="b"><v>1</v></c></row>` + sheetTail,
		sheetHead + `<row r="1"><c r="B1" t="str"><f>A1</f><v>_x000D_</v></c><c t="d"><v>2016-07-01</v></c></row>` + sheetTail,
		sheetHead + `<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" t="e"><v>#N/A</v></c></row>` + sheetTail,
		sheetHead + `<row r="3"><c r="A3" t="s"><v>7</v></c>`,
		`<worksheet><sheetData/></worksheet>`,
	} {
		f.Add([]byte(s))
	}
	lim := Limits{MaxColumns: 20, MaxCell: 100, MaxRowBytes: 2048, MaxRows: 500}
	f.Fuzz(func(t *testing.T, sheet []byte) {
		data := zipParts(t, book(string(sheet), []string{"姓名", "b"}))
		rd, err := Open(bytes.NewReader(data), int64(len(data)), "fuzz.xlsx", lim)
		if err != nil {
			code(t, err)
			return
		}
		last, n := 0, 0
		for {
			row, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Next failed after Open accepted the sheet: %v", err)
			}
			if row.Number <= last || row.Number > maxSheetRow || len(row.Cells) == 0 || len(row.Cells) > lim.MaxColumns {
				t.Fatalf("row %d after %d with %d cells", row.Number, last, len(row.Cells))
			}
			for _, c := range row.Cells {
				if !utf8.ValidString(c.Text) || utf8.RuneCountInString(c.Text) > lim.MaxCell || c.IsDate && !c.IsNumber {
					t.Fatalf("row %d: bad cell %+v", row.Number, c)
				}
			}
			last = row.Number
			n++
		}
		if n != rd.Rows() || n == 0 {
			t.Fatalf("%d rows read, Rows says %d", n, rd.Rows())
		}
	})
}
