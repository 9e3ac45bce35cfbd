package web

import (
	"net/http"
	"strconv"
	"strings"

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

// orgAdviceExport writes the advisor list as an xlsx file.
func (h *Handler) orgAdviceExport(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	l := v.L
	if !canSomewhere(v.Principal.Actor, authz.OrgRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	list, err := h.svc.ExportStructureAdvice(r.Context(), v.Principal.Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.org.name"), l.T("web.org.kind"), l.T("web.org.advice_full"), l.T("web.org.advice_probationary"),
		l.T("web.org.advice_children"), l.T("web.org.advice_notes")}
	rows := make([][]string, 0, len(list))
	for _, a := range list {
		var notes []string
		for _, n := range a.Advice {
			notes = append(notes, l.T(n.Rule, n.Args))
		}
		rows = append(rows, []string{a.Org.Name, l.T("org.kind." + string(a.Org.Kind)), strconv.Itoa(a.Counts.Full),
			strconv.Itoa(a.Counts.Probationary), strconv.Itoa(a.Counts.Children), strings.Join(notes, "\n")})
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.org.advice_title"), "org-advice-"+stamp+".xlsx", l.T("web.org.advice_title")+"-"+stamp+".xlsx", header, rows)
}
