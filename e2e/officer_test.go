package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"gongjian/internal/store/storetest"
)

// signIn fills the sign-in form; with a TOTP secret it also passes the
// second step. It waits for the signed-in layout.
func signIn(t *testing.T, ctx context.Context, base, name, password, secret string) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, name),
		chromedp.SendKeys(`#password`, password),
		chromedp.Submit(`#password`),
	}
	if secret != "" {
		steps = append(steps, chromedp.WaitVisible(`#code`))
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		steps = []chromedp.Action[chromedp.Void]{chromedp.SendKeys(`#code`, code), chromedp.Submit(`#code`)}
	}
	steps = append(steps, chromedp.WaitVisible(`form[action="/logout"]`))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The security officer's journey: create an account for a new host
// officer, grant "host officer @ a street committee", require a second
// factor; the sixth wrong password then locks that account.
func TestSecurityOfficerCreatesHostOfficer(t *testing.T) {
	s := startSite(t, storetest.SQLite(t))
	ctx := browser(t, 1366, 900)
	sec := s.account(t, "secofficer")
	signIn(t, ctx, s.URL, sec.Name, sec.Password, sec.TOTPSecret)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/admin/accounts"),
		chromedp.WaitVisible(`#display_name`),
		chromedp.SendKeys(`#display_name`, "钱卫东"),
		chromedp.SendKeys(`#name`, "qianwd"),
		chromedp.SendKeys(`#password`, "Initial-Pass-2026"),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`#role`),
		chromedp.SetValue(`#role`, "host_officer"),
		chromedp.SendKeys(`#org`, "运河湾街道党工委"),
		chromedp.Submit(`#org`),
		chromedp.WaitVisible(`form[action$="/revoke"]`), // the grant's row is there
		chromedp.WaitVisible(`form[action$="/totp-required"]`),
		chromedp.Submit(`form[action$="/totp-required"] button`),
		chromedp.WaitVisible(`form[action$="/totp-optional"]`),
	); err != nil {
		t.Fatal(err)
	}
	page := text(t, ctx, `main`)
	for _, want := range []string{"钱卫东", "流入地党组织干部", "中共杭州市拱墅区运河湾街道工作委员会", "须二次验证"} {
		if !strings.Contains(page, want) {
			t.Errorf("account page lacks %q:\n%s", want, page)
		}
	}
	screenshot(t, ctx, "admin-account")

	// Another browser: five wrong passwords, then the lock message.
	other := browser(t, 390, 844)
	for i := 0; i < 6; i++ {
		if err := chromedp.Do(other,
			chromedp.Navigate(s.URL+"/login"),
			chromedp.WaitVisible(`#name`),
			chromedp.SendKeys(`#name`, "qianwd"),
			chromedp.SendKeys(`#password`, "wrong-password"),
			chromedp.Submit(`#password`),
			chromedp.WaitVisible(`.form-error, .alert, [role="alert"]`),
		); err != nil {
			t.Fatal(err)
		}
	}
	msg := text(t, other, `main`)
	if !strings.Contains(msg, "锁定") {
		t.Fatalf("the sixth attempt does not show the lock: %s", msg)
	}
	screenshot(t, other, "login-locked-phone")
}
