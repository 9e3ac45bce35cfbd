package api

import (
	"net/http"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// personPatch changes the fields it names; the ID number and phone, in
// clear, replace the stored ones (the ID number only with the
// sensitive-data permission).
type personPatch struct {
	Name            *string `json:"name"`
	Gender          *string `json:"gender"`
	Ethnicity       *string `json:"ethnicity"`
	IDNumber        *string `json:"id_number"`
	Phone           *string `json:"phone"`
	Education       *string `json:"education"`
	HometownCode    *string `json:"hometown_code"`
	HometownVillage *string `json:"hometown_village"`
	LeftHomeOn      *string `json:"left_home_on"`
	CityCode        *string `json:"city_code"`
	DistrictCode    *string `json:"district_code"`
	Address         *string `json:"address"`
	Employer        *string `json:"employer"`
	EmployerUSCC    *string `json:"employer_uscc"`
	Industry        *string `json:"industry"`
	Occupation      *string `json:"occupation"`
	Version         *int64  `json:"version"`
}

// apply lays the patch over the person as it stands.
func (p personPatch) apply(cur domain.Person) (service.NewPerson, error) {
	in := service.NewPerson{Name: cur.Name, Ethnicity: cur.Ethnicity, Education: cur.Education, HometownCode: cur.HometownCode,
		HometownVillage: cur.HometownVillage, LeftHomeOn: cur.LeftHomeOn, CityCode: cur.CityCode, DistrictCode: cur.DistrictCode,
		Address: cur.Address, Employer: cur.Employer, EmployerUSCC: cur.EmployerUSCC, Industry: cur.Industry, Occupation: cur.Occupation}
	if cur.Gender == 1 || cur.Gender == 2 {
		in.Gender = strconv.Itoa(cur.Gender)
	}
	for _, f := range []struct {
		in  *string
		out *string
	}{{p.Name, &in.Name}, {p.Gender, &in.Gender}, {p.Ethnicity, &in.Ethnicity}, {p.IDNumber, &in.IDNumber}, {p.Phone, &in.Phone},
		{p.Education, &in.Education}, {p.HometownCode, &in.HometownCode}, {p.HometownVillage, &in.HometownVillage},
		{p.CityCode, &in.CityCode}, {p.DistrictCode, &in.DistrictCode}, {p.Address, &in.Address}, {p.Employer, &in.Employer},
		{p.EmployerUSCC, &in.EmployerUSCC}, {p.Industry, &in.Industry}, {p.Occupation, &in.Occupation}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	var err error
	if p.LeftHomeOn != nil {
		in.LeftHomeOn, err = apiDate("left_home_on", *p.LeftHomeOn)
	}
	return in, err
}

// patchPerson edits a person and answers with it, masked.
func (h *Handler) patchPerson(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	var p personPatch
	if !h.decode(w, r, &p) {
		return
	}
	version := ifMatch(r)
	if p.Version != nil {
		version = *p.Version
	}
	if version <= 0 {
		h.Error(w, r, c.L, http.StatusPreconditionRequired, string(domain.CodeInvalid), "web.orgapi.version_required")
		return
	}
	a := c.Principal.Actor
	cur, err := h.svc.Person(r.Context(), a, domain.PersonID(id))
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	in, err := p.apply(cur)
	if err == nil {
		err = h.svc.UpdatePerson(r.Context(), a, cur.ID, in, version)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondPerson(w, r, c, cur.ID, http.StatusOK)
}

type membershipChangeIn struct {
	Status   string `json:"status"`
	JoinedOn string `json:"joined_on"`
	FullOn   string `json:"full_on"`
	HomeID   int64  `json:"home_id"`
	On       string `json:"on"`
	Reason   string `json:"reason"`
	Version  int64  `json:"version"`
}

// changeMembership records a membership change (status, dates, transfer)
// with its reason, and answers with the person.
func (h *Handler) changeMembership(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	var in membershipChangeIn
	if !h.decode(w, r, &in) {
		return
	}
	if in.Version <= 0 {
		h.Error(w, r, c.L, http.StatusPreconditionRequired, string(domain.CodeInvalid), "web.orgapi.version_required")
		return
	}
	m := service.MembershipChange{Status: domain.MemberStatus(in.Status), HomeOrgID: domain.OrgID(in.HomeID), Reason: in.Reason,
		Version: in.Version}
	var err error
	for _, d := range []struct {
		field, in string
		out       *domain.Date
	}{{"joined_on", in.JoinedOn, &m.JoinedOn}, {"full_on", in.FullOn, &m.FullOn}, {"on", in.On, &m.On}} {
		if err == nil {
			*d.out, err = apiDate(d.field, d.in)
		}
	}
	if err == nil {
		err = h.svc.ChangeMembership(r.Context(), c.Principal.Actor, domain.PersonID(id), m)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondPerson(w, r, c, domain.PersonID(id), http.StatusOK)
}
