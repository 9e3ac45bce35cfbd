package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/service"
)

// The people list: one search box (name, pinyin, initials, ID number or
// phone — the service reads its shape), filters, results in pinyin order
// with keyset paging, masked ID numbers and phones, and the exports.
//
// Nothing sensitive goes into an address (ASVS 14.2.1): a search text with
// a digit in it may be an ID number or a phone, so it travels only in a
// POST body and its results are rendered in the answer to that POST — no
// redirect, no "next page" link carrying it. Other searches are
// POST/redirect/GET like every form, so their results can be bookmarked.
// The cursor of a GET page holds a pinyin sort key and a row id, encoded
// so that it reads as the opaque token it is.

const personPageSize = 50

// personFilterFields are the filter fields of the page, its exports and
// its "next page" form, in the order they are carried.
var personFilterFields = []string{"q", "org", "org_name", "status", "members", "city", "industry", "employer"}

// sensitiveText reports whether a search text must stay out of URLs: any
// digit may belong to an ID number or a phone, and no name or pinyin has
// one.
func sensitiveText(s string) bool { return strings.ContainsFunc(s, unicode.IsDigit) }

// hiddenField is one value a form carries along unseen.
type hiddenField struct{ Name, Value string }

type personListData struct {
	Form       *Form
	Rows       []personRow
	Total      int
	Capped     bool          // Total is a lower bound
	Searched   bool          // the page shows results (not a refused filter)
	Posted     bool          // the results answer a POST: paging and exports go by POST too
	Hidden     []hiddenField // the current filter, for the POST forms
	NextURL    string        // GET paging; "" on the last page or when Posted
	NextAfter  string        // POST paging: the cursor of the next page
	FirstURL   string        // back to the first page, when paging
	Notice     string        // message key: the text of a GET address was ignored
	Orgs       []orgOption
	Statuses   []domain.MemberStatus
	Industries []string
	CanClear   bool // may ask for clear values in an export somewhere
	CanCreate  bool
}

// orgOption is an organization in the filter's select, indented by depth
// and grouped by side.
type orgOption struct {
	ID     domain.OrgID
	Label  string
	Side   domain.Side
	Group  bool // the first of its side: opens an <optgroup>
	Closes bool // the last of its side: closes it
}

// encodeCursor and decodeCursor turn the service's cursor into the token
// pages and the API carry, and back; a token that does not decode is no
// cursor at all (the first page).
func encodeCursor(s string) string {
	if s == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeCursor(s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.Contains(string(b), "\x00") {
		return ""
	}
	return string(b)
}

// filterForm copies the filter fields of vals into a form.
func filterForm(vals url.Values) *Form {
	f := blankForm()
	for _, k := range personFilterFields {
		f.Values[k] = strings.TrimSpace(vals.Get(k))
	}
	return f
}

// filterValues is the filter of f as URL values, without empty ones.
func filterValues(f *Form) url.Values {
	out := url.Values{}
	for _, k := range personFilterFields {
		if v := f.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// personSearch reads the filter into the service's terms. An organization
// typed by name is looked up among those the actor sees; unknown values of
// the selects are ignored, as a stale bookmark should still show a list.
func (h *Handler) personSearch(ctx context.Context, a *authz.Actor, f *Form) (service.PersonSearch, error) {
	s := service.PersonSearch{Text: f.Get("q"), Employer: f.Get("employer"), CityCode: f.Get("city"),
		Industry: strings.ToUpper(f.Get("industry")), Limit: personPageSize}
	if st := domain.MemberStatus(f.Get("status")); st.Valid() {
		s.Status = st
	}
	switch f.Get("members") {
	case "1":
		yes := true
		s.Members = &yes
	case "0":
		no := false
		s.Members = &no
	}
	if !domain.ValidIndustry(s.Industry) {
		s.Industry = ""
	}
	if n, err := strconv.ParseInt(f.Get("org"), 10, 64); err == nil && n > 0 {
		s.Org = domain.OrgID(n)
	} else if name := f.Get("org_name"); name != "" {
		id, err := h.orgNamed(ctx, a, name)
		if err != nil {
			return s, err
		}
		s.Org = id
	}
	return s, nil
}

// orgNamed finds the one visible origin or mobile organization whose full
// or short name is name, or else the only one whose name contains it.
func (h *Handler) orgNamed(ctx context.Context, a *authz.Actor, name string) (domain.OrgID, error) {
	var partial []domain.Org
	for _, side := range []domain.Side{domain.SideOrigin, domain.SideMobile} {
		list, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: side, Name: name})
		if err != nil {
			return 0, err
		}
		for _, o := range list {
			if o.Name == name || o.ShortName == name {
				return o.ID, nil
			}
		}
		partial = append(partial, list...)
	}
	if len(partial) == 1 {
		return partial[0].ID, nil
	}
	return 0, domain.Invalid("org_name", "web.person.org_unknown", map[string]any{"Name": name})
}

// people shows the list for a GET: the first page, or the page the cursor
// names.
func (h *Handler) people(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.showPeople(w, r, filterForm(q), decodeCursor(q.Get("after")), false)
}

// searchPeople takes the search form. A text that may be an ID number or
// a phone is answered here; anything else is redirected to the list's
// address.
func (h *Handler) searchPeople(w http.ResponseWriter, r *http.Request) {
	f := filterForm(r.PostForm)
	after := r.PostFormValue("after")
	if !sensitiveText(f.Get("q")) {
		keep := filterValues(f)
		if after != "" {
			keep.Set("after", after)
		}
		redirect(w, r, "/people?"+keep.Encode())
		return
	}
	h.showPeople(w, r, f, decodeCursor(after), true)
}

func (h *Handler) showPeople(w http.ResponseWriter, r *http.Request, f *Form, after string, posted bool) {
	v := h.visit(r)
	ctx, a := r.Context(), v.Principal.Actor
	if !canSomewhere(a, authz.PersonRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	d := personListData{Form: f, Posted: posted, Statuses: domain.MemberStatuses(), Industries: industryCodes(),
		CanClear: canSomewhere(a, authz.SensitiveRead), CanCreate: canSomewhere(a, authz.PersonWrite)}
	if !posted && sensitiveText(f.Get("q")) {
		f.Values["q"], d.Notice = "", "web.person.text_by_form"
	}
	var err error
	if d.Orgs, err = h.orgOptions(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	s, err := h.personSearch(ctx, a, f)
	var page service.PersonPage
	if err == nil {
		s.After, s.Summary = after, true
		page, err = h.svc.SearchPersons(ctx, a, s)
	}
	switch {
	case err == nil:
		d.Searched = true
	case formError(err) || domain.CodeOf(err) == domain.CodeNotFound:
		// An organization that is not there (or not visible) is a wrong
		// filter, shown beside the field rather than as a missing page.
		if domain.CodeOf(err) == domain.CodeNotFound {
			err = domain.Invalid("org", "web.person.org_hidden", nil)
		}
		f.Fail(v.L, err, "org", "org_name")
		status = http.StatusUnprocessableEntity
	default:
		h.fail(w, r, err)
		return
	}
	d.Total, d.Capped = page.Total, page.TotalCapped
	for _, p := range page.People {
		d.Rows = append(d.Rows, personRow{p})
	}
	keep := filterValues(f)
	for _, k := range personFilterFields {
		if val := keep.Get(k); val != "" {
			d.Hidden = append(d.Hidden, hiddenField{k, val})
		}
	}
	pagePath := "/people"
	if !posted {
		pagePath = "/people?" + keep.Encode()
		if page.Next != "" {
			next := filterValues(f)
			next.Set("after", encodeCursor(page.Next))
			d.NextURL = "/people?" + next.Encode()
		}
		if after != "" {
			d.FirstURL = pagePath
		}
	} else {
		d.NextAfter = encodeCursor(page.Next)
	}
	h.renderAt(w, r, pagePath, status, "person_list", "web.person.title", d)
}

// orgOptions are the origin and mobile organizations the actor sees, for
// the filter's select; host organizations hold no people.
func (h *Handler) orgOptions(ctx context.Context, a *authz.Actor) ([]orgOption, error) {
	var out []orgOption
	for _, side := range []domain.Side{domain.SideOrigin, domain.SideMobile} {
		list, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: side})
		if err != nil {
			return nil, err
		}
		top := -1
		for _, o := range list {
			if d := strings.Count(o.Path, "/"); top < 0 || d < top {
				top = d
			}
		}
		for i, o := range list {
			depth := max(strings.Count(o.Path, "/")-top, 0)
			out = append(out, orgOption{ID: o.ID, Side: side, Label: strings.Repeat("\u3000", depth) + o.Name,
				Group: i == 0, Closes: i == len(list)-1})
		}
	}
	return out, nil
}

// personRow is a person as the pages show it, with the catalogue keys of
// its codes.
type personRow struct {
	domain.Person
}

// GenderKey is the catalogue key of the GB/T 2261.1 code.
func (p personRow) GenderKey() string {
	switch p.Gender {
	case 1:
		return "web.person.genders.male"
	case 2:
		return "web.person.genders.female"
	case 9:
		return "web.person.genders.unstated"
	}
	return "web.person.genders.unknown"
}

// StatusKey is the catalogue key of the membership status; "" for a
// worker who is not a member.
func (p personRow) StatusKey() string {
	if p.Membership == nil {
		return ""
	}
	return statusKeyOf(p.Membership.Status)
}

func statusKeyOf(s domain.MemberStatus) string { return "web.person.statuses." + string(s) }

// EthnicityName is the GB/T 3304 name of the ethnicity code.
func (p personRow) EthnicityName() string {
	if p.Ethnicity == "" {
		return ""
	}
	if _, name, ok := idcheck.Ethnicity(p.Ethnicity); ok {
		return name
	}
	return p.Ethnicity
}

// StatusKeyOf is statusKeyOf for the templates' selects.
func (d personListData) StatusKeyOf(s domain.MemberStatus) string { return statusKeyOf(s) }
