package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Democratic evaluation pages: the distribution of ratings per
// organization and for the county (with the evaluation setting for the
// county), the lists (members still to propose, proposals to confirm,
// every evaluation, the follow-up tasks), the proposal form, and one
// evaluation with the host opinion, confirmation and follow-up forms.

func evaluationURL(id domain.EvaluationID) string {
	return "/evaluations/" + strconv.FormatInt(int64(id), 10)
}

// recentYears are the n years up to today's, newest first.
func recentYears(today domain.Date, n int) []int {
	y := today.Time().Year()
	out := make([]int, n)
	for i := range out {
		out[i] = y - i
	}
	return out
}

// queryYear reads ?year=, zero (the current year) when absent or garbled;
// the service refuses a year out of range.
func queryYear(q url.Values) int {
	y, _ := strconv.Atoi(strings.TrimSpace(q.Get("year")))
	return y
}

type evaluationsData struct {
	service.Distribution
	Years      []int
	Ratings    []domain.Rating
	CanPolicy  bool
	Policy     *Form
	ExportURL  string
	Error      string
	ListURL    string
	ConfirmURL string
}

// Share is a row's confirmed excellent ratings among its members rated
// (confirmed or not), in percent: the figure the rule bounds.
func (d evaluationsData) Share(c domain.RatingCounts) int { return excellentShare(c) }

func excellentShare(c domain.RatingCounts) int {
	if c.Total() == 0 {
		return 0
	}
	return c.Count(domain.RatingExcellent) * 100 / c.Total()
}

// Over reports whether a row's confirmed excellent ratings exceed the
// allowed share of its rated members.
func (d evaluationsData) Over(c domain.RatingCounts) bool {
	return c.Count(domain.RatingExcellent)*d.Den > c.Total()*d.Num
}

func (h *Handler) evaluations(w http.ResponseWriter, r *http.Request) {
	h.showEvaluations(w, r, http.StatusOK, nil)
}

func (h *Handler) showEvaluations(w http.ResponseWriter, r *http.Request, status int, policy *Form) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !canSomewhere(a, authz.FeedbackWrite) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	d := evaluationsData{Years: recentYears(h.svc.Today(), 5), Ratings: domain.Ratings(), Policy: policy}
	var err error
	if d.Distribution, err = h.svc.EvaluationDistribution(ctx, a, queryYear(r.URL.Query())); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		d.Error = h.visit(r).L.Err(err)
		d.Distribution, _ = h.svc.EvaluationDistribution(ctx, a, 0)
	}
	if d.CanPolicy, err = h.svc.CanSetEvaluationPolicy(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Policy == nil {
		pol, err := h.svc.EvaluationPolicy(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Policy = &Form{Values: map[string]string{"excellent_num": strconv.Itoa(pol.ExcellentNum),
			"excellent_den": strconv.Itoa(pol.ExcellentDen)}, Errors: map[string]string{}}
		if pol.RateProbationary {
			d.Policy.Values["rate_probationary"] = "on"
		}
	}
	year := url.Values{"year": {strconv.Itoa(d.Year)}}
	d.ExportURL = "/evaluations/distribution.xlsx?" + year.Encode()
	d.ListURL = "/evaluations/list?" + year.Encode()
	h.renderAt(w, r, "/evaluations?"+year.Encode(), status, "evaluations", "web.evaluation.title", d)
}

// setEvaluationPolicy stores the county's evaluation setting.
func (h *Handler) setEvaluationPolicy(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, "rate_probationary", "excellent_num", "excellent_den")
	p := &formReader{f: f}
	pol := domain.EvaluationPolicy{RateProbationary: f.Get("rate_probationary") != "", ExcellentNum: p.count("excellent_num"),
		ExcellentDen: p.count("excellent_den")}
	err := p.err
	if err == nil {
		err = h.svc.SetEvaluationPolicy(r.Context(), h.principal(r).Actor, pol)
	}
	if err != nil {
		h.actionFailed(w, r, err, f, []string{"excellent_num", "excellent_den"}, func(status int, _ string) {
			if f.Error == "" && len(f.Errors) > 0 {
				f.Error = h.visit(r).L.T("web.evaluation.policy_failed")
			}
			h.showEvaluations(w, r, status, f)
		})
		return
	}
	h.flash(w, "web.evaluation.flash.policy")
	redirect(w, r, "/evaluations")
}

type evaluationListData struct {
	Tab       string // due, confirm, all, followups
	Tabs      []listTab
	Year      int
	Years     []int
	Due       []dueRow
	Rows      []domain.Evaluation
	FollowUps []domain.FollowUp
	Today     domain.Date
	NextURL   string
	ExportURL string
	Error     string
}

// Badge is an evaluation state's badge class.
func (evaluationListData) Badge(e domain.Evaluation) string { return evaluationBadge(e) }

func evaluationBadge(e domain.Evaluation) string {
	switch {
	case e.State == domain.EvaluationProposed:
		return "badge-accent"
	case e.Rating == domain.RatingUnqualified:
		return "badge-danger"
	case e.Rating == domain.RatingBasic:
		return "badge-warn"
	}
	return "badge-ok"
}

// evaluationTabs are the tabs the actor has.
func evaluationTabs(a *authz.Actor, current string, year int) []listTab {
	var keys []string
	sides := service.ConductSides(a)
	if sides.Proposes {
		keys = append(keys, "due")
	}
	if sides.Answers {
		keys = append(keys, "confirm")
	}
	return tabsFor("/evaluations/list", append(keys, "all", "followups"), current, url.Values{"year": {strconv.Itoa(year)}})
}

func (h *Handler) evaluationList(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.FeedbackWrite) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	q := r.URL.Query()
	d := evaluationListData{Year: queryYear(q), Years: recentYears(h.svc.Today(), 5), Today: h.svc.Today()}
	if d.Year == 0 {
		d.Year = d.Years[0]
	}
	d.Tab = chooseTab(evaluationTabs(a, "", d.Year), q.Get("tab"))
	d.Tabs = evaluationTabs(a, d.Tab, d.Year)
	d.ExportURL = "/evaluations/export.xlsx?" + url.Values{"list": {d.Tab}, "year": {strconv.Itoa(d.Year)}}.Encode()
	if err := h.fillEvaluationList(r, a, &d); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		d.Error = h.visit(r).L.Err(err)
	}
	h.render(w, r, http.StatusOK, "evaluation_list", "web.evaluation.list_title", d)
}

// fillEvaluationList reads the tab's page.
func (h *Handler) fillEvaluationList(r *http.Request, a *authz.Actor, d *evaluationListData) error {
	ctx, q := r.Context(), r.URL.Query()
	next := url.Values{"tab": {d.Tab}, "year": {strconv.Itoa(d.Year)}}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	var cursor int64
	var err error
	switch d.Tab {
	case "due":
		var page service.DuePage
		page, err = h.svc.EvaluationsDue(ctx, a, d.Year, decodeCursor(q.Get("after")), 0)
		d.Due = dueRows(page.Members)
		if page.Next != "" {
			next.Set("after", encodeCursor(page.Next))
			d.NextURL = "/evaluations/list?" + next.Encode()
		}
		return err
	case "followups":
		var page service.FollowUpPage
		page, err = h.svc.ListFollowUps(ctx, a, service.FollowUpSearch{Before: domain.FollowUpID(before)})
		d.FollowUps, cursor = page.FollowUps, int64(page.Next)
	default:
		f := service.EvaluationSearch{Year: d.Year, Before: domain.EvaluationID(before)}
		var page service.EvaluationPage
		if d.Tab == "confirm" {
			page, err = h.svc.EvaluationsToConfirm(ctx, a, f)
		} else {
			page, err = h.svc.ListEvaluations(ctx, a, f)
		}
		d.Rows, cursor = page.Evaluations, int64(page.Next)
	}
	if cursor != 0 {
		next.Set("before", strconv.FormatInt(cursor, 10))
		d.NextURL = "/evaluations/list?" + next.Encode()
	}
	return err
}

// evaluationFormData is the proposal form.
type evaluationFormData struct {
	Person  personRow
	Form    *Form
	Years   []int
	Ratings []domain.Rating
}

var proposalFields = []string{"person", "year", "rating", "note"}

func (h *Handler) evaluationNew(w http.ResponseWriter, r *http.Request) {
	f := blankForm()
	q := r.URL.Query()
	f.Values["person"], f.Values["year"] = q.Get("person"), q.Get("year")
	if f.Values["year"] == "" {
		f.Values["year"] = strconv.Itoa(h.svc.Today().Time().Year())
	}
	h.showEvaluationForm(w, r, http.StatusOK, f)
}

func (h *Handler) showEvaluationForm(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	id, _ := strconv.ParseInt(f.Get("person"), 10, 64)
	p, err := h.svc.Person(r.Context(), h.principal(r).Actor, domain.PersonID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := evaluationFormData{Person: personRow{p}, Form: f, Years: recentYears(h.svc.Today(), 3), Ratings: domain.Ratings()}
	at := "/evaluations/new?" + url.Values{"person": {f.Get("person")}, "year": {f.Get("year")}}.Encode()
	h.renderAt(w, r, at, status, "evaluation_form", "web.evaluation.new_title", d)
}

// proposeEvaluation records the proposal and shows the evaluation; a
// proposal over the excellent share goes through with a warning.
func (h *Handler) proposeEvaluation(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, proposalFields...)
	person, _ := strconv.ParseInt(f.Get("person"), 10, 64)
	year, _ := strconv.Atoi(f.Get("year"))
	p, err := h.svc.ProposeEvaluation(r.Context(), h.principal(r).Actor, service.ProposalInput{Person: domain.PersonID(person),
		Year: year, Rating: domain.Rating(f.Get("rating")), Note: f.Get("note")})
	if err != nil {
		h.actionFailed(w, r, err, f, proposalFields, func(status int, _ string) { h.showEvaluationForm(w, r, status, f) })
		return
	}
	if e := domain.AsError(p.Warning); e != nil {
		h.flash(w, "web.evaluation.flash.proposed_over_share", "Excellent", strconv.Itoa(argInt(e.Args, "Excellent")),
			"Rated", strconv.Itoa(argInt(e.Args, "Rated")))
	} else {
		h.flash(w, "web.evaluation.flash.proposed")
	}
	redirect(w, r, evaluationURL(p.ID))
}

func argInt(args map[string]any, k string) int {
	n, _ := args[k].(int)
	return n
}

// evaluationPageData is one evaluation with its forms.
type evaluationPageData struct {
	service.EvaluationView
	Opinion  *Form
	Confirm  *Form
	Close    *Form
	Error    string
	Ratings  []domain.Rating
	Kinds    []domain.FollowUpKind
	Outcomes []domain.FollowUpOutcome
	Today    domain.Date
}

// Badge is the state's badge class.
func (d evaluationPageData) Badge() string { return evaluationBadge(d.Evaluation) }

func (h *Handler) evaluationPage(w http.ResponseWriter, r *http.Request) {
	h.showEvaluation(w, r, http.StatusOK, evaluationPageData{})
}

func (h *Handler) showEvaluation(w http.ResponseWriter, r *http.Request, status int, d evaluationPageData) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if d.EvaluationView, err = h.svc.Evaluation(r.Context(), h.principal(r).Actor, domain.EvaluationID(id)); err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.svc.Today()
	if d.Opinion == nil {
		d.Opinion = &Form{Values: map[string]string{"rating": string(d.HostRating), "note": d.HostNote}, Errors: map[string]string{}}
	}
	if d.Confirm == nil {
		d.Confirm = &Form{Values: map[string]string{"rating": string(d.Proposed), "followup_kind": string(domain.FollowUpCorrect),
			"followup_due": today.AddDays(90).String()}, Errors: map[string]string{}}
	}
	if d.Close == nil {
		d.Close = &Form{Values: map[string]string{"next_due": today.AddDays(90).String()}, Errors: map[string]string{}}
	}
	d.Ratings, d.Kinds, d.Outcomes, d.Today = domain.Ratings(), domain.FollowUpKinds(), domain.FollowUpOutcomes(), today
	h.renderAt(w, r, evaluationURL(d.ID), status, "evaluation", "web.evaluation.one_title", d)
}

// evaluationAction runs one form of the evaluation page.
func (h *Handler) evaluationAction(w http.ResponseWriter, r *http.Request, fields []string, slot func(*evaluationPageData, *Form),
	flash string, do func(id domain.EvaluationID, f *Form, p *formReader) error) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm(r, fields...)
	p := &formReader{f: f}
	err = do(domain.EvaluationID(id), f, p)
	if err != nil {
		h.actionFailed(w, r, err, f, fields, func(status int, msg string) {
			d := evaluationPageData{Error: msg}
			slot(&d, f)
			h.showEvaluation(w, r, status, d)
		})
		return
	}
	h.flash(w, flash)
	redirect(w, r, evaluationURL(domain.EvaluationID(id)))
}

func (h *Handler) hostOpinion(w http.ResponseWriter, r *http.Request) {
	h.evaluationAction(w, r, []string{"rating", "note"}, func(d *evaluationPageData, f *Form) { d.Opinion = f },
		"web.evaluation.flash.opinion", func(id domain.EvaluationID, f *Form, _ *formReader) error {
			return h.svc.RecordHostOpinion(r.Context(), h.principal(r).Actor, id, service.OpinionInput{
				Rating: domain.Rating(f.Get("rating")), Note: f.Get("note")})
		})
}

func (h *Handler) confirmEvaluation(w http.ResponseWriter, r *http.Request) {
	fields := []string{"rating", "reason", "followup_kind", "followup_due", "followup_note"}
	h.evaluationAction(w, r, fields, func(d *evaluationPageData, f *Form) { d.Confirm = f },
		"web.evaluation.flash.confirmed", func(id domain.EvaluationID, f *Form, p *formReader) error {
			in := service.ConfirmInput{Rating: domain.Rating(f.Get("rating")), Reason: f.Get("reason"),
				FollowUp: domain.FollowUpKind(f.Get("followup_kind")), FollowUpDue: p.date("followup_due"), FollowUpNote: f.Get("followup_note")}
			if p.err != nil {
				return p.err
			}
			return h.svc.ConfirmEvaluation(r.Context(), h.principal(r).Actor, id, in)
		})
}

// closeFollowUp closes a task from its evaluation's page.
func (h *Handler) closeFollowUp(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, a := r.Context(), h.principal(r).Actor
	fu, err := h.svc.FollowUp(ctx, a, domain.FollowUpID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fields := []string{"outcome", "note", "next_kind", "next_due", "next_note"}
	f := newForm(r, fields...)
	p := &formReader{f: f}
	in := service.CloseInput{Outcome: domain.FollowUpOutcome(f.Get("outcome")), Note: f.Get("note"),
		NextKind: domain.FollowUpKind(f.Get("next_kind")), NextNote: f.Get("next_note")}
	if in.Outcome == domain.OutcomeEscalated {
		in.NextDue = p.date("next_due")
	}
	err = p.err
	if err == nil {
		err = h.svc.CloseFollowUp(ctx, a, fu.ID, in)
	}
	if err != nil {
		h.actionFailed(w, r, err, f, fields, func(status int, msg string) {
			r.SetPathValue("id", strconv.FormatInt(int64(fu.EvaluationID), 10))
			h.showEvaluation(w, r, status, evaluationPageData{Close: f, Error: msg})
		})
		return
	}
	h.flash(w, "web.evaluation.flash.closed")
	redirect(w, r, evaluationURL(fu.EvaluationID))
}
