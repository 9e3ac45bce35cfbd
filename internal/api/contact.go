package api

import (
	"net/http"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// Contacts with a person (GET, POST /people/{id}/contacts), the
// lost-contact list (GET /people/contact-warnings), and the edits of a
// person (PATCH /people/{id}, the version in If-Match or the body) and of
// a membership (POST /people/{id}/membership, with a reason). No answer
// here carries an ID number or a phone.

type contactDTO struct {
	ID         int64     `json:"id"`
	On         string    `json:"on"`
	Channel    string    `json:"channel"`
	Reached    bool      `json:"reached"`
	Note       string    `json:"note"`
	Actor      string    `json:"actor"`
	RecordedAt time.Time `json:"recorded_at"`
}

func (h *Handler) contacts(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	list, err := h.svc.Contacts(r.Context(), c.Principal.Actor, domain.PersonID(id))
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := make([]contactDTO, 0, len(list))
	for _, x := range list {
		out = append(out, contactDTO{ID: x.ID, On: x.On.String(), Channel: x.Channel, Reached: x.Reached, Note: x.Note,
			Actor: x.ActorName, RecordedAt: x.RecordedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"contacts": out})
}

type contactIn struct {
	On      string `json:"on"`
	Channel string `json:"channel"`
	Reached bool   `json:"reached"`
	Note    string `json:"note"`
}

func (h *Handler) recordContact(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	var in contactIn
	if !h.decode(w, r, &in) {
		return
	}
	on, err := apiDate("on", in.On)
	var cid int64
	if err == nil {
		cid, err = h.svc.RecordContact(r.Context(), c.Principal.Actor, domain.PersonID(id),
			service.ContactInput{On: on, Channel: in.Channel, Reached: in.Reached, Note: in.Note})
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": cid})
}

type warningDTO struct {
	PersonID      int64  `json:"person_id"`
	Name          string `json:"name"`
	Status        string `json:"status"`
	HomeOrgID     int64  `json:"home_org_id"`
	HomeOrg       string `json:"home_org"`
	MobileOrgID   int64  `json:"mobile_org_id,omitempty"`
	MobileOrg     string `json:"mobile_org,omitempty"`
	State         string `json:"state"`
	StateOn       string `json:"state_on"`
	LastContactOn string `json:"last_contact_on"`
	LastChannel   string `json:"last_channel"` // empty: none recorded, counted from registration
	Days          int    `json:"days_without_contact"`
	Attempts      int    `json:"attempts"`
	AttemptOn     string `json:"last_attempt_on,omitempty"`
	AttemptWith   string `json:"last_attempt_channel,omitempty"`
	AttemptNote   string `json:"last_attempt_note,omitempty"`
}

func toWarning(x store.ContactWarning, today domain.Date) warningDTO {
	return warningDTO{PersonID: int64(x.PersonID), Name: x.Name, Status: string(x.Status), HomeOrgID: int64(x.HomeOrgID),
		HomeOrg: x.HomeOrgName, MobileOrgID: int64(x.MobileOrgID), MobileOrg: x.MobileOrgName, State: string(x.State),
		StateOn: x.StateOn.String(), LastContactOn: x.LastContactOn.String(), LastChannel: x.LastChannel,
		Days: x.LastContactOn.DaysUntil(today), Attempts: x.Attempts, AttemptOn: x.AttemptOn.String(), AttemptWith: x.AttemptWith,
		AttemptNote: x.AttemptNote}
}

// maxWarningLimit is the largest page a client may ask for.
const maxWarningLimit = 500

func (h *Handler) contactWarnings(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	s := service.WarningSearch{State: domain.ContactState(q.Get("state"))}
	if s.State != "" && !s.State.Flagged() {
		h.Fail(w, r, c.L, domain.Invalid("state", "contact.state_invalid", nil))
		return
	}
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
	if err != nil || limit > maxWarningLimit {
		h.Fail(w, r, c.L, domain.Invalid("limit", "web.api.bad_limit", map[string]any{"Max": maxWarningLimit}))
		return
	}
	s.Org, s.Page, s.Limit = domain.OrgID(org), int(page), int(limit)
	res, err := h.svc.ContactWarnings(r.Context(), c.Principal.Actor, s)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	rows := make([]warningDTO, 0, len(res.Rows))
	for _, x := range res.Rows {
		rows = append(rows, toWarning(x, res.Today))
	}
	writeJSON(w, http.StatusOK, map[string]any{"warnings": rows, "at_risk": res.AtRisk, "lost": res.Lost, "total": res.Total,
		"page": res.Page, "pages": res.Pages, "today": res.Today.String()})
}
