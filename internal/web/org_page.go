package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// An organization's page: where it stands (ancestors), its details,
// officers, children, member counts with the structure advisor's notes,
// its agreements and its history. The forms that change it appear only
// when the service says the actor may write (OrgView.CanWrite); each posts
// to its own address and, refused, comes back on this page with its
// message beside the field.

func orgURL(id domain.OrgID) string { return "/orgs/" + strconv.FormatInt(int64(id), 10) }

// orgForms are the page's forms; nil ones are filled with defaults.
// failed is the form a refusal came back on, refused its message: shown
// above the page when that form is not (an officer's end of term has no
// form of its own; a merged organization shows no merge form).
type orgForms struct {
	Edit, Upgrade, Merge, Dissolve, Child, Officer, EndTerm *Form

	failed  *Form
	refused string
}

type orgPageData struct {
	View       service.OrgView
	Ancestors  []treeNode // linked where the actor may open them
	Officers   []officerRow
	History    []historyRow
	Agreements []agreementRow
	ChildKinds []domain.OrgKind // kinds the organization may contain
	UpgradeTo  []domain.OrgKind
	Sides      []domain.Side
	Industries []string
	Positions  []string
	Forms      orgForms
	Active     bool
	Refused    string // a refusal whose form the page does not show
	Dues       bool   // the visitor reads the organization's dues (link to /orgs/{id}/dues)
	// Rhythm is the rhythm and attendance section (partials/org_rhythm.html).
	Rhythm *orgRhythmView
}

// shown lists the forms the page shows, as its template decides.
func (d orgPageData) shown() []*Form {
	if !d.View.CanWrite || !d.Active {
		return nil
	}
	out := []*Form{d.Forms.Edit, d.Forms.Merge, d.Forms.Dissolve, d.Forms.Officer}
	if len(d.ChildKinds) > 0 {
		out = append(out, d.Forms.Child)
	}
	if len(d.UpgradeTo) > 0 {
		out = append(out, d.Forms.Upgrade)
	}
	return out
}

// agreementTable is the agreements table with the page's localizer, for
// the template that lists them.
type agreementTable struct {
	L    Localizer
	Rows []agreementRow
}

// Parent is the last ancestor, or nil for a root.
func (d orgPageData) Parent() *treeNode {
	if len(d.Ancestors) == 0 {
		return nil
	}
	return &d.Ancestors[len(d.Ancestors)-1]
}

// AgreementTable is the page's agreements for their template.
func (d orgPageData) AgreementTable(l Localizer) agreementTable {
	return agreementTable{L: l, Rows: d.Agreements}
}

// fieldsView is one form's detail fields (names, place, contact), with
// the prefix that keeps element ids apart between the edit and the child
// forms.
type fieldsView struct {
	F          *Form
	P          string
	L          Localizer
	Industries []string
	Kinds      []domain.OrgKind // the kinds the form offers
}

// Fields is the view of one form's detail fields.
func (d orgPageData) Fields(f *Form, prefix string, l Localizer) fieldsView {
	return fieldsView{F: f, P: prefix, L: l, Industries: d.Industries, Kinds: d.ChildKinds}
}

// lifeFields are the date, members and decision fields an upgrade and a
// merge share, with the prefix that keeps their element ids apart.
type lifeFields struct {
	F *Form
	P string
	L Localizer
}

// Life is the shared fields of one lifecycle form.
func (d orgPageData) Life(f *Form, prefix string, l Localizer) lifeFields {
	return lifeFields{F: f, P: prefix, L: l}
}

type officerRow struct {
	domain.Officer
	MaskedPhone string
	InOffice    bool
}

// historyRow is an event with its note made readable: an officer event's
// note is "position:name", an edit's the names of the changed fields.
type historyRow struct {
	domain.OrgEvent
	PositionKey string
	Person      string
	FieldKeys   []string
}

// agreementRow is an agreement with its state as of today.
type agreementRow struct {
	domain.Agreement
	Now     domain.AgreementState
	Renewal bool
}

// EndedOn is the first day the agreement no longer held: the day after
// its validity, or the day it was terminated.
func (r agreementRow) EndedOn() domain.Date {
	if r.Now == domain.AgreementTerminated {
		return r.TerminatedOn
	}
	return r.ValidTo.AddDays(1)
}

// Badge is the badge class of the state.
func (r agreementRow) Badge() string { return stateBadge(r.Now) }

func stateBadge(s domain.AgreementState) string {
	switch s {
	case domain.AgreementInForce:
		return "badge-ok"
	case domain.AgreementPending, domain.AgreementDraft:
		return "badge-warn"
	case domain.AgreementExpired, domain.AgreementTerminated:
		return "badge-muted"
	}
	return ""
}

func rowsOf(as []domain.Agreement, today domain.Date) []agreementRow {
	out := make([]agreementRow, 0, len(as))
	for _, a := range as {
		out = append(out, agreementRow{Agreement: a, Now: a.StateOn(today), Renewal: a.RenewalDue(today)})
	}
	return out
}

func historyOf(es []domain.OrgEvent) []historyRow {
	out := make([]historyRow, 0, len(es))
	for _, e := range es {
		row := historyRow{OrgEvent: e}
		switch e.Kind {
		case domain.EventOfficer:
			if pos, person, ok := strings.Cut(e.Note, ":"); ok {
				row.PositionKey, row.Person, row.Note = "org.position."+pos, person, ""
			}
		case domain.EventEdited:
			for _, f := range strings.Split(e.Note, ",") {
				if f != "" {
					row.FieldKeys = append(row.FieldKeys, "web.org."+f)
				}
			}
			row.Note = ""
		}
		out = append(out, row)
	}
	return out
}

func (h *Handler) org(w http.ResponseWriter, r *http.Request) {
	h.showOrg(w, r, http.StatusOK, orgForms{})
}

// showOrg renders the page of the organization in the path at status,
// with the given forms (a refused one, values kept) and defaults for the
// rest.
func (h *Handler) showOrg(w http.ResponseWriter, r *http.Request, status int, forms orgForms) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.svc.Org(r.Context(), h.principal(r).Actor, domain.OrgID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o := v.Org
	d := orgPageData{View: v, History: historyOf(v.History), Agreements: rowsOf(v.Agreements, h.svc.Today()),
		Sides: []domain.Side{domain.SideOrigin, domain.SideMobile, domain.SideHost}, Industries: industryCodes(),
		Positions: domain.Positions(), Active: o.Status == domain.StatusActive}
	a := h.principal(r).Actor
	d.Dues = a.CanAt(authz.DuesRead, orgTarget(o)).Allowed
	for _, anc := range v.Ancestors {
		// The service names every ancestor; a link is offered only to
		// those the actor may open, so the breadcrumb leads nowhere it
		// would be refused.
		d.Ancestors = append(d.Ancestors, treeNode{Org: anc, Link: a.CanAt(authz.OrgRead, orgTarget(anc)).Allowed})
	}
	for _, off := range v.Officers {
		d.Officers = append(d.Officers, officerRow{Officer: off, MaskedPhone: domain.MaskPhone(off.Phone), InOffice: off.To.IsZero()})
	}
	for _, k := range domain.OrgKinds() {
		if o.Kind.CanContain(k) {
			d.ChildKinds = append(d.ChildKinds, k)
		}
		if o.Kind.CanUpgradeTo(k) {
			d.UpgradeTo = append(d.UpgradeTo, k)
		}
	}
	d.Forms = h.defaultForms(forms, o)
	if d.Rhythm, err = h.orgRhythmFor(r.Context(), a, o.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if forms.failed != nil && !slices.Contains(d.shown(), forms.failed) {
		d.Refused = forms.refused
	}
	h.renderAt(w, r, orgURL(o.ID), status, "org", o.Name, d)
}

// defaultForms fills the forms not given: the edit form with the record
// as it is (and its version), dates with today.
func (h *Handler) defaultForms(f orgForms, o domain.Org) orgForms {
	today := h.svc.Today().String()
	version := strconv.FormatInt(o.Version, 10)
	fill := func(p **Form, values map[string]string) {
		if *p == nil {
			*p = blankForm()
			for k, v := range values {
				(*p).Values[k] = v
			}
		}
	}
	fill(&f.Edit, map[string]string{"name": o.Name, "short_name": o.ShortName, "region_code": o.RegionCode, "industry": o.Industry,
		"founded_on": o.FoundedOn.String(), "phone": o.Phone, "mailbox": o.Mailbox, "version": version})
	fill(&f.Upgrade, map[string]string{"on": today, "version": version})
	fill(&f.Merge, map[string]string{"on": today, "version": version})
	fill(&f.Dissolve, map[string]string{"on": today, "version": version})
	fill(&f.Child, map[string]string{"side": string(o.Side), "founded_on": today, "region_code": o.RegionCode, "industry": o.Industry})
	fill(&f.Officer, map[string]string{"from": today, "position": "secretary"})
	fill(&f.EndTerm, map[string]string{"on": today})
	return f
}

// orgAction runs one change of the organization in the path. Refused for
// a reason that belongs on the form, the page comes back with that form
// (put in place by slot) and the status of the refusal; otherwise the
// browser goes to the page next returns, with flash.
func (h *Handler) orgAction(w http.ResponseWriter, r *http.Request, fields []string, slot func(*orgForms, *Form), flash string,
	do func(id domain.OrgID, f *Form) (next string, err error)) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, fields...)
	next, err := do(domain.OrgID(id), f)
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, fields...)
		forms := orgForms{failed: f, refused: v.L.Err(err)}
		slot(&forms, f)
		h.showOrg(w, r, StatusOf(domain.CodeOf(err)), forms)
		return
	}
	h.flash(w, flash)
	redirect(w, r, next)
}
