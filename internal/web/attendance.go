package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Attendance rates: a member's on the person page (partials/
// person_attendance.html, with its own period), an organization's members
// on their own page with an xlsx export, and the list of members absent
// without reason past the absence rule, with the county's setting of the
// rule beside it.

// rangeOf reads a period from two query fields; a date that does not
// parse is refused beside its field.
func rangeOf(q url.Values, from, to string) (*Form, service.AttendanceRange, error) {
	f := blankForm()
	f.Values["from"], f.Values["to"] = strings.TrimSpace(q.Get(from)), strings.TrimSpace(q.Get(to))
	p := &formReader{f: f}
	r := service.AttendanceRange{From: p.date("from"), To: p.date("to")}
	return f, r, p.err
}

// statsView is a tally for the "attendance_stats" template, with the
// page's localizer.
type statsView struct {
	L Localizer
	T domain.Tally
}

// attendanceView is the person page's attendance section.
type attendanceView struct {
	PersonID domain.PersonID
	Form     *Form
	Report   service.PersonAttendance
}

// Stats is the section's tally for its template.
func (v attendanceView) Stats(l Localizer) statsView { return statsView{L: l, T: v.Report.Tally} }

// personAttendanceFor reads the section for a member's page (nil for
// anyone else), with the period of the page's query (att_from, att_to); a
// bad period comes back on the section's form with the last twelve
// months.
func (h *Handler) personAttendanceFor(ctx context.Context, r *http.Request, a *authz.Actor, p domain.Person) (*attendanceView, error) {
	// Only members are expected at meetings: a worker's page has no
	// section.
	if p.Membership == nil || !p.Membership.Status.IsMember() {
		return nil, nil
	}
	id, l := p.ID, h.visit(r).L
	f, rng, err := rangeOf(r.URL.Query(), "att_from", "att_to")
	v := &attendanceView{PersonID: id, Form: f}
	if err == nil {
		v.Report, err = h.svc.PersonAttendance(ctx, a, id, rng)
	}
	if formError(err) {
		f.Fail(l, err, "from", "to")
		v.Report, err = h.svc.PersonAttendance(ctx, a, id, service.AttendanceRange{})
	}
	if err != nil {
		return nil, err
	}
	f.Values["from"], f.Values["to"] = v.Report.From.String(), v.Report.To.String()
	return v, nil
}

// orgAttendanceData is an organization's attendance page.
type orgAttendanceData struct {
	Form      *Form
	Report    service.OrgAttendance
	ExportURL string
}

// Stats is the organization's tally for its template.
func (d orgAttendanceData) Stats(l Localizer) statsView { return statsView{L: l, T: d.Report.Tally} }

func (h *Handler) orgAttendance(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, v := r.Context(), h.visit(r)
	a := v.Principal.Actor
	f, rng, err := rangeOf(r.URL.Query(), "from", "to")
	status := http.StatusOK
	if err != nil {
		f.Fail(v.L, err, "from", "to")
		rng, status = service.AttendanceRange{}, http.StatusUnprocessableEntity
	}
	d := orgAttendanceData{Form: f}
	d.Report, err = h.svc.OrgAttendance(ctx, a, domain.OrgID(id), rng, true)
	if formError(err) {
		f.Fail(v.L, err, "from", "to")
		status = StatusOf(domain.CodeOf(err))
		d.Report, err = h.svc.OrgAttendance(ctx, a, domain.OrgID(id), service.AttendanceRange{}, true)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Values["from"], f.Values["to"] = d.Report.From.String(), d.Report.To.String()
	d.ExportURL = orgURL(d.Report.Org.ID) + "/attendance.xlsx?" + url.Values{"from": {f.Get("from")}, "to": {f.Get("to")}}.Encode()
	h.render(w, r, status, "org_attendance", d.Report.Org.Name, d)
}

// orgAttendanceXLSX exports the members' attendance (names only, no
// numbers), audited by the service.
func (h *Handler) orgAttendanceXLSX(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, l := r.Context(), h.visit(r).L
	_, rng, err := rangeOf(r.URL.Query(), "from", "to")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rep, err := h.svc.ExportOrgAttendance(ctx, h.principal(r).Actor, domain.OrgID(id), rng)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.person.name"), l.T("web.attendance.expected"), l.T("web.attendance.present"),
		l.T("web.attendance.leave"), l.T("web.attendance.excused"), l.T("web.attendance.absent"), l.T("web.attendance.rate")}
	rows := make([][]string, 0, len(rep.Members)+1)
	for _, m := range rep.Members {
		rows = append(rows, tallyCells(m.Name, m.Tally))
	}
	rows = append(rows, tallyCells(l.T("web.attendance.total"), rep.Tally))
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.attendance.export_sheet"), "attendance-"+strconv.FormatInt(id, 10)+"-"+stamp+".xlsx",
		l.T("web.attendance.export_filename", "Org", rep.Org.Name, "From", rep.From.String(), "To", rep.To.String())+".xlsx",
		header, rows)
}

// tallyCells is one line of the export.
func tallyCells(name string, t domain.Tally) []string {
	rate := ""
	if t.Expected > 0 {
		rate = strconv.Itoa(t.Percent()) + "%"
	}
	return []string{name, strconv.Itoa(t.Expected), strconv.Itoa(t.Present), strconv.Itoa(t.Leave), strconv.Itoa(t.Excused),
		strconv.Itoa(t.Absent), rate}
}

// absenceListData is the list of members absent without reason.
type absenceListData struct {
	Form      *Form // the filter
	Rule      *Form // the county's setting, for those who may change it
	Page      service.AbsencePage
	Orgs      []orgOption
	PrevURL   string
	NextURL   string
	ExportURL string
}

// StatusKey is the catalogue key of a membership status.
func (d absenceListData) StatusKey(s domain.MemberStatus) string { return statusKeyOf(s) }

// absenceFilter reads the list's filter from a query.
func absenceFilter(q url.Values) (*Form, service.AbsenceSearch) {
	f := blankForm()
	var s service.AbsenceSearch
	if n, err := strconv.ParseInt(q.Get("org"), 10, 64); err == nil && n > 0 {
		s.Org, f.Values["org"] = domain.OrgID(n), q.Get("org")
	}
	s.Page, _ = strconv.Atoi(q.Get("page"))
	return f, s
}

func absenceURL(path string, s service.AbsenceSearch, page int) string {
	q := url.Values{}
	if s.Org != 0 {
		q.Set("org", strconv.FormatInt(int64(s.Org), 10))
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func (h *Handler) absenceList(w http.ResponseWriter, r *http.Request) {
	h.showAbsence(w, r, http.StatusOK, nil)
}

// showAbsence renders the list with the setting's form (rule: one that
// came back with an error, or nil).
func (h *Handler) showAbsence(w http.ResponseWriter, r *http.Request, status int, rule *Form) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !canSomewhere(a, authz.PersonRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	f, s := absenceFilter(r.URL.Query())
	d := absenceListData{Form: f, Rule: rule}
	var err error
	if d.Page, err = h.svc.AbsenceFlags(ctx, a, s); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Orgs, err = h.orgOptions(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	can, err := h.svc.CanSetAbsenceRule(ctx, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if can && d.Rule == nil {
		d.Rule = blankForm()
		d.Rule.Values["months"] = strconv.Itoa(d.Page.Rule.Months)
	}
	if !can {
		d.Rule = nil
	}
	if d.Page.Page > 1 {
		d.PrevURL = absenceURL("/people/absence", s, d.Page.Page-1)
	}
	if d.Page.Page < d.Page.Pages {
		d.NextURL = absenceURL("/people/absence", s, d.Page.Page+1)
	}
	d.ExportURL = absenceURL("/people/absence/export.xlsx", s, 0)
	h.renderAt(w, r, absenceURL("/people/absence", s, d.Page.Page), status, "absence_list", "web.absence.title", d)
}

func (h *Handler) absenceXLSX(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), h.visit(r).L
	_, s := absenceFilter(r.URL.Query())
	page, err := h.svc.ExportAbsenceFlags(ctx, h.principal(r).Actor, s)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.person.name"), l.T("web.person.status"), l.T("web.person.home_org"), l.T("web.person.mobile_org"),
		l.T("web.absence.since"), l.T("web.absence.last_absent"), l.T("web.absence.missed")}
	rows := make([][]string, 0, len(page.Rows))
	for _, x := range page.Rows {
		rows = append(rows, []string{x.Name, l.T(statusKeyOf(x.Status)), x.HomeOrgName, x.MobileOrgName, x.Since.String(),
			x.LastAbsent.String(), strconv.Itoa(x.Missed)})
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.absence.export_sheet"), "absence-"+stamp+".xlsx",
		l.T("web.absence.export_filename", "Stamp", stamp)+".xlsx", header, rows)
}

func (h *Handler) saveAbsenceRule(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, "months")
	n, err := strconv.Atoi(strings.TrimSpace(f.Get("months")))
	if err != nil {
		err = domain.Invalid("months", "absence.months_range", map[string]any{"Max": domain.MaxContactMonths})
	} else {
		err = h.svc.SetAbsenceRule(r.Context(), v.Principal.Actor, domain.AbsenceRule{Months: n})
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "months")
		h.showAbsence(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "flash.saved")
	redirect(w, r, "/people/absence")
}
