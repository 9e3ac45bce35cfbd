package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium; without it the browser tests skip,
// except under CI=true, where they must run.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("GONGJIAN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is required under CI=true (scripts/test.sh installs it)")
	}
	t.Skip("chromium not installed")
	return ""
}

// browser starts a headless chromium with its own empty profile and
// returns a context for chromedp actions, with the window size given.
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	// A guard against a hung browser, not a measure: a long journey on a
	// busy machine takes minutes.
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// submitted runs the steps that fill a form, submits the form holding sel
// and waits for the page the server answers with before waiting for want:
// a selector the old page also shows would be found at once, and the next
// navigation would cut the post short (net::ERR_ABORTED on a busy machine).
func submitted(ctx context.Context, sel, want string, fill ...chromedp.Action[chromedp.Void]) error {
	if err := chromedp.Do(ctx, fill...); err != nil {
		return err
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(sel)); err != nil {
		return err
	}
	return chromedp.Do(ctx, chromedp.WaitVisible(want))
}

// screenshot writes a full-page PNG named name into the screenshot folder.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("GONGJIAN_SCREENSHOTS")
	if dir == "" {
		dir = "screenshots"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// From the top: a full-page capture draws the sticky header and menu
	// where the page was scrolled to, over the middle of the page.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// phoneBrowser is a browser with a phone's viewport, 390×844 at 1×, with
// touch: a desktop chromium window cannot be narrower than 500 pixels, so
// the size is emulated rather than set.
func phoneBrowser(t *testing.T) context.Context {
	t.Helper()
	ctx := browser(t, 390, 844)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	return ctx
}
