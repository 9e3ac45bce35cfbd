package web

import (
	"net/http"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// coverage shows whether every outgoing member is placed in a mobile
// organization that an agreement in force today covers.
func (h *Handler) coverage(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.PersonRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	c, err := h.svc.Coverage(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "coverage", "web.coverage.title", coverageData{Coverage: c})
}

// coverageData is the coverage page's data.
type coverageData struct {
	service.Coverage
}

// Percent is part of whole as a whole percentage (0 for an empty whole).
func (coverageData) Percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return part * 100 / whole
}
