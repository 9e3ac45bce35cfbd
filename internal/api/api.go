// Package api serves the JSON API under /api/v1. Handlers decode a request
// into plain input, call one service method and answer with this
// package's own DTOs (dto.go): domain and store structs are never
// serialised as they are, so adding a column never leaks a field. Every
// error has one shape, {"error":{"code","message","field"}}, with the
// message in the caller's language (errors.go).
//
// The server authenticates the caller before a handler runs (a session
// cookie, whose writes need the X-CSRF-Token header, or an
// "Authorization: Bearer gjt_…" token) and passes it as a Caller.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
)

// Config is what the API needs.
type Config struct {
	Service *service.Service
	I18n    *i18n.Bundle
	Log     *slog.Logger
}

// Handler serves the API routes.
type Handler struct {
	svc *service.Service
	b   *i18n.Bundle
	log *slog.Logger
}

// New builds the API handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Service == nil || cfg.I18n == nil {
		return nil, errors.New("api: Service and I18n are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Handler{svc: cfg.Service, b: cfg.I18n, log: cfg.Log}, nil
}

// Prefix is where the API lives.
const Prefix = "/api/v1"

// Register adds the API routes to mux. The server answers paths that match
// none of them with NotFound.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/me", h.me)
	mux.HandleFunc("GET "+Prefix+"/audit", h.audit)
	mux.HandleFunc("GET "+Prefix+"/accounts", h.accounts)
	mux.HandleFunc("POST "+Prefix+"/accounts", h.createAccount)
	mux.HandleFunc("POST "+Prefix+"/accounts/{id}/grants", h.addGrant)
	mux.HandleFunc("DELETE "+Prefix+"/accounts/{id}/grants/{grant}", h.revokeGrant)
	mux.HandleFunc("POST "+Prefix+"/accounts/{id}/disable", h.disable)
	mux.HandleFunc("POST "+Prefix+"/accounts/{id}/enable", h.enable)
	mux.HandleFunc("POST "+Prefix+"/tokens", h.createToken)
	mux.HandleFunc("DELETE "+Prefix+"/tokens/{id}", h.revokeToken)

	mux.HandleFunc("GET "+Prefix+"/orgs", h.orgs)
	mux.HandleFunc("POST "+Prefix+"/orgs", h.createOrg)
	mux.HandleFunc("GET "+Prefix+"/orgs/{id}", h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		h.respondOrg(w, r, c, domain.OrgID(id), http.StatusOK)
	}))
	mux.HandleFunc("PATCH "+Prefix+"/orgs/{id}", h.patchOrg)
	mux.HandleFunc("POST "+Prefix+"/orgs/{id}/upgrade", h.upgradeOrg)
	mux.HandleFunc("POST "+Prefix+"/orgs/{id}/merge", h.mergeOrg)
	mux.HandleFunc("POST "+Prefix+"/orgs/{id}/dissolve", h.dissolveOrg)
	mux.HandleFunc("POST "+Prefix+"/orgs/{id}/officers", h.appointOfficer)
	mux.HandleFunc("DELETE "+Prefix+"/orgs/{id}/officers/{officer}", h.endOfficer)
	mux.HandleFunc("GET "+Prefix+"/agreements", h.agreements)
	mux.HandleFunc("POST "+Prefix+"/agreements", h.createAgreement)
	mux.HandleFunc("GET "+Prefix+"/agreements/{id}", h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		h.respondAgreement(w, r, c, domain.AgreementID(id), http.StatusOK)
	}))
	mux.HandleFunc("POST "+Prefix+"/agreements/{id}/sign", h.signAgreement)
	mux.HandleFunc("POST "+Prefix+"/agreements/{id}/terminate", h.terminateAgreement)
	mux.HandleFunc("POST "+Prefix+"/agreements/{id}/renew", h.renewAgreement)
	mux.HandleFunc("GET "+Prefix+"/people", h.people)
	mux.HandleFunc("POST "+Prefix+"/people", h.createPerson)
	mux.HandleFunc("POST "+Prefix+"/people/search", h.searchPeople)
	mux.HandleFunc("GET "+Prefix+"/people/counts", h.countPeople)
	mux.HandleFunc("GET "+Prefix+"/people/{id}", h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		h.respondPerson(w, r, c, domain.PersonID(id), http.StatusOK)
	}))
	mux.HandleFunc("POST "+Prefix+"/people/{id}/reveal", h.revealPerson)
	mux.HandleFunc("PATCH "+Prefix+"/people/{id}", h.byID(h.patchPerson))
	mux.HandleFunc("POST "+Prefix+"/people/{id}/membership", h.byID(h.changeMembership))
	mux.HandleFunc("GET "+Prefix+"/people/{id}/contacts", h.byID(h.contacts))
	mux.HandleFunc("POST "+Prefix+"/people/{id}/contacts", h.byID(h.recordContact))
	mux.HandleFunc("GET "+Prefix+"/people/contact-warnings", h.contactWarnings)
	mux.HandleFunc("GET "+Prefix+"/people/{id}/attendance", h.byID(h.personAttendance))
	mux.HandleFunc("GET "+Prefix+"/people/absence-flags", h.absenceFlags)
	mux.HandleFunc("PUT "+Prefix+"/people/absence-rule", h.putAbsenceRule)
	mux.HandleFunc("GET "+Prefix+"/orgs/{id}/rhythm", h.byID(h.orgRhythm))
	mux.HandleFunc("GET "+Prefix+"/orgs/{id}/attendance", h.byID(h.orgAttendance))
	mux.HandleFunc("GET "+Prefix+"/rhythm", h.rhythmTable)
	mux.HandleFunc("GET "+Prefix+"/rhythm/rules", h.rhythmRules)
	mux.HandleFunc("PUT "+Prefix+"/rhythm/rules", h.putRhythmRules)
	mux.HandleFunc("GET "+Prefix+"/outbox", h.outbox)
	mux.HandleFunc("PUT "+Prefix+"/outbox/settings", h.putOutboxSettings)
	mux.HandleFunc("POST "+Prefix+"/me/move", h.reportMove)
	mux.HandleFunc("GET "+Prefix+"/verify/{token}", h.verify)
	mux.HandleFunc("GET "+Prefix+"/notifications", h.notifications)
	mux.HandleFunc("POST "+Prefix+"/notifications/read", h.readNotifications)
	h.registerConduct(mux)
	h.registerDues(mux)
	h.registerMeetings(mux)
	h.registerDevelopment(mux)
}

// Caller is the authenticated client of an API request.
type Caller struct {
	Principal service.Principal
	L         *i18n.Localizer
	// Session is true when the caller came with a session cookie rather
	// than an API token; some actions (making tokens) need a person at a
	// browser, not a script.
	Session bool
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the Caller of ctx, or nil.
func CallerFrom(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	return c
}

// caller returns the request's caller; the server guarantees one on every
// route, so a missing one is a wiring bug answered with 401.
func (h *Handler) caller(w http.ResponseWriter, r *http.Request) (*Caller, bool) {
	c := CallerFrom(r.Context())
	if c == nil || c.Principal.Actor == nil {
		h.Fail(w, r, nil, errUnauthorized)
		return nil, false
	}
	return c, true
}

// localizer is the caller's language, or the one the request asks for.
func (h *Handler) localizer(r *http.Request) *i18n.Localizer {
	if c := CallerFrom(r.Context()); c != nil && c.L != nil {
		return c.L
	}
	return h.b.For(h.b.Match(r.Header.Get("Accept-Language"), ""))
}

// byID answers GET …/{id}: the caller, the id from the path (anything but
// a positive number is not found), then the resource's own answer.
func (h *Handler) byID(respond func(w http.ResponseWriter, r *http.Request, c *Caller, id int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := h.caller(w, r)
		if !ok {
			return
		}
		id, err := pathID(r, "id")
		if err != nil {
			h.Fail(w, r, c.L, err)
			return
		}
		respond(w, r, c, id)
	}
}

// idStep is the prelude and end of a step on the resource whose id is in
// the path: the caller, the id, the decoded body; it runs do and, when do
// succeeds, respond. Every refusal on the way is answered here.
func idStep[ID ~int64, T any](h *Handler, w http.ResponseWriter, r *http.Request, do func(c *Caller, id ID, in T) error,
	respond func(c *Caller, id ID)) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	n, err := pathID(r, "id")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	var in T
	if !h.decode(w, r, &in) {
		return
	}
	if err := do(c, ID(n), in); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	respond(c, ID(n))
}
