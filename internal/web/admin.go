package web

import (
	"net/http"
	"net/url"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

const accountsPageSize = 100

type accountsData struct {
	Accounts  []service.AccountView
	NextURL   string
	Form      *Form // the new-account form
	CanManage bool
}

// allowed answers the 403 page unless the actor holds perm. The service
// checks again on every call; this check keeps an administration page
// from rendering for an account that may merely read its own record.
func (h *Handler) allowed(w http.ResponseWriter, r *http.Request, perm authz.Perm) bool {
	if !h.principal(r).Actor.Can(perm).Allowed {
		h.fail(w, r, domain.ErrForbidden)
		return false
	}
	return true
}

func (h *Handler) accounts(w http.ResponseWriter, r *http.Request) {
	h.showAccounts(w, r, http.StatusOK, &Form{Values: map[string]string{}, Errors: map[string]string{}})
}

func (h *Handler) showAccounts(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	if !h.allowed(w, r, authz.AccountRead) {
		return
	}
	a := h.principal(r).Actor
	after := r.URL.Query().Get("after")
	list, err := h.svc.ListAccounts(r.Context(), a, after, accountsPageSize+1)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := accountsData{Accounts: list, Form: f, CanManage: a.Can(authz.AccountManage).Allowed}
	if len(list) > accountsPageSize {
		d.Accounts = list[:accountsPageSize]
		d.NextURL = "/admin/accounts?after=" + url.QueryEscape(d.Accounts[accountsPageSize-1].Name)
	}
	h.renderAt(w, r, "/admin/accounts", status, "accounts", "nav.accounts", d)
}

// createAccount makes an account whose initial password must be changed at
// the first sign-in: the officer knows it.
func (h *Handler) createAccount(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, "name", "display_name")
	id, err := h.svc.CreateAccount(r.Context(), v.Principal.Actor, service.NewAccount{
		Name: f.Get("name"), DisplayName: f.Get("display_name"), Password: r.PostFormValue("password"), MustChange: true,
	})
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "name", "display_name", "password")
		h.showAccounts(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "web.flash.account_created")
	redirect(w, r, accountURL(id))
}

type accountAdminData struct {
	Account   service.AccountView
	Roles     []authz.RoleInfo
	GrantForm *Form
	ResetForm *Form
	LinkForm  *Form      // the form that links the account to a person record
	Person    *personRow // the linked person record, masked; nil when none
	Error     string     // a refused action without a form of its own
	CanManage bool
	CanGrant  bool
	Self      bool
}

func accountURL(id domain.AccountID) string {
	return "/admin/accounts/" + strconv.FormatInt(int64(id), 10)
}

// accountID reads the {id} path value; a malformed id is simply not found.
func accountID(r *http.Request) (domain.AccountID, bool) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return domain.AccountID(n), err == nil && n > 0
}

func (h *Handler) accountAdmin(w http.ResponseWriter, r *http.Request) {
	h.showAccountAdmin(w, r, http.StatusOK, accountAdminData{})
}

func (h *Handler) showAccountAdmin(w http.ResponseWriter, r *http.Request, status int, d accountAdminData) {
	if !h.allowed(w, r, authz.AccountRead) {
		return
	}
	id, ok := accountID(r)
	if !ok {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	a := h.principal(r).Actor
	acc, err := h.svc.Account(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Account, d.Roles, d.Self = acc, authz.Roles(), a.AccountID == id
	d.CanManage, d.CanGrant = a.Can(authz.AccountManage).Allowed, a.Can(authz.GrantManage).Allowed
	if d.GrantForm == nil {
		d.GrantForm = &Form{Values: map[string]string{}, Errors: map[string]string{}}
	}
	if d.ResetForm == nil {
		d.ResetForm = &Form{Values: map[string]string{}, Errors: map[string]string{}}
	}
	if d.LinkForm == nil {
		d.LinkForm = blankForm()
	}
	linked, err := h.svc.LinkedPerson(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if linked.ID != 0 {
		d.Person = &personRow{linked}
	}
	h.renderAt(w, r, accountURL(id), status, "account_admin", "web.admin.account_title", d)
}

// act runs one administration action on the account of the path and
// redirects back to its page with flash, or shows the page again with the
// refusal.
func (h *Handler) act(w http.ResponseWriter, r *http.Request, flash string, do func(a *authz.Actor, id domain.AccountID) error) {
	id, ok := accountID(r)
	if !ok {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	if err := do(h.principal(r).Actor, id); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		h.showAccountAdmin(w, r, StatusOf(domain.CodeOf(err)), accountAdminData{Error: h.visit(r).L.Err(err)})
		return
	}
	h.flash(w, flash)
	redirect(w, r, accountURL(id))
}

func (h *Handler) addGrant(w http.ResponseWriter, r *http.Request) {
	id, ok := accountID(r)
	if !ok {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	v := h.visit(r)
	f := newForm(r, "role", "org")
	if err := h.svc.Grant(r.Context(), v.Principal.Actor, id, f.Get("role"), f.Get("org")); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "role", "org")
		h.showAccountAdmin(w, r, StatusOf(domain.CodeOf(err)), accountAdminData{GrantForm: f})
		return
	}
	h.flash(w, "web.flash.grant_added")
	redirect(w, r, accountURL(id))
}

func (h *Handler) revokeGrant(w http.ResponseWriter, r *http.Request) {
	grant, err := strconv.ParseInt(r.PathValue("grant"), 10, 64)
	if err != nil {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	h.act(w, r, "web.flash.grant_revoked", func(a *authz.Actor, id domain.AccountID) error {
		return h.svc.Revoke(r.Context(), a, id, grant)
	})
}

func (h *Handler) disableAccount(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "web.flash.account_disabled", func(a *authz.Actor, id domain.AccountID) error {
		return h.svc.SetDisabled(r.Context(), a, id, true)
	})
}

func (h *Handler) enableAccount(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "web.flash.account_enabled", func(a *authz.Actor, id domain.AccountID) error {
		return h.svc.SetDisabled(r.Context(), a, id, false)
	})
}

func (h *Handler) unlockAccount(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "web.flash.account_unlocked", func(a *authz.Actor, id domain.AccountID) error {
		return h.svc.Unlock(r.Context(), a, id)
	})
}

func (h *Handler) requireTOTP(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "web.flash.totp_required", func(a *authz.Actor, id domain.AccountID) error {
		return h.svc.RequireTOTP(r.Context(), a, id, true)
	})
}

func (h *Handler) optionalTOTP(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "web.flash.totp_optional", func(a *authz.Actor, id domain.AccountID) error {
		return h.svc.RequireTOTP(r.Context(), a, id, false)
	})
}

// resetPassword sets a new password that the owner must change at the
// next sign-in; the service ends the owner's sessions.
func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := accountID(r)
	if !ok {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	v := h.visit(r)
	if err := h.svc.ResetPassword(r.Context(), v.Principal.Actor, id, r.PostFormValue("password")); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
		f.Fail(v.L, err, "password")
		h.showAccountAdmin(w, r, StatusOf(domain.CodeOf(err)), accountAdminData{ResetForm: f})
		return
	}
	h.flash(w, "web.flash.password_reset")
	redirect(w, r, accountURL(id))
}

// linkPerson links the account to the person whose ID number the officer
// typed (read from the member's card). The number goes only to the
// service, which finds the record by its blind index; the page shows the
// record masked. A refusal comes back on the form, the number kept so the
// officer can correct it: the answer is this POST's own page.
func (h *Handler) linkPerson(w http.ResponseWriter, r *http.Request) {
	id, ok := accountID(r)
	if !ok {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	v := h.visit(r)
	f := newForm(r, "id_number")
	if _, err := h.svc.LinkPerson(r.Context(), v.Principal.Actor, id, f.Get("id_number")); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "id_number")
		h.showAccountAdmin(w, r, StatusOf(domain.CodeOf(err)), accountAdminData{LinkForm: f})
		return
	}
	h.flash(w, "web.flash.person_linked")
	redirect(w, r, accountURL(id))
}

func (h *Handler) unlinkPerson(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "web.flash.person_unlinked", func(a *authz.Actor, id domain.AccountID) error {
		return h.svc.UnlinkPerson(r.Context(), a, id)
	})
}
