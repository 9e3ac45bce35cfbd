package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"gongjian/internal/store/storetest"
)

func TestSmokeLoginDesktopAndPhone(t *testing.T) {
	s := startSite(t, storetest.SQLite(t))
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1366, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := browser(t, size.width, size.height)
			acc := s.account(t, "county")
			if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+"/login"), chromedp.WaitVisible(`#name`)); err != nil {
				t.Fatal(err)
			}
			body, err := chromedp.Run(ctx, chromedp.Text(`body`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, "登录") {
				t.Fatalf("login page has no Chinese sign-in text: %q", body)
			}
			screenshot(t, ctx, "login-"+size.name)
			if err := chromedp.Do(ctx,
				chromedp.SendKeys(`#name`, acc.Name),
				chromedp.SendKeys(`#password`, acc.Password),
				chromedp.Submit(`#password`),
				chromedp.WaitVisible(`form[action="/logout"]`),
			); err != nil {
				t.Fatal(err)
			}
			body, err = chromedp.Run(ctx, chromedp.Text(`body`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, acc.DisplayName) {
				t.Fatalf("home page does not show %s: %q", acc.DisplayName, body)
			}
			screenshot(t, ctx, "home-"+size.name)
		})
	}
}

func TestAuditorSignsInWithTOTPAndReadsTheLog(t *testing.T) {
	s := startSite(t, storetest.SQLite(t))
	ctx := browser(t, 1366, 900)
	acc := s.account(t, "auditor")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, acc.Name),
		chromedp.SendKeys(`#password`, acc.Password),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`#code`),
	); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "login-totp")
	code, err := totp.GenerateCode(acc.TOTPSecret, nowish())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(`#code`, code),
		chromedp.Submit(`#code`),
		chromedp.WaitVisible(`form[action="/logout"]`),
		chromedp.Navigate(s.URL+"/audit"),
		chromedp.WaitVisible(`form[action="/audit/verify"]`),
	); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(`main`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "session.login") && !strings.Contains(body, "登录") {
		t.Fatalf("audit page shows no sign-in entry: %q", body)
	}
	screenshot(t, ctx, "audit")
}
