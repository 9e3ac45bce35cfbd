package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func TestSecurityOfficerManagesAccounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		secret := e.adminAccount(t, "anquan", authz.RoleSecOfficer)
		e.account(t, "placeholder", "占位", authz.RoleMember) // makes an organization to grant at
		b := e.browser(t)
		b.loginAdmin("anquan", secret)

		r := b.get("/admin/accounts")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "anquan", "安全保密管理员", `action="/admin/accounts"`)

		// A weak initial password comes back on the form, values kept.
		r = b.post("/admin/accounts", url.Values{"name": {"host1"}, "display_name": {"苏州街道"}, "password": {"123"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, `value="host1"`, "密码长度不能少于")

		r = b.post("/admin/accounts", url.Values{"name": {"host1"}, "display_name": {"苏州街道"}, "password": {goodPassword}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/admin/accounts/") {
			t.Fatalf("create: %d %s\n%s", r.StatusCode, r.location(), r.body)
		}
		page := r.location()
		r = b.get(page)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "账号已创建", "苏州街道", "待修改密码")

		// Grant: a business role needs an organization; with one it works.
		r = b.post(page+"/grants", url.Values{"role": {authz.RoleHostOfficer}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "必须指定组织")
		r = b.post(page+"/grants", url.Values{"role": {authz.RoleHostOfficer}, "org": {"没有这个组织"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "找不到组织“没有这个组织”")
		wantRedirect(t, b.post(page+"/grants", url.Values{"role": {authz.RoleHostOfficer}, "org": {"灌南县placeholder支部"}}), page)
		r = b.get(page)
		wantBody(t, r, "角色已分配", "流入地党组织干部", "灌南县placeholder支部")
		acc, err := store.AccountByName(ctx, db.Read(), "host1")
		if err != nil {
			t.Fatal(err)
		}
		grants, err := store.Grants(ctx, db.Read(), acc.ID)
		if err != nil || len(grants) != 1 {
			t.Fatalf("grants %+v, %v", grants, err)
		}
		grant := itoa(grants[0].ID)

		// The new account must change its password; then disable, enable,
		// reset, unlock, revoke.
		b2 := e.browser(t)
		wantRedirect(t, b2.login("host1", goodPassword), "/account/password")
		wantRedirect(t, b.post(page+"/disable", nil), page)
		wantBody(t, b.get(page), "已停用")
		wantRedirect(t, b2.get("/account/password"), "/login?next=%2Faccount%2Fpassword")
		wantRedirect(t, b.post(page+"/enable", nil), page)
		wantRedirect(t, b.post(page+"/password", url.Values{"password": {"Reset-2026-pass"}}), page)
		wantRedirect(t, b.post(page+"/unlock", nil), page)
		wantRedirect(t, b.post(page+"/grants/"+grant+"/revoke", nil), page)
		wantBody(t, b.get(page), "角色已撤销")

		// Own account: no disable button; disabling oneself is refused.
		self, _ := store.AccountByName(ctx, db.Read(), "anquan")
		selfPage := "/admin/accounts/" + itoa(self.ID)
		r = b.get(selfPage)
		if strings.Contains(r.body, "/disable") {
			t.Error("own page offers to disable oneself")
		}
		r = b.post(selfPage+"/disable", nil)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "不能停用自己")

		wantStatus(t, b.get("/admin/accounts/999999"), http.StatusNotFound)
		wantStatus(t, b.get("/admin/accounts/abc"), http.StatusNotFound)
	})
}

func TestPasswordPolicyPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		secret := e.adminAccount(t, "anquan2", authz.RoleSecOfficer)
		b := e.browser(t)
		b.loginAdmin("anquan2", secret)
		r := b.get("/admin/policy")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `name="min_length"`, `value="10"`)
		form := url.Values{"min_length": {"6"}, "min_classes": {"3"}, "max_length": {"128"}, "max_age_days": {"90"}, "history_count": {"5"}, "check_common": {"on"}}
		r = b.post("/admin/policy", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "取值须在 8 到 64 之间", `value="6"`)
		form.Set("min_length", "x")
		wantStatus(t, b.post("/admin/policy", form), http.StatusUnprocessableEntity)
		form.Set("min_length", "12")
		wantRedirect(t, b.post("/admin/policy", form), "/admin/policy")
		p, err := e.svc.PasswordPolicy(ctx)
		if err != nil || p.MinLength != 12 || p.ForbidAccountName || !p.CheckCommon {
			t.Errorf("policy %+v, %v", p, err)
		}
		// The certificate's longest validity, on the same page.
		wantBody(t, b.get("/admin/policy"), `name="max_months"`, `value="12"`)
		r = b.post("/admin/policy/certificate", url.Values{"max_months": {"61"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "活动证有效期须在 1 到 60 个月之间", `value="61"`, `name="min_length"`)
		wantStatus(t, b.post("/admin/policy/certificate", url.Values{"max_months": {"两年"}}), http.StatusUnprocessableEntity)
		wantRedirect(t, b.post("/admin/policy/certificate", url.Values{"max_months": {"24"}}), "/admin/policy")
		if c, err := e.svc.CertificatePolicy(ctx); err != nil || c.MaxMonths != 24 {
			t.Errorf("certificate policy %+v, %v", c, err)
		}
	})
}

func TestAccountPageAndTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.account(t, "jiang15", "蒋十五", authz.RoleMember)
		b := e.browser(t)
		b.login("jiang15", goodPassword)
		r := b.get("/account")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "jiang15", "蒋十五", "本设备", "未启用", `href="/account/totp"`)

		r = b.post("/account/tokens", url.Values{"name": {""}, "days": {"90"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantStatus(t, b.post("/account/tokens", url.Values{"name": {"x"}, "days": {"7"}}), http.StatusUnprocessableEntity)
		r = b.post("/account/tokens", url.Values{"name": {"统计脚本"}, "days": {"30"}})
		wantStatus(t, r, http.StatusOK)
		token := between(r.body, `<code class="secret token-value">`, "</code>")
		if !strings.HasPrefix(token, "gjt_") {
			t.Fatalf("no token on the page:\n%s", r.body)
		}
		r = b.get("/account")
		wantBody(t, r, "统计脚本", "从未使用")
		if strings.Contains(r.body, token) {
			t.Error("the account page shows the clear token again")
		}
		tokens, _ := e.svc.APITokens(ctx, mustPrincipal(t, e, "jiang15").Actor)
		wantRedirect(t, b.post("/account/tokens/"+itoa(tokens[0].ID)+"/revoke", nil), "/account")
		wantBody(t, b.get("/account"), "接口令牌已作废", "已作废")
		wantStatus(t, b.post("/account/tokens/99999/revoke", nil), http.StatusNotFound)
	})
}

// mustPrincipal signs in name through the service, for reading its data.
func mustPrincipal(t *testing.T, e *env, name string) service.Principal {
	t.Helper()
	_, p, err := e.svc.Login(ctx, service.LoginInput{Name: name, Password: goodPassword, Address: "10.9.9.9"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
