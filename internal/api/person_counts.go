package api

import (
	"net/http"

	"gongjian/internal/region"
	"gongjian/internal/service"
)

// GET /people/counts?by=org|city counts the people in the caller's scope
// by organization or by city, with the list's filters (org, status,
// members, city_code, industry, employer) in the query.

type orgCountDTO struct {
	Org   orgRefDTO `json:"org"`
	Side  string    `json:"side"`
	Kind  string    `json:"kind"`
	Count int       `json:"count"`
}

type cityCountDTO struct {
	Code  string `json:"code"` // "" for people whose place of work is not known
	Name  string `json:"name,omitempty"`
	Count int    `json:"count"`
}

type personCountsDTO struct {
	By     string         `json:"by"`
	Total  int            `json:"total"`
	Orgs   []orgCountDTO  `json:"orgs,omitempty"`
	Cities []cityCountDTO `json:"cities,omitempty"`
}

func (h *Handler) countPeople(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	f, err := personQuery(r.URL.Query())
	var counts service.PersonCounts
	if err == nil {
		counts, err = h.svc.CountPersons(r.Context(), c.Principal.Actor, service.PersonCountBy(r.URL.Query().Get("by")), f)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := personCountsDTO{By: string(counts.By), Total: counts.Total}
	for _, o := range counts.Orgs {
		out.Orgs = append(out.Orgs, orgCountDTO{Org: orgRefDTO{ID: int64(o.Org.ID), Name: o.Org.Name}, Side: string(o.Org.Side),
			Kind: string(o.Org.Kind), Count: o.Count})
	}
	for _, x := range counts.Cities {
		d := cityCountDTO{Code: x.CityCode, Count: x.Count}
		if reg, ok := region.Lookup(x.CityCode); ok {
			d.Name = reg.Name
		}
		out.Cities = append(out.Cities, d)
	}
	writeJSON(w, http.StatusOK, out)
}
