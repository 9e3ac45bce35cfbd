package web

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

type sessionRow struct {
	store.Session
	Current bool
}

type accountData struct {
	Account  service.AccountView
	Sessions []sessionRow
	Tokens   []store.APIToken
	Form     *Form // the new-token form
	Locale   string
}

// tokenValidity lists the lifetimes offered for a new API token, in days.
var tokenValidity = []int{30, 90, 365}

func (h *Handler) account(w http.ResponseWriter, r *http.Request) {
	h.showAccount(w, r, http.StatusOK, &Form{Values: map[string]string{"days": "90"}, Errors: map[string]string{}})
}

func (h *Handler) showAccount(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	p := h.principal(r)
	ctx := r.Context()
	acc, err := h.svc.Account(ctx, p.Actor, p.Account.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sessions, err := h.svc.Sessions(ctx, p.Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tokens, err := h.svc.APITokens(ctx, p.Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := accountData{Account: acc, Tokens: tokens, Form: f, Locale: acc.Locale}
	for _, s := range sessions {
		d.Sessions = append(d.Sessions, sessionRow{Session: s, Current: bytes.Equal(s.TokenHash, p.TokenHash)})
	}
	h.renderAt(w, r, "/account", status, "account", "account.title", d)
}

type tokenData struct {
	Name, Token string
	Expires     *time.Time
}

// createToken issues an API token and shows it on this response, once.
// This is the one form that does not redirect: the clear token must not be
// kept anywhere (not in a cookie, not on the server) to survive a redirect.
// The page is not cached (Cache-Control: no-store).
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, "name", "days")
	days, err := strconv.Atoi(f.Get("days"))
	if err != nil || !slices.Contains(tokenValidity, days) {
		f.Errors["days"] = v.L.T("web.account.token_days_invalid")
		h.showAccount(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	valid := time.Duration(days) * 24 * time.Hour
	clear, _, err := h.svc.CreateAPIToken(r.Context(), v.Principal.Actor, f.Get("name"), valid)
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "name", "days")
		h.showAccount(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	exp := h.svc.Now().Add(valid)
	h.renderAt(w, r, "/account", http.StatusOK, "token_created", "web.token.created_title",
		tokenData{Name: f.Get("name"), Token: clear, Expires: &exp})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	if err := h.svc.RevokeAPIToken(r.Context(), h.principal(r).Actor, id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(w, "web.flash.token_revoked")
	redirect(w, r, "/account")
}
