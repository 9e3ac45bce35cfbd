package api

import (
	"net/http"
	"net/url"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Performance feedback, democratic evaluations and their follow-up tasks:
// every action and list of the pages, as JSON. Lists page with a cursor:
// ?before=<id> for feedback, evaluations and tasks (newest first),
// ?after=<cursor> for the members still due (in pinyin order).

// registerConduct adds the routes.
func (h *Handler) registerConduct(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/feedback", h.listFeedback)
	mux.HandleFunc("GET "+Prefix+"/feedback/due", h.feedbackDue)
	mux.HandleFunc("POST "+Prefix+"/feedback", h.writeFeedback)
	mux.HandleFunc("GET "+Prefix+"/feedback/{id}", h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		h.respondFeedback(w, r, c, domain.FeedbackID(id), http.StatusOK)
	}))
	mux.HandleFunc("POST "+Prefix+"/feedback/{id}/acknowledge", h.answerFeedback(true))
	mux.HandleFunc("POST "+Prefix+"/feedback/{id}/return", h.answerFeedback(false))
	mux.HandleFunc("POST "+Prefix+"/feedback/{id}/revise", h.reviseFeedback)
	mux.HandleFunc("GET "+Prefix+"/people/{id}/conduct", h.personConduct)
	mux.HandleFunc("GET "+Prefix+"/me/conduct", h.ownConduct)

	mux.HandleFunc("GET "+Prefix+"/evaluations", h.listEvaluations)
	mux.HandleFunc("GET "+Prefix+"/evaluations/due", h.evaluationsDue)
	mux.HandleFunc("GET "+Prefix+"/evaluations/distribution", h.distribution)
	mux.HandleFunc("GET "+Prefix+"/evaluations/policy", h.evaluationPolicy)
	mux.HandleFunc("PUT "+Prefix+"/evaluations/policy", h.setEvaluationPolicy)
	mux.HandleFunc("POST "+Prefix+"/evaluations", h.proposeEvaluation)
	mux.HandleFunc("GET "+Prefix+"/evaluations/{id}", h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		h.respondEvaluation(w, r, c, domain.EvaluationID(id), http.StatusOK, nil)
	}))
	mux.HandleFunc("POST "+Prefix+"/evaluations/{id}/opinion", h.hostOpinion)
	mux.HandleFunc("POST "+Prefix+"/evaluations/{id}/confirm", h.confirmEvaluation)
	mux.HandleFunc("GET "+Prefix+"/followups", h.listFollowUps)
	mux.HandleFunc("POST "+Prefix+"/followups/{id}/close", h.closeFollowUp)
}

// listQuery reads the shared list parameters: the page size and the
// "before" cursor.
func listQuery(q url.Values) (limit int, before int64, err error) {
	l, err := positive(q, "limit", 50)
	if err != nil || l > 500 {
		return 0, 0, domain.Invalid("limit", "web.api.bad_limit", map[string]any{"Max": 500})
	}
	before, err = positive(q, "before", 0)
	return int(l), before, err
}

// listed answers a list or its error.
func (h *Handler) listed(w http.ResponseWriter, r *http.Request, c *Caller, v any, err error) {
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// listFeedback is ?list=waiting (what waits for the caller's answer) or
// the default, every feedback the caller may see; ?quarter= and ?state=
// filter.
func (h *Handler) listFeedback(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, before, err := listQuery(q)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	f := service.FeedbackSearch{Quarter: q.Get("quarter"), State: domain.FeedbackState(q.Get("state")),
		Before: domain.FeedbackID(before), Limit: limit}
	var page service.FeedbackPage
	switch q.Get("list") {
	case "waiting":
		page, err = h.svc.FeedbackWaiting(r.Context(), c.Principal.Actor, f)
	case "", "all":
		page, err = h.svc.ListFeedback(r.Context(), c.Principal.Actor, f)
	default:
		err = domain.Invalid("list", "web.conductapi.bad_list", nil)
	}
	h.listed(w, r, c, feedbackList{Feedback: toFeedbacks(page.Feedback), Next: int64(page.Next)}, err)
}

// feedbackDue lists the members the caller still owes a feedback for
// ?quarter= (default: the current one).
func (h *Handler) feedbackDue(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, _, err := listQuery(q)
	after := ""
	if err == nil {
		after, err = decodeCursor(q.Get("after"))
	}
	var page service.DuePage
	if err == nil {
		page, err = h.svc.FeedbackDue(r.Context(), c.Principal.Actor, q.Get("quarter"), after, limit)
	}
	h.listed(w, r, c, toDue(page), err)
}

type feedbackIn struct {
	PersonID      int64  `json:"person_id"`
	Quarter       string `json:"quarter"`
	Participation string `json:"participation"`
	Conduct       string `json:"conduct"`
	Remarks       string `json:"remarks"`
	Version       int64  `json:"version"`
}

func (in feedbackIn) input() service.FeedbackInput {
	return service.FeedbackInput{Person: domain.PersonID(in.PersonID), Quarter: in.Quarter,
		Participation: domain.Participation(in.Participation), Conduct: domain.Conduct(in.Conduct), Remarks: in.Remarks, Version: in.Version}
}

func (h *Handler) writeFeedback(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in feedbackIn
	if !h.decode(w, r, &in) {
		return
	}
	id, err := h.svc.WriteFeedback(r.Context(), c.Principal.Actor, in.input())
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondFeedback(w, r, c, id, http.StatusCreated)
}

func (h *Handler) respondFeedback(w http.ResponseWriter, r *http.Request, c *Caller, id domain.FeedbackID, status int) {
	v, err := h.svc.Feedback(r.Context(), c.Principal.Actor, id)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(v.Version, 10)))
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/feedback/"+strconv.FormatInt(int64(id), 10))
	}
	writeJSON(w, status, toFeedbackView(v))
}

type commentIn struct {
	Comment string `json:"comment"`
}

// answerFeedback acknowledges (ack) or returns a feedback.
func (h *Handler) answerFeedback(ack bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		idStep(h, w, r, func(c *Caller, id int64, in commentIn) error {
			if ack {
				return h.svc.AcknowledgeFeedback(r.Context(), c.Principal.Actor, domain.FeedbackID(id), in.Comment)
			}
			return h.svc.ReturnFeedback(r.Context(), c.Principal.Actor, domain.FeedbackID(id), in.Comment)
		}, func(c *Caller, id int64) { h.respondFeedback(w, r, c, domain.FeedbackID(id), http.StatusOK) })
	}
}

func (h *Handler) reviseFeedback(w http.ResponseWriter, r *http.Request) {
	idStep(h, w, r, func(c *Caller, id int64, in feedbackIn) error {
		if in.Version == 0 {
			in.Version = ifMatch(r)
		}
		return h.svc.ReviseFeedback(r.Context(), c.Principal.Actor, domain.FeedbackID(id), in.input())
	}, func(c *Caller, id int64) { h.respondFeedback(w, r, c, domain.FeedbackID(id), http.StatusOK) })
}

// personConduct is a member's feedback and evaluations, for a caller on
// either side of them.
func (h *Handler) personConduct(w http.ResponseWriter, r *http.Request) {
	h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		rec, err := h.svc.MemberConduct(r.Context(), c.Principal.Actor, domain.PersonID(id))
		if err == nil && rec == nil {
			err = domain.ErrForbidden
		}
		if err != nil {
			h.Fail(w, r, c.L, err)
			return
		}
		writeJSON(w, http.StatusOK, toConduct(rec, h.svc.Today()))
	})(w, r)
}

// ownConduct is the signed-in member's own history.
func (h *Handler) ownConduct(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	rec, err := h.svc.OwnConduct(r.Context(), c.Principal.Actor)
	if err == nil && rec == nil {
		err = domain.ErrNotFound
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, toConduct(rec, h.svc.Today()))
}

// yearOf reads ?year= (zero: the current year).
func yearOf(q url.Values) (int, error) {
	y, err := positive(q, "year", 0)
	return int(y), err
}

// listEvaluations is ?list=confirm (proposals waiting for the caller) or
// the default, every evaluation the caller may see; ?year= and ?state=
// filter.
func (h *Handler) listEvaluations(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, before, err := listQuery(q)
	year := 0
	if err == nil {
		year, err = yearOf(q)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	f := service.EvaluationSearch{Year: year, State: domain.EvaluationState(q.Get("state")), Before: domain.EvaluationID(before), Limit: limit}
	var page service.EvaluationPage
	switch q.Get("list") {
	case "confirm":
		page, err = h.svc.EvaluationsToConfirm(r.Context(), c.Principal.Actor, f)
	case "", "all":
		page, err = h.svc.ListEvaluations(r.Context(), c.Principal.Actor, f)
	default:
		err = domain.Invalid("list", "web.conductapi.bad_list", nil)
	}
	h.listed(w, r, c, evaluationList{Evaluations: toEvaluations(page.Evaluations), Next: int64(page.Next)}, err)
}

// evaluationsDue lists the members the caller still has to propose for
// ?year=.
func (h *Handler) evaluationsDue(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, _, err := listQuery(q)
	year, after := 0, ""
	if err == nil {
		year, err = yearOf(q)
	}
	if err == nil {
		after, err = decodeCursor(q.Get("after"))
	}
	var page service.DuePage
	if err == nil {
		page, err = h.svc.EvaluationsDue(r.Context(), c.Principal.Actor, year, after, limit)
	}
	h.listed(w, r, c, toDue(page), err)
}

func (h *Handler) distribution(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	year, err := yearOf(r.URL.Query())
	var d service.Distribution
	if err == nil {
		d, err = h.svc.EvaluationDistribution(r.Context(), c.Principal.Actor, year)
	}
	h.listed(w, r, c, toDistribution(d), err)
}

func (h *Handler) evaluationPolicy(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	p, err := h.svc.EvaluationPolicy(r.Context())
	h.listed(w, r, c, policyDTO(p), err)
}

func (h *Handler) setEvaluationPolicy(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in policyDTO
	if !h.decode(w, r, &in) {
		return
	}
	if err := h.svc.SetEvaluationPolicy(r.Context(), c.Principal.Actor, domain.EvaluationPolicy(in)); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.evaluationPolicy(w, r)
}

type proposalIn struct {
	PersonID int64  `json:"person_id"`
	Year     int    `json:"year"`
	Rating   string `json:"rating"`
	Note     string `json:"note"`
}

// proposeEvaluation answers 201 with the evaluation, and a warning when
// the organization's proposals exceed the excellent share.
func (h *Handler) proposeEvaluation(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in proposalIn
	if !h.decode(w, r, &in) {
		return
	}
	p, err := h.svc.ProposeEvaluation(r.Context(), c.Principal.Actor, service.ProposalInput{Person: domain.PersonID(in.PersonID),
		Year: in.Year, Rating: domain.Rating(in.Rating), Note: in.Note})
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	var warning *errorDTO
	if p.Warning != nil {
		e := domain.AsError(p.Warning)
		warning = &errorDTO{Code: string(e.Code), Message: c.L.Err(p.Warning)}
	}
	h.respondEvaluation(w, r, c, p.ID, http.StatusCreated, warning)
}

func (h *Handler) respondEvaluation(w http.ResponseWriter, r *http.Request, c *Caller, id domain.EvaluationID, status int, warning *errorDTO) {
	v, err := h.svc.Evaluation(r.Context(), c.Principal.Actor, id)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := toEvaluation(v.Evaluation)
	out.FollowUps, out.Warning = toFollowUps(v.FollowUps, h.svc.Today()), warning
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(v.Version, 10)))
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/evaluations/"+strconv.FormatInt(int64(id), 10))
	}
	writeJSON(w, status, out)
}

type opinionIn struct {
	Rating  string `json:"rating"`
	Note    string `json:"note"`
	Version int64  `json:"version"`
}

func (h *Handler) hostOpinion(w http.ResponseWriter, r *http.Request) {
	idStep(h, w, r, func(c *Caller, id int64, in opinionIn) error {
		return h.svc.RecordHostOpinion(r.Context(), c.Principal.Actor, domain.EvaluationID(id), service.OpinionInput{
			Rating: domain.Rating(in.Rating), Note: in.Note, Version: in.Version})
	}, func(c *Caller, id int64) { h.respondEvaluation(w, r, c, domain.EvaluationID(id), http.StatusOK, nil) })
}

type taskIn struct {
	Kind  string `json:"kind"`
	DueOn string `json:"due_on"`
	Note  string `json:"note"`
}

type confirmIn struct {
	Rating   string  `json:"rating"`
	Reason   string  `json:"reason"`
	FollowUp *taskIn `json:"followup"`
	Version  int64   `json:"version"`
}

func (h *Handler) confirmEvaluation(w http.ResponseWriter, r *http.Request) {
	idStep(h, w, r, func(c *Caller, id int64, in confirmIn) error {
		ci := service.ConfirmInput{Rating: domain.Rating(in.Rating), Reason: in.Reason, Version: in.Version}
		if t := in.FollowUp; t != nil {
			due, err := apiDate("followup.due_on", t.DueOn)
			if err != nil {
				return err
			}
			ci.FollowUp, ci.FollowUpDue, ci.FollowUpNote = domain.FollowUpKind(t.Kind), due, t.Note
		}
		return h.svc.ConfirmEvaluation(r.Context(), c.Principal.Actor, domain.EvaluationID(id), ci)
	}, func(c *Caller, id int64) { h.respondEvaluation(w, r, c, domain.EvaluationID(id), http.StatusOK, nil) })
}

// listFollowUps lists the tasks (?open=true or false filters).
func (h *Handler) listFollowUps(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, before, err := listQuery(q)
	f := service.FollowUpSearch{Before: domain.FollowUpID(before), Limit: limit}
	switch q.Get("open") {
	case "":
	case "true", "1":
		yes := true
		f.Open = &yes
	case "false", "0":
		no := false
		f.Open = &no
	default:
		err = domain.Invalid("open", "web.conductapi.bad_open", nil)
	}
	var page service.FollowUpPage
	if err == nil {
		page, err = h.svc.ListFollowUps(r.Context(), c.Principal.Actor, f)
	}
	h.listed(w, r, c, followUpList{FollowUps: toFollowUps(page.FollowUps, h.svc.Today()), Next: int64(page.Next)}, err)
}

type closeIn struct {
	Outcome string  `json:"outcome"`
	Note    string  `json:"note"`
	Next    *taskIn `json:"next"`
	Version int64   `json:"version"`
}

// closeFollowUp closes a task and answers with its evaluation.
func (h *Handler) closeFollowUp(w http.ResponseWriter, r *http.Request) {
	var eval domain.EvaluationID
	idStep(h, w, r, func(c *Caller, id int64, in closeIn) error {
		fu, err := h.svc.FollowUp(r.Context(), c.Principal.Actor, domain.FollowUpID(id))
		if err != nil {
			return err
		}
		eval = fu.EvaluationID
		ci := service.CloseInput{Outcome: domain.FollowUpOutcome(in.Outcome), Note: in.Note, Version: in.Version}
		if t := in.Next; t != nil {
			if ci.NextDue, err = apiDate("next.due_on", t.DueOn); err != nil {
				return err
			}
			ci.NextKind, ci.NextNote = domain.FollowUpKind(t.Kind), t.Note
		}
		return h.svc.CloseFollowUp(r.Context(), c.Principal.Actor, fu.ID, ci)
	}, func(c *Caller, _ int64) { h.respondEvaluation(w, r, c, eval, http.StatusOK, nil) })
}
