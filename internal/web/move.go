package web

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"gongjian/internal/domain"
	"gongjian/internal/region"
	"gongjian/internal/service"
)

// A member reports a move on a phone (/me/move): first the new city, from
// a list grouped by province (choosing one reloads the page with that
// city's districts, by the select's data-autosubmit or its button without
// script), then the district, employer, credit code and date. The codes
// are the GB/T 2260 codes the organization and registration forms take as
// text, here picked instead of typed: a member should not need to know
// them. The answer is a confirmation page with the placements the record
// would now get, in words.

// moveFields are the move form's fields.
var moveFields = []string{"city_code", "district_code", "employer", "employer_uscc", "moved_on"}

// placeOption is one division in a select.
type placeOption struct{ Code, Name string }

// provinceCities is a province with its cities, for an <optgroup>.
type provinceCities struct {
	Name   string
	Cities []placeOption
}

// cityChoices are the prefecture-level cities by province; a municipality
// (北京市) is its own city, with its districts below it. Built once.
var cityChoices = sync.OnceValue(func() []provinceCities {
	var out []provinceCities
	for code := 11; code <= 65; code++ {
		p, ok := region.Lookup(fmt.Sprintf("%02d0000", code))
		if !ok || p.Historical {
			continue
		}
		g := provinceCities{Name: p.Name}
		for _, c := range region.Children(p.Code) {
			if c.Level == region.Prefecture {
				g.Cities = append(g.Cities, placeOption{c.Code, c.Name})
			}
		}
		if len(g.Cities) == 0 {
			g.Cities = []placeOption{{p.Code, p.Name}}
		}
		out = append(out, g)
	}
	return out
})

// districtChoices are the county-level units of a city.
func districtChoices(city string) []placeOption {
	var out []placeOption
	for _, c := range region.Children(city) {
		if c.Level == region.County {
			out = append(out, placeOption{c.Code, c.Name})
		}
	}
	return out
}

type moveData struct {
	Form      *Form
	P         personRow // the record as it is
	Provinces []provinceCities
	Districts []placeOption // of the chosen city
	CityName  string        // the chosen city, named
	Today     domain.Date
}

func (h *Handler) moveForm(w http.ResponseWriter, r *http.Request) {
	f := blankForm()
	f.Values["city_code"] = strings.TrimSpace(r.URL.Query().Get("city"))
	f.Values["moved_on"] = h.svc.Today().String()
	h.showMove(w, r, http.StatusOK, f)
}

func (h *Handler) showMove(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	own, err := h.svc.OwnPerson(r.Context(), h.principal(r).Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := moveData{Form: f, P: personRow{own}, Provinces: cityChoices(), Today: h.svc.Today()}
	if c := f.Get("city_code"); c != "" {
		if reg, ok := region.Lookup(c); ok && !reg.Historical {
			d.CityName, d.Districts = placeName(c), districtChoices(c)
		} else {
			f.Values["city_code"] = ""
		}
	}
	h.renderAt(w, r, "/me/move", status, "move", "web.move.title", d)
}

// placeName is a division's path in words, or the code when unknown.
func placeName(code string) string {
	if v := regionInfo(code); v != nil {
		return v.Path
	}
	return code
}

func (h *Handler) reportMove(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, moveFields...)
	p := &formReader{f: f}
	in := service.MoveReport{CityCode: f.Get("city_code"), DistrictCode: f.Get("district_code"), Employer: f.Get("employer"),
		EmployerUSCC: f.Get("employer_uscc"), On: p.date("moved_on")}
	err := p.err
	if err == nil {
		err = h.svc.ReportMove(r.Context(), v.Principal.Actor, in)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, moveFields...)
		h.showMove(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "web.move.reported")
	redirect(w, r, "/me/move/done")
}

type moveDoneData struct {
	P           personRow
	Suggestions []service.Suggestion
}

// moveDone confirms a move with the record as it is now and the
// placements it would get.
func (h *Handler) moveDone(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	own, err := h.svc.OwnPerson(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sg, err := h.svc.OwnSuggestions(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range sg {
		sg[i].Reasons = inWords(sg[i].Reasons)
	}
	h.render(w, r, http.StatusOK, "move_done", "web.move.done_title", moveDoneData{P: personRow{own}, Suggestions: sg})
}

// inWords replaces the division codes in the reasons' arguments by their
// names, for a reader who does not know the codes.
func inWords(reasons []domain.Advice) []domain.Advice {
	out := make([]domain.Advice, len(reasons))
	for i, a := range reasons {
		args := map[string]any{}
		for k, v := range a.Args {
			if code, ok := v.(string); ok && k == "Code" {
				v = placeName(code)
			}
			args[k] = v
		}
		out[i] = domain.Advice{Rule: a.Rule, Args: args}
	}
	return out
}
