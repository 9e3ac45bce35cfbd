package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/service"
)

// Editing a person (/people/{id}/edit): the record's own fields in one
// form, the membership (status, dates, home organization — a transfer) in
// another with the reason the history keeps. The masked ID number and
// phone are never put back into a field: left empty they stay as stored,
// typed anew they replace it (the ID number only for those who may see
// it). A refusal comes back beside its field and changes nothing.

// personEditFields are the person form's fields.
var personEditFields = []string{"name", "gender", "ethnicity", "id_number", "phone", "education", "hometown_code",
	"hometown_village", "left_home_on", "city_code", "district_code", "address", "employer", "employer_uscc", "industry",
	"occupation", "version"}

// membershipFields are the membership form's fields.
var membershipFields = []string{"status", "joined_on", "full_on", "home_org", "on", "reason", "version"}

type personEditData struct {
	P          personRow
	Form       *Form
	MForm      *Form
	Ethnic     []idcheck.EthnicGroup
	Statuses   []domain.MemberStatus
	Industries []string
	Homes      []domain.Org // origin organizations the visitor may move the home to
	CanID      bool         // may replace the ID number
}

// Text describes a text input of the person form.
func (d personEditData) Text(l Localizer, k, typ string, max int, req bool, hint string) textField {
	return textField{F: d.Form, L: l, K: k, Type: typ, Max: max, Req: req, Numeric: strings.HasSuffix(k, "_code"), Hint: hint}
}

// MText describes a text input of the membership form.
func (d personEditData) MText(l Localizer, k, typ string, max int, req bool, hint string) textField {
	return textField{F: d.MForm, L: l, K: k, Type: typ, Max: max, Req: req, Hint: hint}
}

// StatusKeyOf is the catalogue key of a status, for the select.
func (d personEditData) StatusKeyOf(s domain.MemberStatus) string { return statusKeyOf(s) }

// HomeSelected reports whether an organization is the membership form's
// home.
func (d personEditData) HomeSelected(id domain.OrgID) bool {
	return d.MForm.Get("home_org") == strconv.FormatInt(int64(id), 10)
}

func personEditURL(id domain.PersonID) string { return personURL(id) + "/edit" }

func (h *Handler) personEdit(w http.ResponseWriter, r *http.Request) {
	h.showPersonEdit(w, r, http.StatusOK, nil, nil)
}

// showPersonEdit renders the edit page; a nil form is filled from the
// record as it stands.
func (h *Handler) showPersonEdit(w http.ResponseWriter, r *http.Request, status int, f, mf *Form) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, a := r.Context(), h.principal(r).Actor
	p, err := h.svc.Person(ctx, a, domain.PersonID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.svc.CanWritePerson(ctx, a, p.ID) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	d := personEditData{P: personRow{p}, Form: f, MForm: mf, Ethnic: idcheck.EthnicGroups(), Statuses: domain.MemberStatuses(),
		Industries: industryCodes(), CanID: canSomewhere(a, authz.SensitiveRead)}
	if d.Form == nil {
		d.Form = personEditForm(p)
	}
	if d.MForm == nil {
		d.MForm = membershipForm(p)
	}
	if d.Homes, err = h.homeChoices(ctx, a, p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAt(w, r, personEditURL(p.ID), status, "person_edit", p.Name, d)
}

// homeChoices are the other active origin organizations where the
// visitor may write people: where a member may be transferred to.
func (h *Handler) homeChoices(ctx context.Context, a *authz.Actor, p domain.Person) ([]domain.Org, error) {
	if p.Membership == nil {
		return nil, nil
	}
	list, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: domain.SideOrigin, Status: domain.StatusActive})
	var out []domain.Org
	for _, o := range list {
		if o.ID != p.Membership.HomeOrgID && a.CanAt(authz.PersonWrite, orgTarget(o)).Allowed {
			out = append(out, o)
		}
	}
	return out, err
}

// personEditForm is the person form with the record's values.
func personEditForm(p domain.Person) *Form {
	f := blankForm()
	for k, v := range map[string]string{"name": p.Name, "ethnicity": p.Ethnicity, "education": p.Education,
		"hometown_code": p.HometownCode, "hometown_village": p.HometownVillage, "left_home_on": p.LeftHomeOn.String(),
		"city_code": p.CityCode, "district_code": p.DistrictCode, "address": p.Address, "employer": p.Employer,
		"employer_uscc": p.EmployerUSCC, "industry": p.Industry, "occupation": p.Occupation,
		"version": strconv.FormatInt(p.Version, 10)} {
		f.Values[k] = v
	}
	if p.Gender == 1 || p.Gender == 2 {
		f.Values["gender"] = strconv.Itoa(p.Gender) // GB/T 2261.1, which the service reads
	}
	return f
}

// membershipForm is the membership form with the record's values.
func membershipForm(p domain.Person) *Form {
	f := blankForm()
	if m := p.Membership; m != nil {
		f.Values["status"], f.Values["joined_on"], f.Values["full_on"] = string(m.Status), m.JoinedOn.String(), m.FullOn.String()
		f.Values["home_org"], f.Values["version"] = strconv.FormatInt(int64(m.HomeOrgID), 10), strconv.FormatInt(m.Version, 10)
	}
	return f
}

// updatePerson takes the person form.
func (h *Handler) updatePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, personEditFields...)
	in, err := newPersonFrom(f)
	if err != nil && domain.AsError(err).Field == "origin_org" {
		err = nil // the edit keeps the organizations; the form has no origin
	}
	if err == nil {
		version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
		err = h.svc.UpdatePerson(r.Context(), v.Principal.Actor, domain.PersonID(id), in, version)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, personErrorFields...)
		h.showPersonEdit(w, r, StatusOf(domain.CodeOf(err)), f, nil)
		return
	}
	h.flash(w, "flash.saved")
	redirect(w, r, personURL(domain.PersonID(id)))
}

// changeMembership takes the membership form.
func (h *Handler) changeMembership(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, membershipFields...)
	p := &formReader{f: f}
	in := service.MembershipChange{Status: domain.MemberStatus(f.Get("status")), JoinedOn: p.date("joined_on"),
		FullOn: p.date("full_on"), On: p.date("on"), Reason: f.Get("reason")}
	home, herr := strconv.ParseInt(f.Get("home_org"), 10, 64)
	if herr != nil || home <= 0 {
		p.fail("home_org", "membership.home_invalid")
	}
	in.HomeOrgID = domain.OrgID(home)
	in.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	if err = p.err; err == nil {
		err = h.svc.ChangeMembership(r.Context(), v.Principal.Actor, domain.PersonID(id), in)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "status", "joined_on", "full_on", "home_org", "on", "reason")
		h.showPersonEdit(w, r, StatusOf(domain.CodeOf(err)), nil, f)
		return
	}
	h.flash(w, "flash.saved")
	redirect(w, r, personURL(domain.PersonID(id)))
}
