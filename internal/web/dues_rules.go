package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// The county's dues rules: the rate bands for wage earners and retirees,
// the flat amounts, the retained share and the two month limits. Anyone
// who reads dues sees them; a county officer changes them. Each band table
// shows its rows and one blank row to add; a row left blank is dropped,
// and the last band's upper bound is left empty (no upper bound).

type duesRulesData struct {
	Rules   domain.DuesRules
	Form    *Form
	Wage    []bandRow
	Retiree []bandRow
	CanEdit bool
}

// bandTable is one band table for its template.
type bandTable struct {
	L    Localizer
	Rows []bandRow
	Edit bool
	F    *Form
}

// Bands is the view of one band table.
func (d duesRulesData) Bands(l Localizer, rows []bandRow) bandTable {
	return bandTable{L: l, Rows: rows, Edit: d.CanEdit, F: d.Form}
}

// Others are the single-value fields, in page order.
func (d duesRulesData) Others() []string {
	return []string{"farmer", "flat", "retain", "lapse", "backpay"}
}

// bandRow is one band as the form shows it, with its field names.
type bandRow struct {
	UpName, RateName string
	UpTo, Rate       string
}

// bandRows are the rows of one band table: the bands as the form holds
// them, and one blank row.
func bandRows(f *Form, prefix string, n int) []bandRow {
	out := make([]bandRow, 0, n+1)
	for i := 0; i <= n; i++ {
		up, rate := prefix+"_up_"+strconv.Itoa(i), prefix+"_rate_"+strconv.Itoa(i)
		out = append(out, bandRow{UpName: up, RateName: rate, UpTo: f.Get(up), Rate: f.Get(rate)})
	}
	return out
}

// rulesForm fills a form with the rules as they are.
func rulesForm(r domain.DuesRules) *Form {
	f := blankForm()
	put := func(prefix string, bands []domain.DuesBand) {
		for i, b := range bands {
			if b.UpTo != 0 {
				f.Values[prefix+"_up_"+strconv.Itoa(i)] = yuanText(b.UpTo)
			}
			f.Values[prefix+"_rate_"+strconv.Itoa(i)] = rateText(b.Rate)
		}
		f.Values[prefix+"_rows"] = strconv.Itoa(len(bands))
	}
	put("wage", r.Wage)
	put("retiree", r.Retiree)
	f.Values["farmer"], f.Values["flat"] = yuanText(r.Farmer), yuanText(r.Flat)
	f.Values["retain"], f.Values["lapse"], f.Values["backpay"] = strconv.Itoa(r.RetainPer100), strconv.Itoa(r.LapseMonths), strconv.Itoa(r.BackPayMonths)
	return f
}

func (h *Handler) duesRules(w http.ResponseWriter, r *http.Request) {
	h.showDuesRules(w, r, http.StatusOK, nil)
}

func (h *Handler) showDuesRules(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	a := h.principal(r).Actor
	d := duesRulesData{CanEdit: a.Can(authz.DuesRules).Allowed, Form: f}
	if !d.CanEdit && !canSomewhere(a, authz.DuesRead) {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	var err error
	if d.Rules, err = h.svc.DuesRules(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Form == nil {
		d.Form = rulesForm(d.Rules)
	}
	d.Wage = bandRows(d.Form, "wage", rowCount(d.Form, "wage"))
	d.Retiree = bandRows(d.Form, "retiree", rowCount(d.Form, "retiree"))
	h.renderAt(w, r, "/dues/rules", status, "dues_rules", "web.dues.rules_title", d)
}

// rowCount is how many band rows a form holds (the blank one excluded).
func rowCount(f *Form, prefix string) int {
	n, err := strconv.Atoi(f.Get(prefix + "_rows"))
	if err != nil || n < 0 || n > maxBands {
		return 0
	}
	return n
}

// maxBands bounds the rows a band table may post.
const maxBands = 10

// setDuesRules stores the rules the form posts.
func (h *Handler) setDuesRules(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	fields := []string{"farmer", "flat", "retain", "lapse", "backpay", "wage_rows", "retiree_rows"}
	for _, prefix := range []string{"wage", "retiree"} {
		for i := 0; i <= maxBands; i++ {
			fields = append(fields, prefix+"_up_"+strconv.Itoa(i), prefix+"_rate_"+strconv.Itoa(i))
		}
	}
	f := newForm(r, fields...)
	rules, err := readRules(f)
	if err == nil {
		err = h.svc.SetDuesRules(r.Context(), v.Principal.Actor, rules)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		// The tables grow by the blank row that was filled in.
		f.Values["wage_rows"], f.Values["retiree_rows"] = strconv.Itoa(len(rules.Wage)), strconv.Itoa(len(rules.Retiree))
		f.Fail(v.L, err, "farmer", "flat", "retain_per_100", "lapse_months", "backpay")
		// The rules name their fields as stored; the form's are shorter.
		for from, to := range map[string]string{"retain_per_100": "retain", "lapse_months": "lapse"} {
			if m, ok := f.Errors[from]; ok {
				f.Errors[to] = m
				delete(f.Errors, from)
			}
		}
		h.showDuesRules(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "web.dues.rules_flash")
	redirect(w, r, "/dues/rules")
}

// readRules reads the posted rules; a malformed number is an error on its
// field.
func readRules(f *Form) (domain.DuesRules, error) {
	p := &formReader{f: f}
	var r domain.DuesRules
	r.Wage, r.Retiree = readBands(p, "wage"), readBands(p, "retiree")
	if m := p.yuan("farmer"); m != nil {
		r.Farmer = *m
	}
	if m := p.yuan("flat"); m != nil {
		r.Flat = *m
	}
	r.RetainPer100, r.LapseMonths, r.BackPayMonths = p.count("retain"), p.count("lapse"), p.count("backpay")
	return r, p.err
}

// readBands reads one band table, skipping blank rows.
func readBands(p *formReader, prefix string) []domain.DuesBand {
	var out []domain.DuesBand
	for i := 0; i <= maxBands; i++ {
		up, rate := prefix+"_up_"+strconv.Itoa(i), prefix+"_rate_"+strconv.Itoa(i)
		if strings.TrimSpace(p.f.Get(up)) == "" && strings.TrimSpace(p.f.Get(rate)) == "" {
			continue
		}
		var b domain.DuesBand
		if m := p.yuan(up); m != nil {
			b.UpTo = *m
		}
		b.Rate = p.percent(rate)
		out = append(out, b)
	}
	return out
}

// percent reads a percentage with up to two decimals ("1.5") as per ten
// thousand (150).
func (p *formReader) percent(k string) int {
	s := strings.TrimSuffix(strings.TrimSpace(p.f.Get(k)), "%")
	if !yuanRE.MatchString(s) {
		p.fail(k, "web.dues.bad_rate")
		return 0
	}
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.Atoi(whole)
	d, _ := strconv.Atoi((frac + "00")[:2])
	return n*100 + d
}
