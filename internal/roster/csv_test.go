package roster

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// rosterCSV has a quoted field with a line break, an escaped quote, a
// blank line, a row of empty fields and an ID that Excel already ruined.
const rosterCSV = "姓名,身份证号,备注\r\n" +
	"张三,320724199001011234,\"住址：\r\n新安镇\"\r\n" +
	"\r\n" +
	"李四,\"32072419900101123X\",\"他说\"\"好\"\"\"\r\n" +
	",,\r\n" +
	"王五,3.20724E+17,\r\n"

func TestCSVEncodings(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(rosterCSV)
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(rosterCSV)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data, enc string
	}{
		{"UTF-8 with BOM", "\xEF\xBB\xBF" + rosterCSV, EncodingUTF8BOM},
		{"UTF-8", rosterCSV, EncodingUTF8},
		{"UTF-8, LF only", strings.ReplaceAll(rosterCSV, "\r\n", "\n"), EncodingUTF8},
		{"GB18030", gb, EncodingGB18030},
		{"GBK (code page 936)", gbk, EncodingGB18030},
	}
	want := [][]string{
		{"姓名", "身份证号", "备注"},
		{"张三", "320724199001011234", "住址：\n新安镇"},
		{"李四", "32072419900101123X", `他说"好"`},
		{"王五", "3.20724E+17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := Open(strings.NewReader(tt.data), int64(len(tt.data)), "花名册.csv", Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if rd.Encoding() != tt.enc || rd.Kind() != KindCSV || rd.Sheets() != nil || rd.Sheet() != "" {
				t.Errorf("encoding %q kind %v", rd.Encoding(), rd.Kind())
			}
			rows := readAll(t, rd)
			var got [][]string
			var numbers []int
			for _, r := range rows {
				got = append(got, r.Texts())
				numbers = append(numbers, r.Number)
			}
			// Excel shows the quoted line break inside row 2, the blank
			// line as row 3 and the empty fields as row 5.
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(numbers, []int{1, 2, 4, 6}) {
				t.Errorf("rows %q numbered %v", got, numbers)
			}
			if !LostDigits(rows[3].Cells[1]) || LostDigits(rows[1].Cells[1]) {
				t.Error("lost digits not told apart")
			}
		})
	}
}

func TestCSVRefusals(t *testing.T) {
	wide := strings.Repeat("列,", 9999) + "列\r\n"
	tests := []struct {
		name string
		data string
		lim  Limits
		code string
		row  int
		col  string
	}{
		{"bare quote", "姓名,备注\n张三,说\"好\n", Limits{}, CodeCSVSyntax, 2, ""},
		{"quote never closed", "姓名\n\n\"张三,\n李四\n", Limits{}, CodeCSVSyntax, 3, ""},
		{"10,000 columns", wide, Limits{}, CodeTooManyColumns, 1, "GS"},
		{"UTF-16", "\xFF\xFEY\x59\x0DT", Limits{}, CodeEncoding, 0, ""},
		{"binary", "姓名\n\x00\x01\x02", Limits{}, CodeEncoding, 0, ""},
		{"BOM but not UTF-8", "\xEF\xBB\xBF姓名\n\xC1\xAA\n", Limits{}, CodeEncoding, 0, ""},
		{"not GB18030 either", "\xD0\xD5\xC3\xFB\n\xD5\xC5\x81\x20\n", Limits{}, CodeEncoding, 2, "A"},
		{"cell too long", "姓名\n" + strings.Repeat("长", 40000) + "\n", Limits{}, CodeCellTooLong, 2, "A"},
		{"too many rows", strings.Repeat("张三\n", 11), Limits{MaxRows: 10}, CodeTooManyRows, 11, ""},
		{"only blank lines", "\r\n\r\n,,,\n", Limits{}, CodeEmpty, 0, ""},
		{"row too long", "姓名\n" + strings.Repeat("a,", 150000), Limits{}, CodeRowTooLong, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := refuse(t, []byte(tt.data), "名单.csv", tt.lim, tt.code)
			if e.Row != tt.row || e.Column != tt.col {
				t.Errorf("placed at row %d column %q, want %d %q", e.Row, e.Column, tt.row, tt.col)
			}
		})
	}
	refuse(t, nil, "空.csv", Limits{}, CodeEmpty)
}

// hugeCSV writes a CSV of about size bytes to a file, row by row, so the
// test never holds it in memory either.
func hugeCSV(t testing.TB, size int64, first, line string) *os.File {
	t.Helper()
	name := filepath.Join(t.TempDir(), "huge.csv")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(first)
	for n := int64(len(first)); n < size; n += int64(len(line)) {
		w.WriteString(line)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestCSVHuge(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 150 MB of files")
	}
	const size = 50 << 20
	rowLine := "张三,320724199001011234,13800138000,江苏省连云港市灌南县新安镇,上海市浦东新区,2016.07\n"
	f := hugeCSV(t, size, "", rowLine)
	fi, _ := f.Stat()
	t.Run("over the size limit", func(t *testing.T) {
		var err error
		c := measure(func() { _, err = Open(f, fi.Size(), "huge.csv", Limits{MaxBytes: 32 << 20}) })
		t.Logf("%d MB: %v; %s", fi.Size()>>20, err, c)
		if code(t, err) != CodeTooBig || c.peak > maxHeapGrowth {
			t.Errorf("%v; %s", err, c)
		}
	})
	t.Run("within the limits, streamed", func(t *testing.T) {
		n := 0
		var err error
		c := measure(func() {
			var rd *Reader
			if rd, err = Open(f, fi.Size(), "huge.csv", Limits{}); err != nil {
				return
			}
			for _, err = rd.Next(); err == nil; _, err = rd.Next() {
				n++
			}
		})
		t.Logf("%d MB, %d rows read twice: %v; %s", fi.Size()>>20, n, err, c)
		if n != int(fi.Size())/len(rowLine) || c.peak > maxHeapGrowth {
			t.Errorf("%d rows; %s", n, c)
		}
	})
	for name, lines := range map[string][2]string{
		"one endless line":           {"", strings.Repeat("字", 1000)},
		"one endless quoted field":   {"姓名\n\"", strings.Repeat("行\n", 500)},
		"one endless run of columns": {"", strings.Repeat(",", 1000)},
	} {
		t.Run(name, func(t *testing.T) {
			f := hugeCSV(t, size, lines[0], lines[1])
			fi, _ := f.Stat()
			var err error
			c := measure(func() { _, err = Open(f, fi.Size(), "huge.csv", Limits{}) })
			t.Logf("%d MB: %v; %s", fi.Size()>>20, err, c)
			if code(t, err) != CodeRowTooLong || c.peak > maxHeapGrowth {
				t.Errorf("%v; %s", err, c)
			}
		})
	}
}

func TestDetectEncodingAcrossChunks(t *testing.T) {
	// A three-byte character split across the 64 KiB chunk boundary at
	// every offset is still valid UTF-8.
	for pad := 65530; pad < 65540; pad++ {
		data := []byte(strings.Repeat("a", pad) + "汉字\n")
		enc, _, err := detectEncoding(bytes.NewReader(data), int64(len(data)))
		if err != nil || enc != EncodingUTF8 {
			t.Errorf("pad %d: %s %v", pad, enc, err)
		}
	}
	// GBK after 100,000 ASCII rows is still found.
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("张三\n")
	data := []byte(strings.Repeat("abc\n", 100000) + gbk)
	if enc, _, _ := detectEncoding(bytes.NewReader(data), int64(len(data))); enc != EncodingGB18030 {
		t.Errorf("late GBK read as %s", enc)
	}
	// A character cut off at the very end is not UTF-8.
	data = []byte("abc\xE6\xB1")
	if enc, _, _ := detectEncoding(bytes.NewReader(data), int64(len(data))); enc != EncodingGB18030 {
		t.Errorf("truncated rune read as %s", enc)
	}
}

// BenchmarkRefuse times the refusal of a 50 MB CSV that is one endless
// line, the slowest hostile file to refuse (security-and-durability §5
// asks for under 2 s).
func BenchmarkRefuse(b *testing.B) {
	f := hugeCSV(b, 50<<20, "", strings.Repeat("字", 1000))
	fi, _ := f.Stat()
	for b.Loop() {
		if _, err := Open(f, fi.Size(), "huge.csv", Limits{}); err == nil {
			b.Fatal("the endless line was read")
		}
	}
}
