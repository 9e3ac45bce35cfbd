package cli_test

import (
	"bufio"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongjian/internal/demo"
	"gongjian/internal/store"
)

// buildBinary compiles gongjian into a temporary folder: the crash tests
// need a real process to kill.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH to build the binary")
	}
	bin := filepath.Join(t.TempDir(), "gongjian")
	out, err := exec.Command(goTool, "build", "-o", bin, "gongjian/cmd/gongjian").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBinary runs the binary with args and waits for the URL it prints.
func startBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u := regexp.MustCompile(`http://[0-9.:]+`).FindString(sc.Text()); u != "" {
				found <- u
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			cmd.Wait()
			t.Fatal("the server ended before printing its URL")
		}
		return cmd, u
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the server printed no URL within 60s")
	}
	return nil, ""
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn submits the login form as a browser would (form page first, for
// the CSRF cookie and field). It reports whether the server answered;
// every answered attempt, good or bad, has committed its audit entry.
func signIn(base, name, password string) bool {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		return false
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return false
	}
	resp, err = c.PostForm(base+"/login", url.Values{"csrf": {string(m[1])}, "name": {name}, "password": {password}})
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode < 500
}

// auditCount verifies the chain and integrity of the site's database and
// returns how many audit entries it holds.
func auditCount(t *testing.T, s *site) int64 {
	t.Helper()
	db, err := store.Open(ctx, s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.IntegrityCheck(ctx, db); err != nil {
		t.Fatal(err)
	}
	r := s.run(ctx, "audit", "verify")
	r.want(t, 0, "audit chain intact")
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("no audit entries (%v)", err)
	}
	return entries[0].Seq
}

// TestCrashDuringSignIns kills `serve` with SIGKILL while concurrent good
// and bad sign-ins write audit entries, several times at random moments,
// and checks each time that the SQLite file passes integrity_check, the
// audit chain is intact, and every answered request's entry is there.
func TestCrashDuringSignIns(t *testing.T) {
	bin := buildBinary(t)
	s := sqliteSite(t)
	s.run(ctx, "demo", "--load-only", "--people", "2000").want(t, 0)
	before := auditCount(t, s)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(s.dir, "data")}, s.common()...)
	for round := range 4 {
		cmd, base := startBinary(t, bin, args...)
		var answered atomic.Int64
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					name, pw := "member", "Demo-Xiaojun-2026"
					if (i+w)%2 == 1 {
						name, pw = "ghost"+itoa(int64(rand.IntN(1000))), "Wrong-password-1"
					}
					if signIn(base, name, pw) {
						answered.Add(1)
					}
				}
			})
		}
		// Kill at a random moment after the first answer: a sign-in costs
		// an argon2id hash, and on a busy machine a fixed window could close
		// before any was answered.
		for wait := time.Now(); answered.Load() == 0 && time.Since(wait) < 2*time.Minute; {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(time.Duration(rand.IntN(1200)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		close(stop)
		wg.Wait()
		after := auditCount(t, s)
		t.Logf("round %d: %d answered sign-ins, audit entries %d → %d", round, answered.Load(), before, after)
		if answered.Load() == 0 {
			t.Fatal("no sign-in was answered: is POST /login still the login form?")
		}
		if after-before < answered.Load() {
			t.Fatalf("%d answered sign-ins but only %d new audit entries: acknowledged writes were lost", answered.Load(), after-before)
		}
		before = after
	}
}

// TestCrashDuringDemoLoad kills `demo --load-only` part-way through its
// many transactions; the database must stay sound, and the next run must
// finish the scenario rather than leave half of it.
func TestCrashDuringDemoLoad(t *testing.T) {
	bin := buildBinary(t)
	for round := range 3 {
		s := sqliteSite(t)
		cmd := exec.Command(bin, append([]string{"demo", "--load-only", "--people", "2000"}, s.common()...)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(50+rand.IntN(700)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		if _, err := os.Stat(filepath.Join(s.dir, "gj.db")); err == nil {
			db, err := store.Open(ctx, s.dsn)
			if err != nil {
				t.Fatal(err)
			}
			if err := store.IntegrityCheck(ctx, db); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			n, _ := store.CountAccounts(ctx, db.Read())
			t.Logf("round %d: killed with %d accounts loaded", round, n)
			db.Close()
		}
		r := s.run(ctx, "demo", "--load-only", "--people", "2000")
		r.want(t, 0, "sysadmin")
		if !strings.Contains(r.out, "Loaded") && !strings.Contains(r.out, "already loaded") {
			t.Fatalf("round %d: %s", round, r.out)
		}
		if n, _ := store.CountAccounts(ctx, s.open(t).Read()); n != len(demo.Guannan().Accounts) {
			t.Fatalf("round %d: %d accounts after the rerun, want %d", round, n, len(demo.Guannan().Accounts))
		}
		s.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
	}
}
