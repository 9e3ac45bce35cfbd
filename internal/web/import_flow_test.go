package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/server"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
	"gongjian/internal/web/assets"
)

var ctx = context.Background()

const password = "Gongjian-2026-test"

// site is the real server (middleware, CSRF, pages) over a fresh
// database, with a township, a county officer who may import and an
// officer of another township who may not see the first one's imports.
type site struct {
	srv  *httptest.Server
	svc  *service.Service
	db   *store.DB
	town domain.OrgID
}

func newSite(t *testing.T, db *store.DB) *site {
	t.Helper()
	keys, err := seal.New("std")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := service.New(db, service.Config{Clock: clock.NewFake(time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)), Keys: keys,
		PasswordParams: auth.TestParams, Log: quiet, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	bundle, _ := i18n.New()
	static, _ := assets.NewStatic(assets.StaticFiles())
	h, err := server.New(server.Options{Service: svc, I18n: bundle, Static: static, Keys: keys, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s := &site{srv: httptest.NewServer(h), svc: svc, db: db}
	t.Cleanup(s.srv.Close)
	county, err := svc.BootstrapOrg(ctx, service.NewOrg{Name: "中共灌南县委员会", Side: domain.SideOrigin, Kind: domain.KindCommittee})
	if err != nil {
		t.Fatal(err)
	}
	if s.town, err = svc.BootstrapOrg(ctx, service.NewOrg{ParentID: county, Name: "中共灌南县新安镇委员会", ShortName: "新安镇党委",
		Side: domain.SideOrigin, Kind: domain.KindCommittee}); err != nil {
		t.Fatal(err)
	}
	other, _ := svc.BootstrapOrg(ctx, service.NewOrg{ParentID: county, Name: "中共灌南县汤沟镇委员会", Side: domain.SideOrigin,
		Kind: domain.KindCommittee})
	for name, grant := range map[string]struct {
		role string
		org  domain.OrgID
	}{"county": {authz.RoleCountyOfficer, county}, "tanggou": {authz.RoleHomeSecretary, other}} {
		id, err := svc.BootstrapAccount(ctx, service.NewAccount{Name: name, Password: password})
		if err != nil {
			t.Fatal(err)
		}
		o, _ := store.OrgByID(ctx, db.Read(), grant.org)
		if err := svc.BootstrapGrant(ctx, id, grant.role, o.Name); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// browser keeps cookies, does not follow redirects and remembers the
// CSRF token the last page carried.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var csrfRE = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

func (s *site) browser(t *testing.T, name string) *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: s.srv.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	b.get("/login")
	if r, _ := b.post("/login", url.Values{"name": {name}, "password": {password}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d", name, r.StatusCode)
	}
	return b
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	req.Header.Set("Accept-Language", "zh-CN")
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfRE.FindSubmatch(body); m != nil && len(m[1]) > 0 {
		b.csrf = string(m[1])
	}
	return res, string(body)
}

func (b *browser) get(path string) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload posts the import form with a file, the CSRF field first.
func (b *browser) upload(csrf, name string, data []byte, fields map[string]string) (*http.Response, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+"/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func checkID(prefix17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(prefix17[i]-'0') * w
	}
	return prefix17 + string("10X98765432"[sum%11])
}

func TestImportPagesFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		b := s.browser(t, "county")
		res, page := b.get("/import")
		if res.StatusCode != 200 || !strings.Contains(page, "中共灌南县新安镇委员会") || !strings.Contains(page, `enctype="multipart/form-data"`) {
			t.Fatalf("upload form: %d\n%s", res.StatusCode, page)
		}
		good := checkID("32072419900115131")
		csv := "姓名,身份证号码,手机号码,外出时间,所在支部\r\n张伟," + good + ",13812345678,2016.07,\r\n" +
			"李错," + good[:17] + map[bool]string{true: "2", false: "1"}[good[17] == '1'] + ",13912345678,2016.07,\r\n"
		fields := map[string]string{"origin_org": fmt.Sprint(s.town), "mode": "update"}

		// Without the CSRF token the upload is refused and nothing is kept.
		if res, _ := b.upload("forged", "名册.csv", []byte(csv), fields); res.StatusCode != http.StatusForbidden {
			t.Fatalf("upload without CSRF: %d", res.StatusCode)
		}
		res, _ = b.upload(b.csrf, "名册.csv", []byte(csv), fields)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/import/") {
			t.Fatalf("upload: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		session := res.Header.Get("Location")
		_, page = b.get(session)
		for _, want := range []string{"名册.csv", "待确认", "身份证号校验码不对", "李错", "下载错误报告", "确认导入（写入 1 人）"} {
			if !strings.Contains(page, want) {
				t.Errorf("preview page lacks %q", want)
			}
		}
		if strings.Contains(page, good) {
			t.Error("the preview page shows an ID number in clear")
		}
		var n int
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons`).Scan(&n)
		if n != 0 {
			t.Fatalf("the preview wrote %d persons", n)
		}
		// Another account does not see the session, its report or its commit.
		other := s.browser(t, "tanggou")
		for _, p := range []string{session, session + "/errors.xlsx", session + "/errors.xlsx?clear=1"} {
			if res, _ := other.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s for another account: %d", p, res.StatusCode)
			}
		}
		other.get("/import")
		if res, _ := other.post(session+"/commit", url.Values{}); res.StatusCode != http.StatusNotFound {
			t.Errorf("commit by another account: %d", res.StatusCode)
		}

		if res, _ := b.post(session+"/commit", url.Values{"csrf": {"forged"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("commit without CSRF: %d", res.StatusCode)
		}
		res, _ = b.post(session+"/commit", url.Values{})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != session {
			t.Fatalf("commit: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, page = b.get(session)
			if strings.Contains(page, "已于") || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !strings.Contains(page, "已导入") || strings.Contains(page, "确认导入") {
			t.Fatalf("session after the commit:\n%s", page)
		}
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d persons after the commit", n)
		}
		res, body := b.get(session + "/errors.xlsx")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("report: %d %v", res.StatusCode, res.Header)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 2 || rows[1][0] != "李错" || strings.Contains(body, good[:17]) || !strings.Contains(rows[1][1], "****") {
			t.Fatalf("report rows %q", rows)
		}
		// The county officer may reveal: the clear copy, to fix and import again.
		res, body = b.get(session + "/errors.xlsx?clear=1")
		if res.StatusCode != 200 {
			t.Fatalf("clear report: %d", res.StatusCode)
		}
		if f, err = excelize.OpenReader(strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
		if clear, _ := f.GetRows(f.GetSheetName(0)); len(clear) != 2 || strings.Contains(clear[1][1], "*") || clear[1][1] == "" {
			t.Fatalf("clear report rows %q", clear)
		}
		// The same file again: nothing changes, and the page says so.
		res, _ = b.upload(b.csrf, "again.csv", []byte(csv), fields)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != session {
			t.Fatalf("second upload: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if _, page := b.get(session); !strings.Contains(page, "再次导入不会有任何变化") {
			t.Errorf("the page does not say the file was imported already")
		}
		// A hostile file is refused on the form.
		b.get("/import")
		res, page = b.upload(b.csrf, "old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), fields)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "旧版 Excel") {
			t.Fatalf("legacy xls: %d\n%s", res.StatusCode, page)
		}
	})
}
