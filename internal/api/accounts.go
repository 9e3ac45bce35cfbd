package api

import (
	"net/http"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

type accountList struct {
	Accounts []accountDTO `json:"accounts"`
	// Next is the "after" value of the following page; null on the last.
	Next *string `json:"next"`
}

func (h *Handler) accounts(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, err := positive(q, "limit", 100)
	if err != nil || limit > 500 {
		h.Fail(w, r, c.L, domain.Invalid("limit", "web.api.bad_limit", map[string]any{"Max": 500}))
		return
	}
	list, err := h.svc.ListAccounts(r.Context(), c.Principal.Actor, q.Get("after"), int(limit)+1)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := accountList{Accounts: make([]accountDTO, 0, len(list))}
	if len(list) > int(limit) {
		list = list[:limit]
		next := list[len(list)-1].Name
		out.Next = &next
	}
	for _, a := range list {
		out.Accounts = append(out.Accounts, toAccount(a))
	}
	writeJSON(w, http.StatusOK, out)
}

type accountIn struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password"`
}

// createAccount makes an account whose initial password must be changed
// at the first sign-in.
func (h *Handler) createAccount(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in accountIn
	if !h.decode(w, r, &in) {
		return
	}
	a := c.Principal.Actor
	id, err := h.svc.CreateAccount(r.Context(), a, service.NewAccount{Name: in.Name, DisplayName: in.DisplayName, Password: in.Password, MustChange: true})
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondAccount(w, r, c, id, http.StatusCreated)
}

// respondAccount answers with the account as it now is.
func (h *Handler) respondAccount(w http.ResponseWriter, r *http.Request, c *Caller, id domain.AccountID, status int) {
	acc, err := h.svc.Account(r.Context(), c.Principal.Actor, id)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.Header().Set("Location", Prefix+"/accounts/"+strconv.FormatInt(int64(id), 10))
	writeJSON(w, status, toAccount(acc))
}

func pathAccount(r *http.Request) (domain.AccountID, error) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.ErrNotFound
	}
	return domain.AccountID(n), nil
}

type grantIn struct {
	Role string `json:"role"`
	// Org is the organization's id, name or short name; empty for the
	// system-wide duties.
	Org string `json:"org"`
}

func (h *Handler) addGrant(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathAccount(r)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	var in grantIn
	if !h.decode(w, r, &in) {
		return
	}
	if err := h.svc.Grant(r.Context(), c.Principal.Actor, id, in.Role, in.Org); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondAccount(w, r, c, id, http.StatusCreated)
}

func (h *Handler) revokeGrant(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathAccount(r)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	grant, err := strconv.ParseInt(r.PathValue("grant"), 10, 64)
	if err != nil {
		h.Fail(w, r, c.L, domain.ErrNotFound)
		return
	}
	if err := h.svc.Revoke(r.Context(), c.Principal.Actor, id, grant); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) disable(w http.ResponseWriter, r *http.Request) { h.setDisabled(w, r, true) }
func (h *Handler) enable(w http.ResponseWriter, r *http.Request)  { h.setDisabled(w, r, false) }

func (h *Handler) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathAccount(r)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	if err := h.svc.SetDisabled(r.Context(), c.Principal.Actor, id, disabled); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
