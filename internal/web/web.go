// Package web serves the HTML pages: sign-in, the account's own settings,
// the audit log, the security officer's administration pages, the
// organizations and co-management agreements (org*.go, agreement*.go), and
// the people registry with a member's own page (person*.go, me.go). Handlers
// parse a form, call one service method and render a template or redirect;
// they hold no business rules and no SQL. The server package runs the
// middleware in front of them (session, CSRF, stage gating) and passes the
// result in the request context as a Visit.
//
// Forms are plain POSTs that answer with a redirect (POST/redirect/GET)
// and carry their outcome to the next page in a flash cookie (flash.go);
// a form with errors is rendered again at once, with status 422, so the
// values typed are kept. htmx may enhance any form but none needs it.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/web/assets"
)

// Config is what the pages need; the server builds it from its Options.
type Config struct {
	Service *service.Service
	I18n    *i18n.Bundle
	Static  *assets.Static
	Log     *slog.Logger
	// Secure marks cookies Secure and gives them the __Host- prefix.
	Secure bool
}

// Handler holds the parsed templates and serves every page.
type Handler struct {
	cfg     Config
	svc     *service.Service
	log     *slog.Logger
	pages   map[string]*pageTemplate
	pending *enrolments
	navs    navCache
}

// New parses every template once; a template that does not parse stops
// the program at start rather than failing a request later.
func New(cfg Config) (*Handler, error) {
	if cfg.Service == nil || cfg.I18n == nil || cfg.Static == nil {
		return nil, errors.New("web: Service, I18n and Static are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	pages, err := parsePages(assets.Templates())
	if err != nil {
		return nil, err
	}
	return &Handler{cfg: cfg, svc: cfg.Service, log: cfg.Log, pages: pages, pending: newEnrolments()}, nil
}

// Register adds the page routes to mux. The server wraps mux with the
// middleware; every route here may assume a Visit in the context.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", h.loginForm)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("GET /login/totp", h.totpForm)
	mux.HandleFunc("POST /login/totp", h.totpLogin)
	mux.HandleFunc("POST /logout", h.logout)
	mux.HandleFunc("POST /lang", h.setLang)

	mux.HandleFunc("GET /{$}", h.home)
	mux.HandleFunc("GET /account", h.account)
	mux.HandleFunc("POST /account/tokens", h.createToken)
	mux.HandleFunc("POST /account/tokens/{id}/revoke", h.revokeToken)
	mux.HandleFunc("GET /account/password", h.passwordForm)
	mux.HandleFunc("POST /account/password", h.changePassword)
	mux.HandleFunc("GET /account/totp", h.enrolPage)
	mux.HandleFunc("POST /account/totp/begin", h.beginEnrol)
	mux.HandleFunc("GET /account/totp/qr.png", h.enrolQR)
	mux.HandleFunc("POST /account/totp", h.confirmEnrol)

	mux.HandleFunc("GET /audit", h.audit)
	mux.HandleFunc("GET /audit/export.xlsx", h.auditExport)
	mux.HandleFunc("POST /audit/verify", h.auditVerify)

	mux.HandleFunc("GET /admin/accounts", h.accounts)
	mux.HandleFunc("POST /admin/accounts", h.createAccount)
	mux.HandleFunc("GET /admin/accounts/{id}", h.accountAdmin)
	mux.HandleFunc("POST /admin/accounts/{id}/grants", h.addGrant)
	mux.HandleFunc("POST /admin/accounts/{id}/grants/{grant}/revoke", h.revokeGrant)
	mux.HandleFunc("POST /admin/accounts/{id}/disable", h.disableAccount)
	mux.HandleFunc("POST /admin/accounts/{id}/enable", h.enableAccount)
	mux.HandleFunc("POST /admin/accounts/{id}/password", h.resetPassword)
	mux.HandleFunc("POST /admin/accounts/{id}/unlock", h.unlockAccount)
	mux.HandleFunc("POST /admin/accounts/{id}/totp-required", h.requireTOTP)
	mux.HandleFunc("POST /admin/accounts/{id}/totp-optional", h.optionalTOTP)
	mux.HandleFunc("POST /admin/accounts/{id}/person", h.linkPerson)
	mux.HandleFunc("POST /admin/accounts/{id}/person/unlink", h.unlinkPerson)
	mux.HandleFunc("GET /admin/policy", h.policyForm)
	mux.HandleFunc("POST /admin/policy", h.setPolicy)
	mux.HandleFunc("POST /admin/policy/certificate", h.setCertificatePolicy)
	mux.HandleFunc("GET /admin/outbox", h.outbox)
	mux.HandleFunc("POST /admin/outbox", h.saveOutbox)

	mux.HandleFunc("GET /orgs", h.orgs)
	mux.HandleFunc("POST /orgs", h.registerHost)
	mux.HandleFunc("GET /orgs/export.xlsx", h.orgsExport)
	mux.HandleFunc("GET /orgs/advice", h.orgAdvice)
	mux.HandleFunc("GET /orgs/advice.xlsx", h.orgAdviceExport)
	mux.HandleFunc("GET /orgs/{id}", h.org)
	mux.HandleFunc("POST /orgs/{id}/children", h.createChild)
	mux.HandleFunc("POST /orgs/{id}/edit", h.editOrg)
	mux.HandleFunc("POST /orgs/{id}/upgrade", h.upgradeOrg)
	mux.HandleFunc("POST /orgs/{id}/merge", h.mergeOrg)
	mux.HandleFunc("POST /orgs/{id}/dissolve", h.dissolveOrg)
	mux.HandleFunc("POST /orgs/{id}/officers", h.appointOfficer)
	mux.HandleFunc("POST /orgs/{id}/officers/{officer}/end", h.endTerm)
	mux.HandleFunc("GET /orgs/{id}/attendance", h.orgAttendance)
	mux.HandleFunc("GET /orgs/{id}/attendance.xlsx", h.orgAttendanceXLSX)
	mux.HandleFunc("GET /rhythm", h.rhythm)
	mux.HandleFunc("GET /rhythm/export.xlsx", h.rhythmXLSX)
	mux.HandleFunc("GET /rhythm/rules", h.rhythmRules)
	mux.HandleFunc("POST /rhythm/rules", h.saveRhythmRules)
	mux.HandleFunc("POST /rhythm/rules/default", h.resetRhythmRules)

	mux.HandleFunc("GET /agreements", h.agreements)
	mux.HandleFunc("POST /agreements", h.createAgreement)
	mux.HandleFunc("GET /agreements/export.xlsx", h.agreementsExport)
	mux.HandleFunc("GET /agreements/new", h.agreementNew)
	mux.HandleFunc("GET /agreements/{id}", h.agreement)
	mux.HandleFunc("GET /agreements/{id}/document", h.agreementDocument)
	mux.HandleFunc("POST /agreements/{id}/document", h.attachDocument)
	mux.HandleFunc("POST /agreements/{id}/sign", h.signAgreement)
	mux.HandleFunc("POST /agreements/{id}/renew", h.renewAgreement)
	mux.HandleFunc("POST /agreements/{id}/terminate", h.terminateAgreement)

	mux.HandleFunc("GET /people", h.people)
	mux.HandleFunc("GET /people/coverage", h.coverage)
	mux.HandleFunc("POST /people/search", h.searchPeople)
	mux.HandleFunc("GET /people/export.xlsx", h.peopleXLSX)
	mux.HandleFunc("POST /people/export.xlsx", h.peopleXLSX)
	mux.HandleFunc("GET /people/export.csv", h.peopleCSV)
	mux.HandleFunc("POST /people/export.csv", h.peopleCSV)
	mux.HandleFunc("GET /people/new", h.personNew)
	mux.HandleFunc("POST /people/new", h.createPerson)
	mux.HandleFunc("GET /people/{id}", h.person)
	mux.HandleFunc("POST /people/{id}/reveal", h.revealPerson)
	mux.HandleFunc("POST /people/{id}/contacts", h.recordContact)
	mux.HandleFunc("GET /people/{id}/edit", h.personEdit)
	mux.HandleFunc("POST /people/{id}/edit", h.updatePerson)
	mux.HandleFunc("POST /people/{id}/membership", h.changeMembership)
	mux.HandleFunc("GET /people/contact", h.contactList)
	mux.HandleFunc("GET /people/contact/export.xlsx", h.contactXLSX)
	mux.HandleFunc("GET /people/contact/settings", h.contactSettings)
	mux.HandleFunc("POST /people/contact/settings", h.saveContactSettings)
	mux.HandleFunc("GET /people/absence", h.absenceList)
	mux.HandleFunc("GET /people/absence/export.xlsx", h.absenceXLSX)
	mux.HandleFunc("POST /people/absence/settings", h.saveAbsenceRule)
	mux.HandleFunc("GET /people/{id}/certificate", h.personCertificate)
	mux.HandleFunc("POST /people/{id}/certificate", h.issueCertificate)
	mux.HandleFunc("POST /people/{id}/place", h.placePerson)
	mux.HandleFunc("GET /me", h.me)
	mux.HandleFunc("GET /me/certificate", h.ownCertificate)
	mux.HandleFunc("GET /me/move", h.moveForm)
	mux.HandleFunc("POST /me/move", h.reportMove)
	mux.HandleFunc("GET /me/move/done", h.moveDone)
	mux.HandleFunc("GET /verify/c/{token}", h.verifyCertificate)
	mux.HandleFunc("GET /inbox", h.inbox)
	mux.HandleFunc("POST /inbox/read", h.readAll)
	mux.HandleFunc("GET /inbox/{id}", h.openNotice)
	mux.HandleFunc("GET /import", h.importForm)
	mux.HandleFunc("POST /import", h.importUpload)
	mux.HandleFunc("GET /import/{sha}", h.importSession)
	mux.HandleFunc("POST /import/{sha}/commit", h.importCommit)
	mux.HandleFunc("GET /import/{sha}/errors.xlsx", h.importErrors)
	h.registerConduct(mux)
	h.registerDues(mux)
	h.registerMeetings(mux)
	h.registerDevelopment(mux)
}

// Visit is what the middleware learned about a request: who is signed in,
// in which language to answer, and the CSRF token forms must carry.
type Visit struct {
	Principal *service.Principal // nil when nobody is signed in
	L         *i18n.Localizer
	CSRF      string
	Address   string // the client's address, for the audit log
}

type visitKey struct{}

// WithVisit returns ctx carrying v.
func WithVisit(ctx context.Context, v *Visit) context.Context {
	return context.WithValue(ctx, visitKey{}, v)
}

// VisitFrom returns the Visit of ctx, or nil.
func VisitFrom(ctx context.Context) *Visit {
	v, _ := ctx.Value(visitKey{}).(*Visit)
	return v
}

// visit returns the request's Visit; without middleware (a handler called
// directly) it is an anonymous visit in the language the browser asks for.
func (h *Handler) visit(r *http.Request) *Visit {
	if v := VisitFrom(r.Context()); v != nil {
		return v
	}
	lang := h.cfg.I18n.Match(r.Header.Get("Accept-Language"), "")
	return &Visit{L: h.cfg.I18n.For(lang)}
}

// principal returns the signed-in principal; the server's gate guarantees
// one on every route that is not public.
func (h *Handler) principal(r *http.Request) *service.Principal {
	return h.visit(r).Principal
}
