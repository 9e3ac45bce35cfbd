package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// County journey 7 in the browser: draft an agreement with a street
// committee, sign it, attach the signed document, download it; renew and
// terminate; and the lists' exports.

// pdf is the smallest file the service's sniffing takes for a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestAgreementDraftSignAttachDownload(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		o := w.orgs
		county := w.signIn(t, "county")
		wantBody(t, county.get("/"), "有 1 份协议将在 60 天内到期", `href="/agreements?state=expiring"`)

		r := county.get("/agreements")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "协议A1", "协议A2", "协议A3", "生效中", "草稿", "已到期", `href="/agreements/new"`)
		r = county.get("/agreements?state=expiring")
		wantBody(t, r, "协议A1", "待续签")
		wantNot(t, r, "协议A2", "协议A3")

		r = county.get("/agreements/new")
		wantStatus(t, r, http.StatusOK)
		for _, k := range []string{"M", "MB", "M2"} {
			wantBody(t, r, `name="mobile" value="`+itoa(o[k].ID)+`"`)
		}
		wantBody(t, r, `name="host" value="`+itoa(o["H2"].ID)+`"`, `name="cap" value="view_sensitive"`, "查看敏感信息")
		form := url.Values{"title": {"苏州共建共管协议"}, "origin": {itoa(o["C"].ID)}, "mobile": {itoa(o["M2"].ID)},
			"host": {itoa(o["H2"].ID)}, "valid_from": {"2026-11-01"}, "valid_to": {"2028-10-31"}, "folded": {"on"}}
		// No capability ticked: the form comes back with the choices kept.
		r = county.post("/agreements", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "请至少勾选一项授予流入地的权限", `value="苏州共建共管协议"`,
			`name="mobile" value="`+itoa(o["M2"].ID)+`" checked`, `name="folded" value="on" checked`)
		form["cap"] = []string{"attendance", "feedback"}
		r = county.post("/agreements", form)
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/agreements/") {
			t.Fatalf("draft: %d %s\n%s", r.StatusCode, r.location(), r.body)
		}
		page := r.location()
		id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/agreements/"), 10, 64)
		r = county.get(page)
		wantBody(t, r, "协议草稿已保存", "草稿", "记录组织生活考勤", "填写表现反馈和评议意见", `action="`+page+`/sign"`, "尚未上传")
		wantNot(t, r, "查看敏感信息", `action="`+page+`/renew"`)

		version := func() string {
			ag, err := store.AgreementByID(ctx, db.Read(), domain.AgreementID(id))
			if err != nil {
				t.Fatal(err)
			}
			return itoa(ag.Version)
		}
		wantRedirect(t, county.post(page+"/sign", url.Values{"signed_on": {"2026-11-29"}, "version": {version()}}), page)
		r = county.get(page)
		wantBody(t, r, "协议已签订", "生效中", "2026-11-29", `action="`+page+`/renew"`)
		// Signing twice is refused above the page (the form is gone).
		r = county.post(page+"/sign", url.Values{"signed_on": {"2026-11-29"}, "version": {version()}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "只有草稿状态的协议可以签订")

		// A PNG named .pdf is refused; the real PDF is kept.
		county.get(page)
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
		r = county.upload(page+"/document", url.Values{"version": {version()}}, "document", "协议.pdf", png)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "协议文本须为 PDF、JPEG 或 PNG 文件")
		// A scanned document of several megabytes goes through; one past
		// the limit gets the size message.
		big := append(append([]byte{}, pdf...), bytes.Repeat([]byte{' '}, 3<<20)...)
		wantRedirect(t, county.upload(page+"/document", url.Values{"version": {version()}}, "document", "扫描件.pdf", big), page)
		county.get(page)
		huge := append(append([]byte{}, pdf...), bytes.Repeat([]byte{' '}, service.MaxDocumentBytes)...)
		r = county.upload(page+"/document", url.Values{"version": {version()}}, "document", "过大.pdf", huge)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		county.get(page)
		r = county.upload(page+"/document", url.Values{"version": {version()}}, "document", "苏州协议 签字版.pdf", pdf)
		wantRedirect(t, r, page)
		wantBody(t, county.get(page), "协议文本已上传", `href="`+page+`/document"`, "苏州协议 签字版.pdf")

		d := county.get(page + "/document")
		wantStatus(t, d, http.StatusOK)
		if !bytes.Equal([]byte(d.body), pdf) || d.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("download: %q %q", d.Header.Get("Content-Type"), d.body)
		}
		cd := d.Header.Get("Content-Disposition")
		if want := `attachment; filename="agreement-` + itoa(id) + `.pdf"; filename*=UTF-8''%E8%8B%8F%E5%B7%9E%E5%8D%8F%E8%AE%AE%20`; !strings.HasPrefix(cd, want) {
			t.Errorf("Content-Disposition %q, want prefix %q", cd, want)
		}
		// H is no party to it: not found, like the agreement itself.
		host := w.signIn(t, "host")
		wantStatus(t, host.get(page+"/document"), http.StatusNotFound)
		wantStatus(t, host.get(page), http.StatusNotFound)

		// Renewal drafts the follow-on; termination needs its reason.
		r = county.post(page+"/renew", url.Values{"valid_to": {"2030-10-31"}})
		if r.StatusCode != http.StatusSeeOther || r.location() == page {
			t.Fatalf("renew: %d %s\n%s", r.StatusCode, r.location(), r.body)
		}
		wantBody(t, county.get(r.location()), "续签协议草稿已生成", "续签自", "2028-11-01 – 2030-10-31")
		r = county.post(page+"/terminate", url.Values{"on": {"2026-11-29"}, "version": {version()}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "终止协议须填写原因")
		wantRedirect(t, county.post(page+"/terminate", url.Values{"on": {"2026-11-29"}, "reason": {"街道调整"}, "version": {version()}}), page)
		wantBody(t, county.get(page), "协议已终止", "已终止", "街道调整")

		// The host side may read its agreements but not act on them.
		a1 := "/agreements/" + itoa(w.agreements["A1"])
		r = host.get(a1)
		wantStatus(t, r, http.StatusOK)
		wantNot(t, r, `action="`+a1+`/terminate"`)
		wantStatus(t, host.post(a1+"/terminate", url.Values{"reason": {"x"}, "version": {"1"}}), http.StatusForbidden)
		wantStatus(t, host.get("/agreements/new"), http.StatusForbidden)
	})
}

// xlsxRows opens an export and returns its rows.
func xlsxRows(t *testing.T, r resp) [][]string {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") {
		t.Errorf("Content-Disposition %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestOrgAndAgreementExports(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		county := w.signIn(t, "county")
		rows := xlsxRows(t, county.get("/orgs/export.xlsx?side=origin"))
		if len(rows) != 4 || rows[0][0] != "组织全称" || rows[1][0] != "组织C" || rows[3][0] != "组织V" ||
			rows[2][2] != "流出地" || rows[2][3] != "党委" || rows[3][4] != "正常" || rows[3][5] != "组织T" || rows[3][8] != "2005-03-01" {
			t.Errorf("origin export: %q", rows)
		}
		rows = xlsxRows(t, county.get("/orgs/export.xlsx?side=mobile&name="+url.QueryEscape("组织M")))
		if len(rows) != 4 {
			t.Errorf("mobile export: %q", rows)
		}
		rows = xlsxRows(t, county.get("/agreements/export.xlsx"))
		if len(rows) != 4 || rows[0][1] != "协议名称" {
			t.Fatalf("agreements export: %q", rows)
		}
		byTitle := map[string][]string{}
		for _, row := range rows[1:] {
			byTitle[row[1]] = row
		}
		a1 := byTitle["协议A1"]
		if a1 == nil || a1[2] != "组织C" || a1[3] != "组织M" || a1[4] != "组织H" || a1[5] != "查看党员基本信息、记录组织生活考勤、填写表现反馈和评议意见" ||
			a1[6] != "2026-01-01" || a1[7] != "2026-12-31" || a1[8] != "生效中" {
			t.Errorf("A1 row: %q", a1)
		}
		if byTitle["协议A3"][8] != "已到期" || byTitle["协议A2"][8] != "草稿" {
			t.Errorf("derived states: %q", rows)
		}
		// The host's export holds what it may read, in English if asked.
		host := w.signIn(t, "host")
		host.header.Set("Accept-Language", "en")
		rows = xlsxRows(t, host.get("/orgs/export.xlsx?side=host"))
		if len(rows) != 2 || rows[1][0] != "组织H" || rows[0][0] != "Full name" {
			t.Errorf("host export: %q", rows)
		}
		wantStatus(t, w.signIn(t, "member").get("/agreements/export.xlsx"), http.StatusForbidden)
	})
}
