package web

import (
	"net/http"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

type passwordData struct {
	Form *Form
	// Forced is set when the password must be changed before anything
	// else (first sign-in with an initial password, or expiry).
	Forced bool
	Min    int
}

func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request) {
	h.showPassword(w, r, http.StatusOK, &Form{Values: map[string]string{}, Errors: map[string]string{}})
}

func (h *Handler) showPassword(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	p := h.principal(r)
	policy, err := h.svc.PasswordPolicy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAt(w, r, "/account/password", status, "password", "password.change_title",
		passwordData{Form: f, Forced: p.Stage == service.StagePassword, Min: policy.MinLength})
}

// changePassword replaces the own password. The service ends the
// account's other sessions and keeps this one.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	p := v.Principal
	f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
	next, repeat := r.PostFormValue("password"), r.PostFormValue("repeat")
	if next != repeat {
		f.Errors["repeat"] = v.L.T("password.mismatch")
		h.showPassword(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err := h.svc.ChangeOwnPassword(r.Context(), p.Actor, p.TokenHash, r.PostFormValue("current"), next)
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "current", "password")
		h.showPassword(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "password.changed")
	redirect(w, r, "/")
}
