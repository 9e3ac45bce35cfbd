package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// People: the list (GET with the filters in the query), the search with a
// text (POST, the text in a JSON body: it may be an ID number or a phone,
// which must never appear in a URL), one person, registration, and the
// audited reveal of one sensitive field.

// maxPersonLimit is the largest page a client may ask for.
const maxPersonLimit = 500

func (h *Handler) people(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	f, err := personQuery(r.URL.Query())
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondPeople(w, r, c, f)
}

// personQuery reads the list's filters from a query. A text there is
// refused rather than ignored: the client would get a wider list than it
// asked for, and should learn to send the text by POST.
func personQuery(q url.Values) (service.PersonSearch, error) {
	for _, k := range []string{"text", "q"} {
		if q.Has(k) {
			return service.PersonSearch{}, domain.Invalid(k, "web.person.api.text_in_url", nil)
		}
	}
	in := personSearchIn{Employer: q.Get("employer"), Status: q.Get("status"), CityCode: q.Get("city_code"), Industry: q.Get("industry"),
		After: q.Get("after")}
	org, err := positive(q, "org", 0)
	if err != nil {
		return service.PersonSearch{}, err
	}
	in.OrgID = org
	limit, err := positive(q, "limit", 50)
	if err != nil || limit > maxPersonLimit {
		return service.PersonSearch{}, domain.Invalid("limit", "web.api.bad_limit", map[string]any{"Max": maxPersonLimit})
	}
	in.Limit = int(limit)
	switch strings.ToLower(q.Get("members")) {
	case "":
	case "true", "1":
		yes := true
		in.Members = &yes
	case "false", "0":
		no := false
		in.Members = &no
	default:
		return service.PersonSearch{}, domain.Invalid("members", "web.person.api.bad_members", nil)
	}
	return in.search()
}

// personSearchIn is the body of POST /people/search.
type personSearchIn struct {
	Text     string `json:"text"`
	Employer string `json:"employer"`
	OrgID    int64  `json:"org_id"`
	Status   string `json:"status"`
	Members  *bool  `json:"members"`
	CityCode string `json:"city_code"`
	Industry string `json:"industry"`
	After    string `json:"after"`
	Limit    int    `json:"limit"`
}

func (in personSearchIn) search() (service.PersonSearch, error) {
	f := service.PersonSearch{Text: in.Text, Employer: in.Employer, Org: domain.OrgID(in.OrgID), Members: in.Members,
		CityCode: strings.TrimSpace(in.CityCode), Industry: strings.TrimSpace(in.Industry), Limit: in.Limit}
	if in.Status != "" {
		if f.Status = domain.MemberStatus(in.Status); !f.Status.Valid() {
			return f, domain.Invalid("status", "web.person.api.bad_status", nil)
		}
	}
	if in.Industry != "" && !domain.ValidIndustry(strings.ToUpper(f.Industry)) {
		return f, domain.Invalid("industry", "org.industry_invalid", map[string]any{"Value": in.Industry})
	}
	if in.Limit < 0 || in.Limit > maxPersonLimit {
		return f, domain.Invalid("limit", "web.api.bad_limit", map[string]any{"Max": maxPersonLimit})
	}
	var err error
	f.After, err = decodeCursor(in.After)
	return f, err
}

// searchPeople is the list with a text, by POST.
func (h *Handler) searchPeople(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in personSearchIn
	if !h.decode(w, r, &in) {
		return
	}
	f, err := in.search()
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondPeople(w, r, c, f)
}

func (h *Handler) respondPeople(w http.ResponseWriter, r *http.Request, c *Caller, f service.PersonSearch) {
	f.Summary = true
	page, err := h.svc.SearchPersons(r.Context(), c.Principal.Actor, f)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writePersonList(w, page.People, page.Total, page.TotalCapped, encodeCursor(page.Next))
}

func (h *Handler) respondPerson(w http.ResponseWriter, r *http.Request, c *Caller, id domain.PersonID, status int) {
	p, err := h.svc.Person(r.Context(), c.Principal.Actor, id)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(p.Version, 10)))
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/people/"+strconv.FormatInt(int64(id), 10))
	}
	writePerson(w, status, &p)
}

type membershipIn struct {
	Status        string `json:"status"`
	JoinedOn      string `json:"joined_on"`
	FullOn        string `json:"full_on"`
	MobileID      int64  `json:"mobile_id"`
	CertificateNo string `json:"certificate_no"`
	CertificateTo string `json:"certificate_to"`
}

// personIn is a new person. The ID number and phone come in clear (in the
// body) and are sealed by the service; the answer shows them masked. A
// member's home organization is the origin.
type personIn struct {
	Name            string        `json:"name"`
	Gender          string        `json:"gender"`
	Ethnicity       string        `json:"ethnicity"`
	IDNumber        string        `json:"id_number"`
	Phone           string        `json:"phone"`
	Education       string        `json:"education"`
	HometownCode    string        `json:"hometown_code"`
	HometownVillage string        `json:"hometown_village"`
	LeftHomeOn      string        `json:"left_home_on"`
	CityCode        string        `json:"city_code"`
	DistrictCode    string        `json:"district_code"`
	Address         string        `json:"address"`
	Employer        string        `json:"employer"`
	EmployerUSCC    string        `json:"employer_uscc"`
	Industry        string        `json:"industry"`
	Occupation      string        `json:"occupation"`
	OriginID        int64         `json:"origin_id"`
	Membership      *membershipIn `json:"membership"`
}

func (in personIn) newPerson() (service.NewPerson, error) {
	p := service.NewPerson{Name: in.Name, Gender: in.Gender, Ethnicity: in.Ethnicity, IDNumber: in.IDNumber, Phone: in.Phone,
		Education: in.Education, HometownCode: in.HometownCode, HometownVillage: in.HometownVillage, CityCode: in.CityCode,
		DistrictCode: in.DistrictCode, Address: in.Address, Employer: in.Employer, EmployerUSCC: in.EmployerUSCC,
		Industry: in.Industry, Occupation: in.Occupation, OriginOrgID: domain.OrgID(in.OriginID)}
	var err error
	if p.LeftHomeOn, err = apiDate("left_home_on", in.LeftHomeOn); err != nil {
		return p, err
	}
	if m := in.Membership; m != nil {
		ms := &domain.Membership{Status: domain.MemberStatus(m.Status), HomeOrgID: p.OriginOrgID, MobileOrgID: domain.OrgID(m.MobileID),
			CertificateNo: strings.TrimSpace(m.CertificateNo)}
		for _, d := range []struct {
			field, in string
			out       *domain.Date
		}{{"membership.joined_on", m.JoinedOn, &ms.JoinedOn}, {"membership.full_on", m.FullOn, &ms.FullOn},
			{"membership.certificate_to", m.CertificateTo, &ms.CertificateTo}} {
			if *d.out, err = apiDate(d.field, d.in); err != nil {
				return p, err
			}
		}
		p.Membership = ms
	}
	return p, nil
}

// createPerson registers a person and answers with it, masked.
func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in personIn
	if !h.decode(w, r, &in) {
		return
	}
	np, err := in.newPerson()
	var id domain.PersonID
	if err == nil {
		id, err = h.svc.CreatePerson(r.Context(), c.Principal.Actor, np)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondPerson(w, r, c, id, http.StatusCreated)
}

type revealIn struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// revealPerson answers one field's clear value. The service refuses
// without the capability where the person belongs (403), hides a person
// out of reach (404), wants a reason, and audits every reveal before it
// returns the value.
func (h *Handler) revealPerson(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	var in revealIn
	if !h.decode(w, r, &in) {
		return
	}
	value, err := h.svc.Reveal(r.Context(), c.Principal.Actor, domain.PersonID(id), in.Field, in.Reason)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, revealDTO{Field: in.Field, Value: value})
}
