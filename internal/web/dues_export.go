package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The dues exports of an organization: its members' month grid as on the
// page (the whole filtered list, not one page), and the payments its
// subtree collected in the year with the retained share of each, for the
// funds side. Both are read whole before the first byte goes out.

func (h *Handler) orgDuesExport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := orgDuesQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.svc.ExportOrgDues(r.Context(), h.principal(r).Actor, domain.OrgID(id), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := h.visit(r).L
	header := []string{l.T("web.dues.member"), l.T("web.person.status"), l.T("web.person.home_org"), l.T("web.person.mobile_org"),
		l.T("web.dues.standard_now")}
	for _, c := range d.Columns {
		header = append(header, c.Month.String())
	}
	header = append(header, l.T("web.dues.owed_months"), l.T("web.dues.streak"), l.T("web.dues.lapsed"))
	rows := make([][]string, 0, len(d.Rows))
	for _, m := range d.Rows {
		row := []string{m.Name, l.T(statusKeyOf(m.Status)), m.HomeOrg, m.MobileOrg, yuanText(m.Standard)}
		for _, c := range m.Cells {
			row = append(row, cellText(l, c))
		}
		lapsed := ""
		if m.Standing.Lapsed {
			lapsed = l.T("web.dues.lapsed")
		}
		row = append(row, strconv.Itoa(m.Standing.Owed), strconv.Itoa(m.Standing.Streak), lapsed)
		rows = append(rows, row)
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.dues.export_sheet"), "dues-"+strconv.Itoa(d.Year)+"-"+stamp+".xlsx",
		l.T("web.dues.export_filename", "Org", d.Org.Name, "Year", d.Year, "Stamp", stamp)+".xlsx", header, rows)
}

// cellText is a grid cell in a spreadsheet: the amount paid, "unpaid", or
// nothing for a month not owed.
func cellText(l Localizer, c service.DuesCell) string {
	switch c.State {
	case "paid":
		return yuanText(c.Amount)
	case "unpaid":
		return l.T("web.dues.cell_unpaid")
	}
	return ""
}

func (h *Handler) duesPaymentsExport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := orgDuesQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	org, list, err := h.svc.ExportDuesPayments(r.Context(), h.principal(r).Actor, domain.OrgID(id), q.Year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := h.visit(r).L
	header := []string{l.T("web.dues.month"), l.T("web.dues.member"), l.T("web.dues.amount"), l.T("web.dues.standard"),
		l.T("web.dues.retained"), l.T("web.dues.channel"), l.T("web.dues.paid_on"), l.T("web.dues.collected_by"),
		l.T("web.dues.hardship"), l.T("web.dues.backpay"), l.T("web.dues.note"), l.T("web.dues.recorded_by")}
	rows := make([][]string, 0, len(list))
	for _, p := range list {
		rows = append(rows, []string{p.Month.String(), p.PersonName, yuanText(p.Amount), yuanText(p.Standard), yuanText(p.Retained),
			l.T(payChannelKey(p.Channel)), p.PaidOn.String(), p.OrgName, p.Hardship, p.BackPay, p.Note, p.RecordedBy})
	}
	year := q.Year
	if year == 0 {
		year = h.svc.Today().Time().Year()
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.dues.payments_sheet"), "dues-payments-"+strconv.Itoa(year)+"-"+stamp+".xlsx",
		l.T("web.dues.payments_filename", "Org", org.Name, "Year", year, "Stamp", stamp)+".xlsx", header, rows)
}
