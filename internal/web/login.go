package web

import (
	"net/http"
	"net/url"
	"strings"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

type loginData struct {
	Form *Form
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	if p := h.principal(r); p != nil {
		redirect(w, r, afterSignIn(p.Stage, ""))
		return
	}
	f := &Form{Values: map[string]string{"next": localPath(r.URL.Query().Get("next"))}, Errors: map[string]string{}}
	h.render(w, r, http.StatusOK, "login", "login.title", loginData{Form: f})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, "name", "next")
	f.Values["next"] = localPath(f.Values["next"])
	token, p, err := h.svc.Login(r.Context(), service.LoginInput{
		Name: f.Get("name"), Password: r.PostFormValue("password"),
		Address: v.Address, UserAgent: r.UserAgent(),
	})
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		// Wrong password and unknown account give the same message (the
		// service makes them identical); it goes above the form, not
		// beside one field, so the form does not hint which was wrong.
		f.Fail(v.L, err)
		h.renderAt(w, r, "/login", StatusOf(domain.CodeOf(err)), "login", "login.title", loginData{Form: f})
		return
	}
	SetSessionCookie(w, h.cfg.Secure, token)
	redirect(w, r, afterSignIn(p.Stage, f.Get("next")))
}

func (h *Handler) totpForm(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string]string{"next": localPath(r.URL.Query().Get("next"))}, Errors: map[string]string{}}
	h.render(w, r, http.StatusOK, "login_totp", "totp.title", loginData{Form: f})
}

func (h *Handler) totpLogin(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, "next")
	f.Values["next"] = localPath(f.Values["next"])
	token, p, err := h.svc.VerifyTOTP(r.Context(), *v.Principal, r.PostFormValue("code"))
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "code")
		h.renderAt(w, r, "/login/totp", StatusOf(domain.CodeOf(err)), "login_totp", "totp.title", loginData{Form: f})
		return
	}
	SetSessionCookie(w, h.cfg.Secure, token)
	redirect(w, r, afterSignIn(p.Stage, f.Get("next")))
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if p := h.principal(r); p != nil {
		if err := h.svc.Logout(r.Context(), *p); err != nil && domain.CodeOf(err) != domain.CodeNotFound {
			h.fail(w, r, err)
			return
		}
	}
	ClearSessionCookie(w, h.cfg.Secure)
	h.flash(w, "login.logged_out")
	redirect(w, r, "/login")
}

// afterSignIn is where a session at stage goes next: the one page that
// completes the stage, or next (a local path) once fully signed in.
func afterSignIn(stage service.Stage, next string) string {
	switch stage {
	case service.StageTOTP:
		if next != "/" && next != "" {
			return "/login/totp?next=" + url.QueryEscape(next)
		}
		return "/login/totp"
	case service.StageEnrol:
		return "/account/totp"
	case service.StagePassword:
		return "/account/password"
	}
	if next == "" {
		return "/"
	}
	return next
}

// localPath returns p when it is a path on this site ("/audit?x=1"), else
// "/": a "next" parameter must never send the visitor elsewhere ("//evil",
// "/\evil" and "https://…" are all refused).
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return p
}
