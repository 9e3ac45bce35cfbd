package api

import (
	"net/http"
	"strconv"
	"time"

	"gongjian/internal/domain"
)

func (h *Handler) me(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	a := c.Principal.Actor
	acc, err := h.svc.Account(r.Context(), a, a.AccountID)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	own, err := h.own(r, c)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, meDTO{accountDTO: toAccount(acc), Permissions: permissions(a), Own: own})
}

type tokenIn struct {
	Name      string `json:"name"`
	ValidDays int    `json:"valid_days"`
}

// maxTokenDays bounds a token's life: a year, like the longest the web
// page offers; tokens do not live forever.
const maxTokenDays = 365

// createToken makes an API token for the caller. Only a person signed in
// with a session may: a token minting tokens would outlive its own
// revocation.
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	if !c.Session {
		h.Error(w, r, c.L, http.StatusForbidden, string(domain.CodeForbidden), "web.api.token_session_only")
		return
	}
	var in tokenIn
	if !h.decode(w, r, &in) {
		return
	}
	if in.ValidDays == 0 {
		in.ValidDays = 90
	}
	if in.ValidDays < 1 || in.ValidDays > maxTokenDays {
		h.Fail(w, r, c.L, domain.Invalid("valid_days", "web.api.valid_days", map[string]any{"Max": maxTokenDays}))
		return
	}
	valid := time.Duration(in.ValidDays) * 24 * time.Hour
	clear, id, err := h.svc.CreateAPIToken(r.Context(), c.Principal.Actor, in.Name, valid)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	now := h.svc.Now().UTC()
	exp := now.Add(valid)
	w.Header().Set("Location", Prefix+"/tokens/"+strconv.FormatInt(id, 10))
	writeJSON(w, http.StatusCreated, tokenDTO{ID: id, Name: in.Name, Token: clear, CreatedAt: now, ExpiresAt: &exp})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Fail(w, r, c.L, domain.ErrNotFound)
		return
	}
	if err := h.svc.RevokeAPIToken(r.Context(), c.Principal.Actor, id); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
