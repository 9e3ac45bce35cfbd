package server

import (
	"net/http"
	"strings"

	"gongjian/internal/api"
	"gongjian/internal/auth"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/web"
)

// serveAPI runs the API middleware: unknown routes answer 404 (or 405) in
// the error shape; then the caller is authenticated by bearer token or
// session cookie, and a cookie-authenticated write must pass the CSRF
// checks and come from a fully signed-in session.
func (s *server) serveAPI(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, api.MaxBody)
	if _, pattern := s.apis.Handler(r); pattern == "" {
		if allow := allowedMethods(s.apis, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.api.Error(w, r, nil, http.StatusMethodNotAllowed, "method_not_allowed", "error.method_not_allowed")
			return
		}
		s.api.Error(w, r, nil, http.StatusNotFound, string(domain.CodeNotFound), "error.not_found")
		return
	}
	ri := infoOf(r.Context())
	addr := ri.address
	if addr == "" {
		addr = s.clientAddr(r)
	}
	c := &api.Caller{}
	if header := r.Header.Get("Authorization"); header != "" {
		scheme, token, _ := strings.Cut(header, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || !auth.IsAPIToken(token) {
			s.unauthorized(w, r, nil)
			return
		}
		p, err := s.o.Service.AuthenticateAPIToken(r.Context(), token, addr)
		if err != nil {
			s.unauthorized(w, r, err)
			return
		}
		c.Principal = p
	} else if ck, err := r.Cookie(web.SessionCookieName(s.o.Secure)); err == nil && ck.Value != "" {
		p, err := s.o.Service.Authenticate(r.Context(), ck.Value, addr)
		if err != nil {
			s.unauthorized(w, r, err)
			return
		}
		c.Principal, c.Session = p, true
		c.L = s.o.I18n.For(s.o.I18n.Match(r.Header.Get("Accept-Language"), p.Account.Locale))
		if unsafe(r.Method) && (s.origin.Check(r) != nil || !tokenMatches(r.Header.Get("X-CSRF-Token"), s.sessionCSRF(p.TokenHash))) {
			s.o.Log.Warn("csrf check failed", "path", clean(r.URL.Path), "address", clean(addr))
			s.api.Error(w, r, c.L, http.StatusForbidden, string(domain.CodeForbidden), "error.csrf")
			return
		}
		switch p.Stage {
		case service.StageTOTP, service.StageEnrol:
			s.api.Error(w, r, c.L, http.StatusForbidden, "mfa_required", "web.api.mfa_required")
			return
		case service.StagePassword:
			s.api.Error(w, r, c.L, http.StatusForbidden, "password_change_required", "web.api.password_change_required")
			return
		}
	} else if api.IsPublic(r) {
		// Whoever holds a printed certificate may check it: no caller.
		s.apis.ServeHTTP(w, r)
		return
	} else {
		s.unauthorized(w, r, nil)
		return
	}
	if c.L == nil {
		c.L = s.o.I18n.For(s.o.I18n.Match(r.Header.Get("Accept-Language"), c.Principal.Account.Locale))
	}
	ri.account = int64(c.Principal.Account.ID)
	s.apis.ServeHTTP(w, r.WithContext(api.WithCaller(r.Context(), c)))
}

// unauthorized answers 401. Credentials that are unknown, expired or
// revoked all look the same to the client; a failure of the database
// itself is a 500.
func (s *server) unauthorized(w http.ResponseWriter, r *http.Request, err error) {
	switch domain.CodeOf(err) {
	case "", domain.CodeUnauthorized, domain.CodeNotFound:
	default:
		s.api.Fail(w, r, nil, err)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="gongjian"`)
	key := "error.unauthorized"
	if err != nil && domain.AsError(err).MsgID == "session.expired" {
		key = "web.flash.session_expired"
	}
	s.api.Error(w, r, nil, http.StatusUnauthorized, string(domain.CodeUnauthorized), key)
}
