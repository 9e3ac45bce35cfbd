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

// Performance feedback pages: the lists (what this side still owes for a
// quarter, what waits for the home side's answer, everything the account
// may see), the form that writes or revises one, and one feedback with
// its history and the home side's answer forms. The service decides who
// may do what; the pages only choose which links and forms to show.

// registerConduct adds the feedback and evaluation routes.
func (h *Handler) registerConduct(mux *http.ServeMux) {
	mux.HandleFunc("GET /feedback", h.feedbackList)
	mux.HandleFunc("GET /feedback/export.xlsx", h.feedbackExport)
	mux.HandleFunc("GET /feedback/new", h.feedbackNew)
	mux.HandleFunc("POST /feedback", h.writeFeedback)
	mux.HandleFunc("GET /feedback/{id}", h.feedbackPage)
	mux.HandleFunc("POST /feedback/{id}/acknowledge", h.acknowledgeFeedback)
	mux.HandleFunc("POST /feedback/{id}/return", h.returnFeedback)
	mux.HandleFunc("POST /feedback/{id}/revise", h.reviseFeedback)

	mux.HandleFunc("GET /evaluations", h.evaluations)
	mux.HandleFunc("GET /evaluations/distribution.xlsx", h.distributionExport)
	mux.HandleFunc("POST /evaluations/policy", h.setEvaluationPolicy)
	mux.HandleFunc("GET /evaluations/list", h.evaluationList)
	mux.HandleFunc("GET /evaluations/export.xlsx", h.evaluationExport)
	mux.HandleFunc("GET /evaluations/new", h.evaluationNew)
	mux.HandleFunc("POST /evaluations", h.proposeEvaluation)
	mux.HandleFunc("GET /evaluations/{id}", h.evaluationPage)
	mux.HandleFunc("POST /evaluations/{id}/opinion", h.hostOpinion)
	mux.HandleFunc("POST /evaluations/{id}/confirm", h.confirmEvaluation)
	mux.HandleFunc("POST /followups/{id}/close", h.closeFollowUp)
}

func feedbackURL(id domain.FeedbackID) string { return "/feedback/" + strconv.FormatInt(int64(id), 10) }

// recentQuarters are the keys of the n quarters up to today's, newest
// first: the choices of the filters and the form.
func recentQuarters(today domain.Date, n int) []string {
	out := make([]string, 0, n)
	s := domain.SpanOf(domain.Quarterly, today)
	for range n {
		out = append(out, s.Key)
		s = domain.SpanOf(domain.Quarterly, s.First.AddDays(-1))
	}
	return out
}

// listTab is one of a list's tabs.
type listTab struct {
	Key, URL string
	Current  bool
}

type feedbackListData struct {
	Tab       string // due, waiting, all
	Tabs      []listTab
	Quarter   string
	Quarters  []string
	State     string
	States    []domain.FeedbackState
	Due       []dueRow
	Rows      []domain.Feedback
	NextURL   string
	ExportURL string
	Error     string
}

// dueRow is a member owed something, with the person's display helpers.
type dueRow struct {
	personRow
	WriterOrg string
}

func dueRows(ms []service.DueMember) []dueRow {
	out := make([]dueRow, len(ms))
	for i, m := range ms {
		out[i] = dueRow{personRow{m.Person}, m.WriterOrg}
	}
	return out
}

// StateBadge is the badge class of a feedback state.
func (feedbackListData) StateBadge(s domain.FeedbackState) string { return feedbackBadge(s) }

func feedbackBadge(s domain.FeedbackState) string {
	switch s {
	case domain.FeedbackAcknowledged:
		return "badge-ok"
	case domain.FeedbackReturned:
		return "badge-warn"
	}
	return "badge-accent"
}

// feedbackTabs are the tabs the actor has: "due" where it writes, "waiting"
// where it answers, "all" for everyone who reads feedback.
func feedbackTabs(a *authz.Actor, current, quarter string) []listTab {
	var keys []string
	sides := service.ConductSides(a)
	if sides.Writes {
		keys = append(keys, "due")
	}
	if sides.Answers {
		keys = append(keys, "waiting")
	}
	return tabsFor("/feedback", append(keys, "all"), current, url.Values{"quarter": {quarter}})
}

// tabsFor builds a list's tabs, each keeping the query in keep.
func tabsFor(base string, keys []string, current string, keep url.Values) []listTab {
	out := make([]listTab, len(keys))
	for i, k := range keys {
		v := url.Values{"tab": {k}}
		for name, vals := range keep {
			v[name] = vals
		}
		out[i] = listTab{Key: k, URL: base + "?" + v.Encode(), Current: k == current}
	}
	return out
}

// chooseTab keeps the asked tab when offered, else takes the first.
func chooseTab(tabs []listTab, key string) string {
	for _, t := range tabs {
		if t.Key == key {
			return key
		}
	}
	return tabs[0].Key
}

func (h *Handler) feedbackList(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.FeedbackWrite) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	q := r.URL.Query()
	d := feedbackListData{Tab: q.Get("tab"), Quarter: strings.TrimSpace(q.Get("quarter")), State: q.Get("state"),
		Quarters: recentQuarters(h.svc.Today(), 8), States: domain.FeedbackStates()}
	if d.Quarter == "" && d.Tab != "all" {
		d.Quarter = h.svc.CurrentQuarter()
	}
	d.Tab = chooseTab(feedbackTabs(a, "", d.Quarter), d.Tab)
	d.Tabs = feedbackTabs(a, d.Tab, d.Quarter)
	d.ExportURL = "/feedback/export.xlsx?" + url.Values{"list": {d.Tab}, "quarter": {d.Quarter}, "state": {d.State}}.Encode()
	if err := h.fillFeedbackList(r, a, &d); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		d.Error = h.visit(r).L.Err(err)
	}
	h.render(w, r, http.StatusOK, "feedback_list", "web.feedback.title", d)
}

// fillFeedbackList reads the tab's page.
func (h *Handler) fillFeedbackList(r *http.Request, a *authz.Actor, d *feedbackListData) error {
	ctx, q := r.Context(), r.URL.Query()
	next := url.Values{"tab": {d.Tab}, "quarter": {d.Quarter}, "state": {d.State}}
	if d.Tab == "due" {
		page, err := h.svc.FeedbackDue(ctx, a, d.Quarter, decodeCursor(q.Get("after")), 0)
		d.Due = dueRows(page.Members)
		if page.Next != "" {
			next.Set("after", encodeCursor(page.Next))
			d.NextURL = "/feedback?" + next.Encode()
		}
		return err
	}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	f := service.FeedbackSearch{Quarter: d.Quarter, State: domain.FeedbackState(d.State), Before: domain.FeedbackID(before)}
	var page service.FeedbackPage
	var err error
	if d.Tab == "waiting" {
		page, err = h.svc.FeedbackWaiting(ctx, a, f)
	} else {
		page, err = h.svc.ListFeedback(ctx, a, f)
	}
	d.Rows = page.Feedback
	if page.Next != 0 {
		next.Set("before", strconv.FormatInt(int64(page.Next), 10))
		d.NextURL = "/feedback?" + next.Encode()
	}
	return err
}

// feedbackFormData is the form that writes a feedback.
type feedbackFormData struct {
	Person         personRow
	Form           *Form
	Quarters       []string
	Participations []domain.Participation
	Conducts       []domain.Conduct
}

var feedbackFields = []string{"person", "quarter", "participation", "conduct", "remarks", "version"}

func (h *Handler) feedbackNew(w http.ResponseWriter, r *http.Request) {
	f := blankForm()
	q := r.URL.Query()
	f.Values["person"], f.Values["quarter"] = q.Get("person"), q.Get("quarter")
	if f.Values["quarter"] == "" {
		f.Values["quarter"] = h.svc.CurrentQuarter()
	}
	h.showFeedbackForm(w, r, http.StatusOK, f)
}

// showFeedbackForm renders the form for the person it names.
func (h *Handler) showFeedbackForm(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx, a := r.Context(), h.principal(r).Actor
	id, _ := strconv.ParseInt(f.Get("person"), 10, 64)
	p, err := h.svc.Person(ctx, a, domain.PersonID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := feedbackFormData{Person: personRow{p}, Form: f, Quarters: recentQuarters(h.svc.Today(), 4),
		Participations: domain.Participations(), Conducts: domain.Conducts()}
	at := "/feedback/new?" + url.Values{"person": {f.Get("person")}, "quarter": {f.Get("quarter")}}.Encode()
	h.renderAt(w, r, at, status, "feedback_form", "web.feedback.new_title", d)
}

// writeFeedback sends a new feedback and shows it.
func (h *Handler) writeFeedback(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, feedbackFields...)
	person, _ := strconv.ParseInt(f.Get("person"), 10, 64)
	id, err := h.svc.WriteFeedback(r.Context(), h.principal(r).Actor, service.FeedbackInput{Person: domain.PersonID(person),
		Quarter: f.Get("quarter"), Participation: domain.Participation(f.Get("participation")),
		Conduct: domain.Conduct(f.Get("conduct")), Remarks: f.Get("remarks")})
	if err != nil {
		if !formError(err) && domain.CodeOf(err) != domain.CodeForbidden {
			h.fail(w, r, err)
			return
		}
		f.Fail(h.visit(r).L, err, feedbackFields...)
		h.showFeedbackForm(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "web.feedback.flash.sent")
	redirect(w, r, feedbackURL(id))
}

// feedbackPageData is one feedback with the answer and revise forms.
type feedbackPageData struct {
	service.FeedbackView
	Answer         *Form  // the answer form (comment), with its error when one came back
	Revise         *Form  // the revise form, filled with the values sent
	Error          string // a refusal of the whole action
	Participations []domain.Participation
	Conducts       []domain.Conduct
}

// Badge is the state's badge class.
func (d feedbackPageData) Badge() string { return feedbackBadge(d.State) }

func (h *Handler) feedbackPage(w http.ResponseWriter, r *http.Request) {
	h.showFeedback(w, r, http.StatusOK, feedbackPageData{Answer: blankForm()})
}

func (h *Handler) showFeedback(w http.ResponseWriter, r *http.Request, status int, d feedbackPageData) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if d.FeedbackView, err = h.svc.Feedback(r.Context(), h.principal(r).Actor, domain.FeedbackID(id)); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Revise == nil {
		d.Revise = &Form{Values: map[string]string{"participation": string(d.Participation), "conduct": string(d.Conduct),
			"remarks": d.Remarks, "version": strconv.FormatInt(d.Version, 10)}, Errors: map[string]string{}}
	}
	if d.Answer == nil {
		d.Answer = blankForm()
	}
	d.Participations, d.Conducts = domain.Participations(), domain.Conducts()
	h.renderAt(w, r, feedbackURL(d.ID), status, "feedback", "web.feedback.one_title", d)
}

func (h *Handler) acknowledgeFeedback(w http.ResponseWriter, r *http.Request) {
	h.answerFeedback(w, r, "web.feedback.flash.acknowledged", h.svc.AcknowledgeFeedback)
}

func (h *Handler) returnFeedback(w http.ResponseWriter, r *http.Request) {
	h.answerFeedback(w, r, "web.feedback.flash.returned", h.svc.ReturnFeedback)
}

// answerFeedback runs the home side's answer; a refusal comes back on the
// page with its message.
func (h *Handler) answerFeedback(w http.ResponseWriter, r *http.Request, flash string,
	do func(ctx context.Context, a *authz.Actor, id domain.FeedbackID, comment string) error) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm(r, "comment")
	if err := do(r.Context(), h.principal(r).Actor, domain.FeedbackID(id), f.Get("comment")); err != nil {
		h.actionFailed(w, r, err, f, []string{"comment"}, func(status int, msg string) {
			h.showFeedback(w, r, status, feedbackPageData{Answer: f, Error: msg})
		})
		return
	}
	h.flash(w, flash)
	redirect(w, r, feedbackURL(domain.FeedbackID(id)))
}

// actionFailed shows a form's error on its page (the form's own fields
// beside them, a refusal above), or the error page for anything else.
func (h *Handler) actionFailed(w http.ResponseWriter, r *http.Request, err error, f *Form, fields []string, show func(status int, msg string)) {
	code := domain.CodeOf(err)
	if !formError(err) && code != domain.CodeForbidden {
		h.fail(w, r, err)
		return
	}
	f.Fail(h.visit(r).L, err, fields...)
	show(StatusOf(code), f.Error)
}

// reviseFeedback sends a returned feedback again with new values.
func (h *Handler) reviseFeedback(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fields := []string{"participation", "conduct", "remarks", "version"}
	f := newForm(r, fields...)
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	err = h.svc.ReviseFeedback(r.Context(), h.principal(r).Actor, domain.FeedbackID(id), service.FeedbackInput{
		Participation: domain.Participation(f.Get("participation")), Conduct: domain.Conduct(f.Get("conduct")),
		Remarks: f.Get("remarks"), Version: version})
	if err != nil {
		h.actionFailed(w, r, err, f, fields, func(status int, msg string) {
			h.showFeedback(w, r, status, feedbackPageData{Revise: f, Error: msg})
		})
		return
	}
	h.flash(w, "web.feedback.flash.sent")
	redirect(w, r, feedbackURL(domain.FeedbackID(id)))
}

// scalesView is what the feedback_scales partial needs: the form and the
// two scales, in the page's language.
type scalesView struct {
	L              Localizer
	F              *Form
	Participations []domain.Participation
	Conducts       []domain.Conduct
}

// Scales is the partial's view of the new-feedback form.
func (d feedbackFormData) Scales(l Localizer) scalesView {
	return scalesView{L: l, F: d.Form, Participations: d.Participations, Conducts: d.Conducts}
}

// Scales is the partial's view of the revise form.
func (d feedbackPageData) Scales(l Localizer) scalesView {
	return scalesView{L: l, F: d.Revise, Participations: d.Participations, Conducts: d.Conducts}
}
