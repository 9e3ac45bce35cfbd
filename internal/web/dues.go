package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// Party dues pages: an organization's dues (the month grid of its members,
// this month's paid and unpaid, the members flagged under the six-month
// rule, what its subtree collected and kept; closing a month; two xlsx
// exports), one member's dues with the forms that set the standard and
// record a payment, the county's dues rules, and the cards the person page
// and a member's own page include (dues_cards.go). Amounts are typed and
// shown in yuan and kept in fen.

func init() {
	funcs["yuan"] = yuanGrouped
	funcs["payChannelKey"] = payChannelKey
	funcs["basisKey"] = func(b domain.DuesBasis) string { return "dues.basis." + string(b) }
	funcs["rateText"] = rateText
	funcs["memberStatusKey"] = statusKeyOf
}

// registerDues adds the dues routes.
func (h *Handler) registerDues(mux *http.ServeMux) {
	mux.HandleFunc("GET /dues", h.duesHome)
	mux.HandleFunc("GET /dues/rules", h.duesRules)
	mux.HandleFunc("POST /dues/rules", h.setDuesRules)
	mux.HandleFunc("GET /orgs/{id}/dues", h.orgDues)
	mux.HandleFunc("GET /orgs/{id}/dues.xlsx", h.orgDuesExport)
	mux.HandleFunc("GET /orgs/{id}/dues/payments.xlsx", h.duesPaymentsExport)
	mux.HandleFunc("POST /orgs/{id}/dues/close", h.closeDuesMonth)
	mux.HandleFunc("GET /people/{id}/dues", h.memberDues)
	mux.HandleFunc("POST /people/{id}/dues/standard", h.setDuesStandard)
	mux.HandleFunc("POST /people/{id}/dues/payments", h.recordDues)
	mux.HandleFunc("POST /people/{id}/dues/payments/{month}/void", h.voidDues)
	mux.HandleFunc("POST /orgs/{id}/dues/closed/{month}/reopen", h.reopenDuesMonth)
}

// yuanText shows fen as yuan with two decimals: 12345 → "123.45".
func yuanText(m domain.Money) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return sign + strconv.FormatInt(int64(m/100), 10) + "." + strconv.FormatInt(int64(m%100/10), 10) + strconv.FormatInt(int64(m%10), 10)
}

// yuanGrouped is yuanText with thousands separated, for pages:
// 520000 → "5,200.00".
func yuanGrouped(m domain.Money) string {
	s := yuanText(m)
	sign, digits := "", s
	if strings.HasPrefix(s, "-") {
		sign, digits = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(digits, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return sign + whole + "." + frac
}

// rateText shows a rate in per ten thousand as a percentage: 150 → "1.5".
func rateText(per10000 int) string {
	s := strconv.FormatFloat(float64(per10000)/100, 'f', 2, 64)
	return strings.TrimSuffix(strings.TrimSuffix(s, "0"), ".0")
}

// payChannelKey is the catalogue key of a payment channel ("other" is a
// plural form's name in the catalogue, hence its own key).
func payChannelKey(c domain.PayChannel) string {
	if c == domain.PayOther {
		return "dues.channel.other_channel"
	}
	return "dues.channel." + string(c)
}

var yuanRE = regexp.MustCompile(`^\d{1,9}(\.\d{1,2})?$`)

// yuan reads an amount typed in yuan ("120", "45.6", "1,200.00") into fen;
// empty is nil (nothing typed).
func (p *formReader) yuan(k string) *domain.Money {
	s := strings.NewReplacer(",", "", "，", "", " ", "", "¥", "", "￥", "").Replace(strings.TrimSpace(p.f.Get(k)))
	if s == "" {
		return nil
	}
	if !yuanRE.MatchString(s) {
		p.fail(k, "web.dues.bad_amount")
		return nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	m := domain.Money(n*100 + f)
	return &m
}

// month reads a YYYY-MM field (what <input type="month"> sends).
func (p *formReader) month(k string) domain.Month {
	s := strings.TrimSpace(p.f.Get(k))
	if s == "" {
		return 0
	}
	m, err := domain.ParseMonth(s)
	if err != nil {
		p.fail(k, "web.dues.bad_month")
	}
	return m
}

// duesHome sends the visitor to the dues of the first organization where
// a grant of theirs reads dues.
func (h *Handler) duesHome(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	for _, re := range a.Reach {
		if re.Agreement == 0 && a.CanAt(authz.DuesRead, authz.Target{ID: re.OrgID, Path: re.Path, Side: re.Side}).Allowed {
			redirect(w, r, orgURL(re.OrgID)+"/dues")
			return
		}
	}
	h.fail(w, r, domain.ErrNotFound)
}

// duesOrgData is the organization dues page.
type duesOrgData struct {
	D         service.OrgDues
	Years     []int
	Filters   []service.DuesFilter
	Close     *Form
	Reopen    *Form        // a refused reopening, shown on the row of ReopenMon
	ReopenMon domain.Month // the month of Reopen
	CanRules  bool
	Query     string // year and filter, for the exports and the pager
	PrevURL   string
	NextURL   string
	MonthOpts []domain.Month // months that may be closed
}

// FilterKey is the catalogue key of a filter's name.
func (d duesOrgData) FilterKey(f service.DuesFilter) string {
	if f == service.DuesAll {
		return "web.dues.filter_all"
	}
	return "web.dues.filter_" + string(f)
}

// ReopenFold is the folded form that reopens month m, with the refused
// one's values and errors when it was m's. It posts with the page's year
// and filter, so that a refusal shows the same page.
func (d duesOrgData) ReopenFold(p Page, m domain.Month) reasonFold {
	return newReasonFold(p, d.Reopen, d.ReopenMon, m, orgURL(d.D.Org.ID)+"/dues/closed/"+m.String()+"/reopen?"+d.Query, "web.dues.reopen")
}

// ReopenRefused is the message of a refused reopening whose month has no
// row here (closed above, not closed): shown above the closed months.
func (d duesOrgData) ReopenRefused() string {
	if d.Reopen == nil || slices.ContainsFunc(d.D.Closings, func(c store.DuesClosing) bool { return c.Month == d.ReopenMon }) {
		return ""
	}
	return d.Reopen.message()
}

// message is a refused form's message for the whole form, else that of
// its reason field.
func (f *Form) message() string {
	if f.Error != "" {
		return f.Error
	}
	return f.Errors["reason"]
}

// reasonFold is a correction folded in a table row (partials/dues.html):
// one required reason and a button, posted to Action once the browser
// has confirmed. Key names the catalogue entries: Key (the summary),
// Key_reason, Key_hint, Key_submit and Key_confirm (with the Month).
type reasonFold struct {
	L      Localizer
	CSRF   string
	Form   *Form
	Action string
	Month  domain.Month
	Key    string
	ID     string // the reason field's id, unique on the page
}

// newReasonFold is the fold of month m, holding refused when it is
// refusedMonth's form.
func newReasonFold(p Page, refused *Form, refusedMonth, m domain.Month, action, key string) reasonFold {
	f := refused
	if f == nil || refusedMonth != m {
		f = blankForm()
	}
	return reasonFold{L: p.L, CSRF: p.CSRF, Form: f, Action: action, Month: m, Key: key,
		ID: key[strings.LastIndexByte(key, '.')+1:] + "-" + m.String()}
}

// orgDuesForms are the organization page's forms that came back refused
// (nil: blank).
type orgDuesForms struct {
	Close, Reopen *Form
	ReopenMon     domain.Month
}

// orgDuesQuery reads the page's year, filter and page from the address.
func orgDuesQuery(r *http.Request) (service.OrgDuesQuery, error) {
	v := r.URL.Query()
	q := service.OrgDuesQuery{Filter: service.DuesFilter(v.Get("filter"))}
	if y := v.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			return q, domain.Invalid("year", "dues.year_invalid", nil)
		}
		q.Year = n
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	return q, nil
}

func (h *Handler) orgDues(w http.ResponseWriter, r *http.Request) {
	h.showOrgDues(w, r, http.StatusOK, orgDuesForms{})
}

// showOrgDues renders the dues page of the organization in the path, with
// the forms that came back refused (or blank ones).
func (h *Handler) showOrgDues(w http.ResponseWriter, r *http.Request, status int, forms orgDuesForms) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := orgDuesQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := h.principal(r).Actor
	d, err := h.svc.OrgDues(r.Context(), a, domain.OrgID(id), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := duesOrgData{D: d, Filters: []service.DuesFilter{service.DuesAll, service.DuesUnpaid, service.DuesArrears, service.DuesLapsed},
		Close: forms.Close, Reopen: forms.Reopen, ReopenMon: forms.ReopenMon, CanRules: a.Can(authz.DuesRules).Allowed}
	for y := d.Month.Year() + 1; y >= d.Month.Year()-5; y-- {
		data.Years = append(data.Years, y)
	}
	for m := d.Month; m > d.Month.Add(-12); m = m.Add(-1) {
		data.MonthOpts = append(data.MonthOpts, m)
	}
	if data.Close == nil {
		data.Close = blankForm()
		data.Close.Values["month"] = d.Month.Add(-1).String()
	}
	base := url.Values{"year": {strconv.Itoa(d.Year)}}
	if d.Filter != "" {
		base.Set("filter", string(d.Filter))
	}
	data.Query = base.Encode()
	page := func(n int) string {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		v.Set("page", strconv.Itoa(n))
		return orgURL(d.Org.ID) + "/dues?" + v.Encode()
	}
	if d.Page > 1 {
		data.PrevURL = page(d.Page - 1)
	}
	if d.Page < d.Pages {
		data.NextURL = page(d.Page + 1)
	}
	h.renderAt(w, r, orgURL(d.Org.ID)+"/dues?"+data.Query, status, "dues_org", "web.dues.org_title", data)
}

// closeDuesMonth closes a month for the organization in the path.
func (h *Handler) closeDuesMonth(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, "month")
	p := &formReader{f: f}
	m := p.month("month")
	err = p.err
	if err == nil {
		err = h.svc.CloseDuesMonth(r.Context(), v.Principal.Actor, domain.OrgID(id), m)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "month")
		h.showOrgDues(w, r, StatusOf(domain.CodeOf(err)), orgDuesForms{Close: f})
		return
	}
	h.flash(w, "web.dues.closed_flash")
	redirect(w, r, orgURL(domain.OrgID(id))+"/dues")
}

// reopenDuesMonth removes the closing of the month in the path by the
// organization in the path, with a reason.
func (h *Handler) reopenDuesMonth(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := domain.ParseMonth(r.PathValue("month"))
	if err != nil {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	v := h.visit(r)
	f := newForm(r, "reason")
	if err := h.svc.ReopenDuesMonth(r.Context(), v.Principal.Actor, domain.OrgID(id), m, f.Get("reason")); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "reason")
		h.showOrgDues(w, r, StatusOf(domain.CodeOf(err)), orgDuesForms{Reopen: f, ReopenMon: m})
		return
	}
	h.flash(w, "web.dues.reopened_flash", "Month", m.String())
	redirect(w, r, orgURL(domain.OrgID(id))+"/dues?year="+strconv.Itoa(m.Year()))
}
