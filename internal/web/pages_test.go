package web

import (
	"bytes"
	"fmt"
	"maps"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

// recorder is the real Localizer plus a note of every key a page asked for
// that the catalogue lacks.
type recorder struct {
	*i18n.Localizer
	mu      sync.Mutex
	missing []string
}

func (r *recorder) T(id string, args ...any) string {
	if !r.Has(id) {
		r.mu.Lock()
		r.missing = append(r.missing, id)
		r.mu.Unlock()
	}
	return r.Localizer.T(id, args...)
}

func form(values map[string]string, errs map[string]string, msg string) *Form {
	if values == nil {
		values = map[string]string{}
	}
	if errs == nil {
		errs = map[string]string{}
	}
	return &Form{Values: values, Errors: errs, Error: msg}
}

var (
	at      = time.Date(2026, 11, 29, 1, 2, 3, 0, time.UTC)
	later   = at.Add(30 * 24 * time.Hour)
	grants  = []domain.Grant{{ID: 1, Role: authz.RoleHostOfficer, OrgID: 3, OrgName: "苏州市姑苏区平江街道党工委", CreatedAt: at}, {ID: 2, Role: authz.RoleMember, OrgID: 4, OrgName: "杭州流动党委第三支部", CreatedAt: at}}
	account = domain.Account{ID: 7, Name: "zhangsan", DisplayName: "张三", TOTPEnabled: true, PasswordChangedAt: at, CreatedAt: at}
	view    = service.AccountView{Account: account, Grants: grants}
)

// samples is realistic data for every page, in one or more variants.
func samples() map[string][]any {
	disabled := view
	disabled.DisabledAt, disabled.MustChangePassword, disabled.TOTPEnabled = &at, true, false
	actor := &authz.Actor{AccountID: 7, Name: "zhangsan", Grants: []domain.Grant{{Role: authz.RoleAuditor}}}
	return map[string][]any{
		"login":      {loginData{Form: form(map[string]string{"name": "zhangsan", "next": "/audit"}, nil, "账号或密码错误")}},
		"login_totp": {loginData{Form: form(nil, map[string]string{"code": "验证码不正确"}, "")}},
		"error":      {errorData{Status: 404, Message: "页面不存在"}},
		"home": {
			homeData{Name: "张三", Grants: grants, Cards: cardsFor(actor)},
			homeData{Name: "li4", Cards: cardsFor(&authz.Actor{AccountID: 8})},
		},
		"token_created": {tokenData{Name: "统计脚本", Token: "gjt_" + strings.Repeat("A", 43), Expires: &later}},
		"account": {accountData{Account: view, Locale: "en",
			Sessions: []sessionRow{{Session: store.Session{CreatedAt: at, LastSeenAt: at, Address: "10.0.0.1", UserAgent: "Mozilla/5.0"}, Current: true},
				{Session: store.Session{CreatedAt: at, LastSeenAt: later, Address: "10.0.0.2"}}},
			Tokens: []store.APIToken{{ID: 1, Name: "脚本", CreatedAt: at, ExpiresAt: &later},
				{ID: 2, Name: "旧脚本", CreatedAt: at, LastUsedAt: &at, RevokedAt: &at}},
			Form: form(map[string]string{"days": "90", "name": "x"}, map[string]string{"name": "请填写"}, "")}},
		"password": {passwordData{Form: form(nil, map[string]string{"repeat": "不一致"}, "当前密码不正确"), Forced: true, Min: 10},
			passwordData{Form: form(nil, nil, ""), Min: 12}},
		"totp_enrol": {enrolData{Pending: true, Secret: "JBSWY3DPEHPK3PXP", Form: form(nil, map[string]string{"code": "错误"}, "")},
			enrolData{Enabled: true, Form: form(nil, nil, "")}, enrolData{Form: form(nil, nil, "")}},
		"audit": {auditData{Form: form(map[string]string{"actor": "zhangsan", "from": "2026-11-01"}, map[string]string{"to": "日期不对"}, ""),
			Rows: []auditRow{
				{AuditEntry: store.AuditEntry{Seq: 12, At: at, ActorID: 7, ActorName: "zhangsan", Address: "10.0.0.1", Action: "session.login", ObjectType: "account", ObjectID: "7", Outcome: "ok", Detail: `{"mfa_pending":false}`}, OutcomeKey: outcomeKey("ok"), OutcomeClass: outcomeClass("ok")},
				{AuditEntry: store.AuditEntry{Seq: 11, At: at, ActorName: "<script>", Action: "session.login_failed", Outcome: "failed", Detail: "{}"}, OutcomeKey: outcomeKey("failed"), OutcomeClass: outcomeClass("failed")},
				{AuditEntry: store.AuditEntry{Seq: 10, At: at, ActorID: 7, ActorName: "zhangsan", Action: "audit.read", Outcome: "denied", Detail: "{}"}, OutcomeKey: outcomeKey("denied"), OutcomeClass: outcomeClass("denied")},
			},
			OlderURL: "/audit?actor=zhangsan&before=10", ExportURL: "/audit/export.xlsx?actor=zhangsan", FirstURL: "/audit?actor=zhangsan"},
			auditData{Form: form(nil, nil, ""), ExportURL: "/audit/export.xlsx?"}},
		"accounts": {accountsData{Accounts: []service.AccountView{view, disabled}, NextURL: "/admin/accounts?after=zhangsan",
			Form: form(map[string]string{"name": "new"}, map[string]string{"password": "太短"}, ""), CanManage: true},
			accountsData{Form: form(nil, nil, "")}},
		"account_admin": {accountAdminData{Account: view, Roles: authz.Roles(), GrantForm: form(map[string]string{"role": "member"}, map[string]string{"org": "找不到"}, ""),
			ResetForm: form(nil, nil, "太短"), Error: "不能停用自己", CanManage: true, CanGrant: true},
			accountAdminData{Account: disabled, Roles: authz.Roles(), GrantForm: form(nil, nil, ""), ResetForm: form(nil, nil, ""), CanManage: true, CanGrant: true},
			accountAdminData{Account: view, Roles: authz.Roles(), GrantForm: form(nil, nil, ""), ResetForm: form(nil, nil, ""), Self: true}},
		"policy": {policyData{Form: form(map[string]string{"min_length": "10", "min_classes": "3", "max_length": "128", "max_age_days": "90",
			"history_count": "5", "check_common": "on"}, map[string]string{"min_length": "取值须在 8 到 64 之间"}, ""),
			Cert: form(map[string]string{"max_months": "12"}, nil, "")}},
	}
}

// moreSamples lets each resource's own test file add the samples of its
// pages (from an init function), so that this file need not grow with
// every page.
var moreSamples []func() map[string][]any

// anonymousPages are shown before sign-in, in the anonymous frame.
var anonymousPages = []string{"login", "login_totp"}

func TestEveryPageExecutes(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(assets.Templates())
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	data := samples()
	for _, more := range moreSamples {
		maps.Copy(data, more())
	}
	for name := range pages {
		if len(data[name]) == 0 {
			t.Errorf("page %q has no sample data in this test", name)
		}
	}
	h := &Handler{pages: pages, log: discardLog()}
	for name, variants := range data {
		if _, ok := pages[name]; !ok {
			t.Errorf("sample for missing page %q", name)
			continue
		}
		for i, d := range variants {
			for _, lang := range i18n.Languages() {
				accounts := []*domain.Account{&account}
				if slices.Contains(anonymousPages, name) {
					accounts = []*domain.Account{nil}
				} else if name == "error" {
					accounts = append(accounts, nil)
				}
				for _, acc := range accounts {
					t.Run(fmt.Sprintf("%s/%d/%s/signed-in=%v", name, i, lang, acc != nil), func(t *testing.T) {
						l := &recorder{Localizer: bundle.For(lang)}
						page := Page{L: l, Title: "nav.home", Account: acc, CSRF: "tok", Flash: "flash.saved", Static: static, Path: "/x", Data: d}
						if acc != nil {
							page.Nav = navFor(&authz.Actor{AccountID: 7, Grants: []domain.Grant{{Role: authz.RoleSecOfficer}}}, "/admin/accounts/7")
						}
						w := httptest.NewRecorder()
						h.execute(w, 200, name, page)
						out := w.Body.String()
						if w.Code != 200 {
							t.Fatalf("status %d:\n%s", w.Code, out)
						}
						if len(l.missing) > 0 {
							t.Errorf("keys missing from the %s catalogue: %v", lang, l.missing)
						}
						checkOutput(t, out, lang)
					})
				}
			}
		}
	}
}

var (
	scriptTagRE = regexp.MustCompile(`(?is)<script\b[^>]*>`)
	handlerRE   = regexp.MustCompile(`(?is)<[^>]*\son[a-z]+\s*=`)
	styleRE     = regexp.MustCompile(`(?is)<style\b|<[^>]*\sstyle\s*=`)
	leftoverRE  = regexp.MustCompile(`\b(web|error|login|totp|password|account|audit|nav|flash|common|role)\.[a-z_]+\b`)
)

// checkOutput fails on what the CSP would block, on a key that reached the
// page unrendered, and on a form without its CSRF field.
func checkOutput(t *testing.T, out, lang string) {
	t.Helper()
	for _, tag := range scriptTagRE.FindAllString(out, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("inline script %s", tag)
		}
	}
	for _, re := range []*regexp.Regexp{handlerRE, styleRE} {
		if m := re.FindString(out); m != "" {
			t.Errorf("%q is blocked by the CSP", m)
		}
	}
	if strings.Contains(out, "<script>") && !strings.Contains(out, "&lt;script&gt;") {
		t.Error("data is not escaped")
	}
	// Audit actions (session.login) and roles in <option value> are data;
	// everything else that looks like a key is a slip.
	text := regexp.MustCompile(`<code[^>]*>[^<]*</code>|value="[^"]*"`).ReplaceAllString(out, "")
	if m := leftoverRE.FindString(text); m != "" {
		t.Errorf("unrendered key %q in the %s page", m, lang)
	}
	if n, m := strings.Count(out, `method="post"`), strings.Count(out, `name="csrf"`); n != m {
		t.Errorf("%d POST forms but %d CSRF fields", n, m)
	}
	if bytes.Contains([]byte(out), []byte("<no value>")) {
		t.Error("a template reads a missing field")
	}
}
