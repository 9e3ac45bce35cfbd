package service_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func preview(t *testing.T, svc *service.Service, w *importWorld, name string, data []byte, opts service.ImportOptions) service.ImportPreview {
	t.Helper()
	pv, err := svc.PreviewImport(ctx, w.county, name, bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		t.Fatalf("preview %s: %v", name, err)
	}
	return pv
}

func countPersons(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func personByName(t *testing.T, w *importWorld, name string) domain.Person {
	t.Helper()
	page, err := w.svc.SearchPersons(ctx, w.county, service.PersonSearch{Text: name})
	if err != nil || len(page.People) != 1 {
		t.Fatalf("search %s: %v %v", name, names(page), err)
	}
	p, err := w.svc.Person(ctx, w.county, page.People[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type issueKey struct {
	Row    int
	Column string
	MsgID  string
}

func keys(is []service.ImportIssue) []issueKey {
	var out []issueKey
	for _, i := range is {
		out = append(out, issueKey{i.Row, i.Column, i.MsgID})
	}
	return out
}

// importAudit returns the details of the import audit entries, oldest
// first.
func importAudit(t *testing.T, db *store.DB) []map[string]any {
	t.Helper()
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for i := len(entries) - 1; i >= 0; i-- {
		if e := entries[i]; e.Action == "import.persons" {
			d := map[string]any{}
			json.Unmarshal([]byte(e.Detail), &d)
			d["outcome"] = e.Outcome
			out = append(out, d)
		}
	}
	return out
}

func TestImportTownshipRoster(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		data := townshipXLSX(t, "13812345678")
		opts := service.ImportOptions{Origin: w.orgs["town"].ID}
		pv := preview(t, w.svc, w, "新安镇花名册.xlsx", data, opts)
		want := service.ImportCounts{Total: 9, New: 6, Duplicates: 1, Rejected: 2, Warned: 2}
		if pv.Counts != want {
			t.Fatalf("counts %+v, want %+v", pv.Counts, want)
		}
		wantRejected := []issueKey{{9, "身份证号码（必填）", "check.id.scientific"}, {10, "身份证号码（必填）", "check.id.check"}}
		if got := keys(pv.Rejected); !slices.Equal(got, wantRejected) {
			t.Errorf("rejected %+v, want %+v", got, wantRejected)
		}
		wantWarn := []issueKey{{8, "联系方式/手机", "import.phone_extra"}, {11, "身份证号码（必填）", "import.duplicate"},
			{13, "所在支部", "import.branch_unmatched"}}
		if got := keys(pv.Warnings); !slices.Equal(sortIssues(got), sortIssues(wantWarn)) {
			t.Errorf("warnings %+v, want %+v", got, wantWarn)
		}
		if pv.Rejected[0].Name != "钱科" || pv.Format != "xlsx" || !slices.Equal(pv.Sheets, []string{"新安镇"}) {
			t.Errorf("rejected name %q, format %q, sheets %v", pv.Rejected[0].Name, pv.Format, pv.Sheets)
		}
		mapped := map[string]string{}
		for _, c := range pv.Columns {
			mapped[c.Header] = c.Field
		}
		if mapped["身份证号码（必填）"] != "id_number" || mapped["联系方式/手机"] != "phone" || mapped["外出时间"] != "out_date" ||
			mapped["所在支部"] != "branch" || mapped["姓 名"] != "name" {
			t.Errorf("mapping %v", mapped)
		}
		if n := countPersons(t, db); n != 0 {
			t.Fatalf("the preview wrote %d persons", n)
		}

		res, err := w.svc.CommitImportFile(ctx, w.county, "新安镇花名册.xlsx", bytes.NewReader(data), int64(len(data)), opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Counts != want || res.AlreadyDone != nil {
			t.Fatalf("commit %+v", res)
		}
		if n := countPersons(t, db); n != 6 {
			t.Fatalf("%d persons after the commit, want 6", n)
		}
		zhang := personByName(t, w, "张伟")
		if zhang.OriginOrgID != w.orgs["village"].ID || zhang.Membership == nil || zhang.Membership.Status != domain.StatusFull ||
			zhang.Membership.HomeOrgID != w.orgs["village"].ID || zhang.HometownCode != "320724100" || zhang.HometownVillage != "东风村" ||
			zhang.CityCode != "330100" || zhang.DistrictCode != "330106" || zhang.Address != "杭州市西湖区文三路100号" ||
			zhang.Industry != "E" || zhang.EmployerUSCC != "914403001922038216" || zhang.LeftHomeOn.String() != "2016-07-01" ||
			zhang.Phone != "138****5678" || zhang.Gender != 1 || zhang.BirthOn.String() != "1990-01-15" {
			t.Errorf("张伟 %+v %+v", zhang, zhang.Membership)
		}
		wang := personByName(t, w, "王强")
		if wang.Ethnicity != "03" || wang.Membership == nil || wang.Membership.Status != domain.StatusProbationary ||
			wang.Membership.MobileOrgID != w.orgs["mbranch"].ID || wang.OriginOrgID != w.orgs["town"].ID || wang.Industry != "E" ||
			wang.LeftHomeOn.String() != "2016-07-21" || wang.Phone != "137****5678" {
			t.Errorf("王强 %+v %+v", wang, wang.Membership)
		}
		zhao := personByName(t, w, "赵敏")
		if zhao.LeftHomeOn.String() != "2016-07-21" || zhao.Membership != nil || zhao.CityCode != "320500" || zhao.Industry != "C" ||
			zhao.Phone != "136****5678" {
			t.Errorf("赵敏 %+v", zhao)
		}
		li := personByName(t, w, "李娜")
		if li.LeftHomeOn.String() != "2016-07-01" || li.HometownCode != "320724100" || li.CityCode != "330100" || li.DistrictCode != "" {
			t.Errorf("李娜 %+v", li)
		}
		sun := personByName(t, w, "孙明")
		if sun.OriginOrgID != w.orgs["town"].ID || sun.Membership == nil || sun.Membership.MobileOrgID != 0 {
			t.Errorf("孙明, unplaced under the default origin: %+v %+v", sun, sun.Membership)
		}
		if zhou := personByName(t, w, "周杰"); zhou.CityCode != "310000" || zhou.DistrictCode != "310115" {
			t.Errorf("周杰 %+v", zhou)
		}

		// The same file again changes nothing, and says so.
		var before string
		db.Read().QueryRowContext(ctx, `SELECT CAST(MAX(updated_at) AS TEXT) || CAST(COUNT(*) AS TEXT) FROM persons`).Scan(&before)
		again := preview(t, w.svc, w, "again.xlsx", data, opts)
		if again.AlreadyDone == nil || again.AlreadyDone.Counts.New != 6 || again.AlreadyDone.By != "county" {
			t.Fatalf("second preview %+v", again)
		}
		res, err = w.svc.CommitImportFile(ctx, w.county, "again.xlsx", bytes.NewReader(data), int64(len(data)), opts)
		if err != nil || res.AlreadyDone == nil || res.Counts.New != 6 {
			t.Fatalf("second commit %+v %v", res, err)
		}
		var after string
		db.Read().QueryRowContext(ctx, `SELECT CAST(MAX(updated_at) AS TEXT) || CAST(COUNT(*) AS TEXT) FROM persons`).Scan(&after)
		if before != after {
			t.Fatalf("the second import changed persons: %s → %s", before, after)
		}

		audit := importAudit(t, db)
		var results []string
		for _, d := range audit {
			results = append(results, d["outcome"].(string)+":"+d["result"].(string))
			if d["sha256"] != pv.SHA256 {
				t.Errorf("audit entry without the file's hash: %v", d)
			}
		}
		if want := []string{"ok:committed", "ok:already_done", "ok:already_done"}; !slices.Equal(results, want) {
			t.Fatalf("audit %v, want %v", results, want)
		}
		if c := audit[0]["counts"].(map[string]any); c["new"] != 6.0 || c["rejected"] != 2.0 || c["duplicates"] != 1.0 {
			t.Errorf("audit counts %v", c)
		}
	})
}

func sortIssues(ks []issueKey) []issueKey {
	out := slices.Clone(ks)
	slices.SortFunc(out, func(a, b issueKey) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return strings.Compare(a.MsgID, b.MsgID)
	})
	return out
}

func TestImportUpdateAndSkipModes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		first := townshipXLSX(t, "13812345678")
		opts := service.ImportOptions{Origin: w.orgs["town"].ID}
		preview(t, w.svc, w, "a.xlsx", first, opts)
		if _, err := w.svc.CommitImportFile(ctx, w.county, "a.xlsx", bytes.NewReader(first), int64(len(first)), opts); err != nil {
			t.Fatal(err)
		}
		// The township sends the roster again with 张伟's new phone.
		second := townshipXLSX(t, "15912345678")
		skip := opts
		skip.Mode = service.ImportSkip
		pv := preview(t, w.svc, w, "b.xlsx", second, skip)
		if want := (service.ImportCounts{Total: 9, Updated: 1, Unchanged: 5, Duplicates: 1, Rejected: 2, Warned: 2}); pv.Counts != want {
			t.Fatalf("counts %+v, want %+v", pv.Counts, want)
		}
		res, err := w.svc.CommitImportFile(ctx, w.county, "b.xlsx", bytes.NewReader(second), int64(len(second)), skip)
		if err != nil || res.Counts.Skipped != 1 || res.Counts.Updated != 0 {
			t.Fatalf("skip commit %+v %v", res, err)
		}
		if p := personByName(t, w, "张伟"); p.Phone != "138****5678" {
			t.Fatalf("skip mode changed the phone: %s", p.Phone)
		}
		// The same content saved once more (another file) in update mode.
		third := townshipXLSX(t, "159 1234 5678")
		pv = preview(t, w.svc, w, "c.xlsx", third, opts)
		if pv.Counts.Updated != 1 {
			t.Fatalf("counts %+v", pv.Counts)
		}
		res, err = w.svc.CommitImportFile(ctx, w.county, "c.xlsx", bytes.NewReader(third), int64(len(third)), opts)
		if err != nil || res.Counts.Updated != 1 || res.Counts.Unchanged != 5 {
			t.Fatalf("update commit %+v %v", res, err)
		}
		p := personByName(t, w, "张伟")
		if p.Phone != "159****5678" || p.Version != 2 {
			t.Fatalf("update mode: phone %s version %d", p.Phone, p.Version)
		}
		got, err := w.svc.Reveal(ctx, w.county, p.ID, "phone", "核对导入")
		if err != nil || got != "15912345678" {
			t.Fatalf("reveal %q %v", got, err)
		}
		var events int
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM person_events WHERE person_id = $1 AND kind = 'updated'`, p.ID).Scan(&events)
		if events != 1 {
			t.Fatalf("%d update events", events)
		}
	})
}

// People registered by an organization out of the actor's reach are
// refused as taken, never updated; organizations out of reach are not
// matched.
func TestImportScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		data := townshipXLSX(t, "13812345678")
		opts := service.ImportOptions{Origin: w.orgs["town"].ID}
		preview(t, w.svc, w, "a.xlsx", data, opts)
		if _, err := w.svc.CommitImportFile(ctx, w.county, "a.xlsx", bytes.NewReader(data), int64(len(data)), opts); err != nil {
			t.Fatal(err)
		}
		other := townshipXLSX(t, "15912345678")
		_, err := w.svc.PreviewImport(ctx, w.other, "b.xlsx", bytes.NewReader(other), int64(len(other)), opts)
		wantCode(t, err, domain.CodeInvalid, "person.origin_invalid")
		pv, err := w.svc.PreviewImport(ctx, w.other, "b.xlsx", bytes.NewReader(other), int64(len(other)),
			service.ImportOptions{Origin: w.orgs["other"].ID})
		if err != nil {
			t.Fatal(err)
		}
		if pv.Counts.New != 0 || pv.Counts.Rejected != 8 {
			t.Fatalf("counts %+v", pv.Counts)
		}
		taken := 0
		for _, is := range pv.Rejected {
			if is.MsgID == "person.id_taken" {
				taken++
			}
		}
		if taken != 6 {
			t.Fatalf("%d refused as taken: %+v", taken, pv.Rejected)
		}
	})
}
