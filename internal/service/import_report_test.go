package service_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The error report of a staged preview is masked by default; the copy
// with clear ID numbers and phones goes only to an actor who may reveal
// sensitive values, and every download is audited (decision 0016).
func TestImportReportClearNeedsTheCapability(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		data := townshipXLSX(t, "13812345678")
		opts := service.ImportOptions{Origin: w.orgs["town"].ID, Stage: true}
		pv := preview(t, w.svc, w, "a.xlsx", data, opts)
		masked, err := w.svc.ImportReport(ctx, w.county, pv.SHA256, false)
		if err != nil {
			t.Fatal(err)
		}
		row := sunLiRow(t, masked)
		wrong := idZhang[:17] + wrongCheck(idZhang)
		if row[4] == wrong || !strings.Contains(row[4], "*") || row[5] == "13312345678" || bytes.Contains(masked, []byte(wrong)) {
			t.Fatalf("the default report shows clear values: %q", row)
		}
		clear, err := w.svc.ImportReport(ctx, w.county, pv.SHA256, true)
		if err != nil {
			t.Fatal(err)
		}
		if row := sunLiRow(t, clear); row[4] != wrong || row[5] != "13312345678" {
			t.Fatalf("the clear report %q", row)
		}

		// A home secretary imports without sensitive:reveal: masked only.
		opts.Origin = w.orgs["other"].ID
		other, err := w.svc.PreviewImport(ctx, w.other, "b.xlsx", bytes.NewReader(data), int64(len(data)), opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ImportReport(ctx, w.other, other.SHA256, false); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ImportReport(ctx, w.other, other.SHA256, true); domain.CodeOf(err) != domain.CodeForbidden {
			t.Fatalf("clear report without the capability: %v", err)
		}
		if _, err := w.svc.ImportReport(ctx, w.county, other.SHA256, true); domain.CodeOf(err) != domain.CodeNotFound {
			t.Fatalf("another account's report: %v", err)
		}

		got := map[string]int{}
		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "import.report", Limit: 10})
		for _, e := range entries {
			k := e.ActorName + " " + e.Outcome
			if strings.Contains(e.Detail, `"clear":true`) {
				k += " clear"
			}
			got[k]++
		}
		want := map[string]int{"county ok": 1, "county ok clear": 1, "tanggou ok": 1, "tanggou denied": 1}
		if len(got) != len(want) {
			t.Fatalf("audit %v, want %v", got, want)
		}
		for k, n := range want {
			if got[k] != n {
				t.Fatalf("audit %v, want %v", got, want)
			}
		}
	})
}

// sunLiRow is the report's row of 孙丽 (an ID number with a wrong check
// character), by name.
func sunLiRow(t *testing.T, report []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	for _, r := range rows {
		if len(r) > 5 && r[1] == "孙丽" {
			return r
		}
	}
	t.Fatalf("no row of 孙丽 in %q", rows)
	return nil
}
