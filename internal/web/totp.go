package web

import (
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// A TOTP enrolment spans three requests: POST begin (the service makes and
// seals a new secret), GET the page (which shows the secret and a QR code
// of its otpauth:// URL), GET the QR image. The service keeps only the
// sealed secret, so the clear secret and URL wait here, in memory, keyed by
// the session's token hash, for ten minutes at most, and are dropped once
// the code is confirmed. Beginning is a POST because it changes the
// account (a GET must not). After a restart, or on another instance
// without sticky sessions, the page simply offers to begin again.

const (
	enrolTTL        = 10 * time.Minute
	maxPendingEnrol = 10000
)

type enrolment struct {
	service.Enrolment
	expires time.Time
}

type enrolments struct {
	mu sync.Mutex
	m  map[string]enrolment
}

func newEnrolments() *enrolments { return &enrolments{m: map[string]enrolment{}} }

func (e *enrolments) put(key string, en service.Enrolment, now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, v := range e.m {
		if !now.Before(v.expires) {
			delete(e.m, k)
		}
	}
	if len(e.m) >= maxPendingEnrol {
		// Full of live entries: a flood, not real users. Refusing to hold
		// more only means the flooder's own enrolment has to restart.
		return
	}
	e.m[key] = enrolment{Enrolment: en, expires: now.Add(enrolTTL)}
}

func (e *enrolments) get(key string, now time.Time) (service.Enrolment, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	v, ok := e.m[key]
	if !ok || !now.Before(v.expires) {
		return service.Enrolment{}, false
	}
	return v.Enrolment, true
}

func (e *enrolments) drop(key string) {
	e.mu.Lock()
	delete(e.m, key)
	e.mu.Unlock()
}

func enrolKey(p *service.Principal) string { return hex.EncodeToString(p.TokenHash) }

type enrolData struct {
	Enabled bool   // TOTP already on
	Pending bool   // a secret is waiting for its first code
	Secret  string // shown as text for typing into the app
	Form    *Form
}

func (h *Handler) enrolPage(w http.ResponseWriter, r *http.Request) {
	h.showEnrol(w, r, http.StatusOK, &Form{Values: map[string]string{}, Errors: map[string]string{}})
}

func (h *Handler) showEnrol(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	p := h.principal(r)
	d := enrolData{Enabled: p.Account.TOTPEnabled, Form: f}
	if en, ok := h.pending.get(enrolKey(p), h.svc.Now()); ok {
		d.Pending, d.Secret = true, en.Secret
	}
	h.renderAt(w, r, "/account/totp", status, "totp_enrol", "totp.enrol_title", d)
}

func (h *Handler) beginEnrol(w http.ResponseWriter, r *http.Request) {
	p := h.principal(r)
	if p.TokenHash == nil {
		h.fail(w, r, domain.ErrUnauthorized)
		return
	}
	en, err := h.svc.BeginTOTPEnrol(r.Context(), *p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.pending.put(enrolKey(p), en, h.svc.Now())
	redirect(w, r, "/account/totp")
}

// enrolQR serves the pending secret's QR code as a PNG.
func (h *Handler) enrolQR(w http.ResponseWriter, r *http.Request) {
	en, ok := h.pending.get(enrolKey(h.principal(r)), h.svc.Now())
	if !ok {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	png, err := auth.TOTPQRPNG(en.URL, 256)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

func (h *Handler) confirmEnrol(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	p := v.Principal
	token, np, err := h.svc.ConfirmTOTPEnrol(r.Context(), *p, r.PostFormValue("code"))
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
		f.Fail(v.L, err, "code")
		h.showEnrol(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.pending.drop(enrolKey(p))
	SetSessionCookie(w, h.cfg.Secure, token)
	h.flash(w, "totp.enrolled")
	redirect(w, r, afterSignIn(np.Stage, "/account"))
}
