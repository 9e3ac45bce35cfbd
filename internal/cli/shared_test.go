package cli_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongjian/internal/store/storetest"
)

// Two serve processes on one PostgreSQL database, as behind a load
// balancer: a sign-in on the first is valid on the second, and signing out
// on the second ends it on the first.
func TestTwoServesShareASignIn(t *testing.T) {
	dsn, ok := storetest.NewPGSchema(t)
	if !ok {
		return
	}
	s := sqliteSite(t)
	s.dsn = dsn
	s.env["GONGJIAN_PASSWORD"] = "Both-Servers-2026"
	s.run(ctx, "user", "add", "shared", "--display-name", "共用测试").want(t, 0)
	a, stopA := startServe(t, s, "serve")
	b, stopB := startServe(t, s, "serve")
	defer stopA()
	defer stopB()

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := fetch(t, c, a+"/login")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF field on the login page")
	}
	resp, err := c.PostForm(a+"/login", url.Values{"csrf": {m[1]}, "name": {"shared"}, "password": {"Both-Servers-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in on the first server answered %d", resp.StatusCode)
	}
	// The cookie jar is per host:port; carry the session cookie across.
	ua, _ := url.Parse(a)
	ub, _ := url.Parse(b)
	jar.SetCookies(ub, jar.Cookies(ua))
	home := fetch(t, c, b+"/")
	if !strings.Contains(home, "共用测试") {
		t.Fatalf("the second server does not know the sign-in: %.300s", home)
	}
	m = csrfField.FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no CSRF field on the home page")
	}
	resp, err = c.PostForm(b+"/logout", url.Values{"csrf": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	jar.SetCookies(ua, jar.Cookies(ub))
	resp, err = c.Get(a + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("after sign-out on the second server the first answered %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func fetch(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s answered %d", u, resp.StatusCode)
	}
	return string(body)
}
