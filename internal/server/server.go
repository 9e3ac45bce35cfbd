// Package server assembles the HTTP handler: routes for the web pages, the
// JSON API, static files and health checks, and the middleware every
// request passes (recovery, request log, security headers, session to
// actor, CSRF, sign-in stage gating). It holds no business rules.
//
// A request travels: logRequests → recoverPanics → securityHeaders → the
// root mux, which sends /static/ and the health checks straight to their
// handlers, /api/ to serveAPI (api.go) and everything else to serveWeb
// (web.go).
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"gongjian/internal/api"
	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/web"
	"gongjian/internal/web/assets"
)

// Options is everything the handler needs; the cli package builds it.
type Options struct {
	Service *service.Service
	I18n    *i18n.Bundle
	Static  *assets.Static
	Keys    *seal.Keyring
	Log     *slog.Logger
	// Secure marks cookies Secure (with the __Host- prefix) and sends
	// HSTS: set when TLS is served directly, or behind a proxy that
	// terminates it.
	Secure bool
	// BehindProxy trusts X-Forwarded-For and X-Forwarded-Proto from the
	// proxy in front.
	BehindProxy bool
	Version     string
}

// server is the assembled handler's state, built once by New.
type server struct {
	o      Options
	web    *web.Handler
	api    *api.Handler
	pages  *http.ServeMux // the web routes
	apis   *http.ServeMux // the API routes
	origin *http.CrossOriginProtection
}

// New builds the whole handler.
func New(o Options) (http.Handler, error) {
	if o.Service == nil || o.I18n == nil || o.Static == nil || o.Keys == nil {
		return nil, errors.New("server: Service, I18n, Static and Keys are required")
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	wh, err := web.New(web.Config{Service: o.Service, I18n: o.I18n, Static: o.Static, Log: o.Log, Secure: o.Secure})
	if err != nil {
		return nil, err
	}
	ah, err := api.New(api.Config{Service: o.Service, I18n: o.I18n, Log: o.Log})
	if err != nil {
		return nil, err
	}
	s := &server{o: o, web: wh, api: ah, pages: http.NewServeMux(), apis: http.NewServeMux(),
		origin: http.NewCrossOriginProtection()}
	wh.Register(s.pages)
	ah.Register(s.apis)

	root := http.NewServeMux()
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	root.HandleFunc("GET /readyz", o.ready)
	root.Handle("GET /static/", http.StripPrefix("/static/", o.Static.Handler()))
	root.HandleFunc("/api/", s.serveAPI)
	root.HandleFunc("/", s.serveWeb)
	return s.logRequests(s.recoverPanics(s.securityHeaders(root))), nil
}

// ready answers 200 when the database is reachable and its schema current.
func (o Options) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	db := o.Service.DB()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	cur, known, err := db.Versions(ctx)
	if err != nil {
		o.Log.Warn("readyz: schema version unreadable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("schema version unreadable\n"))
		return
	}
	if cur != known {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "schema not current: database at %d, this program at %d\n", cur, known)
		return
	}
	w.Write([]byte("ready\n"))
}

// unsafe reports whether a method may change state, and so needs the
// CSRF checks.
func unsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// allowedMethods lists the methods mux would accept for r's path, for the
// Allow header of a 405; empty when the path is unknown (a 404).
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" {
			out = append(out, m)
		}
	}
	return out
}
