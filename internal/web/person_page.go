package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// One person's page: the record with its ID number and phone masked, the
// membership, and a form per sensitive field to reveal its clear value.
// A reveal is a POST with a stated reason; the clear value appears only in
// the answer to that POST (pages are never cached: the server sends
// Cache-Control: no-store), never in an address or a flash cookie, and the
// service writes the audit entry before it hands the value over.

func personURL(id domain.PersonID) string { return "/people/" + strconv.FormatInt(int64(id), 10) }

// revealFields are the fields a reveal form may name, in page order.
var revealFields = []string{"id_number", "phone"}

type personPageData struct {
	P personRow
	// CanReveal shows the reveal forms: the account may reveal somewhere.
	// The service decides for this person, and refuses with a reason.
	CanReveal bool
	Reveal    *Form  // the reveal form that came back with an error, or nil
	Refused   string // a refusal of the whole action (no capability here)
	Field     string // the field just revealed
	Value     string // its clear value, shown once
	Revealed  bool
	History   []store.PersonEvent // newest first
	// ContactForm is the contact form that came back with an error, or
	// nil; Contacts is the contact section (partials/person_contacts.html).
	ContactForm *Form
	Contacts    contactsView
	CanEdit     bool
	// Attendance is the attendance section (partials/person_attendance.html).
	Attendance *attendanceView
	Placement  *placementView // suggestions for those who may place the member (placement.go)
	// Conduct is the member's feedback and evaluations, for a reader on
	// either side of them; nil leaves the section out.
	Conduct *service.ConductRecord

	// Dues is the dues card (dues_cards.go); nil: none to show.
	Dues *service.MemberDues
	// Development is the person's development cases (partials/development.html); nil: none to show.
	Development *service.PersonDevelopment
}

// RevealForm is the form of one field: the one that failed keeps its
// reason and error; the others are blank.
func (d personPageData) RevealForm(field string) *Form {
	if d.Reveal != nil && d.Reveal.Get("field") == field {
		return d.Reveal
	}
	return blankForm()
}

// Has reports whether the record holds a value of the sensitive field.
func (d personPageData) Has(field string) bool {
	if field == "phone" {
		return d.P.Phone != ""
	}
	return d.P.IDNumber != ""
}

// FieldKey is the catalogue key of a sensitive field's name.
func (d personPageData) FieldKey(field string) string { return "web.person." + field }

// Fields are the sensitive fields in page order.
func (d personPageData) Fields() []string { return revealFields }

func (h *Handler) person(w http.ResponseWriter, r *http.Request) {
	h.showPerson(w, r, http.StatusOK, personPageData{})
}

// showPerson reads the person in the path and renders its page with what
// a reveal left in d.
func (h *Handler) showPerson(w http.ResponseWriter, r *http.Request, status int, d personPageData) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := h.principal(r).Actor
	p, err := h.svc.Person(r.Context(), a, domain.PersonID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.P, d.CanReveal = personRow{p}, canSomewhere(a, authz.SensitiveRead)
	if d.History, err = h.svc.PersonHistory(r.Context(), a, p.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Contacts, err = h.contactsFor(r.Context(), a, p.ID, d.ContactForm); err != nil {
		h.fail(w, r, err)
		return
	}
	d.CanEdit = d.Contacts.CanWrite
	if d.Attendance, err = h.personAttendanceFor(r.Context(), r, a, p); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Placement = h.placementFor(r, a, p, d.History)
	if d.Conduct, err = h.svc.MemberConduct(r.Context(), a, p.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Dues = h.personDues(r, p.ID)
	if d.Development, err = h.svc.DevelopmentOf(r.Context(), a, p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAt(w, r, personURL(p.ID), status, "person", p.Name, d)
}

// revealPerson shows one sensitive field in clear on the person's page.
// Without the capability where the person belongs the page comes back
// with the refusal (403); a person out of reach is not found.
func (h *Handler) revealPerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, "field", "reason")
	value, err := h.svc.Reveal(r.Context(), v.Principal.Actor, domain.PersonID(id), f.Get("field"), f.Get("reason"))
	switch code := domain.CodeOf(err); {
	case err == nil:
		h.showPerson(w, r, http.StatusOK, personPageData{Field: f.Get("field"), Value: value, Revealed: true})
	case code == domain.CodeForbidden:
		h.showPerson(w, r, http.StatusForbidden, personPageData{Refused: v.L.T("web.person.reveal_refused")})
	case formError(err):
		f.Fail(v.L, err, "reason")
		h.showPerson(w, r, StatusOf(code), personPageData{Reveal: f, Refused: refusedUnlessShown(f)})
	default:
		h.fail(w, r, err)
	}
}

// refusedUnlessShown lifts a form's message above the page when it names
// a field no form shows (a garbled field name).
func refusedUnlessShown(f *Form) string {
	for _, k := range revealFields {
		if f.Get("field") == k {
			return ""
		}
	}
	return f.Error
}
