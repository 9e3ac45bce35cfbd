package roster

import (
	"bytes"
	"io"
	"testing"
)

// FuzzPackage mutates whole xlsx files: the zip structure, the deflate
// streams, the headers. Every refusal must be coded and nothing may
// panic; a file Open accepts must read to the end.
func FuzzPackage(f *testing.F) {
	f.Add(zipParts(f, book(sheetHead+`<row r="1"><c t="s"><v>0</v></c><c r="C1" s="1"><v>42552</v></c></row>`+sheetTail, []string{"姓名"})))
	f.Add(zipParts(f, []part{{"[Content_Types].xml", contentTypes}, {"word/document.xml", "<w/>"}}))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	lim := Limits{MaxEntries: 50, MaxInflated: 8 << 20, MaxEntry: 4 << 20, MaxColumns: 20, MaxRows: 500, MaxStringTable: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := Open(bytes.NewReader(data), int64(len(data)), "fuzz.xlsx", lim)
		if err != nil {
			code(t, err)
			return
		}
		last := 0
		for {
			row, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Next failed after Open accepted the file: %v", err)
			}
			if row.Number <= last || len(row.Cells) == 0 || len(row.Cells) > lim.MaxColumns {
				t.Fatalf("row %d after %d with %d cells", row.Number, last, len(row.Cells))
			}
			last = row.Number
		}
	})
}
