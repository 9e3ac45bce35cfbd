package api

import (
	"net/http"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The recorded events of an organization's life — upgrade, merge,
// dissolution — and its officers. The version is optional here: without
// one the step applies to the organization as it now is, since each step
// is an event guarded by its own rules (a dissolved organization cannot be
// dissolved again), not an overwrite of fields.

type lifeIn struct {
	On      string `json:"on"`
	Members int    `json:"members"`
	Note    string `json:"note"`
	Version int64  `json:"version"`
}

type upgradeIn struct {
	lifeIn
	To string `json:"to"`
}

type mergeIn struct {
	lifeIn
	Into int64 `json:"into"`
}

type dissolveIn struct {
	On      string `json:"on"`
	Members int    `json:"members"`
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

// lifecycle turns the shared fields into the service's input, filling the
// version from the record when the client gave none.
func (h *Handler) lifecycle(r *http.Request, c *Caller, id domain.OrgID, in lifeIn) (service.Lifecycle, error) {
	on, err := apiDate("on", in.On)
	if err != nil {
		return service.Lifecycle{}, err
	}
	l := service.Lifecycle{On: on, Members: in.Members, Note: in.Note, Version: in.Version}
	if l.Version == 0 {
		l.Version = ifMatch(r)
	}
	if l.Version == 0 {
		v, err := h.svc.Org(r.Context(), c.Principal.Actor, id)
		if err != nil {
			return l, err
		}
		l.Version = v.Org.Version
	}
	return l, nil
}

// orgStep decodes in, runs do on the organization in the path and answers
// with the organization as it then is.
func orgStep[T any](h *Handler, w http.ResponseWriter, r *http.Request, do func(c *Caller, id domain.OrgID, in T) error) {
	idStep(h, w, r, do, func(c *Caller, id domain.OrgID) { h.respondOrg(w, r, c, id, http.StatusOK) })
}

func (h *Handler) upgradeOrg(w http.ResponseWriter, r *http.Request) {
	orgStep(h, w, r, func(c *Caller, id domain.OrgID, in upgradeIn) error {
		l, err := h.lifecycle(r, c, id, in.lifeIn)
		if err != nil {
			return err
		}
		return h.svc.UpgradeOrg(r.Context(), c.Principal.Actor, id, domain.OrgKind(in.To), l)
	})
}

func (h *Handler) mergeOrg(w http.ResponseWriter, r *http.Request) {
	orgStep(h, w, r, func(c *Caller, id domain.OrgID, in mergeIn) error {
		if in.Into <= 0 {
			return domain.Invalid("into", "web.orgapi.bad_id", map[string]any{"Field": "into"})
		}
		l, err := h.lifecycle(r, c, id, in.lifeIn)
		if err != nil {
			return err
		}
		return h.svc.MergeOrg(r.Context(), c.Principal.Actor, id, domain.OrgID(in.Into), l)
	})
}

func (h *Handler) dissolveOrg(w http.ResponseWriter, r *http.Request) {
	orgStep(h, w, r, func(c *Caller, id domain.OrgID, in dissolveIn) error {
		l, err := h.lifecycle(r, c, id, lifeIn{On: in.On, Members: in.Members, Note: in.Reason, Version: in.Version})
		if err != nil {
			return err
		}
		return h.svc.DissolveOrg(r.Context(), c.Principal.Actor, id, l)
	})
}

type officerIn struct {
	Name     string `json:"name"`
	Position string `json:"position"`
	From     string `json:"from"`
	To       string `json:"to"`
	Phone    string `json:"phone"`
}

// appointOfficer records a position held from a date and answers with the
// officer (the phone masked, as every read shows it).
func (h *Handler) appointOfficer(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	var in officerIn
	if !h.decode(w, r, &in) {
		return
	}
	o := domain.Officer{OrgID: domain.OrgID(id), Name: in.Name, Position: in.Position, Phone: in.Phone}
	if o.From, err = apiDate("from", in.From); err == nil {
		o.To, err = apiDate("to", in.To)
	}
	if err == nil {
		o.ID, err = h.svc.AppointOfficer(r.Context(), c.Principal.Actor, o)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.Header().Set("Location", Prefix+"/orgs/"+strconv.FormatInt(id, 10)+"/officers/"+strconv.FormatInt(o.ID, 10))
	writeJSON(w, http.StatusCreated, toOfficer(o))
}

// endOfficer closes an officer's term on ?on (today when absent).
func (h *Handler) endOfficer(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	officer, err := pathID(r, "officer")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	on, err := apiDate("on", r.URL.Query().Get("on"))
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	if on.IsZero() {
		on = h.svc.Today()
	}
	if err := h.svc.EndOfficer(r.Context(), c.Principal.Actor, domain.OrgID(id), officer, on); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
