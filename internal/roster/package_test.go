package roster

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

// maxHeapGrowth bounds the memory every hostile file must be refused
// within (security-and-durability §5: RSS delta < 64 MiB). The other bound
// there, < 2 s, is a time: the tests log it and BenchmarkRefuse measures
// it, since a timed assertion fails on a loaded machine, not on a slow
// reader.
const maxHeapGrowth = 64 << 20

// refuse opens data as name and wants the refusal code, within the
// bounds; it logs what the refusal cost.
func refuse(t *testing.T, data []byte, name string, lim Limits, want string) *Error {
	t.Helper()
	var (
		rd  *Reader
		err error
	)
	c := measure(func() { rd, err = Open(bytes.NewReader(data), int64(len(data)), name, lim) })
	t.Logf("%s (%d bytes): %v; %s", name, len(data), err, c)
	if got := code(t, err); got != want {
		t.Fatalf("code %q, want %q (%v)", got, want, err)
	}
	if rd != nil {
		t.Fatal("a refused file returned a reader")
	}
	if c.peak > maxHeapGrowth {
		t.Errorf("refusal cost %s; the bound is %d MiB", c, maxHeapGrowth>>20)
	}
	var e *Error
	errors.As(err, &e)
	return e
}

func TestZipBombs(t *testing.T) {
	gib := zerosDeflate(t, 1024, 0) // 1 GiB of NULs, about 1 MiB deflated
	letters := zerosDeflate(t, 1024, 'a')
	sheetEntry := func(deflated []byte, crc uint32, declared uint64) []byte {
		// The bomb is the sheet of an otherwise ordinary workbook.
		var entries []rawEntry
		for _, p := range book(sheetHead+sheetTail, nil) {
			if p.name == "xl/worksheets/sheet1.xml" {
				continue
			}
			var d bytes.Buffer
			w, _ := flate.NewWriter(&d, flate.DefaultCompression)
			w.Write([]byte(p.data))
			w.Close()
			entries = append(entries, rawEntry{p.name, d.Bytes(), crc32.ChecksumIEEE([]byte(p.data)), uint64(len(p.data))})
		}
		entries = append(entries, rawEntry{"xl/worksheets/sheet1.xml", deflated, crc, declared})
		return zipRaw(t, entries)
	}
	crcNUL, crcA := zerosCRC(1024, 0), zerosCRC(1024, 'a')
	tests := []struct {
		name   string
		data   []byte
		want   string
		reason string
	}{
		{"honest 1 GiB", sheetEntry(gib, crcNUL, 1<<30), CodeTooBigInflated, ""},
		{"lying 1 GiB declared 4 KiB", sheetEntry(gib, crcNUL, 4096), CodeCorrupt, "size"},
		{"lying 1 GiB of letters declared 100 MiB", sheetEntry(letters, crcA, 100<<20), CodeCorrupt, "size"},
		{"lying 1 GiB declared 0", sheetEntry(gib, 0, 0), CodeCorrupt, "size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := refuse(t, tt.data, "bomb.xlsx", Limits{}, tt.want)
			if tt.reason != "" && e.Args["reason"] != tt.reason {
				t.Errorf("reason %v, want %s", e.Args["reason"], tt.reason)
			}
		})
	}
	t.Run("honest parts that add up", func(t *testing.T) {
		// Three 100 MiB parts: each under MaxEntry, together over
		// MaxInflated.
		chunk := zerosDeflate(t, 100, ' ')
		crc := zerosCRC(100, ' ')
		var entries []rawEntry
		for _, n := range []string{"xl/media/a.bin", "xl/media/b.bin", "xl/media/c.bin"} {
			entries = append(entries, rawEntry{n, chunk, crc, 100 << 20})
		}
		refuse(t, zipRaw(t, entries), "parts.xlsx", Limits{}, CodeTooBigInflated)
	})
}

// TestInflateCountsRealBytes drives the counting reader past its caps
// with honest headers, as a lie about sizes within the caps would.
func TestInflateCountsRealBytes(t *testing.T) {
	data := zipRaw(t, []rawEntry{{"big.xml", zerosDeflate(t, 64, ' '), zerosCRC(64, ' '), 64 << 20}})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, dtdOverlap+32<<10)
	for _, lim := range []Limits{{MaxEntry: 1 << 20, MaxInflated: 1 << 30}, {MaxEntry: 1 << 30, MaxInflated: 1 << 20}} {
		var total int64
		err := inflateEntry(zr.File[0], buf, &total, lim)
		if code(t, err) != CodeTooBigInflated || total > 1<<20+int64(len(buf)) {
			t.Errorf("limits %+v: %v after %d bytes", lim, err, total)
		}
	}
	var total int64
	if err := inflateEntry(zr.File[0], buf, &total, Limits{MaxEntry: 1 << 30, MaxInflated: 1 << 30}); err != nil || total != 64<<20 {
		t.Errorf("within limits: %v after %d bytes", err, total)
	}
}

func TestTooManyEntries(t *testing.T) {
	parts := book(sheetHead+sheetTail, nil)
	for i := len(parts); i <= 1000; i++ {
		parts = append(parts, part{sprintf("xl/media/%d.txt", i), ""})
	}
	data := zipParts(t, parts)
	refuse(t, data, "many.xlsx", Limits{}, CodeTooManyEntries)

	// The end record may understate the count; the records are counted.
	end := bytes.LastIndex(data, []byte("PK\x05\x06"))
	binary.LittleEndian.PutUint16(data[end+8:], 7)
	binary.LittleEndian.PutUint16(data[end+10:], 7)
	refuse(t, data, "many.xlsx", Limits{}, CodeTooManyEntries)

	if err := CheckPackage(bytes.NewReader(data), int64(len(data)), Limits{MaxEntries: 2000}); code(t, err) != CodeCorrupt {
		t.Errorf("understated count within the limit: %v, want corrupt", err)
	}
}

func TestDTDRefused(t *testing.T) {
	laughs := `<!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">` +
		`<!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`
	xxe := `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`
	utf16 := func(s string) string {
		var b bytes.Buffer
		b.Write([]byte{0xFF, 0xFE})
		for _, u := range utf16.Encode([]rune(s)) {
			binary.Write(&b, binary.LittleEndian, u)
		}
		return b.String()
	}
	tests := []struct {
		name  string
		parts []part
	}{
		{"billion laughs in the sheet", book(xmlHead+laughs+strings.TrimPrefix(sheetHead, xmlHead)+
			`<row r="1"><c t="inlineStr"><is><t>&lol9;</t></is></c></row>`+sheetTail, nil)},
		{"external entity in the content types", book(sheetHead+sheetTail, nil,
			part{"[Content_Types].xml", xmlHead + xxe + strings.TrimPrefix(contentTypes, xmlHead)})},
		{"DTD in shared strings", book(sheetHead+sheetTail, nil,
			part{"xl/sharedStrings.xml", xmlHead + xxe + `<sst><si><t>&xxe;</t></si></sst>`})},
		{"lower-case doctype in a custom part", book(sheetHead+sheetTail, nil,
			part{"customXml/item1.xml", `<!doctype html><html></html>`})},
		{"UTF-16 DTD", book(sheetHead+sheetTail, nil,
			part{"customXml/item2.xml", utf16(`<?xml version="1.0" encoding="UTF-16"?>` + xxe + `<a>&xxe;</a>`)})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refuse(t, zipParts(t, tt.parts), "dtd.xlsx", Limits{}, CodeDTD)
		})
	}
}

// TestDTDScannerAcrossReads feeds a marker in pieces of every size, so
// it is split across reads at every possible place.
func TestDTDScannerAcrossReads(t *testing.T) {
	text := strings.Repeat("x", 50) + "<!DOCTYPE a>" + strings.Repeat("y", 50)
	for step := 1; step <= 20; step++ {
		buf := make([]byte, dtdOverlap+step)
		s := dtdScanner{buf: buf}
		found := false
		for i := 0; i < len(text) && !found; i += step {
			k := copy(buf[dtdOverlap:], text[i:min(i+step, len(text))])
			found = s.found(k)
		}
		if !found {
			t.Errorf("step %d: DTD not found", step)
		}
	}
	s := dtdScanner{buf: make([]byte, dtdOverlap+64)}
	if s.found(copy(s.buf[dtdOverlap:], "<row><c><v>&lt;!DOCTYPE</v></c></row>")) {
		t.Error("escaped text taken for a DTD")
	}
}

// bigBook is an honest workbook whose sheet is large enough that damage
// lands inside its deflate stream.
func bigBook(t *testing.T, rows int) []byte {
	var s strings.Builder
	s.WriteString(sheetHead)
	for r := 1; r <= rows; r++ {
		s.WriteString(sprintf(`<row r="%d"><c r="A%d" t="inlineStr"><is><t>张%d</t></is></c><c r="B%d"><v>%d</v></c></row>`, r, r, r*7919, r, r*104729))
	}
	s.WriteString(sheetTail)
	return zipParts(t, book(s.String(), nil))
}

func TestDamagedPackages(t *testing.T) {
	good := bigBook(t, 3000)
	if _, err := Open(bytes.NewReader(good), int64(len(good)), "good.xlsx", Limits{}); err != nil {
		t.Fatalf("the undamaged workbook: %v", err)
	}
	for _, cut := range []int{len(good) / 3, len(good) / 2, len(good) - 30, len(good) - 1} {
		t.Run(sprintf("truncated to %d", cut), func(t *testing.T) {
			refuse(t, good[:cut], "cut.xlsx", Limits{}, CodeCorrupt)
		})
	}
	zr, _ := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	var sheet *zip.File
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			sheet = f
		}
	}
	off, _ := sheet.DataOffset()
	n := int64(sheet.CompressedSize64)
	t.Run("sheet data cut short, directory intact", func(t *testing.T) {
		// A download that lost a stretch in the middle: the end
		// records are there, the offsets no longer fit.
		cut := append(bytes.Clone(good[:off+n/2]), good[off+n/2+4096:]...)
		refuse(t, cut, "gap.xlsx", Limits{}, CodeCorrupt)
	})
	for _, at := range []int64{2, n / 4, n / 2, 3 * n / 4, n - 3} {
		for _, bit := range []byte{0x01, 0x10, 0x80} {
			t.Run(sprintf("bit %#x flipped at %d of %d", bit, at, n), func(t *testing.T) {
				bad := bytes.Clone(good)
				bad[off+at] ^= bit
				refuse(t, bad, "flip.xlsx", Limits{}, CodeCorrupt)
			})
		}
	}
}

// TestMalformedSheet is a sheet zipped correctly (the CRC is right) but
// broken as XML after a few rows: Open refuses it, so not one row of it
// reaches the import.
func TestMalformedSheet(t *testing.T) {
	rows := `<row r="1"><c t="inlineStr"><is><t>姓名</t></is></c></row>` +
		`<row r="2"><c t="inlineStr"><is><t>张三</t></is></c></row>` +
		`<row r="3"><c t="inlineStr"><is><t>李四</t></is></c>`
	tests := map[string]string{
		"cut off":              sheetHead + rows,
		"tags crossed":         sheetHead + rows + `</sheetData></row></worksheet>`,
		"bad shared string":    sheetHead + rows + `<c t="s"><v>99</v></c></row>` + sheetTail,
		"rows out of order":    sheetHead + rows + `</row><row r="2"><c><v>1</v></c></row>` + sheetTail,
		"bad cell reference":   sheetHead + rows + `<c r="1A"><v>1</v></c></row>` + sheetTail,
		"nested too deep":      sheetHead + rows + strings.Repeat("<x>", 100) + strings.Repeat("</x>", 100) + "</row>" + sheetTail,
		"giant text node":      sheetHead + rows + `<c t="inlineStr"><is><t>` + strings.Repeat("字", 1<<19) + `</t></is></c></row>` + sheetTail,
		"not UTF-8 declared":   `<?xml version="1.0" encoding="GB2312"?><worksheet><sheetData>` + rows + "</row>" + sheetTail,
		"invalid UTF-8 bytes":  sheetHead + rows + "<c t=\"inlineStr\"><is><t>\xff\xfe</t></is></c></row>" + sheetTail,
		"past the last column": sheetHead + rows + strings.Repeat("<c/>", 16384) + "</row>" + sheetTail,
		"past the last row":    sheetHead + rows + `</row><row r="1048577"><c><v>1</v></c></row>` + sheetTail,
	}
	for name, sheet := range tests {
		t.Run(name, func(t *testing.T) {
			e := refuse(t, zipParts(t, book(sheet, []string{"a"})), "bad.xlsx", Limits{}, CodeCorrupt)
			if e.Row < 3 && name != "not UTF-8 declared" {
				t.Errorf("placed at row %d, want 3", e.Row)
			}
		})
	}
}

func TestWideAndLongSheets(t *testing.T) {
	var s strings.Builder
	s.WriteString(sheetHead + `<row r="1">`)
	for c := range 10000 {
		s.WriteString(sprintf(`<c r="%s1" t="inlineStr"><is><t>列%d</t></is></c>`, ColumnName(c), c))
	}
	s.WriteString(`</row>` + sheetTail)
	e := refuse(t, zipParts(t, book(s.String(), nil)), "wide.xlsx", Limits{}, CodeTooManyColumns)
	if e.Row != 1 || e.Column != "GS" {
		t.Errorf("placed at %d %s, want 1 GS (column 201)", e.Row, e.Column)
	}
	// Styled empty cells far to the right are not columns in use.
	empty := sheetHead + `<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="XFD1" s="1"/></row>` + sheetTail
	data := zipParts(t, book(empty, nil))
	if _, err := Open(bytes.NewReader(data), int64(len(data)), "ok.xlsx", Limits{}); err != nil {
		t.Errorf("empty styled cell at XFD: %v", err)
	}
	refuse(t, bigBook(t, 300), "long.xlsx", Limits{MaxRows: 200}, CodeTooManyRows)
	long := sheetHead + `<row r="4"><c t="inlineStr"><is><t>` + strings.Repeat("长", 40000) + `</t></is></c></row>` + sheetTail
	if e := refuse(t, zipParts(t, book(long, nil)), "cell.xlsx", Limits{}, CodeCellTooLong); e.Row != 4 || e.Column != "A" {
		t.Errorf("placed at %d %s, want 4 A", e.Row, e.Column)
	}
}

func TestNotAWorkbook(t *testing.T) {
	docx := zipParts(t, []part{{"[Content_Types].xml", contentTypes}, {"word/document.xml", "<w:document/>"}})
	e := refuse(t, docx, "名单.xlsx", Limits{}, CodeUnsupported)
	if e.Args["format"] != "docx" {
		t.Errorf("format %v", e.Args["format"])
	}
	refuse(t, []byte("PK\x05\x06"+strings.Repeat("\x00", 18)), "empty.xlsx", Limits{}, CodeUnsupported)
	refuse(t, []byte("PK\x03\x04 not really a zip"), "fake.xlsx", Limits{}, CodeCorrupt)
}

// TestBigPartsWithinCaps are files that inflate to 32–120 MiB of
// well-formed XML: under the inflation caps, so they are parsed. Memory stays bounded
// (the string table has a budget; a sheet is streamed); time grows with
// the XML, at encoding/xml's pace, and is logged for the report.
func TestBigPartsWithinCaps(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 360 MiB of XML")
	}
	repeat := func(size int, head, item, tail string) string {
		var b strings.Builder
		b.Grow(size + len(head) + len(tail))
		b.WriteString(head)
		for b.Len() < size {
			b.WriteString(item)
		}
		b.WriteString(tail)
		return b.String()
	}
	oneRow := sheetHead + `<row><c t="s"><v>0</v></c></row>` + sheetTail
	// The parts are built inside each subtest and dropped before the
	// measurement: a large live heap would let the collector defer, and
	// the growth measured would be its pacing, not the reader's memory.
	tests := []struct {
		name  string
		parts func() []part
		want  string
	}{
		{"a string table of empty strings", func() []part {
			return book(oneRow, nil, part{"xl/sharedStrings.xml", repeat(120<<20, xmlHead+"<sst>", "<si><t></t></si>", "</sst>")})
		}, CodeTooBigInflated},
		{"a string table of long strings", func() []part {
			return book(oneRow, nil, part{"xl/sharedStrings.xml",
				repeat(120<<20, xmlHead+"<sst>", "<si><t>"+strings.Repeat("名", 40)+"</t></si>", "</sst>")})
		}, CodeTooBigInflated},
		{"a sheet of formatted empty cells", func() []part {
			return book(repeat(120<<20, sheetHead+`<row r="1"><c><v>1</v></c></row>`,
				"<row>"+strings.Repeat(`<c s="1"/>`, 200)+"</row>", sheetTail), nil)
		}, CodeTooManyCells},
		{"an ordinary sheet of 30 MiB", func() []part {
			var b strings.Builder
			b.WriteString(sheetHead)
			for r := 1; b.Len() < 30<<20; r++ {
				fmt.Fprintf(&b, `<row r="%d">`, r)
				for c := range 15 {
					fmt.Fprintf(&b, `<c r="%s%d" s="1" t="s"><v>%d</v></c>`, ColumnName(c), r, (r+c)%2)
				}
				b.WriteString("</row>")
			}
			b.WriteString(sheetTail)
			return book(b.String(), []string{"张三", "新安镇"})
		}, ""},
		{"a bordered table around a few rows", func() []part {
			return book(repeat(8<<20, sheetHead+`<row r="1"><c><v>1</v></c></row>`,
				"<row>"+strings.Repeat(`<c s="1"/>`, 10)+"</row>", sheetTail), nil)
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := zipParts(t, tt.parts())
			var err error
			c := measure(func() {
				var rd *Reader
				if rd, err = Open(bytes.NewReader(data), int64(len(data)), "big.xlsx", Limits{}); err == nil {
					for _, err = rd.Next(); err == nil; _, err = rd.Next() {
					}
					if err == io.EOF {
						err = nil
					}
				}
			})
			t.Logf("%d bytes: %v; %s", len(data), err, c)
			if code(t, err) != tt.want || c.peak > maxHeapGrowth {
				t.Errorf("%v; %s", err, c)
			}
		})
	}
}
