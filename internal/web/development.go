package web

import (
	"errors"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Member development pages (issue #6, decision 0014): the case list with
// its filters, a new case (the application), the case page — person,
// stage and step, the next step with its dates and its form, the host
// side's opinion and inspection forms, the timeline, the documents
// checklist, mentors and introducers — the deadline lists, the report
// with its xlsx export, and the county's rules. A form is shown only to
// the side that may use it; an approval waiting for the host opinion is
// shown as waiting, without its form.

func (h *Handler) registerDevelopment(mux *http.ServeMux) {
	mux.HandleFunc("GET /development", h.devList)
	mux.HandleFunc("GET /development/new", h.devNew)
	mux.HandleFunc("POST /development", h.devOpen)
	mux.HandleFunc("GET /development/deadlines", h.devDeadlines)
	mux.HandleFunc("GET /development/report", h.devReport)
	mux.HandleFunc("GET /development/report.xlsx", h.devReportXLSX)
	mux.HandleFunc("GET /development/rules", h.devRules)
	mux.HandleFunc("POST /development/rules", h.saveDevRules)
	mux.HandleFunc("GET /development/{id}", h.devCase)
	mux.HandleFunc("POST /development/{id}/steps", h.devStep)
	mux.HandleFunc("POST /development/{id}/opinions", h.devOpinion)
	mux.HandleFunc("POST /development/{id}/assessments", h.devAssess)
	mux.HandleFunc("POST /development/{id}/close", h.devClose)
	mux.HandleFunc("POST /development/{id}/files", h.devAttach)
	mux.HandleFunc("GET /development/{id}/files/{file}", h.devFile)
}

func devURL(id domain.DevCaseID) string { return "/development/" + strconv.FormatInt(int64(id), 10) }

// devNav tells whether the actor works on member development anywhere.
func devNav(s service.DevSides) bool { return s.Host || s.Home }

// --- the list

type devListData struct {
	Form     *Form
	Page     service.DevPage
	States   []domain.DevCaseState
	Stages   []domain.DevStage
	Orgs     []domain.Org
	NextURL  string
	CanRules bool
	Error    string
}

func (h *Handler) devList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !devNav(service.DevelopmentSides(a)) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	q := r.URL.Query()
	f := blankForm()
	for _, k := range []string{"state", "stage", "org", "name"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	if _, set := q["state"]; !set {
		f.Values["state"] = string(domain.DevOpen)
	}
	stage, _ := strconv.Atoi(f.Get("stage"))
	org, _ := strconv.ParseInt(f.Get("org"), 10, 64)
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	d := devListData{Form: f, States: []domain.DevCaseState{domain.DevOpen, domain.DevCompleted, domain.DevCancelled, domain.DevClosed},
		Stages: domain.DevStages()}
	var err error
	d.Page, err = h.svc.ListDevCases(ctx, a, service.DevSearch{State: domain.DevCaseState(f.Get("state")), Stage: domain.DevStage(stage),
		Org: domain.OrgID(org), Name: f.Get("name"), Before: domain.DevCaseID(before)})
	if err != nil {
		if !formError(err) && domain.CodeOf(err) != domain.CodeNotFound {
			h.fail(w, r, err)
			return
		}
		d.Error = h.visit(r).L.Err(err)
	}
	if d.Orgs, err = h.svc.MobileOrgs(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Page.Next != 0 {
		v := url.Values{"before": {strconv.FormatInt(int64(d.Page.Next), 10)}}
		for k, x := range f.Values {
			v.Set(k, x)
		}
		d.NextURL = "/development?" + v.Encode()
	}
	if d.CanRules, err = h.svc.CanSetDevRules(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "development_list", "web.development.title", d)
}

// --- a new case

type devNewData struct {
	Person domain.Person
	Form   *Form
	Orgs   []domain.Org
}

var devOpenFields = []string{"person", "mobile_org", "on", "note", "doc_no"}

func (h *Handler) devNew(w http.ResponseWriter, r *http.Request) {
	f := blankForm()
	f.Values["person"], f.Values["on"] = r.URL.Query().Get("person"), h.svc.Today().String()
	h.showDevNew(w, r, http.StatusOK, f)
}

func (h *Handler) showDevNew(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx, a := r.Context(), h.principal(r).Actor
	id, _ := strconv.ParseInt(f.Get("person"), 10, 64)
	p, err := h.svc.Person(ctx, a, domain.PersonID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := devNewData{Person: p, Form: f}
	if m := p.Membership; m != nil && f.Get("mobile_org") == "" && m.MobileOrgID != 0 {
		f.Values["mobile_org"] = strconv.FormatInt(int64(m.MobileOrgID), 10)
	}
	if d.Orgs, err = h.svc.MobileOrgs(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAt(w, r, "/development/new?person="+f.Get("person"), status, "development_new", "web.development.new_title", d)
}

func (h *Handler) devOpen(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, devOpenFields...)
	p := &formReader{f: f}
	person, _ := strconv.ParseInt(f.Get("person"), 10, 64)
	org, _ := strconv.ParseInt(f.Get("mobile_org"), 10, 64)
	in := service.OpenInput{Person: domain.PersonID(person), MobileOrgID: domain.OrgID(org), On: p.date("on"), Note: f.Get("note"),
		DocNo: f.Get("doc_no")}
	err := p.err
	var id domain.DevCaseID
	if err == nil {
		id, err = h.svc.OpenDevCase(r.Context(), h.principal(r).Actor, in)
	}
	if err != nil {
		h.actionFailed(w, r, err, f, devOpenFields, func(status int, _ string) { h.showDevNew(w, r, status, f) })
		return
	}
	h.flash(w, "web.development.flash.opened")
	redirect(w, r, devURL(id))
}

// --- the case page

type devCaseData struct {
	service.DevCaseView
	Step       *Form
	Opinion    *Form
	Assess     *Form
	Close      *Form
	Attach     *Form
	Candidates []domain.Person
	Outcomes   []string
	Gates      []domain.DevStep
	Error      string
	Today      domain.Date
}

// NextKey is the next step's catalogue key.
func (d devCaseData) NextKey() string { return "development.step." + d.Next.Key }

// StepName is step n's catalogue key.
func (devCaseData) StepName(n int) string {
	st, _ := domain.DevStepOf(n)
	return "development.step." + st.Key
}

// Has reports whether the next step records the extra value f.
func (d devCaseData) Has(f string) bool { return d.Next.Has(domain.DevField(f)) }

// Badge is the case state's badge class.
func (d devCaseData) Badge() string { return devBadge(d.State) }

func devBadge(s domain.DevCaseState) string {
	switch s {
	case domain.DevOpen:
		return "badge-accent"
	case domain.DevCompleted:
		return "badge-ok"
	case domain.DevCancelled:
		return "badge-danger"
	}
	return "badge-muted"
}

// Percent is how far the case has come, in whole percent of the 25 steps.
func (d devCaseData) Percent() int { return d.DevCase.Step * 100 / len(domain.DevSteps()) }

func (h *Handler) devCase(w http.ResponseWriter, r *http.Request) {
	h.showDevCase(w, r, http.StatusOK, devCaseData{})
}

func (h *Handler) showDevCase(w http.ResponseWriter, r *http.Request, status int, d devCaseData) {
	ctx, a := r.Context(), h.principal(r).Actor
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if d.DevCaseView, err = h.svc.DevCase(ctx, a, domain.DevCaseID(id)); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Today = h.svc.Today()
	on := d.Today
	if !d.Latest.IsZero() && d.Latest.Before(on) {
		on = d.Latest
	}
	if d.Step == nil {
		d.Step = blankForm()
		d.Step.Values["on"] = on.String()
		d.Step.Values["outcome"] = domain.OutcomeConvert
	}
	for _, f := range []**Form{&d.Opinion, &d.Assess, &d.Close, &d.Attach} {
		if *f == nil {
			*f = blankForm()
			(*f).Values["on"] = d.Today.String()
		}
	}
	if d.Attach.Get("step") == "" && d.Next.N != 0 {
		d.Attach.Values["step"] = strconv.Itoa(d.Next.N)
	}
	if d.CanNext && (d.Has(string(domain.FieldMentors)) || d.Has(string(domain.FieldIntroducer))) {
		if d.Candidates, err = h.svc.DevCandidates(ctx, a, d.DevCase); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	for _, g := range d.OpinionGates {
		st, _ := domain.DevStepOf(g)
		d.Gates = append(d.Gates, st)
	}
	d.Outcomes = domain.DevOutcomes()
	h.renderAt(w, r, devURL(d.ID), status, "development_case", "web.development.case_title", d)
}

// devAction runs one form of the case page and shows the page again with
// the form's errors, or redirects to it.
func (h *Handler) devAction(w http.ResponseWriter, r *http.Request, fields []string, slot func(*devCaseData, *Form), flash string,
	do func(id domain.DevCaseID, f *Form, p *formReader) error) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm(r, fields...)
	p := &formReader{f: f}
	if err := do(domain.DevCaseID(id), f, p); err != nil {
		h.actionFailed(w, r, err, f, fields, func(status int, msg string) {
			d := devCaseData{Error: msg}
			slot(&d, f)
			h.showDevCase(w, r, status, d)
		})
		return
	}
	h.flash(w, flash)
	redirect(w, r, devURL(domain.DevCaseID(id)))
}

var devStepFields = []string{"step", "on", "note", "doc_no", "person_1", "person_2", "not_disciplined", "days", "hours",
	"notice_from", "notice_to", "leaving", "entitled", "present", "yes", "outcome", "months", "reason", "version"}

func (h *Handler) devStep(w http.ResponseWriter, r *http.Request) {
	h.devAction(w, r, devStepFields, func(d *devCaseData, f *Form) { d.Step = f }, "web.development.flash.step",
		func(id domain.DevCaseID, f *Form, p *formReader) error {
			step, _ := strconv.Atoi(f.Get("step"))
			in := domain.StepInput{Step: step, On: p.date("on"), Note: f.Get("note"), DocNo: f.Get("doc_no"), Days: p.count("days"),
				Hours: p.count("hours"), NoticeFrom: p.date("notice_from"), NoticeTo: p.date("notice_to"), Leaving: f.Get("leaving") != "",
				Entitled: p.count("entitled"), Present: p.count("present"), Yes: p.count("yes"), Outcome: f.Get("outcome"),
				Months: p.count("months"), Reason: f.Get("reason")}
			for _, k := range []string{"person_1", "person_2"} {
				if n, _ := strconv.ParseInt(f.Get(k), 10, 64); n > 0 {
					in.People = append(in.People, domain.DevPerson{PersonID: domain.PersonID(n), NotDisciplined: f.Get("not_disciplined") != ""})
				}
			}
			version := p.version("version")
			if p.err != nil {
				return p.err
			}
			return h.svc.RecordStep(r.Context(), h.principal(r).Actor, id, in, version)
		})
}

func (h *Handler) devOpinion(w http.ResponseWriter, r *http.Request) {
	h.devAction(w, r, []string{"gate", "on", "text"}, func(d *devCaseData, f *Form) { d.Opinion = f }, "web.development.flash.opinion",
		func(id domain.DevCaseID, f *Form, p *formReader) error {
			gate, _ := strconv.Atoi(f.Get("gate"))
			in := service.OpinionGiven{Gate: gate, On: p.date("on"), Text: f.Get("text")}
			if p.err != nil {
				return p.err
			}
			return h.svc.GiveDevOpinion(r.Context(), h.principal(r).Actor, id, in)
		})
}

func (h *Handler) devAssess(w http.ResponseWriter, r *http.Request) {
	h.devAction(w, r, []string{"on", "text"}, func(d *devCaseData, f *Form) { d.Assess = f }, "web.development.flash.assessed",
		func(id domain.DevCaseID, f *Form, p *formReader) error {
			in := service.AssessInput{On: p.date("on"), Text: f.Get("text")}
			if p.err != nil {
				return p.err
			}
			return h.svc.AssessDev(r.Context(), h.principal(r).Actor, id, in)
		})
}

func (h *Handler) devClose(w http.ResponseWriter, r *http.Request) {
	h.devAction(w, r, []string{"reason"}, func(d *devCaseData, f *Form) { d.Close = f }, "web.development.flash.closed",
		func(id domain.DevCaseID, f *Form, _ *formReader) error {
			return h.svc.CloseDevCase(r.Context(), h.principal(r).Actor, id, f.Get("reason"))
		})
}

func (h *Handler) devAttach(w http.ResponseWriter, r *http.Request) {
	parseErr := r.ParseMultipartForm(maxUploadMemory)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	h.devAction(w, r, []string{"step"}, func(d *devCaseData, f *Form) { d.Attach = f }, "web.development.flash.attached",
		func(id domain.DevCaseID, f *Form, _ *formReader) error {
			var tooBig *http.MaxBytesError
			if errors.As(parseErr, &tooBig) {
				return domain.Invalid("file", "meeting.file_too_big", map[string]any{"MB": (h.svc.MeetingFileLimit() + 1<<20 - 1) >> 20})
			}
			file, hdr, err := r.FormFile("file")
			if err != nil {
				return domain.Invalid("file", "web.meeting.file_required", nil)
			}
			defer file.Close()
			step, _ := strconv.Atoi(f.Get("step"))
			_, err = h.svc.AttachDevFile(r.Context(), h.principal(r).Actor, id, step, hdr.Filename, file)
			return err
		})
}

// devFile sends a case's document under the name it was uploaded with.
func (h *Handler) devFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var fid int64
		if fid, err = pathID(r, "file"); err == nil {
			var f domain.DevFile
			var data []byte
			if f, data, err = h.svc.DevFile(r.Context(), h.principal(r).Actor, domain.DevCaseID(id), fid); err == nil {
				w.Header().Set("Content-Type", f.ContentType)
				w.Header().Set("Content-Length", strconv.Itoa(len(data)))
				w.Header().Set("Content-Disposition", attachment("development-file-"+strconv.FormatInt(fid, 10)+
					strings.ToLower(filepath.Ext(f.Name)), f.Name))
				w.Write(data)
				return
			}
		}
	}
	h.fail(w, r, err)
}

// --- deadlines, report, rules

type devDeadlinesData struct {
	Lists []devDeadlineList
}

type devDeadlineList struct {
	Kind string
	Rows []service.DevDeadline
}

func (h *Handler) devDeadlines(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !devNav(service.DevelopmentSides(a)) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	var d devDeadlinesData
	for _, k := range service.DevDeadlineKinds {
		rows, err := h.svc.DevDeadlines(ctx, a, k)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Lists = append(d.Lists, devDeadlineList{Kind: k, Rows: rows})
	}
	h.render(w, r, http.StatusOK, "development_deadlines", "web.development.deadlines_title", d)
}

type devReportData struct {
	Form      *Form
	Report    service.DevReport
	Stages    []domain.DevStage
	Orgs      []domain.Org
	ExportURL string
	Error     string
}

// Stage reads one stage's figure of an array indexed by stage.
func (devReportData) Stage(a [6]int, s domain.DevStage) int { return a[s] }

// devReportQuery reads the report's filter.
func devReportQuery(q url.Values) (*Form, *formReader, domain.OrgID) {
	f := blankForm()
	for _, k := range []string{"from", "to", "org"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	org, _ := strconv.ParseInt(f.Get("org"), 10, 64)
	return f, &formReader{f: f}, domain.OrgID(org)
}

func (h *Handler) devReport(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !devNav(service.DevelopmentSides(a)) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	f, p, org := devReportQuery(r.URL.Query())
	from, to := p.date("from"), p.date("to")
	d := devReportData{Form: f, Stages: domain.DevStages()}
	err := p.err
	if err == nil {
		d.Report, err = h.svc.DevelopmentReport(ctx, a, from, to, org)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(h.visit(r).L, err, "from", "to")
		d.Report, _ = h.svc.DevelopmentReport(ctx, a, domain.Date{}, domain.Date{}, 0)
	}
	f.Values["from"], f.Values["to"] = d.Report.From.String(), d.Report.To.String()
	if d.Orgs, err = h.svc.MobileOrgs(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	d.ExportURL = "/development/report.xlsx?" + url.Values{"from": {f.Get("from")}, "to": {f.Get("to")}, "org": {f.Get("org")}}.Encode()
	h.render(w, r, http.StatusOK, "development_report", "web.development.report_title", d)
}

func (h *Handler) devReportXLSX(w http.ResponseWriter, r *http.Request) {
	ctx, l, a := r.Context(), h.visit(r).L, h.principal(r).Actor
	_, p, org := devReportQuery(r.URL.Query())
	from, to := p.date("from"), p.date("to")
	if p.err != nil {
		h.fail(w, r, p.err)
		return
	}
	rep, err := h.svc.ExportDevelopmentReport(ctx, a, from, to, org)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.development.org")}
	for _, st := range domain.DevStages() {
		header = append(header, l.T("development.stage."+strconv.Itoa(int(st))))
	}
	header = append(header, l.T("web.development.developed_in", "From", rep.From.String(), "To", rep.To.String()))
	rows := make([][]string, 0, len(rep.ByOrg)+1)
	line := func(name string, by [6]int, developed int) []string {
		out := []string{name}
		for _, st := range domain.DevStages() {
			out = append(out, strconv.Itoa(by[st]))
		}
		return append(out, strconv.Itoa(developed))
	}
	for _, o := range rep.ByOrg {
		rows = append(rows, line(o.OrgName, o.ByStage, o.Developed))
	}
	rows = append(rows, line(l.T("web.development.total"), rep.ByStage, rep.Developed))
	days := []string{l.T("web.development.stage_days")}
	for _, st := range domain.DevStages() {
		days = append(days, strconv.Itoa(rep.StageDays[st]))
	}
	rows = append(rows, append(days, ""))
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.development.export_sheet"), "development-"+stamp+".xlsx",
		l.T("web.development.export_filename", "Stamp", stamp)+".xlsx", header, rows)
}

type devRulesData struct {
	Form    *Form
	CanEdit bool
}

var devRulesFields = []string{"notice_days", "review_months", "leaving_months", "annual_quota", "host_probation"}

func (h *Handler) devRules(w http.ResponseWriter, r *http.Request) {
	rules, err := h.svc.DevRules(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := blankForm()
	f.Values["notice_days"], f.Values["review_months"] = strconv.Itoa(rules.NoticeDays), strconv.Itoa(rules.ReviewMonths)
	f.Values["leaving_months"], f.Values["annual_quota"] = strconv.Itoa(rules.LeavingMonths), strconv.Itoa(rules.AnnualQuota)
	if rules.HostProbation {
		f.Values["host_probation"] = "on"
	}
	h.showDevRules(w, r, http.StatusOK, f)
}

func (h *Handler) showDevRules(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	a := h.principal(r).Actor
	if !devNav(service.DevelopmentSides(a)) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	can, err := h.svc.CanSetDevRules(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAt(w, r, "/development/rules", status, "development_rules", "web.development.rules_title", devRulesData{Form: f, CanEdit: can})
}

func (h *Handler) saveDevRules(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, devRulesFields...)
	p := &formReader{f: f}
	rules := domain.DevRules{NoticeDays: p.count("notice_days"), ReviewMonths: p.count("review_months"),
		LeavingMonths: p.count("leaving_months"), AnnualQuota: p.count("annual_quota"), HostProbation: f.Get("host_probation") != ""}
	err := p.err
	if err == nil {
		err = h.svc.SetDevRules(r.Context(), h.principal(r).Actor, rules)
	}
	if err != nil {
		h.actionFailed(w, r, err, f, devRulesFields, func(status int, _ string) { h.showDevRules(w, r, status, f) })
		return
	}
	h.flash(w, "web.development.flash.rules")
	redirect(w, r, "/development/rules")
}
