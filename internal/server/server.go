// Package server assembles the HTTP handler: routes for the web pages, the
// JSON API, static files and health checks, and the middleware every
// request passes (recovery, request log, security headers, session to
// actor, CSRF). It holds no business rules.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/web/assets"
)

// Options is everything the handler needs; the cli package builds it.
type Options struct {
	Service *service.Service
	I18n    *i18n.Bundle
	Static  *assets.Static
	Keys    *seal.Keyring
	Log     *slog.Logger
	// Secure marks cookies Secure and sends HSTS: set when TLS is served
	// directly, or behind a proxy that terminates it.
	Secure bool
	// BehindProxy trusts X-Forwarded-For and X-Forwarded-Proto from the
	// proxy in front.
	BehindProxy bool
	Version     string
}

// New builds the whole handler.
func New(o Options) (http.Handler, error) {
	if o.Service == nil || o.I18n == nil || o.Static == nil || o.Keys == nil {
		return nil, errors.New("server: Service, I18n, Static and Keys are required")
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", o.ready)
	mux.Handle("GET /static/", http.StripPrefix("/static/", o.Static.Handler()))
	return mux, nil
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
	if err != nil || cur != known {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("schema not current\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
