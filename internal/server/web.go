package server

import (
	"errors"
	"net/http"
	"strings"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/web"
)

// maxFormBody caps the body of a page request: forms are small. Upload
// routes get their file's limit plus room for the form's other fields.
const maxFormBody = 1 << 20

// bodyLimit is the largest body a page request may send.
func (s *server) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/agreements/") && strings.HasSuffix(r.URL.Path, "/document") {
		return service.MaxDocumentBytes + maxFormBody
	}
	if r.Method == http.MethodPost && r.URL.Path == "/import" {
		return web.MaxImportMB<<20 + maxFormBody
	}
	if r.Method == http.MethodPost && (strings.HasPrefix(r.URL.Path, "/meetings/") || strings.HasPrefix(r.URL.Path, "/development/")) &&
		strings.HasSuffix(r.URL.Path, "/files") {
		return s.o.Service.MeetingFileLimit() + maxFormBody
	}
	return maxFormBody
}

// serveWeb runs the page middleware: session, language and CSRF token
// into a web.Visit; unknown routes to the 404/405 page; the CSRF checks on
// non-safe methods; the sign-in stage gate; then the page.
func (s *server) serveWeb(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r))
	v, anonCSRF, ok := s.webVisit(w, r)
	if !ok {
		return
	}
	r = r.WithContext(web.WithVisit(r.Context(), v))
	// The form is parsed on this copy of the request (for the CSRF field),
	// so its spooled upload files are this handler's to remove.
	defer func() {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	}()
	if _, pattern := s.pages.Handler(r); pattern == "" {
		if allow := allowedMethods(s.pages, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.web.Error(w, r, http.StatusMethodNotAllowed, "error.method_not_allowed")
			return
		}
		s.web.Error(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if unsafe(r.Method) {
		if tooBig(r) {
			s.web.Error(w, r, http.StatusRequestEntityTooLarge, "error.too_big")
			return
		}
		want := anonCSRF
		if v.Principal != nil {
			want = s.sessionCSRF(v.Principal.TokenHash)
		}
		if s.origin.Check(r) != nil || !tokenMatches(submittedCSRF(r), want) {
			s.o.Log.Warn("csrf check failed", "path", clean(r.URL.Path), "address", clean(v.Address))
			s.web.Error(w, r, http.StatusForbidden, "error.csrf")
			return
		}
	}
	if to := gate(v.Principal, r); to != "" {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	s.pages.ServeHTTP(w, r)
}

// webVisit works out who is visiting. A session cookie that no longer
// names a live session is cleared, and the visitor is sent to sign in with
// a "session expired" message. It also returns the anonymous CSRF cookie's
// value as the request brought it ("" when none), which a POST without a
// session must repeat. ok is false when it has answered the request.
func (s *server) webVisit(w http.ResponseWriter, r *http.Request) (v *web.Visit, anonCSRF string, ok bool) {
	ri := infoOf(r.Context())
	v = &web.Visit{Address: ri.address}
	if v.Address == "" {
		v.Address = s.clientAddr(r)
	}
	if c, err := r.Cookie(web.SessionCookieName(s.o.Secure)); err == nil && c.Value != "" {
		p, err := s.o.Service.Authenticate(r.Context(), c.Value, v.Address)
		switch code := domain.CodeOf(err); {
		case err == nil:
			v.Principal = &p
			ri.account = int64(p.Account.ID)
		case code == domain.CodeUnauthorized || code == domain.CodeNotFound:
			web.ClearSessionCookie(w, s.o.Secure)
			web.SetFlash(w, s.o.Secure, "web.flash.session_expired")
			http.Redirect(w, r, loginURL(r), http.StatusSeeOther)
			return nil, "", false
		default:
			s.o.Log.Error("authenticate session", "err", err)
			s.web.Error(w, r, http.StatusInternalServerError, "error.internal")
			return nil, "", false
		}
	}
	v.L = s.o.I18n.For(s.o.I18n.Match(r.Header.Get("Accept-Language"), s.preferredLang(r, v.Principal)))
	if v.Principal != nil {
		v.CSRF = s.sessionCSRF(v.Principal.TokenHash)
		return v, "", true
	}
	if c, err := r.Cookie(web.CSRFCookieName(s.o.Secure)); err == nil && wellFormedCSRF(c.Value) {
		anonCSRF = c.Value
		v.CSRF = c.Value
	} else {
		v.CSRF = newCSRF()
		web.SetCSRFCookie(w, s.o.Secure, v.CSRF)
	}
	return v, anonCSRF, true
}

// preferredLang is the account's saved language, else the visitor's
// cookie; empty lets the browser's Accept-Language decide.
func (s *server) preferredLang(r *http.Request, p *service.Principal) string {
	if p != nil && p.Account.Locale != "" {
		return p.Account.Locale
	}
	if c, err := r.Cookie(web.LangCookie); err == nil {
		return c.Value
	}
	return ""
}

// tooBig parses the form and reports whether the body passed its limit,
// so an oversized upload gets its own message rather than the CSRF one.
func tooBig(r *http.Request) bool {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(32 << 20)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
