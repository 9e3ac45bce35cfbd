package api

import (
	"net/http"
	"strconv"
	"strings"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Organizations: the list (?side, ?under, ?name, ?status), one
// organization with everything its page shows, founding and editing.
// Editing names the version the client saw, in If-Match (the ETag a GET
// returned) or in the body, so two editors cannot overwrite each other.

type orgList struct {
	Orgs []orgDTO `json:"orgs"`
}

func (h *Handler) orgs(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := service.OrgFilter{Side: domain.Side(q.Get("side")), Status: domain.OrgStatus(q.Get("status")), Name: strings.TrimSpace(q.Get("name"))}
	if f.Side != "" && !f.Side.Valid() {
		h.Fail(w, r, c.L, domain.Invalid("side", "web.orgapi.bad_side", nil))
		return
	}
	under, err := positive(q, "under", 0)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	f.Under = domain.OrgID(under)
	list, err := h.svc.ListOrgs(r.Context(), c.Principal.Actor, f)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, orgList{Orgs: toOrgs(list)})
}

// pathID reads a positive numeric path value; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.ErrNotFound
	}
	return n, nil
}

// respondOrg answers with the organization as it now is, its version as
// the ETag.
func (h *Handler) respondOrg(w http.ResponseWriter, r *http.Request, c *Caller, id domain.OrgID, status int) {
	v, err := h.svc.Org(r.Context(), c.Principal.Actor, id)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(v.Org.Version, 10)))
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/orgs/"+strconv.FormatInt(int64(id), 10))
	}
	writeJSON(w, status, toOrgDetail(v, h.svc.Today(), c.L))
}

type orgIn struct {
	ParentID   int64  `json:"parent_id"`
	Name       string `json:"name"`
	ShortName  string `json:"short_name"`
	Side       string `json:"side"`
	Kind       string `json:"kind"`
	RegionCode string `json:"region_code"`
	Industry   string `json:"industry"`
	FoundedOn  string `json:"founded_on"`
	Phone      string `json:"phone"`
	Mailbox    string `json:"mailbox"`
	Members    int    `json:"members"` // at founding, for the history
	Note       string `json:"note"`    // the founding decision
}

// createOrg founds an organization under parent_id, or registers a host
// organization as a root (parent_id absent).
func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in orgIn
	if !h.decode(w, r, &in) {
		return
	}
	founded, err := apiDate("founded_on", in.FoundedOn)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	id, err := h.svc.CreateOrg(r.Context(), c.Principal.Actor, service.NewOrg{ParentID: domain.OrgID(in.ParentID), Name: in.Name,
		ShortName: in.ShortName, Side: domain.Side(in.Side), Kind: domain.OrgKind(in.Kind), RegionCode: in.RegionCode,
		Industry: in.Industry, FoundedOn: founded, Phone: in.Phone, Mailbox: in.Mailbox, Members: in.Members, Note: in.Note})
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondOrg(w, r, c, id, http.StatusCreated)
}

// orgPatch changes only the fields it carries.
type orgPatch struct {
	Name       *string `json:"name"`
	ShortName  *string `json:"short_name"`
	RegionCode *string `json:"region_code"`
	Industry   *string `json:"industry"`
	FoundedOn  *string `json:"founded_on"`
	Phone      *string `json:"phone"`
	Mailbox    *string `json:"mailbox"`
	Version    *int64  `json:"version"`
}

// ifMatch reads the version of an If-Match header: the ETag a GET gave,
// "3" or W/"3"; zero when absent or not a version.
func ifMatch(r *http.Request) int64 {
	v := strings.TrimPrefix(strings.TrimSpace(r.Header.Get("If-Match")), "W/")
	n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

func (h *Handler) patchOrg(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	var p orgPatch
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
	cur, err := h.svc.Org(r.Context(), a, domain.OrgID(id))
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	o := cur.Org
	e := service.OrgEdit{Name: o.Name, ShortName: o.ShortName, RegionCode: o.RegionCode, Industry: o.Industry, Phone: o.Phone,
		Mailbox: o.Mailbox, FoundedOn: o.FoundedOn, Version: version}
	for _, f := range []struct {
		in  *string
		out *string
	}{{p.Name, &e.Name}, {p.ShortName, &e.ShortName}, {p.RegionCode, &e.RegionCode}, {p.Industry, &e.Industry},
		{p.Phone, &e.Phone}, {p.Mailbox, &e.Mailbox}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	if p.FoundedOn != nil {
		if e.FoundedOn, err = apiDate("founded_on", *p.FoundedOn); err != nil {
			h.Fail(w, r, c.L, err)
			return
		}
	}
	if err := h.svc.EditOrg(r.Context(), a, domain.OrgID(id), e); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondOrg(w, r, c, domain.OrgID(id), http.StatusOK)
}
