package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// client is the API as the load tool uses it: one keep-alive connection
// per worker, the token in every request. It is fasthttp's client, not
// net/http's: the tool shares the cores with the server it measures, and
// net/http's client took about 0.08 ms of CPU a request, nearly half of
// what the server took for a get.
type client struct {
	base string
	auth string
	http *fasthttp.Client
}

func newClient(base, token string, conns int) *client {
	return &client{base: strings.TrimRight(base, "/"), auth: "Bearer " + token,
		http: &fasthttp.Client{MaxConnsPerHost: conns, NoDefaultUserAgentHeader: true, MaxIdleConnDuration: time.Minute}}
}

// do sends one request and reads the whole answer. ctx bounds the wait
// for a connection only through the timeout: fasthttp takes none.
func (c *client) do(_ context.Context, method, path string, body []byte) (int, []byte, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(c.base + path)
	req.Header.SetMethod(method)
	req.Header.Set("Authorization", c.auth)
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBody(body)
	}
	if err := c.http.DoTimeout(req, resp, 30*time.Second); err != nil {
		return 0, nil, err
	}
	return resp.StatusCode(), append([]byte(nil), resp.Body()...), nil
}

// result is what one kind of query did in the measured window.
type result struct {
	kind     string
	requests int
	failed   int // transport errors and answers other than 200
	elapsed  time.Duration
	lat      []time.Duration // sorted
	cpu      time.Duration   // the server's CPU time over the window, when its pid is known
}

func (r result) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// quantile of the sorted latencies (nearest rank).
func (r result) quantile(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(q*float64(len(r.lat))+0.5) - 1
	return r.lat[min(max(i, 0), len(r.lat)-1)]
}

// drive runs clients workers, each sending the kind's requests back to
// back, for warmup (not measured) and then for dur.
func drive(ctx context.Context, c *client, k kind, clients int, warmup, dur time.Duration, seed uint64, pid int) result {
	start := time.Now().Add(warmup)
	end := start.Add(dur)
	var mu sync.Mutex
	res := result{kind: k.name}
	var cpu0 time.Duration
	cpuAt := time.AfterFunc(warmup, func() { cpu0 = cpuTime(pid) })
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			lat := make([]time.Duration, 0, 1<<16)
			failed := 0
			for {
				q := k.next(r)
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				status, body, err := c.do(ctx, q.method, q.path, q.body)
				d := time.Since(t0)
				if err == nil && status == http.StatusOK && k.seen != nil {
					k.seen(q, body)
				}
				if t0.Before(start) {
					continue
				}
				lat = append(lat, d)
				if err != nil || status != http.StatusOK {
					failed++
				}
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.failed += failed
			mu.Unlock()
		}()
	}
	wg.Wait()
	cpuAt.Stop()
	if pid > 0 {
		res.cpu = cpuTime(pid) - cpu0
	}
	res.elapsed = dur
	res.requests = len(res.lat)
	slices.Sort(res.lat)
	return res
}

func runCmd(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the server")
	tokenFile := fs.String("token-file", "", "file holding the personal API token (gjt_…); or set PEOPLELOAD_TOKEN")
	clients := fs.Int("clients", 16, "concurrent clients")
	dur := fs.Duration("duration", 10*time.Second, "measured time per kind of query")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured time before each kind")
	people := fs.Int("people", 200_000, "people the demo loaded (exact ID numbers are drawn from demo person 0 to this)")
	only := fs.String("queries", strings.Join(kindNames(), ","), "kinds of query to run, comma-separated")
	label := fs.String("label", "", "a label for the first column of the table (the token's account, say)")
	seed := fs.Uint64("seed", 1, "random seed")
	pid := fs.Int("server-pid", 0, "the server's process id on this machine: its CPU time per request is reported")
	fs.Parse(args)
	token := os.Getenv("PEOPLELOAD_TOKEN")
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return err
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return fmt.Errorf("no token: give -token-file or set PEOPLELOAD_TOKEN")
	}
	ctx := context.Background()
	c := newClient(*base, token, *clients)
	s, err := sample(ctx, c, *people, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sampled %d people, %d surnames, %d organizations in scope\n", len(s.people), len(s.surnames), len(s.orgs))
	var results []result
	for _, name := range strings.Split(*only, ",") {
		k, ok := s.kind(strings.TrimSpace(name))
		if !ok {
			return fmt.Errorf("no query kind %q (known: %s)", name, strings.Join(kindNames(), ", "))
		}
		r := drive(ctx, c, k, *clients, *warmup, *dur, *seed, *pid)
		fmt.Fprintf(os.Stderr, "%-12s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  failed %d  server CPU %.3f ms/req\n", r.kind, r.rate(),
			ms(r.quantile(0.5)), ms(r.quantile(0.99)), r.failed, r.cpuPerRequest())
		results = append(results, r)
	}
	printTable(os.Stdout, *label, results)
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// printTable writes the results as a Markdown table. "server CPU" is the
// server process's CPU time per request in the measured window: with
// other work on the machine, requests/s says how much CPU the server got,
// and this what each request cost.
func printTable(w io.Writer, label string, rs []result) {
	fmt.Fprintln(w, "| scope | query | requests/s | p50 ms | p99 ms | max ms | failed | server CPU ms/req |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %.0f | %.2f | %.2f | %.1f | %d | %.3f |\n", label, r.kind, r.rate(), ms(r.quantile(0.5)),
			ms(r.quantile(0.99)), ms(r.quantile(1)), r.failed, r.cpuPerRequest())
	}
}

func (r result) cpuPerRequest() float64 {
	if r.requests == 0 {
		return 0
	}
	return ms(r.cpu) / float64(r.requests)
}

// cpuTime is a process's user and system CPU time so far (Linux:
// /proc/PID/stat, in clock ticks of 1/100 s); zero when unknown.
func cpuTime(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields count from after it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
