package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/internal/domain"
	"gongjian/internal/roster"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// gbCSV encodes a CSV in GB18030, as Chinese Windows Excel saves it.
func gbCSV(t *testing.T, text string) []byte {
	t.Helper()
	out, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportGB18030CSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		csv := "姓名,身份证号,手机号码,外出时间,政治面貌,所在支部\r\n" +
			"买买提·艾力," + idNumber("650102", "19870505", 111) + ",13812340001,2016.07,,\r\n" +
			"喆 玥," + idNumber("320724", "19900101", 222) + ",13812340002,42572,正式,东风村党支部\r\n" +
			"刘德," + idNumber("320724", "19900101", 333) + ",+86 138-1234-0003,16.7,,\r\n" +
			"合计,3人,,,,\r\n"
		data := gbCSV(t, csv)
		pv := preview(t, w.svc, w, "名册.csv", data, service.ImportOptions{Origin: w.orgs["town"].ID})
		if pv.Format != "csv" || pv.Encoding != roster.EncodingGB18030 {
			t.Errorf("format %s encoding %s", pv.Format, pv.Encoding)
		}
		if want := (service.ImportCounts{Total: 3, New: 2, Rejected: 1}); pv.Counts != want {
			t.Fatalf("counts %+v, want %+v; rejected %+v", pv.Counts, want, pv.Rejected)
		}
		// The record number counts the header, as Excel would number it.
		if r := pv.Rejected[0]; r.Row != 4 || r.Column != "外出时间" || r.MsgID != "check.date.short_year" {
			t.Errorf("rejected %+v", r)
		}
		if _, err := w.svc.CommitImportFile(ctx, w.county, "名册.csv", bytes.NewReader(data), int64(len(data)),
			service.ImportOptions{Origin: w.orgs["town"].ID}); err != nil {
			t.Fatal(err)
		}
		if p := personByName(t, w, "买买提·艾力"); p.LeftHomeOn.String() != "2016-07-01" || p.OriginOrgID != w.orgs["town"].ID {
			t.Errorf("%+v", p)
		}
		if p := personByName(t, w, "喆玥"); p.LeftHomeOn.String() != "2016-07-21" || p.OriginOrgID != w.orgs["village"].ID ||
			p.Membership == nil || p.Membership.Status != domain.StatusFull {
			t.Errorf("%+v", p)
		}
	})
}

// bomb is an xlsx-shaped zip whose sheet inflates to inflated bytes.
func bomb(t *testing.T, inflated int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		f, _ := zw.Create(name)
		f.Write([]byte(`<?xml version="1.0"?><x/>`))
	}
	f, _ := zw.Create("xl/worksheets/sheet1.xml")
	chunk := bytes.Repeat([]byte{' '}, 1<<20)
	for i := 0; i < inflated>>20; i++ {
		f.Write(chunk)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Hostile and broken files are refused with their own message, leave no
// person behind, and each attempt is one audit entry.
func TestImportRefusesHostileFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		good := townshipXLSX(t, "13812345678")
		cases := []struct {
			name string
			data []byte
			msg  string
		}{
			{"bomb.xlsx", bomb(t, 40<<20), "import.roster.too_big_inflated"},
			{"old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "import.roster.xls"},
			{"cut.xlsx", good[:len(good)/2], "import.roster.corrupt"},
			{"page.xls", []byte("<html><table><tr><td>姓名</td></tr></table></html>"), "import.roster.html_xls"},
			{"notes.csv", []byte("说明\r\n本表为空\r\n"), "import.roster.no_header"},
			{"noid.csv", []byte("姓名,性别,手机\r\n张三,男,13812345678\r\n"), "import.missing_columns"},
		}
		lim := roster.Limits{MaxInflated: 16 << 20, MaxEntry: 16 << 20}
		for _, c := range cases {
			_, err := w.svc.PreviewImport(ctx, w.county, c.name, bytes.NewReader(c.data), int64(len(c.data)),
				service.ImportOptions{Origin: w.orgs["town"].ID, Limits: lim})
			e := domain.AsError(err)
			if err == nil || e.Code != domain.CodeInvalid || e.Field != "file" || e.MsgID != c.msg {
				t.Errorf("%s: %v, want %s", c.name, err, c.msg)
			}
		}
		if n := countPersons(t, db); n != 0 {
			t.Fatalf("%d persons written", n)
		}
		audit := importAudit(t, db)
		if len(audit) != len(cases) {
			t.Fatalf("%d audit entries for %d attempts", len(audit), len(cases))
		}
		for _, d := range audit {
			if d["outcome"] != "failed" || d["result"] != "refused" || !strings.HasPrefix(d["error"].(string), "import.") {
				t.Errorf("audit %v", d)
			}
		}
	})
}

// bigCSV is a roster of n people in UTF-8, each with a distinct valid ID
// number.
func bigCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("姓名,身份证号,手机,外出时间,务工地,行业\n")
	for i := range n {
		fmt.Fprintf(&b, "%s,%s,1381%07d,2016.07,杭州市西湖区,E\n", personName(i), seqID(i), i)
	}
	return []byte(b.String())
}

// personName is a plausible name for person i.
func personName(i int) string {
	const surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
	s, g := []rune(surnames), []rune(given)
	return string([]rune{s[i%len(s)], g[i/len(s)%len(g)], g[i/len(s)/len(g)%len(g)]})
}

// seqID is the ID number of person i: a birth date i/1000 days after
// 1970-01-01 and the sequence i%1000.
func seqID(i int) string {
	birth := time.Date(1970, 1, 1+i/1000, 0, 0, 0, 0, time.UTC)
	return idNumber("320724", birth.Format("20060102"), i%1000)
}

// A commit cancelled half-way (as a killed process would leave it) keeps
// none of the file's rows; the session is failed and may be retried.
func TestImportCancelledCommitLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		data := bigCSV(3000)
		opts := service.ImportOptions{Origin: w.orgs["town"].ID}
		pv := preview(t, w.svc, w, "big.csv", data, opts)
		if pv.Counts.New != 3000 {
			t.Fatalf("counts %+v %+v", pv.Counts, pv.Rejected[:min(3, len(pv.Rejected))])
		}
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		opts.Progress = func(done, total int) {
			if done >= 1500 {
				cancel()
			}
		}
		if _, err := w.svc.CommitImportFile(cctx, w.county, "big.csv", bytes.NewReader(data), int64(len(data)), opts); err == nil {
			t.Fatal("the cancelled commit succeeded")
		}
		if n := countPersons(t, db); n != 0 {
			t.Fatalf("%d persons left by a cancelled commit", n)
		}
		rec, _ := store.ImportBySHA(ctx, db.Read(), pv.SHA256)
		if rec.State != store.ImportFailed {
			t.Fatalf("state %s", rec.State)
		}
		opts.Progress = nil
		res, err := w.svc.CommitImportFile(ctx, w.county, "big.csv", bytes.NewReader(data), int64(len(data)), opts)
		if err != nil || res.Counts.New != 3000 || countPersons(t, db) != 3000 {
			t.Fatalf("retry %+v %v", res, err)
		}
	})
}

// The web's way: a staged preview, committed by a later request from the
// sealed copy, which is then wiped; the error report stays for download,
// with ID numbers masked.
func TestImportStagedCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		data := townshipXLSX(t, "13812345678")
		pv := preview(t, w.svc, w, "a.xlsx", data, service.ImportOptions{Origin: w.orgs["town"].ID, Mode: service.ImportSkip,
			Stage: true, Explain: func(id string, _ map[string]any) string { return "«" + id + "»" }})
		dir := filepath.Join(w.dataDir, "imports")
		staged, err := os.ReadFile(filepath.Join(dir, pv.SHA256+".roster"))
		if err != nil || bytes.HasPrefix(staged, []byte("PK\x03\x04")) || bytes.Contains(staged, []byte(idZhang)) {
			t.Fatalf("staged copy: %v (it must be sealed)", err)
		}
		sess, err := w.svc.ImportSession(ctx, w.county, pv.SHA256)
		if err != nil || sess.State != store.ImportPreviewed || !sess.HasReport || sess.Counts.New != 6 || len(sess.Rejected) != 2 {
			t.Fatalf("session %+v %v", sess, err)
		}
		if _, err := w.svc.ImportSession(ctx, w.other, pv.SHA256); domain.CodeOf(err) != domain.CodeNotFound {
			t.Fatalf("another account sees the session: %v", err)
		}
		res, err := w.svc.CommitImport(ctx, w.county, pv.SHA256, service.ImportOptions{})
		if err != nil || res.Counts.New != 6 {
			t.Fatalf("commit %+v %v", res, err)
		}
		if _, err := os.Stat(filepath.Join(dir, pv.SHA256+".roster")); !os.IsNotExist(err) {
			t.Fatalf("the staged copy survived the commit: %v", err)
		}
		report, err := w.svc.ImportReport(ctx, w.county, pv.SHA256, false)
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(report))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 3 || rows[0][1] != "姓 名" || rows[0][5] != "手机" || rows[2][1] != "孙丽" ||
			!strings.Contains(rows[2][4], "*") || rows[2][len(rows[2])-1] != "«check.id.check»" || rows[2][len(rows[2])-3] != "10" {
			t.Fatalf("report %q", rows)
		}
		sess, _ = w.svc.ImportSession(ctx, w.county, pv.SHA256)
		if sess.State != store.ImportDone || sess.FinishedAt == nil {
			t.Fatalf("session after commit %+v", sess)
		}
	})
}
