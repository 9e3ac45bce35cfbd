package web

import (
	"net/http"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/roster"
	"gongjian/internal/service"
)

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// orgsExport writes the organizations of one side that the tree page
// shows (with its name filter) as an xlsx file. The list is read whole
// before the first byte goes out, so a refusal still gets an error page.
func (h *Handler) orgsExport(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	l := v.L
	a := v.Principal.Actor
	if !canSomewhere(a, authz.OrgRead) && !canSomewhere(a, authz.OrgRegisterHost) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	q := r.URL.Query()
	side := domain.Side(q.Get("side"))
	if !side.Valid() {
		side = defaultSide(a)
	}
	list, err := h.svc.ExportOrgs(r.Context(), a, service.OrgFilter{Side: side, Name: strings.TrimSpace(q.Get("name"))})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.org.name"), l.T("web.org.short_name"), l.T("web.org.side"), l.T("web.org.kind"), l.T("web.org.status"),
		l.T("web.org.parent"), l.T("web.org.region_code"), l.T("web.org.industry"), l.T("web.org.founded_on"), l.T("web.org.phone"),
		l.T("web.org.mailbox")}
	rows := make([][]string, 0, len(list))
	for _, o := range list {
		industry := ""
		if o.Industry != "" {
			industry = o.Industry + " " + l.T("industry."+o.Industry)
		}
		rows = append(rows, []string{o.Name, o.ShortName, l.T("org.side." + string(o.Side)), l.T("org.kind." + string(o.Kind)),
			l.T("org.status." + string(o.Status)), o.ParentName, o.RegionCode, industry, o.FoundedOn.String(), o.Phone, o.Mailbox})
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.org.export_sheet"), "orgs-"+string(side)+"-"+stamp+".xlsx",
		l.T("web.org.export_filename", "Side", l.T("org.side."+string(side)), "Stamp", stamp)+".xlsx", header, rows)
}

// sendXLSX writes a whole table as an xlsx download. The rows are already
// read, so a failure before this point still gets an error page.
func (h *Handler) sendXLSX(w http.ResponseWriter, r *http.Request, sheet, asciiName, name string, header []string, rows [][]string) {
	x, err := roster.NewXLSX(w, sheet, header)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, row := range rows {
		if err := x.Row(row...); err != nil {
			x.Abort()
			h.fail(w, r, err)
			return
		}
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", attachment(asciiName, name))
	if err := x.Close(); err != nil {
		h.log.Error("web: xlsx export", "sheet", sheet, "err", err)
	}
}
