package service_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The import benchmark: a generated roster of N people (an xlsx as
// townships send it: title, header, text IDs, date cells, phones, places,
// employers, industries, a status and a branch column) previewed and then
// imported end to end — parse, validate, seal, index, commit, one pass —
// into a fresh database, beside the time excelize alone takes to read the
// same file. Reported: rows/s of the import pass and its ratio to the bare
// read, rows/s of the preview and of preview and commit together (the
// web's way), and the peak resident memory of the process during both
// (VmHWM, reset through /proc/self/clear_refs before they start).
//
//	go test -run XXX -bench Import -benchtime 1x -timeout 30m ./internal/service/
//	GONGJIAN_BENCH_ROWS=20000,200000 selects the sizes (default 20000).

var benchFiles sync.Map // rows → []byte

// rosterXLSX generates (once per size) a roster of n people, written
// part by part as Excel writes a workbook (shared strings, a date style),
// so that the file has the size and shape of a real one; excelize's
// stream writer would write every string inline, half again as large.
func rosterXLSX(b *testing.B, n int) []byte {
	if v, ok := benchFiles.Load(n); ok {
		return v.([]byte)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("gongjian-bench-roster2-%d.xlsx", n))
	if data, err := os.ReadFile(path); err == nil {
		benchFiles.Store(n, data)
		return data
	}
	var sst []string
	index := map[string]int{}
	str := func(s string) string {
		i, ok := index[s]
		if !ok {
			i = len(sst)
			index[s] = i
			sst = append(sst, s)
		}
		return strconv.Itoa(i)
	}
	var sheet bytes.Buffer
	sheet.WriteString(xmlHead + `<worksheet xmlns="` + nsMain + `"><sheetData>`)
	row := func(r int, cells ...string) {
		fmt.Fprintf(&sheet, `<row r="%d">`, r)
		for i, c := range cells {
			if c == "" {
				continue
			}
			ref := string(rune('A'+i)) + strconv.Itoa(r)
			switch {
			case strings.HasPrefix(c, "#"):
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, c[1:])
			case strings.HasPrefix(c, "@"):
				fmt.Fprintf(&sheet, `<c r="%s" s="1"><v>%s</v></c>`, ref, c[1:])
			default:
				fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%s</v></c>`, ref, str(c))
			}
		}
		sheet.WriteString(`</row>`)
	}
	row(1, "灌南县外出务工人员花名册")
	row(2, "序号", "姓名", "性别", "身份证号码", "手机号码", "户籍地", "务工地", "工作单位", "统一社会信用代码", "行业", "外出时间",
		"政治面貌", "所在支部")
	places := []string{"杭州市西湖区", "苏州市姑苏区", "上海市浦东新区", "南京市江宁区", "无锡市新吴区"}
	industries := []string{"E", "建筑业", "C", "制造业", "H", "住宿和餐饮业"}
	for i := range n {
		status, branch := "群众", ""
		if i%80 == 0 {
			status, branch = "正式党员", "东风村党支部"
		}
		sex := "男"
		if i%1000%2 == 0 {
			sex = "女"
		}
		row(i+3, "#"+strconv.Itoa(i+1), personName(i), sex, seqID(i), "1381"+fmt.Sprintf("%07d", i), "灌南县新安镇",
			places[i%len(places)], "杭州建工集团有限公司", "914403001922038216", industries[i%len(industries)],
			"@"+strconv.Itoa(42000+i%2000), status, branch)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	var strs bytes.Buffer
	fmt.Fprintf(&strs, xmlHead+`<sst xmlns="%s" count="%d" uniqueCount="%d">`, nsMain, len(sst), len(sst))
	for _, s := range sst {
		strs.WriteString(`<si><t>`)
		xml.EscapeText(&strs, []byte(s))
		strs.WriteString(`</t></si>`)
	}
	strs.WriteString(`</sst>`)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", xmlHead + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + nsDoc +
			`/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", xmlHead + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsDoc + `"><sheets>` +
			`<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", xmlHead + `<Relationships xmlns="` + nsRels + `">` +
			`<Relationship Id="rId1" Type="` + nsDoc + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + nsDoc + `/styles" Target="styles.xml"/>` +
			`<Relationship Id="rId3" Type="` + nsDoc + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/styles.xml", xmlHead + `<styleSheet xmlns="` + nsMain + `"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>` +
			`<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>` +
			`<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`},
		{"xl/sharedStrings.xml", strs.String()},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	} {
		w, err := zw.Create(part.name)
		if err != nil {
			b.Fatal(err)
		}
		io.WriteString(w, part.body)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(path, out.Bytes(), 0o600)
	benchFiles.Store(n, out.Bytes())
	return out.Bytes()
}

const (
	xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain  = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRels  = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsDoc   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// bareRead is excelize reading every row of the file as strings.
func bareRead(b *testing.B, data []byte) time.Duration {
	start := time.Now()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		if _, err := rows.Columns(); err != nil {
			b.Fatal(err)
		}
	}
	rows.Close()
	return time.Since(start)
}

// resetPeakRSS clears the kernel's high-water mark of this process's
// resident memory; peakRSS reads it (Linux only; 0 elsewhere).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func benchSizes() []int {
	v := os.Getenv("GONGJIAN_BENCH_ROWS")
	if v == "" {
		return []int{20000}
	}
	var out []int
	for _, s := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

func BenchmarkImport(b *testing.B) {
	for _, n := range benchSizes() {
		data := rosterXLSX(b, n)
		for _, dbName := range []string{"sqlite", "postgres"} {
			b.Run(fmt.Sprintf("%s/%d", dbName, n), func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					var db *store.DB
					if dbName == "sqlite" {
						db = storetest.SQLite(b)
					} else if db = storetest.Postgres(b); db == nil {
						return
					}
					w := newImportWorld(b, db)
					bare := bareRead(b, data)
					debug.FreeOSMemory() // what the bare read left must not count
					resetPeakRSS()
					b.StartTimer()
					start := time.Now()
					opts := service.ImportOptions{Origin: w.orgs["town"].ID}
					pv, err := w.svc.PreviewImport(ctx, w.county, "roster.xlsx", bytes.NewReader(data), int64(len(data)), opts)
					if err != nil {
						b.Fatal(err)
					}
					mid := time.Now()
					res, err := w.svc.CommitImportFile(ctx, w.county, "roster.xlsx", bytes.NewReader(data), int64(len(data)), opts)
					if err != nil {
						b.Fatal(err)
					}
					end := time.Now()
					b.StopTimer()
					if pv.Counts.New != n || res.Counts.New != n {
						b.Fatalf("preview %+v commit %+v; rejected %+v", pv.Counts, res.Counts, pv.Rejected[:min(3, len(pv.Rejected))])
					}
					// The commit is the whole import in one pass (the command
					// line does only this); the web previews first.
					commit := end.Sub(mid)
					b.ReportMetric(float64(n)/commit.Seconds(), "import-rows/s")
					b.ReportMetric(commit.Seconds()/bare.Seconds(), "x-bare-read")
					b.ReportMetric(float64(n)/mid.Sub(start).Seconds(), "preview-rows/s")
					b.ReportMetric(float64(n)/end.Sub(start).Seconds(), "preview+commit-rows/s")
					b.ReportMetric(bare.Seconds(), "bare-read-s")
					b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
				}
			})
		}
	}
}
