package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
)

// The xlsx exports of the feedback and evaluation lists. People appear by
// name and masked ID number only; the service audits each export.

func (h *Handler) feedbackExport(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	l, q := v.L, r.URL.Query()
	list := service.FeedbackList(q.Get("list"))
	f := service.FeedbackSearch{Quarter: q.Get("quarter"), State: domain.FeedbackState(q.Get("state"))}
	due, rows, err := h.svc.ExportFeedback(r.Context(), v.Principal.Actor, list, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var header []string
	var cells [][]string
	if list == service.ListDue {
		header = []string{l.T("web.conduct.name"), l.T("web.conduct.id_number"), l.T("web.conduct.org"), l.T("web.feedback.writer"),
			l.T("web.feedback.quarter")}
		for _, m := range due.Members {
			cells = append(cells, []string{m.Person.Name, string(m.Person.IDNumber), mobileName(m.Person), m.WriterOrg, due.Period})
		}
	} else {
		header, cells = feedbackTable(l, rows)
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.feedback.title"), "feedback-"+string(list)+"-"+stamp+".xlsx",
		l.T("web.feedback.export_filename", "List", l.T("web.feedback.tab."+string(list)), "Stamp", stamp)+".xlsx", header, cells)
}

func mobileName(p domain.Person) string {
	if p.Membership == nil {
		return ""
	}
	if p.Membership.MobileOrgName != "" {
		return p.Membership.MobileOrgName
	}
	return p.Membership.HomeOrgName
}

func feedbackTable(l *i18n.Localizer, rows []domain.Feedback) ([]string, [][]string) {
	header := []string{l.T("web.feedback.quarter"), l.T("web.conduct.name"), l.T("web.conduct.id_number"), l.T("web.feedback.writer"),
		l.T("web.feedback.side"), l.T("web.conduct.home_org"), l.T("web.conduct.mobile_org"), l.T("web.feedback.participation"),
		l.T("web.feedback.conduct"), l.T("web.feedback.remarks"), l.T("web.feedback.state"), l.T("web.feedback.author"),
		l.T("web.feedback.sent_at"), l.T("web.feedback.answered_by"), l.T("web.feedback.comment")}
	cells := make([][]string, 0, len(rows))
	for _, f := range rows {
		cells = append(cells, []string{f.Quarter, f.PersonName, string(f.IDNumber), f.WriterOrgName, l.T("org.side." + string(f.WriterSide)),
			f.HomeOrgName, f.MobileOrgName, l.T("feedback.participation." + string(f.Participation)),
			l.T("feedback.conduct." + string(f.Conduct)), f.Remarks, l.T("feedback.state." + string(f.State)), f.AuthorName,
			f.SentAt.In(shanghai).Format("2006-01-02 15:04"), f.AnsweredBy, f.Comment})
	}
	return header, cells
}

func (h *Handler) distributionExport(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	l := v.L
	d, err := h.svc.ExportDistribution(r.Context(), v.Principal.Actor, queryYear(r.URL.Query()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.conduct.org")}
	for _, rt := range domain.Ratings() {
		header = append(header, l.T("evaluation.rating."+string(rt)))
	}
	header = append(header, l.T("web.evaluation.pending"), l.T("web.evaluation.total"), l.T("web.evaluation.share"))
	row := func(name string, c domain.RatingCounts) []string {
		out := []string{name}
		for _, rt := range domain.Ratings() {
			out = append(out, strconv.Itoa(c.Count(rt)))
		}
		return append(out, strconv.Itoa(c.Pending), strconv.Itoa(c.Total()), strconv.Itoa(excellentShare(c))+"%")
	}
	cells := make([][]string, 0, len(d.Rows)+1)
	for _, c := range d.Rows {
		cells = append(cells, row(c.OrgName, c))
	}
	cells = append(cells, row(l.T("web.evaluation.all_orgs"), d.Total))
	year := strconv.Itoa(d.Year)
	h.sendXLSX(w, r, l.T("web.evaluation.title"), "evaluation-distribution-"+year+".xlsx",
		l.T("web.evaluation.distribution_filename", "Year", year)+".xlsx", header, cells)
}

func (h *Handler) evaluationExport(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	l, q := v.L, r.URL.Query()
	list := service.EvaluationList(q.Get("list"))
	x, err := h.svc.ExportEvaluations(r.Context(), v.Principal.Actor, list, service.EvaluationSearch{Year: queryYear(q)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var header []string
	var cells [][]string
	switch list {
	case service.EvalDue:
		header = []string{l.T("web.conduct.name"), l.T("web.conduct.id_number"), l.T("web.conduct.org"), l.T("web.evaluation.year")}
		for _, m := range x.Due.Members {
			cells = append(cells, []string{m.Person.Name, string(m.Person.IDNumber), m.WriterOrg, x.Due.Period})
		}
	case service.EvalFollowUps:
		header, cells = followUpTable(l, x.FollowUps, h.svc.Today())
	default:
		header, cells = evaluationTable(l, x.Evaluations)
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.evaluation.list_title"), "evaluations-"+string(list)+"-"+stamp+".xlsx",
		l.T("web.evaluation.export_filename", "List", l.T("web.evaluation.tab."+string(list)), "Stamp", stamp)+".xlsx", header, cells)
}

// ratingText is a rating's name, or nothing.
func ratingText(l *i18n.Localizer, r domain.Rating) string {
	if r == "" {
		return ""
	}
	return l.T("evaluation.rating." + string(r))
}

func evaluationTable(l *i18n.Localizer, rows []domain.Evaluation) ([]string, [][]string) {
	header := []string{l.T("web.evaluation.year"), l.T("web.conduct.name"), l.T("web.conduct.id_number"), l.T("web.conduct.org"),
		l.T("web.conduct.home_org"), l.T("web.evaluation.proposed"), l.T("web.evaluation.host_opinion"), l.T("web.evaluation.rating"),
		l.T("web.evaluation.state"), l.T("web.evaluation.reason"), l.T("web.evaluation.followup")}
	cells := make([][]string, 0, len(rows))
	for _, e := range rows {
		fu := ""
		if e.FollowUpID != 0 {
			fu = l.T("followup.kind." + string(e.FollowUpKind))
		}
		cells = append(cells, []string{strconv.Itoa(e.Year), e.PersonName, string(e.IDNumber), e.OrgName, e.HomeOrgName,
			ratingText(l, e.Proposed), ratingText(l, e.HostRating), ratingText(l, e.Rating), l.T("evaluation.state." + string(e.State)),
			e.ChangeReason, fu})
	}
	return header, cells
}

func followUpTable(l *i18n.Localizer, rows []domain.FollowUp, today domain.Date) ([]string, [][]string) {
	header := []string{l.T("web.evaluation.year"), l.T("web.conduct.name"), l.T("web.conduct.id_number"), l.T("web.conduct.home_org"),
		l.T("web.conduct.org"), l.T("web.followup.kind"), l.T("web.followup.due"), l.T("web.followup.state"), l.T("web.followup.outcome"),
		l.T("web.followup.note")}
	cells := make([][]string, 0, len(rows))
	for _, f := range rows {
		state, outcome := l.T("web.followup.open"), ""
		switch {
		case !f.Open:
			state, outcome = l.T("web.followup.closed"), l.T("followup.outcome."+string(f.Outcome))
		case f.Overdue(today):
			state = l.T("web.followup.overdue")
		}
		cells = append(cells, []string{strconv.Itoa(f.Year), f.PersonName, string(f.IDNumber), f.HomeOrgName, f.OrgName,
			l.T("followup.kind." + string(f.Kind)), f.DueOn.String(), state, outcome, f.OutcomeNote})
	}
	return header, cells
}
