package api

import (
	"net/http"
	"net/url"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The rhythm of organizational life (GET /rhythm, the county table; GET
// and PUT /rhythm/rules; GET /orgs/{id}/rhythm), attendance rates (GET
// /orgs/{id}/attendance, GET /people/{id}/attendance), the members absent
// without reason (GET /people/absence-flags, PUT /people/absence-rule) and
// the outbox (GET /outbox, PUT /outbox/settings). Names only: no answer
// here carries an ID number or a phone.

type spanDTO struct {
	Key   string `json:"key"`
	First string `json:"first"`
	Last  string `json:"last"`
}

func toSpan(s domain.Span) spanDTO {
	return spanDTO{Key: s.Key, First: s.First.String(), Last: s.Last.String()}
}

type cellDTO struct {
	Span  string `json:"span"`
	Held  int    `json:"held"`
	State string `json:"state"`
}

type rhythmRowDTO struct {
	OrgID   int64     `json:"org_id"`
	Org     string    `json:"org"`
	OrgKind string    `json:"org_kind"`
	Meeting string    `json:"meeting"`
	Min     int       `json:"min"`
	Cells   []cellDTO `json:"cells"`
	Gaps    int       `json:"gaps"`
}

func (h *Handler) rhythmTable(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := service.RhythmQuery{Period: domain.Period(q.Get("period")), Kind: domain.MeetingKind(q.Get("kind")), GapsOnly: q.Get("gaps") == "1"}
	org, err := positive(q, "org", 0)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	f.Org = domain.OrgID(org)
	t, err := h.svc.RhythmTable(r.Context(), c.Principal.Actor, f)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	spans := make([]spanDTO, 0, len(t.Spans))
	for _, s := range t.Spans {
		spans = append(spans, toSpan(s))
	}
	rows := make([]rhythmRowDTO, 0, len(t.Rows))
	for _, row := range t.Rows {
		d := rhythmRowDTO{OrgID: int64(row.Org.ID), Org: row.Org.Name, OrgKind: string(row.Org.Kind), Meeting: string(row.Meeting),
			Min: row.Min, Gaps: row.Gaps}
		for _, x := range row.Cells {
			d.Cells = append(d.Cells, cellDTO{Span: x.Span.Key, Held: x.Held, State: x.State})
		}
		rows = append(rows, d)
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": t.Query.Period, "kind": t.Query.Kind, "spans": spans, "rows": rows,
		"orgs": t.Orgs, "gaps": t.Gaps, "due": t.Due, "today": t.Today.String()})
}

func (h *Handler) rhythmRules(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	rules, err := h.svc.RhythmRules(r.Context())
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	can, err := h.svc.CanSetRhythm(r.Context(), c.Principal.Actor)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": rules, "can_edit": can})
}

func (h *Handler) putRhythmRules(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in struct {
		Rules []domain.RhythmRule `json:"rules"`
	}
	if !h.decode(w, r, &in) {
		return
	}
	if err := h.svc.SetRhythmRules(r.Context(), c.Principal.Actor, in.Rules); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.rhythmRules(w, r)
}

type gapDTO struct {
	Meeting string  `json:"meeting"`
	Span    spanDTO `json:"span"`
	Held    int     `json:"held"`
	Min     int     `json:"min"`
}

type ruleStatusDTO struct {
	Meeting string  `json:"meeting"`
	Span    spanDTO `json:"span"`
	Held    int     `json:"held"`
	Min     int     `json:"min"`
	Met     bool    `json:"met"`
	Due     bool    `json:"due"`
}

func (h *Handler) orgRhythm(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	v, err := h.svc.OrgRhythm(r.Context(), c.Principal.Actor, domain.OrgID(id))
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	current := make([]ruleStatusDTO, 0, len(v.Current))
	for _, s := range v.Current {
		current = append(current, ruleStatusDTO{Meeting: string(s.Rule.Meeting), Span: toSpan(s.Span), Held: s.Held, Min: s.Rule.Min,
			Met: s.Met, Due: s.Due})
	}
	gaps := make([]gapDTO, 0, len(v.Gaps))
	for _, g := range v.Gaps {
		gaps = append(gaps, gapDTO{Meeting: string(g.Meeting), Span: toSpan(g.Span), Held: g.Held, Min: g.Min})
	}
	writeJSON(w, http.StatusOK, map[string]any{"applies": v.Applies, "full_members": v.Full, "current": current, "gaps": gaps,
		"from": v.From.String(), "today": v.Today.String()})
}

// tallyDTO is a tally with its rate in whole percent (null when nothing
// was expected).
type tallyDTO struct {
	domain.Tally
	Rate *int `json:"rate_percent"`
}

func toTally(t domain.Tally) tallyDTO {
	out := tallyDTO{Tally: t}
	if t.Expected > 0 {
		p := t.Percent()
		out.Rate = &p
	}
	return out
}

// attendanceRange reads from and to of a query.
func attendanceRange(q url.Values) (service.AttendanceRange, error) {
	from, err := apiDate("from", q.Get("from"))
	if err != nil {
		return service.AttendanceRange{}, err
	}
	to, err := apiDate("to", q.Get("to"))
	return service.AttendanceRange{From: from, To: to}, err
}

type memberTallyDTO struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	tallyDTO
}

func (h *Handler) orgAttendance(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	rng, err := attendanceRange(r.URL.Query())
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	v, err := h.svc.OrgAttendance(r.Context(), c.Principal.Actor, domain.OrgID(id), rng, r.URL.Query().Get("members") == "1")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := map[string]any{"org_id": id, "from": v.From.String(), "to": v.To.String(), "tally": toTally(v.Tally)}
	if v.CanMembers && r.URL.Query().Get("members") == "1" {
		members := make([]memberTallyDTO, 0, len(v.Members))
		for _, m := range v.Members {
			members = append(members, memberTallyDTO{PersonID: int64(m.PersonID), Name: m.Name, tallyDTO: toTally(m.Tally)})
		}
		out["members"] = members
	}
	writeJSON(w, http.StatusOK, out)
}

type absenceDTO struct {
	PersonID    int64  `json:"person_id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	HomeOrgID   int64  `json:"home_org_id"`
	HomeOrg     string `json:"home_org"`
	MobileOrgID int64  `json:"mobile_org_id,omitempty"`
	MobileOrg   string `json:"mobile_org,omitempty"`
	Since       string `json:"since"`
	LastAbsent  string `json:"last_absent"`
	Missed      int    `json:"missed"`
}

func toAbsence(x store.AbsenceFlag) absenceDTO {
	return absenceDTO{PersonID: int64(x.PersonID), Name: x.Name, Status: string(x.Status), HomeOrgID: int64(x.HomeOrgID),
		HomeOrg: x.HomeOrgName, MobileOrgID: int64(x.MobileOrgID), MobileOrg: x.MobileOrgName, Since: x.Since.String(),
		LastAbsent: x.LastAbsent.String(), Missed: x.Missed}
}

func (h *Handler) personAttendance(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	rng, err := attendanceRange(r.URL.Query())
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	v, err := h.svc.PersonAttendance(r.Context(), c.Principal.Actor, domain.PersonID(id), rng)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	var flag *absenceDTO
	if v.Flag != nil {
		d := toAbsence(*v.Flag)
		flag = &d
	}
	writeJSON(w, http.StatusOK, map[string]any{"person_id": id, "from": v.From.String(), "to": v.To.String(), "tally": toTally(v.Tally),
		"absence_flag": flag, "absence_months": v.Rule.Months})
}

// maxAbsenceLimit is the largest page a client may ask for.
const maxAbsenceLimit = 500

func (h *Handler) absenceFlags(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	org, err := positive(q, "org", 0)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	page, err := positive(q, "page", 1)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	limit, err := positive(q, "limit", 50)
	if err != nil || limit > maxAbsenceLimit {
		h.Fail(w, r, c.L, domain.Invalid("limit", "web.api.bad_limit", map[string]any{"Max": maxAbsenceLimit}))
		return
	}
	res, err := h.svc.AbsenceFlags(r.Context(), c.Principal.Actor, service.AbsenceSearch{Org: domain.OrgID(org), Page: int(page),
		Limit: int(limit)})
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	rows := make([]absenceDTO, 0, len(res.Rows))
	for _, x := range res.Rows {
		rows = append(rows, toAbsence(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{"flags": rows, "total": res.Total, "page": res.Page, "pages": res.Pages,
		"months": res.Rule.Months, "cutoff": res.Cutoff.String(), "today": res.Today.String()})
}

func (h *Handler) putAbsenceRule(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in domain.AbsenceRule
	if !h.decode(w, r, &in) {
		return
	}
	if err := h.svc.SetAbsenceRule(r.Context(), c.Principal.Actor, in); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

type outboxRowDTO struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Channel   string     `json:"channel"`
	State     string     `json:"state"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
	Account   string     `json:"account"`
	CreatedAt time.Time  `json:"created_at"`
	NextAt    time.Time  `json:"next_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

func (h *Handler) outbox(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	v, err := h.svc.Outbox(r.Context(), c.Principal.Actor, r.URL.Query().Get("state"))
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	rows := make([]outboxRowDTO, 0, len(v.Recent))
	for _, x := range v.Recent {
		rows = append(rows, outboxRowDTO{ID: x.ID, Kind: x.Kind, Channel: x.Channel, State: x.State, Attempts: x.Attempts,
			LastError: x.LastError, Account: x.AccountName, CreatedAt: x.CreatedAt, NextAt: x.NextAt, SentAt: x.SentAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"settings": v.Settings, "channels": v.Channels, "counts": v.Counts, "recent": rows,
		"can_edit": v.CanEdit})
}

func (h *Handler) putOutboxSettings(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in service.OutboxSettings
	if !h.decode(w, r, &in) {
		return
	}
	if in.Kinds == nil {
		in.Kinds = []string{}
	}
	if err := h.svc.SetOutboxSettings(r.Context(), c.Principal.Actor, in); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}
