package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Member development (decision 0014): the case list and one case with its
// timeline, opening a case (step 1), each later step, the host side's
// opinions and inspections, closing a case, the deadline lists, the
// report and the county's rules. People are named with masked ID numbers
// only.

func (h *Handler) registerDevelopment(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/development/cases", h.devCases)
	mux.HandleFunc("POST "+Prefix+"/development/cases", h.devOpen)
	mux.HandleFunc("GET "+Prefix+"/development/cases/{id}", h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		h.respondDevCase(w, r, c, domain.DevCaseID(id), http.StatusOK)
	}))
	mux.HandleFunc("POST "+Prefix+"/development/cases/{id}/steps", h.devStep)
	mux.HandleFunc("POST "+Prefix+"/development/cases/{id}/opinions", h.devOpinion)
	mux.HandleFunc("POST "+Prefix+"/development/cases/{id}/assessments", h.devAssess)
	mux.HandleFunc("POST "+Prefix+"/development/cases/{id}/close", h.devClose)
	mux.HandleFunc("GET "+Prefix+"/development/deadlines", h.devDeadlines)
	mux.HandleFunc("GET "+Prefix+"/development/report", h.devReport)
	mux.HandleFunc("GET "+Prefix+"/development/rules", h.devRules)
	mux.HandleFunc("PUT "+Prefix+"/development/rules", h.setDevRules)
}

type devCaseDTO struct {
	ID            int64       `json:"id"`
	PersonID      int64       `json:"person_id"`
	PersonName    string      `json:"person_name"`
	IDNumber      string      `json:"id_number"` // masked
	HomeOrgID     int64       `json:"home_org_id"`
	HomeOrgName   string      `json:"home_org_name"`
	MobileOrgID   int64       `json:"mobile_org_id"`
	MobileOrgName string      `json:"mobile_org_name"`
	State         string      `json:"state"`
	Stage         int         `json:"stage"`
	Step          int         `json:"step"`
	AppliedOn     domain.Date `json:"applied_on"`
	ActivistOn    domain.Date `json:"activist_on,omitzero"`
	TargetOn      domain.Date `json:"target_on,omitzero"`
	AdmittedOn    domain.Date `json:"admitted_on,omitzero"`
	ApprovedOn    domain.Date `json:"approved_on,omitzero"`
	ProbationEnd  domain.Date `json:"probation_end,omitzero"`
	FullOn        domain.Date `json:"full_on,omitzero"`
	Extension     int         `json:"extension_months,omitempty"`
	CloseReason   string      `json:"close_reason,omitempty"`
	Version       int64       `json:"version"`
}

func toDevCase(c domain.DevCase) devCaseDTO {
	return devCaseDTO{ID: int64(c.ID), PersonID: int64(c.PersonID), PersonName: c.PersonName, IDNumber: string(c.IDNumber),
		HomeOrgID: int64(c.HomeOrgID), HomeOrgName: c.HomeOrgName, MobileOrgID: int64(c.MobileOrgID), MobileOrgName: c.MobileOrgName,
		State: string(c.State), Stage: int(c.Stage), Step: c.Step, AppliedOn: c.AppliedOn, ActivistOn: c.ActivistOn, TargetOn: c.TargetOn,
		AdmittedOn: c.AdmittedOn, ApprovedOn: c.ApprovedOn, ProbationEnd: c.ProbationEnd, FullOn: c.FullOn, Extension: c.Extension,
		CloseReason: c.CloseReason, Version: c.Version}
}

type devStepDTO struct {
	ID         int64       `json:"id"`
	Step       int         `json:"step"`
	Key        string      `json:"key"`
	On         domain.Date `json:"on"`
	Side       string      `json:"side"`
	OrgName    string      `json:"org_name"`
	ActorName  string      `json:"actor_name"`
	At         time.Time   `json:"recorded_at"`
	Note       string      `json:"note,omitempty"`
	DocNo      string      `json:"doc_no,omitempty"`
	Outcome    string      `json:"outcome,omitempty"`
	Months     int         `json:"months,omitempty"`
	Superseded bool        `json:"superseded,omitempty"`
}

type devNoteDTO struct {
	ID        int64       `json:"id"`
	Gate      int         `json:"gate,omitempty"`
	Stage     int         `json:"stage,omitempty"`
	On        domain.Date `json:"on"`
	Text      string      `json:"text"`
	Side      string      `json:"side"`
	OrgName   string      `json:"org_name"`
	ActorName string      `json:"actor_name"`
}

type devPersonDTO struct {
	Role     string      `json:"role"`
	PersonID int64       `json:"person_id"`
	Name     string      `json:"name"`
	Since    domain.Date `json:"since"`
}

type devFileDTO struct {
	ID   int64  `json:"id"`
	Step int    `json:"step"`
	Name string `json:"name"`
	Type string `json:"content_type"`
	Size int64  `json:"size"`
}

type devNextDTO struct {
	Step           int         `json:"step"`
	Key            string      `json:"key"`
	Side           string      `json:"side"`
	Earliest       domain.Date `json:"earliest,omitzero"`
	Latest         domain.Date `json:"latest,omitzero"`
	Allowed        bool        `json:"allowed"`
	OpinionMissing bool        `json:"opinion_missing"`
}

type devCaseViewDTO struct {
	devCaseDTO
	Next         *devNextDTO    `json:"next,omitempty"`
	Host         bool           `json:"host_side"`
	Home         bool           `json:"home_side"`
	OpinionGates []int          `json:"opinion_gates"`
	CanAssess    bool           `json:"can_assess"`
	Steps        []devStepDTO   `json:"steps"`
	Assessments  []devNoteDTO   `json:"assessments"`
	Opinions     []devNoteDTO   `json:"opinions"`
	People       []devPersonDTO `json:"people"`
	Files        []devFileDTO   `json:"files"`
}

func toDevCaseView(v service.DevCaseView) devCaseViewDTO {
	out := devCaseViewDTO{devCaseDTO: toDevCase(v.DevCase), Host: v.Host, Home: v.Home, OpinionGates: v.OpinionGates,
		CanAssess: v.CanAssess, Steps: []devStepDTO{}, Assessments: []devNoteDTO{}, Opinions: []devNoteDTO{}, People: []devPersonDTO{},
		Files: []devFileDTO{}}
	if out.OpinionGates == nil {
		out.OpinionGates = []int{}
	}
	if v.Next.N != 0 {
		out.Next = &devNextDTO{Step: v.Next.N, Key: v.Next.Key, Side: string(v.NextSide), Earliest: v.Earliest, Latest: v.Latest,
			Allowed: v.CanNext, OpinionMissing: v.OpinionMissing}
	}
	for _, r := range v.Steps {
		st, _ := domain.DevStepOf(r.Step)
		out.Steps = append(out.Steps, devStepDTO{ID: r.ID, Step: r.Step, Key: st.Key, On: r.On, Side: string(r.Side), OrgName: r.OrgName,
			ActorName: r.ActorName, At: r.At, Note: r.Note, DocNo: r.DocNo, Outcome: r.Outcome, Months: r.Months, Superseded: r.Superseded})
	}
	for _, a := range v.Assessments {
		out.Assessments = append(out.Assessments, devNoteDTO{ID: a.ID, Stage: int(a.Stage), On: a.On, Text: a.Text, Side: string(a.Side),
			OrgName: a.OrgName, ActorName: a.ActorName})
	}
	for _, o := range v.Opinions {
		out.Opinions = append(out.Opinions, devNoteDTO{ID: o.ID, Gate: o.Gate, On: o.On, Text: o.Text, Side: string(o.Side),
			OrgName: o.OrgName, ActorName: o.ActorName})
	}
	for _, p := range append(v.Mentors, v.Introducers...) {
		out.People = append(out.People, devPersonDTO{Role: p.Role, PersonID: int64(p.PersonID), Name: p.Name, Since: p.Since})
	}
	for _, f := range v.Files {
		out.Files = append(out.Files, devFileDTO{ID: f.ID, Step: f.Step, Name: f.Name, Type: f.ContentType, Size: f.Size})
	}
	return out
}

type devCaseList struct {
	Cases []devCaseDTO `json:"cases"`
	Total int          `json:"total"`
	Next  int64        `json:"next,omitempty"`
}

// devCases lists cases: ?state= ?stage= ?org= ?name= ?before= ?limit=.
func (h *Handler) devCases(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, before, err := listQuery(q)
	var stage, org int64
	if err == nil {
		stage, err = positive(q, "stage", 0)
	}
	if err == nil {
		org, err = positive(q, "org", 0)
	}
	var page service.DevPage
	if err == nil {
		page, err = h.svc.ListDevCases(r.Context(), c.Principal.Actor, service.DevSearch{State: domain.DevCaseState(q.Get("state")),
			Stage: domain.DevStage(stage), Org: domain.OrgID(org), Name: q.Get("name"), Before: domain.DevCaseID(before), Limit: limit})
	}
	out := devCaseList{Cases: []devCaseDTO{}, Total: page.Total, Next: int64(page.Next)}
	for _, x := range page.Cases {
		out.Cases = append(out.Cases, toDevCase(x))
	}
	h.listed(w, r, c, out, err)
}

type devOpenIn struct {
	PersonID    int64  `json:"person_id"`
	MobileOrgID int64  `json:"mobile_org_id"`
	On          string `json:"on"`
	Note        string `json:"note"`
	DocNo       string `json:"doc_no"`
}

func (h *Handler) devOpen(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in devOpenIn
	if !h.decode(w, r, &in) {
		return
	}
	on, err := apiDate("on", in.On)
	var id domain.DevCaseID
	if err == nil {
		id, err = h.svc.OpenDevCase(r.Context(), c.Principal.Actor, service.OpenInput{Person: domain.PersonID(in.PersonID),
			MobileOrgID: domain.OrgID(in.MobileOrgID), On: on, Note: in.Note, DocNo: in.DocNo})
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondDevCase(w, r, c, id, http.StatusCreated)
}

func (h *Handler) respondDevCase(w http.ResponseWriter, r *http.Request, c *Caller, id domain.DevCaseID, status int) {
	v, err := h.svc.DevCase(r.Context(), c.Principal.Actor, id)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(v.Version, 10)))
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/development/cases/"+strconv.FormatInt(int64(id), 10))
	}
	writeJSON(w, status, toDevCaseView(v))
}

type devPersonIn struct {
	PersonID       int64 `json:"person_id"`
	NotDisciplined bool  `json:"not_disciplined"`
}

type devStepIn struct {
	Step       int           `json:"step"`
	On         string        `json:"on"`
	Note       string        `json:"note"`
	DocNo      string        `json:"doc_no"`
	People     []devPersonIn `json:"people"`
	Days       int           `json:"days"`
	Hours      int           `json:"hours"`
	NoticeFrom string        `json:"notice_from"`
	NoticeTo   string        `json:"notice_to"`
	Leaving    bool          `json:"leaving"`
	Entitled   int           `json:"entitled"`
	Present    int           `json:"present"`
	Yes        int           `json:"yes"`
	Outcome    string        `json:"outcome"`
	Months     int           `json:"months"`
	Reason     string        `json:"reason"`
	Version    int64         `json:"version"`
}

func (in devStepIn) input() (domain.StepInput, error) {
	out := domain.StepInput{Step: in.Step, Note: in.Note, DocNo: in.DocNo, Days: in.Days, Hours: in.Hours, Leaving: in.Leaving,
		Entitled: in.Entitled, Present: in.Present, Yes: in.Yes, Outcome: in.Outcome, Months: in.Months, Reason: in.Reason}
	for _, p := range in.People {
		out.People = append(out.People, domain.DevPerson{PersonID: domain.PersonID(p.PersonID), NotDisciplined: p.NotDisciplined})
	}
	var err error
	for _, d := range []struct {
		field string
		v     string
		to    *domain.Date
	}{{"on", in.On, &out.On}, {"notice_from", in.NoticeFrom, &out.NoticeFrom}, {"notice_to", in.NoticeTo, &out.NoticeTo}} {
		if *d.to, err = apiDate(d.field, d.v); err != nil {
			return out, err
		}
	}
	return out, nil
}

// devStep records the step in the body (2–25); the version (or If-Match)
// guards against a case changed meanwhile.
func (h *Handler) devStep(w http.ResponseWriter, r *http.Request) {
	idStep(h, w, r, func(c *Caller, id int64, in devStepIn) error {
		step, err := in.input()
		if err != nil {
			return err
		}
		if in.Version == 0 {
			in.Version = ifMatch(r)
		}
		return h.svc.RecordStep(r.Context(), c.Principal.Actor, domain.DevCaseID(id), step, in.Version)
	}, func(c *Caller, id int64) { h.respondDevCase(w, r, c, domain.DevCaseID(id), http.StatusOK) })
}

type devNoteIn struct {
	Gate int    `json:"gate"`
	On   string `json:"on"`
	Text string `json:"text"`
}

func (h *Handler) devOpinion(w http.ResponseWriter, r *http.Request) {
	idStep(h, w, r, func(c *Caller, id int64, in devNoteIn) error {
		on, err := apiDate("on", in.On)
		if err != nil {
			return err
		}
		return h.svc.GiveDevOpinion(r.Context(), c.Principal.Actor, domain.DevCaseID(id), service.OpinionGiven{Gate: in.Gate, On: on,
			Text: in.Text})
	}, func(c *Caller, id int64) { h.respondDevCase(w, r, c, domain.DevCaseID(id), http.StatusOK) })
}

func (h *Handler) devAssess(w http.ResponseWriter, r *http.Request) {
	idStep(h, w, r, func(c *Caller, id int64, in devNoteIn) error {
		on, err := apiDate("on", in.On)
		if err != nil {
			return err
		}
		return h.svc.AssessDev(r.Context(), c.Principal.Actor, domain.DevCaseID(id), service.AssessInput{On: on, Text: in.Text})
	}, func(c *Caller, id int64) { h.respondDevCase(w, r, c, domain.DevCaseID(id), http.StatusOK) })
}

type devCloseIn struct {
	Reason string `json:"reason"`
}

func (h *Handler) devClose(w http.ResponseWriter, r *http.Request) {
	idStep(h, w, r, func(c *Caller, id int64, in devCloseIn) error {
		return h.svc.CloseDevCase(r.Context(), c.Principal.Actor, domain.DevCaseID(id), in.Reason)
	}, func(c *Caller, id int64) { h.respondDevCase(w, r, c, domain.DevCaseID(id), http.StatusOK) })
}

type devDeadlineDTO struct {
	devCaseDTO
	Kind string      `json:"kind"`
	Due  domain.Date `json:"due"`
	Days int         `json:"days"`
}

// devDeadlines is one list, ?kind=conversion|approval|eligible, of the
// caller's side.
func (h *Handler) devDeadlines(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	rows, err := h.svc.DevDeadlines(r.Context(), c.Principal.Actor, r.URL.Query().Get("kind"))
	out := []devDeadlineDTO{}
	for _, d := range rows {
		out = append(out, devDeadlineDTO{devCaseDTO: toDevCase(d.DevCase), Kind: d.Kind, Due: d.Due, Days: d.Days})
	}
	h.listed(w, r, c, map[string]any{"deadlines": out}, err)
}

type devStageDTO struct {
	Stage     int `json:"stage"`
	Open      int `json:"open"`
	AvgDays   int `json:"avg_days"`
	Completed int `json:"completed"`
}

type devOrgDTO struct {
	OrgID     int64  `json:"org_id"`
	OrgName   string `json:"org_name"`
	ByStage   []int  `json:"open_by_stage"`
	Developed int    `json:"developed"`
}

type devReportDTO struct {
	From      domain.Date   `json:"from"`
	To        domain.Date   `json:"to"`
	Developed int           `json:"developed"`
	Converted int           `json:"converted"`
	Activists int           `json:"activists"`
	Open      int           `json:"open"`
	Stages    []devStageDTO `json:"stages"`
	Orgs      []devOrgDTO   `json:"orgs"`
}

// devReport is the report, ?from=&to=&org=.
func (h *Handler) devReport(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	rep, err := h.devReportQuery(r, c, q)
	out := devReportDTO{From: rep.From, To: rep.To, Developed: rep.Developed, Converted: rep.Converted, Activists: rep.Activists,
		Open: rep.Open, Stages: []devStageDTO{}, Orgs: []devOrgDTO{}}
	for _, st := range domain.DevStages() {
		out.Stages = append(out.Stages, devStageDTO{Stage: int(st), Open: rep.ByStage[st], AvgDays: rep.StageDays[st],
			Completed: rep.StageCounts[st]})
	}
	for _, o := range rep.ByOrg {
		out.Orgs = append(out.Orgs, devOrgDTO{OrgID: int64(o.OrgID), OrgName: o.OrgName, ByStage: o.ByStage[1:], Developed: o.Developed})
	}
	h.listed(w, r, c, out, err)
}

func (h *Handler) devReportQuery(r *http.Request, c *Caller, q url.Values) (service.DevReport, error) {
	from, err := apiDate("from", q.Get("from"))
	if err != nil {
		return service.DevReport{}, err
	}
	to, err := apiDate("to", q.Get("to"))
	if err != nil {
		return service.DevReport{}, err
	}
	org, err := positive(q, "org", 0)
	if err != nil {
		return service.DevReport{}, err
	}
	return h.svc.DevelopmentReport(r.Context(), c.Principal.Actor, from, to, domain.OrgID(org))
}

func (h *Handler) devRules(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	rules, err := h.svc.DevRules(r.Context())
	h.listed(w, r, c, rules, err)
}

// setDevRules replaces the rules whole (the county officer).
func (h *Handler) setDevRules(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in domain.DevRules
	if !h.decode(w, r, &in) {
		return
	}
	if err := h.svc.SetDevRules(r.Context(), c.Principal.Actor, in); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.devRules(w, r)
}
