package roster

import (
	"bytes"
	"io"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// townshipRoster builds, with excelize, the kind of workbook a township
// sends: an empty first sheet, a merged title, a "填报单位" line, a
// two-row header with a merged 「联系方式」 group, date cells in three
// date formats, numbers, an ID typed as a number, full-width digits, a
// blank row, a hidden row, footer rows, a hidden list sheet and a second
// township's sheet.
func townshipRoster(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const s = "花名册"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.NewSheet(s)
	must(err)
	_, err = f.NewSheet("字典")
	must(err)
	_, err = f.NewSheet("二镇")
	must(err)
	must(f.SetSheetVisible("字典", false))
	must(f.SetSheetRow("字典", "A1", &[]any{"汉族", "回族", "满族"}))
	must(f.SetSheetRow("二镇", "A1", &[]any{"姓名", "身份证号"}))
	must(f.SetSheetRow("二镇", "A2", &[]any{"周八", "320724198001011239"}))

	must(f.SetCellValue(s, "A1", "灌南县新安镇外出务工人员花名册"))
	must(f.MergeCell(s, "A1", "I1"))
	must(f.SetCellValue(s, "A2", "填报单位：新安镇人民政府"))
	must(f.SetCellValue(s, "G2", "填报日期：2026年3月"))
	must(f.SetSheetRow(s, "A3", &[]any{"序号", "姓 名", "身份证号码（必填）", "联系方式", nil, "出生日期", "外出时间", "性别", "备注"}))
	must(f.SetSheetRow(s, "D4", &[]any{"手机", "固话"}))
	must(f.MergeCell(s, "D3", "E3"))
	for _, c := range []string{"A", "B", "C", "F", "G", "H", "I"} {
		must(f.MergeCell(s, c+"3", c+"4"))
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	custom := `yyyy"年"m"月"`
	month, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	must(err)
	chinese, err := f.NewStyle(&excelize.Style{NumFmt: 31})
	must(err)

	must(f.SetSheetRow(s, "A5", &[]any{1, "张三", "320724199001011234", 13800138000, "0518-83001234", 32874, 42552, "男"}))
	must(f.SetCellStyle(s, "F5", "F5", date))
	must(f.SetCellStyle(s, "G5", "G5", month))
	must(f.SetSheetRow(s, "A6", &[]any{2, "李四", 3.20724199001011e17, "13900139000", nil, 33025, "2016.07", "女", "１３８００１３８０００"}))
	must(f.SetCellStyle(s, "F6", "F6", chinese))
	// Row 7 stays blank.
	must(f.SetSheetRow(s, "A8", &[]any{3, "王五", "３２０７２４１９９００１０１１２３４", "13700137000"}))
	must(f.SetRowVisible(s, 8, false))
	must(f.SetCellValue(s, "A9", "合计：3人"))
	must(f.MergeCell(s, "A9", "I9"))
	must(f.SetCellValue(s, "A10", "填表人：赵六"))
	must(f.SetCellValue(s, "E10", "审核人：钱七"))
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

func readAll(t *testing.T, rd *Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := rd.Next()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
}

func TestReadTownshipRoster(t *testing.T) {
	data := townshipRoster(t)
	rd, err := Open(bytes.NewReader(data), int64(len(data)), `C:\Users\镇\Desktop\花名册.XLSX`, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if rd.Kind() != KindXLSX || rd.Sheet() != "花名册" || rd.Date1904() || rd.Encoding() != "" {
		t.Errorf("kind %v, sheet %q, 1904 %v, encoding %q", rd.Kind(), rd.Sheet(), rd.Date1904(), rd.Encoding())
	}
	wantSheets := []Sheet{{"Sheet1", false}, {"花名册", false}, {"字典", true}, {"二镇", false}}
	if !reflect.DeepEqual(rd.Sheets(), wantSheets) {
		t.Errorf("sheets %v", rd.Sheets())
	}
	rows := readAll(t, rd)
	var numbers []int
	for _, r := range rows {
		numbers = append(numbers, r.Number)
	}
	if want := []int{1, 2, 3, 4, 5, 6, 8, 9, 10}; !reflect.DeepEqual(numbers, want) || rd.Rows() != len(want) {
		t.Fatalf("row numbers %v (Rows %d), want %v", numbers, rd.Rows(), want)
	}
	if len(rows[0].Cells) != 1 {
		t.Errorf("merged title row has %d cells; the merged ones carry no value", len(rows[0].Cells))
	}

	var texts [][]string
	for _, r := range rows {
		texts = append(texts, r.Texts())
	}
	m, err := FindHeader(texts, PersonFields)
	if err != nil {
		t.Fatal(err)
	}
	wantCols := map[string]int{"name": 1, "id_number": 2, "phone": 3, "birth_date": 5, "out_date": 6, "sex": 7, "note": 8}
	if m.Row != 3 || m.First != 2 || !reflect.DeepEqual(m.Columns, wantCols) || len(m.Missing) != 0 {
		t.Errorf("header rows %d–%d, columns %v, missing %v", m.First, m.Row, m.Columns, m.Missing)
	}
	if want := []string{"序号", "联系方式/固话"}; !reflect.DeepEqual(m.Unmatched, want) {
		t.Errorf("unmatched %q", m.Unmatched)
	}
	if m.Headers[3] != "联系方式/手机" || m.Headers[2] != "身份证号码（必填）" {
		t.Errorf("headers %q", m.Headers)
	}

	zhang, li, wang := rows[4].Cells, rows[5].Cells, rows[6]
	check := func(name string, c Cell, text string, number, date bool) {
		t.Helper()
		if c.Text != text || c.IsNumber != number || c.IsDate != date {
			t.Errorf("%s: %+v, want %q number=%v date=%v", name, c, text, number, date)
		}
	}
	check("ID as text", zhang[2], "320724199001011234", false, false)
	check("phone as number", zhang[3], "13800138000", true, false)
	check("landline", zhang[4], "0518-83001234", false, false)
	check("date, format 14", zhang[5], "32874", true, true)
	check("date, yyyy年m月", zhang[6], "42552", true, true)
	check("date, Chinese built-in 31", li[5], "33025", true, true)
	check("year.month typed as text", li[6], "2016.07", false, false)
	check("full-width digits", li[8], "１３８００１３８０００", false, false)
	check("serial number", zhang[0], "1", true, false)
	for _, c := range []struct {
		cell Cell
		want string
	}{{zhang[5], "1990-01-01"}, {zhang[6], "2016-07-01"}, {li[5], "1990-06-01"}} {
		d, ok := SerialDate(c.cell.Serial, rd.Date1904())
		if !ok || d.Format(time.DateOnly) != c.want {
			t.Errorf("serial %v → %v %v, want %s", c.cell.Serial, d, ok, c.want)
		}
	}
	if !LostDigits(li[2]) || LostDigits(zhang[2]) || LostDigits(wang.Cells[2]) {
		t.Errorf("lost digits: number ID %v, text ID %v, full-width ID %v",
			LostDigits(li[2]), LostDigits(zhang[2]), LostDigits(wang.Cells[2]))
	}
	if !wang.Hidden || rows[4].Hidden {
		t.Error("hidden row not reported, or a visible one reported")
	}
	for i, r := range rows[m.Row+1:] {
		if got, want := IsFooter(r.Texts()), i >= 3; got != want {
			t.Errorf("row %d: footer %v, want %v", r.Number, got, want)
		}
	}

	if err := rd.UseSheet("二镇"); err != nil || rd.Rows() != 2 {
		t.Fatalf("use sheet: %v, %d rows", err, rd.Rows())
	}
	if rows := readAll(t, rd); rows[1].Cells[1].Text != "320724198001011239" {
		t.Errorf("second sheet: %+v", rows)
	}
	if err := rd.UseSheet("三镇"); code(t, err) != CodeNoSheet {
		t.Errorf("missing sheet: %v", err)
	}
}

// TestCellTypes reads every kind of cell from hand-written XML, in a
// workbook of the 1904 date system.
func TestCellTypes(t *testing.T) {
	sheet := sheetHead + `<row r="2" spans="1:12" hidden="1">` +
		`<c r="A2" t="s"><v>0</v></c>` +
		`<c r="B2" t="inlineStr"><is><r><t>张</t></r><r><rPr><b/></rPr><t xml:space="preserve">三 </t></r>` +
		`<rPh sb="0" eb="1"><t>ZHANG</t></rPh></is></c>` +
		`<c r="C2" t="str"><f>A2&amp;B2</f><v>公式_x000D_结果</v></c>` +
		`<c r="D2" t="b"><v>1</v></c>` +
		`<c r="E2" t="e"><f>VLOOKUP(1,A:A,2)</f><v>#N/A</v></c>` +
		`<c r="F2" s="1"><v>100</v></c>` +
		`<c r="G2" s="3"><v>0.5</v></c>` +
		`<c r="H2" s="4"><v>3</v></c>` +
		`<c r="I2" t="d"><v>2016-07-01T12:00:00</v></c>` +
		`<c r="J2" s="2"/>` +
		`<c r="L2"><v>3.20724E+17</v></c>` +
		`</row>` +
		`<row><c><v>1</v></c><c t="n"><v>not a number</v></c></row>` + sheetTail
	data := zipParts(t, book(sheet, []string{"字典_x005F_x0041_值"},
		part{"xl/workbook.xml", sprintf(workbookXML, `<workbookPr date1904="1"/>`)}))
	rd, err := Open(bytes.NewReader(data), int64(len(data)), "types.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, rd)
	if !rd.Date1904() || len(rows) != 2 || rows[0].Number != 2 || !rows[0].Hidden || rows[1].Number != 3 {
		t.Fatalf("1904 %v, rows %+v", rd.Date1904(), rows)
	}
	want := []Cell{
		{Text: "字典_x0041_值"},
		{Text: "张三 "},
		{Text: "公式\r结果"},
		{Text: "TRUE"},
		{Text: "#N/A"},
		{Text: "100", Serial: 100, IsNumber: true, IsDate: true},
		{Text: "0.5", Serial: 0.5, IsNumber: true},
		{Text: "3", Serial: 3, IsNumber: true, IsDate: true},
		{Text: "41090.5", Serial: 41090.5, IsNumber: true, IsDate: true},
		{},
		{},
		{Text: "3.20724E+17", Serial: 3.20724e17, IsNumber: true},
	}
	if !reflect.DeepEqual(rows[0].Cells, want) {
		t.Errorf("cells\n got %+v\nwant %+v", rows[0].Cells, want)
	}
	if d, ok := SerialDate(rows[0].Cells[5].Serial, true); !ok || d.Format(time.DateOnly) != "1904-04-10" {
		t.Errorf("1904 serial 100 → %v", d)
	}
	if got := rows[1].Cells; len(got) != 2 || got[1].Text != "not a number" || got[1].IsNumber {
		t.Errorf("row without references: %+v", got)
	}
}

// TestReadWriterOutput reads back what this package's own writer makes.
func TestReadWriterOutput(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "导出", []string{"姓名", "身份证号"})
	if err != nil {
		t.Fatal(err)
	}
	x.Row("张三", "320724199001011234")
	x.Row("=1+1", "")
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	rd, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "导出.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, r := range readAll(t, rd) {
		got = append(got, r.Texts())
	}
	want := [][]string{{"姓名", "身份证号"}, {"张三", "320724199001011234"}, {"'=1+1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
}

func TestDateFormats(t *testing.T) {
	for code, want := range map[string]bool{
		`yyyy-mm-dd`: true, `yyyy"年"m"月"d"日"`: true, `m/d/yy h:mm`: true, `mmm-yy`: true,
		`[$-804]yyyy"年"m"月"`: true, `[DBNum1][$-804]yyyy"年"m"月"d"日"`: true, `e"年"m"月"d"日"`: true,
		`dd/mm/yyyy;@`: true, `h:mm:ss`: false, `[h]:mm:ss`: false, `mm:ss.0`: false,
		`h:mm AM/PM`: false, `0.00E+00`: false, `General`: false, `0_);[Red](0)`: false,
		`@`: false, `"day "0`: false, `#,##0"元"`: false, `\d0`: false, `0.0%`: false,
	} {
		if got := dateCode(code); got != want {
			t.Errorf("dateCode(%s) = %v, want %v", code, got, want)
		}
	}
	for id, want := range map[int]bool{0: false, 1: false, 14: true, 22: true, 20: false, 31: true, 57: true, 58: true, 32: false, 49: false} {
		if builtinDate(id) != want {
			t.Errorf("builtinDate(%d) != %v", id, want)
		}
	}
	for serial, want := range map[float64]string{1: "1900-01-01", 59: "1900-02-28", 61: "1900-03-01", 45658.75: "2025-01-01"} {
		if d, ok := SerialDate(serial, false); !ok || d.Format(time.DateOnly) != want {
			t.Errorf("SerialDate(%v) = %v %v, want %s", serial, d, ok, want)
		}
	}
	for _, bad := range []float64{0, 60, -1, 3e6} {
		if _, ok := SerialDate(bad, false); ok {
			t.Errorf("SerialDate(%v) accepted", bad)
		}
	}
}

func TestLostDigits(t *testing.T) {
	for _, tt := range []struct {
		cell Cell
		want bool
	}{
		{Cell{Text: "3.20724E+17"}, true},
		{Cell{Text: "３.２０７２４Ｅ＋１７"}, true},
		{Cell{Text: "320724199001011000"}, true},
		{Cell{Text: "320724199001011234"}, false},
		{Cell{Text: "32072419900101123X"}, false},
		{Cell{Text: "3.20724199001011E+17", Serial: 3.20724199001011e17, IsNumber: true}, true},
		{Cell{Text: "320724199001011000", Serial: 3.20724199001011e17, IsNumber: true}, true},
		{Cell{Text: "13800138000", Serial: 13800138000, IsNumber: true}, false},
		{Cell{Text: "1000"}, false},
		{Cell{Text: "E17"}, false},
		{Cell{Text: ""}, false},
	} {
		if got := LostDigits(tt.cell); got != tt.want {
			t.Errorf("LostDigits(%+v) = %v", tt.cell, got)
		}
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 200: "GS", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %s", i, got)
		}
		if got, ok := columnIndex(want + "7"); !ok || got != i {
			t.Errorf("columnIndex(%s7) = %d", want, got)
		}
	}
	for _, bad := range []string{"", "7", "XFE1", "AAAA1", "a1"} {
		if _, ok := columnIndex(bad); ok {
			t.Errorf("columnIndex(%q) accepted", bad)
		}
	}
}
