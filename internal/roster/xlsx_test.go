package roster

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSXWritesStringsNotFormulas(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "审计日志: 2026/11", []string{"时间", "操作者", "详情"})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]string{
		{"2026-11-29 09:00", "张三", "=1+2"},
		{"+86 138", "-5", "@SUM(A1)"},
		{"\tTAB", "\rCR", "\x00NUL"},
		{"12345", "0012", "普通文本"},
	}
	for _, r := range rows {
		if err := x.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := x.Row("late"); err == nil {
		t.Error("Row after Close succeeded")
	}

	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != "审计日志_ 2026_11" {
		t.Errorf("sheet name %q", sheet)
	}
	want := [][]string{
		{"时间", "操作者", "详情"},
		{"2026-11-29 09:00", "张三", "'=1+2"},
		{"'+86 138", "'-5", "'@SUM(A1)"},
		{"'\tTAB", "'\rCR", "'\uFFFDNUL"},
		{"12345", "0012", "普通文本"},
	}
	for r, row := range want {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			got, err := f.GetCellValue(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			// The XML layer may carry a NUL as U+FFFD or drop it; the quote
			// in front is what matters.
			if r == 3 && c == 2 {
				if !strings.HasPrefix(got, "'") || !strings.HasSuffix(got, "NUL") {
					t.Errorf("%s = %q, want a quoted NUL value", cell, got)
				}
				continue
			}
			if got != v {
				t.Errorf("%s = %q, want %q", cell, got, v)
			}
			typ, err := f.GetCellType(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
				t.Errorf("%s has type %v, want a string", cell, typ)
			}
			if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
				t.Errorf("%s has formula %q", cell, formula)
			}
		}
	}
	// The header is bold.
	style, err := f.GetCellStyle(sheet, "A1")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(style)
	if err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header style %+v, err %v: want bold", st, err)
	}
	if w, _ := f.GetColWidth(sheet, "A"); w < minColWidth {
		t.Errorf("column A width %v", w)
	}
	if bytes.Contains(buf.Bytes(), []byte("<f>")) {
		t.Error("workbook contains a formula element")
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "a=b": "a=b", "=x": "'=x", "+x": "'+x", "-x": "'-x", "@x": "'@x",
		"\tx": "'\tx", "\rx": "'\rx", "\x00x": "'\x00x", "'x": "'x", "中文": "中文",
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "Sheet1",
		"a/b":                   "a_b",
		"'x'":                   "x",
		strings.Repeat("长", 40): strings.Repeat("长", 31),
	} {
		if got := SheetName(in); got != want {
			t.Errorf("SheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColWidth(t *testing.T) {
	if w := colWidth("a"); w != minColWidth {
		t.Errorf("narrow header width %v", w)
	}
	if w := colWidth(strings.Repeat("宽", 10)); w != 24 {
		t.Errorf("CJK header width %v, want 24", w)
	}
	if w := colWidth(strings.Repeat("x", 200)); w != maxColWidth {
		t.Errorf("long header width %v", w)
	}
}

func TestXLSXAbortWritesNothing(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "s", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Row("1"); err != nil {
		t.Fatal(err)
	}
	x.Abort()
	if err := x.Close(); err != nil || buf.Len() != 0 {
		t.Errorf("Close after Abort: err %v, %d bytes written", err, buf.Len())
	}
}
