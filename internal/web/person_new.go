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

// Registering one person, member or not. The checks (the ID number's check
// character, the phone, the credit code, names, region codes, the
// organizations and who may write there) are the service's; a refusal
// comes back beside its field with everything typed kept — the ID number
// and phone too, since the official typed them and must correct them. The
// answer is the POST's own page, so they never travel in an address.

// personFields are the registration form's fields.
var personFields = []string{"name", "gender", "ethnicity", "id_number", "phone", "education", "hometown_code", "hometown_village",
	"left_home_on", "city_code", "district_code", "address", "employer", "employer_uscc", "industry", "occupation", "origin_org",
	"member", "status", "joined_on", "full_on", "mobile_org", "certificate_no", "certificate_to"}

// personErrorFields are the fields a refusal may name on the form; the
// service's "home_org" (the home branch must be the origin) is about the
// origin select.
var personErrorFields = []string{"name", "gender", "ethnicity", "id_number", "phone", "hometown_code", "left_home_on", "city_code",
	"district_code", "employer_uscc", "industry", "origin_org", "status", "joined_on", "full_on", "mobile_org", "certificate_to"}

type personNewData struct {
	Form       *Form
	Origins    []domain.Org // where the actor may register people
	Mobile     []domain.Org // active mobile organizations it sees
	Ethnic     []idcheck.EthnicGroup
	Statuses   []domain.MemberStatus
	Industries []string
}

// StatusKeyOf is the catalogue key of a status, for the select.
func (d personNewData) StatusKeyOf(s domain.MemberStatus) string { return statusKeyOf(s) }

// Selected reports whether an organization is the form's choice of field.
func (d personNewData) Selected(field string, id domain.OrgID) bool {
	return d.Form.Get(field) == strconv.FormatInt(int64(id), 10)
}

func (h *Handler) personNew(w http.ResponseWriter, r *http.Request) {
	h.showPersonNew(w, r, http.StatusOK, blankForm())
}

func (h *Handler) showPersonNew(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !canSomewhere(a, authz.PersonWrite) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	d, err := h.personChoices(ctx, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Form = f
	if f.Get("origin_org") == "" && len(d.Origins) > 0 {
		f.Values["origin_org"] = strconv.FormatInt(int64(d.Origins[0].ID), 10)
	}
	h.renderAt(w, r, "/people/new", status, "person_new", "web.person.new_title", d)
}

// personChoices fills the form's selects: origin organizations where the
// actor may register people, and the active mobile organizations it sees.
func (h *Handler) personChoices(ctx context.Context, a *authz.Actor) (personNewData, error) {
	d := personNewData{Ethnic: idcheck.EthnicGroups(), Statuses: domain.MemberStatuses(), Industries: industryCodes()}
	active := domain.StatusActive
	origins, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: domain.SideOrigin, Status: active})
	if err != nil {
		return d, err
	}
	for _, o := range origins {
		if a.CanAt(authz.PersonWrite, orgTarget(o)).Allowed {
			d.Origins = append(d.Origins, o)
		}
	}
	d.Mobile, err = h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: domain.SideMobile, Status: active})
	return d, err
}

// createPerson registers the person and shows its page.
func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, personFields...)
	in, err := newPersonFrom(f)
	var id domain.PersonID
	if err == nil {
		id, err = h.svc.CreatePerson(r.Context(), v.Principal.Actor, in)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		if domain.AsError(err).Field == "home_org" {
			f.Errors["origin_org"] = v.L.Err(err)
		} else {
			f.Fail(v.L, err, personErrorFields...)
		}
		h.showPersonNew(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "web.person.flash.created")
	redirect(w, r, personURL(id))
}

// newPersonFrom reads the form. The membership is recorded only when the
// "member" box is ticked; its home organization is the origin, as the
// service requires.
func newPersonFrom(f *Form) (service.NewPerson, error) {
	p := &formReader{f: f}
	in := service.NewPerson{Name: f.Get("name"), Gender: f.Get("gender"), Ethnicity: f.Get("ethnicity"), IDNumber: f.Get("id_number"),
		Phone: f.Get("phone"), Education: f.Get("education"), HometownCode: strings.TrimSpace(f.Get("hometown_code")),
		HometownVillage: f.Get("hometown_village"), LeftHomeOn: p.date("left_home_on"), CityCode: strings.TrimSpace(f.Get("city_code")),
		DistrictCode: strings.TrimSpace(f.Get("district_code")), Address: f.Get("address"), Employer: f.Get("employer"),
		EmployerUSCC: strings.TrimSpace(f.Get("employer_uscc")), Industry: f.Get("industry"), Occupation: f.Get("occupation")}
	origin, err := strconv.ParseInt(f.Get("origin_org"), 10, 64)
	if err != nil || origin <= 0 {
		p.fail("origin_org", "person.origin_invalid")
	}
	in.OriginOrgID = domain.OrgID(origin)
	if f.Get("member") != "" {
		m := &domain.Membership{Status: domain.MemberStatus(f.Get("status")), JoinedOn: p.date("joined_on"), FullOn: p.date("full_on"),
			HomeOrgID: in.OriginOrgID, CertificateNo: strings.TrimSpace(f.Get("certificate_no")), CertificateTo: p.date("certificate_to")}
		if s := f.Get("mobile_org"); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				p.fail("mobile_org", "person.mobile_invalid")
			}
			m.MobileOrgID = domain.OrgID(n)
		}
		in.Membership = m
	}
	return in, p.err
}

// textField is one text input of the form, for its shared template.
type textField struct {
	F       *Form
	L       Localizer
	K       string // the field's name and the last part of its label key
	Type    string
	Max     int
	Req     bool
	Numeric bool
	Hint    string // a message key, or ""
}

// Text describes a text input of the form.
func (d personNewData) Text(l Localizer, k, typ string, max int, req bool, hint string) textField {
	return textField{F: d.Form, L: l, K: k, Type: typ, Max: max, Req: req, Numeric: strings.HasSuffix(k, "_code"), Hint: hint}
}
