package web

import (
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The co-management agreements: the list (with the derived states and
// "expiring", renewal due within 60 days), its export, one agreement's
// page and its signed document.

func agreementURL(id domain.AgreementID) string {
	return "/agreements/" + strconv.FormatInt(int64(id), 10)
}

// agreementStates are the states a list may be filtered by, in the order
// the filter offers them; "expiring" is the renewal notice's own.
var agreementStates = []domain.AgreementState{domain.AgreementDraft, domain.AgreementPending, domain.AgreementInForce, "expiring",
	domain.AgreementExpired, domain.AgreementTerminated}

type agreementsData struct {
	State     domain.AgreementState
	States    []domain.AgreementState
	Org       domain.OrgID
	Rows      []agreementRow
	ExportURL string
	CanDraft  bool
}

// agreementFilter reads ?state and ?org; unknown values are ignored, as a
// stale bookmark should still show a list.
func agreementFilter(q url.Values) service.AgreementFilter {
	var f service.AgreementFilter
	for _, s := range agreementStates {
		if q.Get("state") == string(s) {
			f.State = s
		}
	}
	if n, err := strconv.ParseInt(q.Get("org"), 10, 64); err == nil && n > 0 {
		f.Org = domain.OrgID(n)
	}
	return f
}

func (h *Handler) agreements(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.AgreementRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	f := agreementFilter(r.URL.Query())
	list, err := h.svc.ListAgreements(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	keep := url.Values{}
	if f.State != "" {
		keep.Set("state", string(f.State))
	}
	if f.Org != 0 {
		keep.Set("org", strconv.FormatInt(int64(f.Org), 10))
	}
	d := agreementsData{State: f.State, States: agreementStates, Org: f.Org, Rows: rowsOf(list, h.svc.Today()),
		ExportURL: "/agreements/export.xlsx?" + keep.Encode(), CanDraft: canSomewhere(a, authz.AgreementWrite)}
	h.render(w, r, http.StatusOK, "agreements", "web.agreement.title", d)
}

// agreementsExport writes the filtered list as an xlsx file, one row per
// agreement with its parties and capabilities spelt out.
func (h *Handler) agreementsExport(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	l := v.L
	a := v.Principal.Actor
	if !canSomewhere(a, authz.AgreementRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	list, err := h.svc.ExportAgreements(r.Context(), a, agreementFilter(r.URL.Query()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.agreement.number"), l.T("web.agreement.name"), l.T("web.agreement.origin"),
		l.T("web.agreement.mobile"), l.T("web.agreement.host"), l.T("web.agreement.capabilities"), l.T("web.agreement.valid_from"),
		l.T("web.agreement.valid_to"), l.T("web.agreement.state"), l.T("web.agreement.signed_on"), l.T("web.agreement.folded"),
		l.T("web.agreement.sits_in"), l.T("web.agreement.terminated_on"), l.T("web.agreement.reason")}
	sep := l.T("web.agreement.list_sep")
	names := func(refs []domain.OrgRef) string {
		out := make([]string, len(refs))
		for i, o := range refs {
			out[i] = o.Name
		}
		return strings.Join(out, sep)
	}
	yes := func(b bool) string {
		if b {
			return l.T("common.yes")
		}
		return l.T("common.no")
	}
	today := h.svc.Today()
	rows := make([][]string, 0, len(list))
	for _, ag := range list {
		var caps []string
		for _, c := range orderedCaps(ag.Capabilities) {
			caps = append(caps, l.T("agreement.cap."+string(c)))
		}
		rows = append(rows, []string{strconv.FormatInt(int64(ag.ID), 10), ag.Title, ag.OriginName, names(ag.Mobile), names(ag.Host),
			strings.Join(caps, sep), ag.ValidFrom.String(), ag.ValidTo.String(), l.T("agreement.state." + string(ag.StateOn(today))),
			ag.SignedOn.String(), yes(ag.Folded), yes(ag.SitsIn), ag.TerminatedOn.String(), ag.Reason})
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.agreement.export_sheet"), "agreements-"+stamp+".xlsx",
		l.T("web.agreement.export_filename", "Stamp", stamp)+".xlsx", header, rows)
}

// agreementForms are the page's forms; nil ones get defaults. failed and
// refused are as in orgForms.
type agreementForms struct {
	Sign, Attach, Renew, Terminate *Form

	failed  *Form
	refused string
}

type agreementData struct {
	View    service.AgreementView
	Events  []agreementEventRow
	Forms   agreementForms
	MaxMB   int
	Refused string // a refusal whose form the page does not show
}

// shown lists the forms the page shows, by the stored state, as its
// template decides.
func (d agreementData) shown() []*Form {
	if !d.View.CanWrite {
		return nil
	}
	out := []*Form{d.Forms.Attach}
	switch st := d.View.Agreement.State; {
	case st == domain.AgreementDraft:
		out = append(out, d.Forms.Sign, d.Forms.Terminate)
	case st != domain.AgreementTerminated:
		out = append(out, d.Forms.Renew, d.Forms.Terminate)
	default:
		out = append(out, d.Forms.Renew)
	}
	return out
}

// orderedCaps puts capabilities in the fixed list's order, the order the
// draft form shows them in (the service stores them sorted by code).
func orderedCaps(cs []domain.Capability) []domain.Capability {
	out := make([]domain.Capability, 0, len(cs))
	for _, c := range domain.Capabilities() {
		if slices.Contains(cs, c) {
			out = append(out, c)
		}
	}
	return out
}

// Caps are the agreement's capabilities in display order.
func (d agreementData) Caps() []domain.Capability { return orderedCaps(d.View.Agreement.Capabilities) }

// Badge is the badge class of the agreement's state today.
func (d agreementData) Badge() string { return stateBadge(d.View.State) }

type agreementEventRow struct {
	store.AgreementEvent
	Key string
}

// agreementEventKeys name the steps an agreement's history records.
var agreementEventKeys = map[string]string{"drafted": "web.agreement.event.drafted", "sign": "web.agreement.event.sign",
	"terminate": "web.agreement.event.terminate", "attached": "web.agreement.event.attached"}

func (h *Handler) agreement(w http.ResponseWriter, r *http.Request) {
	h.showAgreement(w, r, http.StatusOK, agreementForms{})
}

func (h *Handler) showAgreement(w http.ResponseWriter, r *http.Request, status int, forms agreementForms) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.svc.Agreement(r.Context(), h.principal(r).Actor, domain.AgreementID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := agreementData{View: v, Forms: forms, MaxMB: service.MaxDocumentBytes >> 20}
	for _, e := range v.Events {
		key := agreementEventKeys[e.Kind]
		if key == "" {
			key = "web.agreement.event.other_step"
		}
		d.Events = append(d.Events, agreementEventRow{AgreementEvent: e, Key: key})
	}
	today := h.svc.Today().String()
	version := strconv.FormatInt(v.Agreement.Version, 10)
	for _, f := range []struct {
		p      **Form
		values map[string]string
	}{
		{&d.Forms.Sign, map[string]string{"signed_on": today, "version": version}},
		{&d.Forms.Attach, map[string]string{"version": version}},
		{&d.Forms.Renew, map[string]string{"valid_to": v.Agreement.ValidTo.AddYears(2).String()}},
		{&d.Forms.Terminate, map[string]string{"on": today, "version": version}},
	} {
		if *f.p == nil {
			*f.p = blankForm()
			for k, val := range f.values {
				(*f.p).Values[k] = val
			}
		}
	}
	if forms.failed != nil && !slices.Contains(d.shown(), forms.failed) {
		d.Refused = forms.refused
	}
	h.renderAt(w, r, agreementURL(v.Agreement.ID), status, "agreement", v.Agreement.Title, d)
}

// docMediaTypes maps a stored document's extension to its media type; the
// service accepted only these.
var docMediaTypes = map[string]string{".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

// agreementDocument sends the signed document as a download, under the
// name it was uploaded with (RFC 6266, with an ASCII fallback).
func (h *Handler) agreementDocument(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	name, data, err := h.svc.Document(r.Context(), h.principal(r).Actor, domain.AgreementID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ext := strings.ToLower(filepath.Ext(name))
	ctype, ok := docMediaTypes[ext]
	if !ok {
		ctype, ext = "application/octet-stream", ""
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Content-Disposition", attachment("agreement-"+strconv.FormatInt(id, 10)+ext, name))
	w.Write(data)
}
