package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"syscall"
	"time"

	"gongjian/internal/config"
	"gongjian/internal/jobs"
	"gongjian/internal/server"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

const (
	// purgeEvery is how often expired sessions are deleted. Expiry is
	// checked on every request anyway; the purge only keeps the table small.
	purgeEvery = 10 * time.Minute
	// shutdownGrace is how long requests in flight may take to finish.
	shutdownGrace = 15 * time.Second
	// readHeaderTimeout bounds slow-header (Slowloris) clients.
	readHeaderTimeout = 10 * time.Second
)

func (r *runner) serve(ctx context.Context, args []string) error {
	cfg, _, err := r.configure(newFlags("serve"), args, config.Common|config.Server, config.ServeDefaults(), 0, "cli.serve.usage")
	if err != nil {
		return err
	}
	a, err := r.start(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.close()
	return r.listenAndServe(ctx, a)
}

// start prepares what serve and demo need before listening.
func (r *runner) start(ctx context.Context, cfg config.Config) (*app, error) {
	if err := config.EnsureDataDir(cfg.DataDir); err != nil {
		return nil, err
	}
	return r.open(ctx, cfg, false, keysMayCreate)
}

// listenAndServe binds the address first, so that "address in use" is an
// error before anything is announced, then serves until ctx ends and
// shuts down gracefully.
func (r *runner) listenAndServe(ctx context.Context, a *app) error {
	flushLog, unbuffer := r.bufferLog()
	defer unbuffer()
	srv, err := r.httpServer(a)
	if err != nil {
		return err
	}
	ln, err := listen(ctx, a.cfg.Addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if srv.TLSConfig != nil {
		scheme = "https"
	}
	r.tuneGC()
	r.say("cli.serve.listening", "URL", scheme+"://"+displayAddr(ln.Addr()))
	r.log.Info("listening", "addr", ln.Addr().String(), "tls", srv.TLSConfig != nil, "db", a.db.Dialect())
	flushLog() // scripts wait for this line
	if r.env.Listening != nil {
		r.env.Listening(ln.Addr())
	}
	jobs, stopJobs := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { r.purgeSessions(jobs, a) })
	wg.Go(func() { r.runJobs(jobs, a) })
	defer func() { stopJobs(); wg.Wait() }()

	served := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			served <- srv.ServeTLS(ln, "", "")
		} else {
			served <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-served:
		return runtimeError("cli.serve.failed", "Err", err.Error())
	case <-ctx.Done():
	}
	r.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	<-served
	if err != nil {
		return runtimeError("cli.serve.shutdown", "Err", err.Error())
	}
	r.log.Info("stopped")
	return nil
}

// serveGCPercent is the garbage collector's target for a server: a
// request allocates much and keeps little (the live heap is caches of
// tens of megabytes), and at Go's default of 100 the collector took a
// fifth of a people list's CPU; 400 lets the heap grow to five times the
// live data between collections. GOGC, when set, wins.
const serveGCPercent = 400

func (r *runner) tuneGC() {
	if r.env.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

// httpServer builds the handler and the http.Server around it.
func (r *runner) httpServer(a *app) (*http.Server, error) {
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		return nil, runtimeError("cli.failed", "Err", err.Error())
	}
	if missing := static.Missing(); len(missing) > 0 {
		r.log.Warn("vendor bundle missing; the site works without it, charts do not; run make assets", "files", missing)
	}
	h, err := server.New(server.Options{
		Service:     a.svc,
		I18n:        r.bundle,
		Static:      static,
		Keys:        a.keys,
		Log:         r.log,
		Secure:      a.cfg.TLS() || a.cfg.BehindProxy,
		BehindProxy: a.cfg.BehindProxy,
		Version:     readBuild().Version,
	})
	if err != nil {
		return nil, runtimeError("cli.failed", "Err", err.Error())
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(r.log.Handler(), slog.LevelWarn),
	}
	if a.cfg.TLS() {
		cert, err := tls.LoadX509KeyPair(a.cfg.TLSCert, a.cfg.TLSKey)
		if err != nil {
			return nil, usageError("cli.serve.tls", "Err", err.Error())
		}
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	return srv, nil
}

func listen(ctx context.Context, addr string) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, runtimeError("cli.serve.addr_in_use", "Addr", addr)
	}
	if err != nil {
		return nil, runtimeError("cli.serve.listen", "Addr", addr, "Err", err.Error())
	}
	return ln, nil
}

// displayAddr is the address to print in the URL: a wildcard listener is
// reachable on this machine as 127.0.0.1.
func displayAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}

// purgeSessions deletes expired sessions now and every purgeEvery until
// ctx ends. Several servers on one PostgreSQL may all purge: the DELETE is
// idempotent.
func (r *runner) purgeSessions(ctx context.Context, a *app) {
	t := time.NewTicker(purgeEvery)
	defer t.Stop()
	for {
		var n int64
		err := a.db.Tx(ctx, func(tx store.Tx) error {
			var err error
			n, err = store.PurgeSessions(ctx, tx, a.svc.Now(), sessionIdle)
			return err
		})
		switch {
		case err != nil && ctx.Err() == nil:
			r.log.Error("purge sessions", "err", err)
		case n > 0:
			r.log.Info("purged sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// contactCheckLease covers one run of the lost-contact check, which is a
// few statements even on a large register; a server that dies holding it
// delays the check by this much at most. The rhythm check is as short.
const contactCheckLease = 30 * time.Minute

// The outbox is delivered every outboxEvery; a run claims its rows for
// five minutes (see service.DeliverOutbox), and the job's lease is as long.
const (
	outboxEvery = 30 * time.Second
	outboxLease = 5 * time.Minute
)

// runJobs runs the scheduled jobs until ctx ends: the lost-contact check,
// the rhythm check and the two dues jobs (the year's standards, the
// six-month check) every --job-interval (at once when the last run is
// older than that), and the outbox's delivery every 30 seconds. Several
// servers may run them: each job's lease lets one of them run it at a
// time, and the outbox's rows are claimed one by one besides.
func (r *runner) runJobs(ctx context.Context, a *app) {
	every := a.cfg.JobInterval
	if every <= 0 {
		every = config.DefaultJobInterval
	}
	holder := jobs.NewHolder()
	run := &jobs.Runner{DB: a.db, Clock: a.svc, Log: r.log, Holder: holder}
	daily := []jobs.Job{
		{Name: "contact_check", Every: every, Lease: contactCheckLease,
			Run: func(ctx context.Context) (string, error) {
				res, err := a.svc.CheckContacts(ctx, a.svc.Today())
				return res.String(), err
			}},
		{Name: "rhythm_check", Every: every, Lease: contactCheckLease,
			Run: func(ctx context.Context) (string, error) {
				res, err := a.svc.CheckRhythm(ctx, a.svc.Today())
				return res.String(), err
			}},
		{Name: "development_check", Every: every, Lease: contactCheckLease,
			Run: func(ctx context.Context) (string, error) {
				res, err := a.svc.CheckDevelopment(ctx, a.svc.Today())
				return res.String(), err
			}},
		{Name: "dues_year", Every: every, Lease: contactCheckLease, Run: a.svc.RunDuesYear},
		{Name: "dues_check", Every: every, Lease: contactCheckLease, Run: a.svc.RunDuesCheck},
	}
	var wg sync.WaitGroup
	for _, j := range daily {
		wg.Go(func() { run.Loop(ctx, j, jobs.PollFor(every)) })
	}
	// The outbox has its own runner, so a long check never holds it up,
	// and logs only its failures: a line every 30 seconds says nothing.
	quiet := &jobs.Runner{DB: a.db, Clock: a.svc, Log: slog.New(atLeast{r.log.Handler(), slog.LevelWarn}), Holder: holder}
	wg.Go(func() {
		quiet.Loop(ctx, jobs.Job{Name: "outbox", Every: outboxEvery, Lease: outboxLease,
			Run: func(ctx context.Context) (string, error) {
				res, err := a.svc.DeliverOutbox(ctx, holder)
				return res.String(), err
			}}, jobs.PollFor(outboxEvery))
	})
	wg.Wait()
}

// atLeast drops log records below its level.
type atLeast struct {
	slog.Handler
	level slog.Level
}

// Enabled reports whether a record of level l is kept.
func (h atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}
