package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The people exports: xlsx with string cells, CSV in GB18030 with formula
// injection defused, masked by default, clear only where the exporter may
// reveal and then audited as such.

// byName indexes export rows (after the header) by their first cell.
func byName(rows [][]string) map[string][]string {
	out := map[string][]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r
	}
	return out
}

func exportDetail(t *testing.T, db *store.DB) (entries []store.AuditEntry, last map[string]any) {
	t.Helper()
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "person.export"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) > 0 {
		json.Unmarshal([]byte(entries[0].Detail), &last)
	}
	return entries, last
}

func TestPeopleExportsMasked(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		county := w.signIn(t, "county")
		rows := xlsxStrings(t, county.get("/people/export.xlsx"))
		if len(rows) != 6 || rows[0][0] != "姓名" || rows[0][3] != "身份证号" || rows[0][4] != "手机号" {
			t.Fatalf("xlsx: %q", rows)
		}
		x := byName(rows)
		if x["单雄信"][3] != "110105********002X" || x["单雄信"][4] != "138****5678" || x["单雄信"][9] != "浙江省 杭州市" ||
			x["单雄信"][14] != "E 建筑业" || x["单雄信"][17] != "正式党员" || x["单雄信"][21] != "组织MB" {
			t.Errorf("xlsx row: %q", x["单雄信"])
		}
		// A cell that a spreadsheet would run is a string with a quote.
		if x["张薇"][12] != `'=HYPERLINK("http://evil.example","点击")` || x["张伟"][12] != "'+小工" {
			t.Errorf("xlsx formula cells: %q %q", x["张薇"][12], x["张伟"][12])
		}
		for _, row := range rows {
			wantMasked(t, "xlsx", strings.Join(row, "|"))
		}

		recs := csvRecords(t, county.get("/people/export.csv?members=1"))
		if len(recs) != 5 || recs[0][0] != "姓名" || len(recs[0]) != 24 {
			t.Fatalf("csv: %q", recs)
		}
		c := byName(recs)
		if c["张薇"][12] != `'=HYPERLINK("http://evil.example","点击")` || c["李四"][3] != lisiID[:6]+"********"+lisiID[14:] ||
			c["李四"][4] != "150****5678" || c["王芳"][17] != "入党积极分子" {
			t.Errorf("csv rows: %q", recs)
		}
		for _, rec := range recs {
			wantMasked(t, "csv", strings.Join(rec, "|"))
		}
		// English headers for an English visitor.
		county.header.Set("Accept-Language", "en")
		if rows := xlsxStrings(t, county.get("/people/export.xlsx?q=zw")); len(rows) != 3 || rows[0][0] != "Name" {
			t.Errorf("english export: %q", rows)
		}
		county.header.Del("Accept-Language")

		// The host exports what it sees.
		host := w.signIn(t, "host")
		if rows := xlsxStrings(t, host.get("/people/export.xlsx")); len(rows) != 4 {
			t.Errorf("host export: %q", rows)
		}
		entries, last := exportDetail(t, db)
		if len(entries) != 4 || last["rows"] != 3.0 || last["clear"] != false || entries[0].ActorName != "host" {
			t.Errorf("export audit %+v %v", entries, last)
		}
		// A text with digits may not come in the address.
		r := county.get("/people/export.csv?q=" + shanID)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "只能通过查询表单提交")
	})
}

func TestPeopleExportClear(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		county := w.signIn(t, "county")
		county.get("/people")
		r := county.post("/people/search", url.Values{"q": {"139 1234 5678"}})
		// The list page's export form posts the filter, the phone too.
		wantBody(t, r, `action="/people/export.xlsx"`, `formaction="/people/export.csv"`, `name="clear" value="1"`,
			`<input type="hidden" name="q" value="139 1234 5678">`)
		recs := csvRecords(t, county.post("/people/export.csv", url.Values{"q": {"139 1234 5678"}, "clear": {"1"}}))
		if len(recs) != 2 || recs[1][0] != "张伟" || recs[1][4] != "13912345678" {
			t.Fatalf("clear csv: %q", recs)
		}
		_, last := exportDetail(t, db)
		if last["clear"] != true || last["clear_rows"] != 1.0 || last["rows"] != 1.0 ||
			last["filter"].(map[string]any)["text"] != "139****5678" {
			t.Errorf("clear export audit %v", last)
		}
		r = county.post("/people/export.xlsx", url.Values{"clear": {"1"}})
		x := byName(xlsxStrings(t, r))
		if x["单雄信"][3] != shanID || x["李四"][3] != lisiID || x["张薇"][4] != phones["张薇"] {
			t.Errorf("clear xlsx: %q", x)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, url.PathEscape("含完整信息")) {
			t.Errorf("a clear export's name does not say so: %q", cd)
		}
		// Unticked, the same form exports masked.
		recs = csvRecords(t, county.post("/people/export.csv", url.Values{"q": {"139 1234 5678"}}))
		wantMasked(t, "masked csv by POST", strings.Join(recs[1], "|"))

		// The host holds no sensitive capability: a clear export is
		// refused, and the refusal audited.
		host := w.signIn(t, "host")
		host.get("/people")
		r = host.post("/people/export.xlsx", url.Values{"clear": {"1"}})
		wantStatus(t, r, http.StatusForbidden)
		wantMasked(t, "refused export", r.body)
		entries, _ := exportDetail(t, db)
		if entries[0].Outcome != "denied" || entries[0].ActorName != "host" {
			t.Errorf("refused export audit %+v", entries[0])
		}
	})
}
