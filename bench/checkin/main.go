// Command checkin is the QR check-in load test of issue #5: a theme Party
// day where N members (default 2,500) check in, S of them scanning at
// the same moment (default 50). It serves the real site on a loopback
// port over a fresh database (SQLite in a temporary folder, or the
// PostgreSQL named by -db), builds the rehearsal (demo.CheckinRehearsal),
// signs every member in over HTTP, then lets the scanners loose: each
// opens /checkin/{code} as the phone does after the scan and confirms
// with the POST that writes the check-in. It reports the latency
// percentiles of both requests and the throughput, and checks that every
// member was checked in exactly once.
//
//	go run ./bench/checkin -members 2500 -scanners 50
//	go run ./bench/checkin -members 2500 -scanners 50 -pace 1s
//	go run ./bench/checkin -members 2500 -scanners 50 -pace 1s -aged 5m
//	go run ./bench/checkin -members 2500 -scanners 50 -pace 1s -random
//	go run ./bench/checkin -db postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
//
// With -pace alone the fifty scanners start at the same instant and stay
// in step (a batch answers its check-ins together, so their next scans
// arrive together again): bursts of fifty scans within a millisecond,
// every second, the hardest case for two cores. -random starts each
// scanner within the first pace and draws each wait between members from
// half to one and a half pace, the same rate without the lockstep, as
// phones at a door arrive. -settle checkpoints the database and syncs
// before the scanning (settleWrites).
//
// The clients run in the same process as the server, so on a small
// machine they take a share of its CPU: the figures are upper bounds.
// Since session 8 (decision 0013) the phones keep their cookies by name
// rather than in net/http's cookie jar and find the CSRF token with a
// byte search rather than a regular expression, to spend less of that
// CPU; they still open the page, post the check-in with its token and
// check the answer, and the fifty still start together.
// Without -pace the scanners never pause, so the server is saturated and
// the percentiles include the queue; -pace lets each scanner wait that
// long between members (50 scanners at 1s: up to 50 check-ins a second,
// twelve times the rate of 2,500 members in ten minutes), which measures
// the wait at the door rather than the queue at saturation. -aged moves
// the server's clock on after the sign-in, so every member's first
// request records the session's activity, as when members signed in a
// while before the meeting. After the scanning it prints what the write
// pool did: waits for a connection, and connections closed and opened
// again for want of an idle slot (the PostgreSQL stall of decision 0013),
// how many round trips the server made to the database per check-in
// (store.DB.Counted: statements, begins and commits, those sent together
// once), and the CPU time of this process and of a local PostgreSQL's
// server processes. -series names a file that receives one line per
// member: when its page was asked for (ms after the scanning began) and
// the page's and the check-in's latencies (ms), to tell the first
// seconds' bursts (the scanners start together) from the rest.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/demo"
	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/server"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

const password = "Bench-Checkin-2026"

// cpuProfile, when set, receives a CPU profile of the scanning.
var cpuProfile *os.File

// seriesFile, when set, receives each member's start and latencies.
var seriesFile string

// settleFirst: checkpoint and sync before the scanning (-settle).
var settleFirst bool

// randomArrivals: scanners not in step (-random).
var randomArrivals bool

func main() {
	dsn := flag.String("db", "", "database (default: SQLite in a temporary folder)")
	members := flag.Int("members", 2500, "members expected at the meeting")
	scanners := flag.Int("scanners", 50, "members scanning at the same moment")
	pace := flag.Duration("pace", 0, "how long each scanner waits before its next member (0: no pause)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the scanning to this file")
	series := flag.String("series", "", "write each member's start and latencies to this file")
	random := flag.Bool("random", false, "with -pace, scanners start at random moments within the first pace and wait\n"+
		"between members a random time from half to one and a half pace (the same mean), as phones at a door do;\n"+
		"by default the scanners start together and keep in step (the harder case)")
	settle := flag.Bool("settle", false, "checkpoint the database (PostgreSQL's CHECKPOINT) and sync the machine's\n"+
		"writes after building the rehearsal, before the scanning, as on a meeting day when the members were\n"+
		"registered long before; the check-ins' own commits still wait for their flush")
	aged := flag.Duration("aged", 0, "how long before the scanning the members signed in: over a minute, each\n"+
		"member's first request records the session's activity, as at a real meeting (0: just now)")
	flag.Parse()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400) // as `gongjian serve` runs (internal/cli, serveGCPercent)
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "checkin:", err)
			os.Exit(1)
		}
		defer f.Close()
		cpuProfile = f
	}
	seriesFile = *series
	settleFirst, randomArrivals = *settle, *random
	if err := run(context.Background(), *dsn, *members, *scanners, *pace, *aged); err != nil {
		fmt.Fprintln(os.Stderr, "checkin:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, members, scanners int, pace, aged time.Duration) error {
	if dsn == "" {
		dir, err := os.MkdirTemp("", "gongjian-checkin-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	clk := &shifted{}
	var trips atomic.Int64 // the server's round trips to the database
	base, svc, stop, err := serve(db.Counted(&trips), clk)
	if err != nil {
		return err
	}
	defer stop()
	t0 := time.Now()
	r, err := demo.CheckinRehearsal(ctx, svc, members, password, auth.TestParams)
	if err != nil {
		return err
	}
	fmt.Printf("database %s; rehearsal of %d members built in %s\n", db.Dialect(), members, time.Since(t0).Round(time.Millisecond))
	var code atomic.Value
	refresh := func() error {
		c, err := svc.CheckinCode(ctx, authz.System, r.Meeting)
		if err == nil {
			code.Store(c.Token)
		}
		return err
	}
	if err := refresh(); err != nil {
		return err
	}
	done := make(chan struct{})
	defer close(done)
	go func() { // the meeting page's refresh
		for {
			select {
			case <-done:
				return
			case <-time.After(25 * time.Second):
				refresh()
			}
		}
	}()
	t0 = time.Now()
	phones, err := signIn(base, r.Logins, scanners)
	if err != nil {
		return err
	}
	fmt.Printf("%d members signed in over HTTP in %s\n", len(phones), time.Since(t0).Round(time.Millisecond))
	if aged > 0 {
		clk.by.Store(int64(aged))
		if err := refresh(); err != nil {
			return err
		}
		fmt.Printf("the server's clock moved %s on: the sessions are that old\n", aged)
	}
	if settleFirst {
		if err := settleWrites(ctx, db); err != nil {
			return err
		}
	}
	if cpuProfile != nil {
		pprof.StartCPUProfile(cpuProfile)
	}
	before, tripsBefore, cpuBefore := db.Stats(), trips.Load(), cpuSeconds(ctx, db)
	opens, confirms, starts, took, err := scan(base, phones, scanners, pace, func() string { return code.Load().(string) })
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	if err := writeSeries(starts, opens, confirms); err != nil {
		return err
	}
	fmt.Printf("%d check-ins by %d scanners in %s: %.0f check-ins/s\n", len(confirms), scanners, took.Round(time.Millisecond),
		float64(len(confirms))/took.Seconds())
	report("GET  /checkin/{code} (the page after the scan)", opens)
	poolReport(before, db.Stats())
	cpuReport(cpuBefore, cpuSeconds(ctx, db))
	fmt.Printf("database round trips during the scanning: %d, %.2f per check-in (page and check-in, with the batched writes)\n",
		trips.Load()-tripsBefore, float64(trips.Load()-tripsBefore)/float64(len(confirms)))
	report("POST /checkin/{code} (the check-in)", confirms)
	var present int
	if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = $1 AND method = 'qr'
		AND status = 'present'`, r.Meeting).Scan(&present); err != nil {
		return err
	}
	if present != members {
		return fmt.Errorf("%d members checked in, want %d", present, members)
	}
	fmt.Printf("all %d members checked in once\n", present)
	return nil
}

// serve starts the site on a loopback port.
func serve(db *store.DB, clk *shifted) (string, *service.Service, func(), error) {
	keys, err := seal.New(seal.SuiteStd)
	if err != nil {
		return "", nil, nil, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := service.New(db, service.Config{Keys: keys, PasswordParams: auth.TestParams, Log: quiet, Clock: clk})
	if err != nil {
		return "", nil, nil, err
	}
	bundle, err := i18n.New()
	if err != nil {
		return "", nil, nil, err
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		return "", nil, nil, err
	}
	h, err := server.New(server.Options{Service: svc, I18n: bundle, Static: static, Keys: keys, Log: quiet})
	if err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), svc, func() { srv.Close() }, nil
}

// shifted is the real clock moved on by a duration (-aged).
type shifted struct{ by atomic.Int64 }

func (c *shifted) Now() time.Time { return time.Now().UTC().Add(time.Duration(c.by.Load())) }

// phone is one member's browser: its cookies and a client that does not
// follow redirects.
//
// The clients share the server's two cores, so what they spend beyond
// what a phone does shows in the server's latencies (decision 0013,
// "session 8"): a phone keeps its cookies by name (the site sets each for
// the whole site or for /checkin/, and the phone only visits those), not
// in net/http's cookie jar, finds the CSRF token with a byte search rather
// than a regular expression, and reads each page into its own buffer. It
// still does what a phone does: it opens the page, keeps the cookies the
// answers set, and sends the check-in with the page's token.
type phone struct {
	c       *http.Client
	csrf    string
	cookies map[string]string
	page    bytes.Buffer
}

// newPhone gives each phone its own connection, as a real phone keeps
// one between the page and the check-in: sharing the default transport
// (two idle connections for everyone) made most requests dial anew.
func newPhone() *phone {
	tr := &http.Transport{MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute}
	return &phone{cookies: map[string]string{}, c: &http.Client{Timeout: time.Minute, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request with the phone's cookies and keeps those the answer
// sets (a cookie that expires is dropped).
func (p *phone) do(req *http.Request) (*http.Response, error) {
	for name, value := range p.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	res, err := p.c.Do(req)
	if err != nil {
		return nil, err
	}
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(p.cookies, c.Name)
		} else {
			p.cookies[c.Name] = c.Value
		}
	}
	return res, nil
}

var csrfMeta = []byte(`<meta name="csrf-token" content="`)

// get fetches a page and keeps its CSRF token.
func (p *phone) get(u string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	res, err := p.do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	p.page.Reset()
	_, err = p.page.ReadFrom(res.Body)
	body := p.page.Bytes()
	if i := bytes.Index(body, csrfMeta); i >= 0 {
		rest := body[i+len(csrfMeta):]
		if j := bytes.IndexByte(rest, '"'); j >= 0 {
			p.csrf = string(rest[:j])
		}
	}
	return res.StatusCode, err
}

func (p *phone) post(u string, form url.Values) (int, string, error) {
	form.Set("csrf", p.csrf)
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := p.do(req)
	if err != nil {
		return 0, "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location"), nil
}

// signIn opens a session for every login, workers at a time.
func signIn(base string, logins []string, workers int) ([]*phone, error) {
	phones := make([]*phone, len(logins))
	err := each(len(logins), workers, func(i int) error {
		p := newPhone()
		if _, err := p.get(base + "/login"); err != nil {
			return err
		}
		status, to, err := p.post(base+"/login", url.Values{"name": {logins[i]}, "password": {password}})
		if err != nil {
			return err
		}
		if status != http.StatusSeeOther || to != "/" {
			return fmt.Errorf("sign-in of %s: %d to %q", logins[i], status, to)
		}
		phones[i] = p
		return nil
	})
	return phones, err
}

// scan has every phone open the current code's page and confirm, workers
// at a time, each worker waiting pace after each member, and returns the
// latencies of both requests.
func scan(base string, phones []*phone, workers int, pace time.Duration, code func() string) (opens, confirms, starts []time.Duration,
	took time.Duration, err error) {
	opens, confirms, starts = make([]time.Duration, len(phones)), make([]time.Duration, len(phones)), make([]time.Duration, len(phones))
	t0 := time.Now()
	err = each(len(phones), workers, func(i int) error {
		if randomArrivals && i < workers {
			time.Sleep(rand.N(pace)) // each scanner's first member arrives within the first pace
		}
		p, path := phones[i], base+"/checkin/"+code()
		start := time.Now()
		starts[i] = start.Sub(t0)
		status, err := p.get(path)
		if err != nil || status != http.StatusOK {
			return errors.Join(err, fmt.Errorf("open %s: %d", path, status))
		}
		opens[i] = time.Since(start)
		start = time.Now()
		status, to, err := p.post(path, url.Values{})
		if err != nil || status != http.StatusSeeOther || to != "/me/meetings" {
			return errors.Join(err, fmt.Errorf("check-in: %d to %q", status, to))
		}
		confirms[i] = time.Since(start)
		if randomArrivals {
			time.Sleep(pace/2 + rand.N(pace)) // the same mean, members not in step
		} else {
			time.Sleep(pace)
		}
		return nil
	})
	return opens, confirms, starts, time.Since(t0), err
}

// writeSeries writes -series: per member, the page's start, the page's
// latency and the check-in's, in milliseconds.
func writeSeries(starts, opens, confirms []time.Duration) error {
	if seriesFile == "" {
		return nil
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	var b strings.Builder
	for i := range starts {
		fmt.Fprintf(&b, "%.3f %.3f %.3f\n", ms(starts[i]), ms(opens[i]), ms(confirms[i]))
	}
	return os.WriteFile(seriesFile, []byte(b.String()), 0o644)
}

// each runs f(0) … f(n-1) on workers goroutines and returns the first
// error.
func each(n, workers int, f func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

func report(what string, d []time.Duration) {
	slices.Sort(d)
	at := func(p float64) time.Duration {
		return d[min(len(d)-1, int(p*float64(len(d))))].Round(100 * time.Microsecond)
	}
	fmt.Printf("%s: p50 %s, p95 %s, p99 %s, max %s\n", what, at(.50), at(.95), at(.99), d[len(d)-1].Round(100*time.Microsecond))
}

// cpuSeconds is the CPU time used so far by this process and, when the
// database is a local PostgreSQL, by its server processes for this
// database (from /proc; -1 when unreadable).
func cpuSeconds(ctx context.Context, db *store.DB) [2]float64 {
	out := [2]float64{procCPU(os.Getpid()), -1}
	if db.Dialect() != store.Postgres {
		return out
	}
	rows, err := db.Read().QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return out
	}
	defer rows.Close()
	out[1] = 0
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil || procCPU(pid) < 0 {
			out[1] = -1
			return out
		}
		out[1] += procCPU(pid)
	}
	return out
}

// procCPU reads a process's user and system CPU seconds from /proc, -1
// when it cannot.
func procCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return -1
	}
	user, _ := strconv.ParseFloat(f[11], 64)
	sys, _ := strconv.ParseFloat(f[12], 64)
	return (user + sys) / 100 // USER_HZ is 100 on Linux
}

func cpuReport(a, b [2]float64) {
	if a[0] < 0 || b[0] < 0 {
		return
	}
	fmt.Printf("CPU during the scanning: this process (server and clients) %.1f s", b[0]-a[0])
	if a[1] >= 0 && b[1] >= 0 {
		fmt.Printf(", PostgreSQL's server processes for the database %.1f s", b[1]-a[1])
	}
	fmt.Println()
}

// poolReport prints what the write pool did during the scanning: waits for
// a connection, connections opened beyond the idle ones and closed again.
func poolReport(a, b sql.DBStats) {
	fmt.Printf("pool: %d connections open at the end (max %d); %d waits for a connection, %s in all; "+
		"%d closed for want of an idle slot, %d for idle time\n", b.OpenConnections, b.MaxOpenConnections,
		b.WaitCount-a.WaitCount, (b.WaitDuration - a.WaitDuration).Round(time.Millisecond),
		b.MaxIdleClosed-a.MaxIdleClosed, b.MaxIdleTimeClosed-a.MaxIdleTimeClosed)
}

// settleWrites flushes what building the rehearsal wrote, seconds before
// the scanning, so that the disk is not still writing it back during the
// scans: PostgreSQL's spread checkpoint and the kernel's writeback of a
// burst of writes made single commit flushes take 80–250 ms on this
// machine's disk (a bare fdatasync probe: 0.5 ms typically, 35–80 ms
// while such writes were pending, under 10 ms after a checkpoint and a
// sync), which no request at a real meeting would meet from data written
// the day before (decision 0013, "session 8").
func settleWrites(ctx context.Context, db *store.DB) error {
	t0 := time.Now()
	if db.Dialect() == store.Postgres {
		if _, err := db.Read().ExecContext(ctx, "CHECKPOINT"); err != nil {
			return fmt.Errorf("settle: %w", err)
		}
	}
	syscall.Sync()
	fmt.Printf("the writes so far checkpointed and synced before the scanning (-settle) in %s\n",
		time.Since(t0).Round(time.Millisecond))
	return nil
}
