package api

import (
	"net/http"
	"slices"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Co-management agreements: the list (?state, including "expiring" for a
// renewal due within 60 days, and ?org), one agreement with its history,
// drafting, and the steps sign, terminate and renew. The signed document
// is uploaded and downloaded through the web pages.

type agreementList struct {
	Agreements []agreementDTO `json:"agreements"`
}

// listStates are the values ?state accepts.
var listStates = []domain.AgreementState{domain.AgreementDraft, domain.AgreementPending, domain.AgreementInForce, "expiring",
	domain.AgreementExpired, domain.AgreementTerminated}

func (h *Handler) agreements(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := service.AgreementFilter{State: domain.AgreementState(q.Get("state"))}
	if f.State != "" && !slices.Contains(listStates, f.State) {
		h.Fail(w, r, c.L, domain.Invalid("state", "web.orgapi.bad_state", nil))
		return
	}
	org, err := positive(q, "org", 0)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	f.Org = domain.OrgID(org)
	list, err := h.svc.ListAgreements(r.Context(), c.Principal.Actor, f)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, agreementList{Agreements: toAgreements(list, h.svc.Today())})
}

// respondAgreement answers with the agreement as it now is.
func (h *Handler) respondAgreement(w http.ResponseWriter, r *http.Request, c *Caller, id domain.AgreementID, status int) {
	v, err := h.svc.Agreement(r.Context(), c.Principal.Actor, id)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(v.Agreement.Version, 10)))
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/agreements/"+strconv.FormatInt(int64(id), 10))
	}
	writeJSON(w, status, toAgreementDetail(v, h.svc.Today()))
}

type agreementIn struct {
	Title        string   `json:"title"`
	OriginID     int64    `json:"origin_id"`
	MobileIDs    []int64  `json:"mobile_ids"`
	HostIDs      []int64  `json:"host_ids"`
	Capabilities []string `json:"capabilities"`
	ValidFrom    string   `json:"valid_from"`
	ValidTo      string   `json:"valid_to"`
	Folded       bool     `json:"folded"`
	SitsIn       bool     `json:"sits_in"`
}

func orgIDs(ns []int64) []domain.OrgID {
	out := make([]domain.OrgID, len(ns))
	for i, n := range ns {
		out[i] = domain.OrgID(n)
	}
	return out
}

// createAgreement records a draft.
func (h *Handler) createAgreement(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in agreementIn
	if !h.decode(w, r, &in) {
		return
	}
	na := service.NewAgreement{Title: in.Title, OriginID: domain.OrgID(in.OriginID), MobileIDs: orgIDs(in.MobileIDs),
		HostIDs: orgIDs(in.HostIDs), Folded: in.Folded, SitsIn: in.SitsIn}
	for _, cp := range in.Capabilities {
		na.Capabilities = append(na.Capabilities, domain.Capability(cp))
	}
	var err error
	if na.ValidFrom, err = apiDate("valid_from", in.ValidFrom); err == nil {
		na.ValidTo, err = apiDate("valid_to", in.ValidTo)
	}
	var id domain.AgreementID
	if err == nil {
		id, err = h.svc.DraftAgreement(r.Context(), c.Principal.Actor, na)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondAgreement(w, r, c, id, http.StatusCreated)
}

// agreementStep decodes in, runs do on the agreement in the path and
// answers with the agreement do names (the same one, or a renewal).
func agreementStep[T any](h *Handler, w http.ResponseWriter, r *http.Request, status int,
	do func(c *Caller, id domain.AgreementID, in T) (domain.AgreementID, error)) {
	var next domain.AgreementID
	idStep(h, w, r, func(c *Caller, id domain.AgreementID, in T) (err error) {
		next, err = do(c, id, in)
		return err
	}, func(c *Caller, _ domain.AgreementID) { h.respondAgreement(w, r, c, next, status) })
}

// agreementVersion is the version a step names: in the body, else in
// If-Match; zero means "as it now is", which the service accepts for
// agreement steps.
func agreementVersion(r *http.Request, body int64) int64 {
	if body != 0 {
		return body
	}
	return ifMatch(r)
}

type signIn struct {
	SignedOn string `json:"signed_on"`
	Version  int64  `json:"version"`
}

func (h *Handler) signAgreement(w http.ResponseWriter, r *http.Request) {
	agreementStep(h, w, r, http.StatusOK, func(c *Caller, id domain.AgreementID, in signIn) (domain.AgreementID, error) {
		on, err := apiDate("signed_on", in.SignedOn)
		if err != nil {
			return 0, err
		}
		return id, h.svc.SignAgreement(r.Context(), c.Principal.Actor, id, agreementVersion(r, in.Version), on)
	})
}

type terminateIn struct {
	On      string `json:"on"`
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

func (h *Handler) terminateAgreement(w http.ResponseWriter, r *http.Request) {
	agreementStep(h, w, r, http.StatusOK, func(c *Caller, id domain.AgreementID, in terminateIn) (domain.AgreementID, error) {
		on, err := apiDate("on", in.On)
		if err != nil {
			return 0, err
		}
		return id, h.svc.TerminateAgreement(r.Context(), c.Principal.Actor, id, agreementVersion(r, in.Version), on, in.Reason)
	})
}

type renewIn struct {
	ValidTo string `json:"valid_to"`
}

// renewAgreement drafts the follow-on agreement and answers with it.
func (h *Handler) renewAgreement(w http.ResponseWriter, r *http.Request) {
	agreementStep(h, w, r, http.StatusCreated, func(c *Caller, id domain.AgreementID, in renewIn) (domain.AgreementID, error) {
		to, err := apiDate("valid_to", in.ValidTo)
		if err != nil {
			return 0, err
		}
		if to.IsZero() {
			return 0, domain.Invalid("valid_to", "agreement.validity_required", nil)
		}
		return h.svc.RenewAgreement(r.Context(), c.Principal.Actor, id, to)
	})
}
