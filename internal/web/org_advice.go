package web

import (
	"net/http"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// adviceData is the county-wide structure advisor list: every visible
// organization with a note, and the thresholds the notes apply.
type adviceData struct {
	Rows       []service.OrgAdvice
	Thresholds domain.Thresholds
}

func (h *Handler) orgAdvice(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.OrgRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	rows, err := h.svc.StructureAdvice(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	th, err := h.svc.Thresholds(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "org_advice", "web.org.advice_title", adviceData{Rows: rows, Thresholds: th})
}
