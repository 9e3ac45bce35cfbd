package api

import (
	"net/http"
	"strconv"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Party dues: the rules, an organization's dues (its grid, counts and
// totals), closing and reopening a month, the payments its subtree
// collected, one member's dues, setting a standard, recording and voiding
// a payment, and a member's own dues. Amounts are whole fen ("…_fen"),
// months "YYYY-MM". A member appears by id and name (a member's dues add
// the masked ID number); no dues DTO carries a phone or a clear number.
//
//	GET    /api/v1/dues/rules
//	PUT    /api/v1/dues/rules                               duesRulesDTO
//	GET    /api/v1/orgs/{id}/dues?year=&filter=&page=&limit=
//	GET    /api/v1/orgs/{id}/dues/payments?year=
//	POST   /api/v1/orgs/{id}/dues/closed-months              {"month": "2026-09"} → 201
//	DELETE /api/v1/orgs/{id}/dues/closed-months/{month}      {"reason": "…"} → 204
//	GET    /api/v1/people/{id}/dues
//	POST   /api/v1/people/{id}/dues/standards                standardIn → 201
//	POST   /api/v1/people/{id}/dues/payments                 paymentIn → 201
//	DELETE /api/v1/people/{id}/dues/payments/{month}         {"reason": "…"} → 204
//	GET    /api/v1/me/dues
//
// The two DELETEs are corrections and take their reason as a JSON body
// (Content-Type: application/json), like every other write: a reason is
// free text that may name people, and a query string ends up in proxy and
// access logs. Reopening answers 422 for a month closed above the
// organization (the message names it) and 409 for one not closed; voiding
// answers 422 for a closed month and 404 for a month without a payment.

func (h *Handler) registerDues(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/dues/rules", h.duesRules)
	mux.HandleFunc("PUT "+Prefix+"/dues/rules", h.setDuesRules)
	mux.HandleFunc("GET "+Prefix+"/orgs/{id}/dues", h.byID(h.orgDues))
	mux.HandleFunc("GET "+Prefix+"/orgs/{id}/dues/payments", h.byID(h.orgDuesPayments))
	mux.HandleFunc("POST "+Prefix+"/orgs/{id}/dues/closed-months", h.closeDuesMonth)
	mux.HandleFunc("DELETE "+Prefix+"/orgs/{id}/dues/closed-months/{month}", h.correction(h.reopenDuesMonth))
	mux.HandleFunc("GET "+Prefix+"/people/{id}/dues", h.byID(h.memberDues))
	mux.HandleFunc("POST "+Prefix+"/people/{id}/dues/standards", h.setDuesStandard)
	mux.HandleFunc("POST "+Prefix+"/people/{id}/dues/payments", h.recordDues)
	mux.HandleFunc("DELETE "+Prefix+"/people/{id}/dues/payments/{month}", h.correction(h.voidDues))
	mux.HandleFunc("GET "+Prefix+"/me/dues", h.ownDues)
}

type bandDTO struct {
	UpToFen  int64 `json:"up_to_fen"` // 0: no upper bound (the last band)
	Per10000 int   `json:"per_10000"` // 50 = 0.5%
}

type duesRulesDTO struct {
	Wage          []bandDTO `json:"wage"`
	Retiree       []bandDTO `json:"retiree"`
	FarmerFen     int64     `json:"farmer_fen"`
	FlatFen       int64     `json:"flat_fen"`
	RetainPer100  int       `json:"retain_per_100"`
	LapseMonths   int       `json:"lapse_months"`
	BackPayMonths int       `json:"backpay_months"`
}

func toBands(bs []domain.DuesBand) []bandDTO {
	out := make([]bandDTO, len(bs))
	for i, b := range bs {
		out[i] = bandDTO{UpToFen: int64(b.UpTo), Per10000: b.Rate}
	}
	return out
}

func fromBands(bs []bandDTO) []domain.DuesBand {
	out := make([]domain.DuesBand, len(bs))
	for i, b := range bs {
		out[i] = domain.DuesBand{UpTo: domain.Money(b.UpToFen), Rate: b.Per10000}
	}
	return out
}

func toRules(r domain.DuesRules) duesRulesDTO {
	return duesRulesDTO{Wage: toBands(r.Wage), Retiree: toBands(r.Retiree), FarmerFen: int64(r.Farmer), FlatFen: int64(r.Flat),
		RetainPer100: r.RetainPer100, LapseMonths: r.LapseMonths, BackPayMonths: r.BackPayMonths}
}

func (h *Handler) duesRules(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	rules, err := h.svc.DuesRules(r.Context())
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, toRules(rules))
}

func (h *Handler) setDuesRules(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in duesRulesDTO
	if !h.decode(w, r, &in) {
		return
	}
	rules := domain.DuesRules{Wage: fromBands(in.Wage), Retiree: fromBands(in.Retiree), Farmer: domain.Money(in.FarmerFen),
		Flat: domain.Money(in.FlatFen), RetainPer100: in.RetainPer100, LapseMonths: in.LapseMonths, BackPayMonths: in.BackPayMonths}
	if err := h.svc.SetDuesRules(r.Context(), c.Principal.Actor, rules); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, toRules(rules))
}

type standardDTO struct {
	From      domain.Month `json:"from"`
	Basis     string       `json:"basis"`
	IncomeFen int64        `json:"income_fen"`
	AmountFen int64        `json:"amount_fen"`
	Note      string       `json:"note,omitempty"`
	SetBy     string       `json:"set_by"`
	SetAt     time.Time    `json:"set_at"`
}

func toStandard(s domain.DuesStandard) standardDTO {
	return standardDTO{From: s.From, Basis: string(s.Basis), IncomeFen: int64(s.Income), AmountFen: int64(s.Amount), Note: s.Note,
		SetBy: s.SetBy, SetAt: s.SetAt}
}

type paymentDTO struct {
	ID          int64        `json:"id"`
	Person      personRefDTO `json:"person"`
	Month       domain.Month `json:"month"`
	AmountFen   int64        `json:"amount_fen"`
	StandardFen int64        `json:"standard_fen"`
	RetainedFen int64        `json:"retained_fen"`
	Channel     string       `json:"channel"`
	PaidOn      string       `json:"paid_on"`
	CollectedBy orgRefDTO    `json:"collected_by"`
	Side        string       `json:"side"` // origin (home) or mobile
	Hardship    string       `json:"hardship,omitempty"`
	BackPay     string       `json:"backpay,omitempty"`
	Note        string       `json:"note,omitempty"`
	RecordedBy  string       `json:"recorded_by"`
	RecordedAt  time.Time    `json:"recorded_at"`
}

func toPayment(p domain.DuesPayment) paymentDTO {
	return paymentDTO{ID: p.ID, Person: personRefDTO{ID: int64(p.PersonID), Name: p.PersonName}, Month: p.Month, AmountFen: int64(p.Amount),
		StandardFen: int64(p.Standard), RetainedFen: int64(p.Retained), Channel: string(p.Channel), PaidOn: p.PaidOn.String(),
		CollectedBy: orgRefDTO{ID: int64(p.OrgID), Name: p.OrgName}, Side: string(p.Side), Hardship: p.Hardship, BackPay: p.BackPay,
		Note: p.Note, RecordedBy: p.RecordedBy, RecordedAt: p.RecordedAt}
}

func toPayments(ps []domain.DuesPayment) []paymentDTO {
	out := make([]paymentDTO, len(ps))
	for i, p := range ps {
		out[i] = toPayment(p)
	}
	return out
}

type standingDTO struct {
	Start     domain.Month   `json:"start,omitempty"` // the first month owed; absent: no standard yet
	Owed      int            `json:"owed_months"`
	Streak    int            `json:"unpaid_in_a_row"` // complete months, ending last month
	LastPaid  domain.Month   `json:"last_paid,omitempty"`
	Lapsed    bool           `json:"lapsed"`
	OwedFen   int64          `json:"owed_fen,omitempty"`
	OwedMonth []domain.Month `json:"owed,omitempty"`
}

type memberDuesDTO struct {
	Person       personRefDTO   `json:"person"`
	Home         orgRefDTO      `json:"home"`
	Mobile       *orgRefDTO     `json:"mobile,omitempty"`
	Month        domain.Month   `json:"month"`
	Current      *standardDTO   `json:"current,omitempty"`
	Standards    []standardDTO  `json:"standards"`
	Payments     []paymentDTO   `json:"payments"`
	Standing     standingDTO    `json:"standing"`
	CollectorIDs []int64        `json:"may_collect_at,omitempty"` // organizations where the caller may record a payment
	Voidable     []domain.Month `json:"may_void,omitempty"`       // months whose payment the caller may void, latest first
}

func toMemberDues(d service.MemberDues) memberDuesDTO {
	out := memberDuesDTO{Person: personRefDTO{ID: int64(d.Person.ID), Name: d.Person.Name, IDNumber: string(d.Person.IDNumber)}, Month: d.Month,
		Standards: make([]standardDTO, 0, len(d.Standards)), Payments: toPayments(d.Payments),
		Standing: standingDTO{Start: d.Standing.Start, Owed: d.Standing.Owed, Streak: d.Standing.Streak, LastPaid: d.Standing.LastPaid,
			Lapsed: d.Standing.Lapsed, OwedFen: int64(d.Owed)}}
	if m := d.Person.Membership; m != nil {
		out.Home = orgRefDTO{ID: int64(m.HomeOrgID), Name: m.HomeOrgName}
		if m.MobileOrgID != 0 {
			out.Mobile = &orgRefDTO{ID: int64(m.MobileOrgID), Name: m.MobileOrgName}
		}
	}
	if d.Current != nil {
		s := toStandard(*d.Current)
		out.Current = &s
	}
	for _, s := range d.Standards {
		out.Standards = append(out.Standards, toStandard(s))
	}
	for _, u := range d.Unpaid {
		out.Standing.OwedMonth = append(out.Standing.OwedMonth, u.Month)
	}
	for _, o := range d.Collectors {
		out.CollectorIDs = append(out.CollectorIDs, int64(o.ID))
	}
	for _, p := range d.Payments {
		if d.Voidable[p.Month] {
			out.Voidable = append(out.Voidable, p.Month)
		}
	}
	return out
}

func (h *Handler) memberDues(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	d, err := h.svc.MemberDues(r.Context(), c.Principal.Actor, domain.PersonID(id))
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, toMemberDues(d))
}

func (h *Handler) ownDues(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	d, err := h.svc.OwnDues(r.Context(), c.Principal.Actor)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, toMemberDues(d))
}

// apiMonth reads a "YYYY-MM" field.
func apiMonth(field, s string) (domain.Month, error) {
	m, err := domain.ParseMonth(s)
	if err != nil {
		return 0, domain.Invalid(field, "dues.month_invalid", nil)
	}
	return m, nil
}

type standardIn struct {
	From      string `json:"from"`
	Basis     string `json:"basis"`
	IncomeFen int64  `json:"income_fen"`
	Note      string `json:"note"`
}

func (h *Handler) setDuesStandard(w http.ResponseWriter, r *http.Request) {
	personStep(h, w, r, func(c *Caller, id domain.PersonID, in standardIn) (any, error) {
		from, err := apiMonth("from", in.From)
		if err != nil {
			return nil, err
		}
		st, err := h.svc.SetDuesStandard(r.Context(), c.Principal.Actor, id, service.DuesStandardInput{From: from,
			Basis: domain.DuesBasis(in.Basis), Income: domain.Money(in.IncomeFen), Note: in.Note})
		return toStandard(st), err
	})
}

type paymentIn struct {
	Months    []string `json:"months"`
	AmountFen *int64   `json:"amount_fen"` // for each month; absent: each month's standard
	Channel   string   `json:"channel"`
	PaidOn    string   `json:"paid_on"`
	Side      string   `json:"side"` // "mobile" or "origin" (the home organization)
	Hardship  string   `json:"hardship"`
	BackPay   string   `json:"backpay"`
	Note      string   `json:"note"`
}

type paymentsOut struct {
	Payments []paymentDTO `json:"payments"`
}

func (h *Handler) recordDues(w http.ResponseWriter, r *http.Request) {
	personStep(h, w, r, func(c *Caller, id domain.PersonID, in paymentIn) (any, error) {
		p := service.DuesPaymentInput{Channel: domain.PayChannel(in.Channel), Side: domain.Side(in.Side), Hardship: in.Hardship,
			BackPay: in.BackPay, Note: in.Note}
		for _, s := range in.Months {
			m, err := apiMonth("months", s)
			if err != nil {
				return nil, err
			}
			p.Months = append(p.Months, m)
		}
		if in.AmountFen != nil {
			m := domain.Money(*in.AmountFen)
			p.Amount = &m
		}
		var err error
		if p.PaidOn, err = apiDate("paid_on", in.PaidOn); err != nil {
			return nil, err
		}
		list, err := h.svc.RecordDues(r.Context(), c.Principal.Actor, id, p)
		return paymentsOut{Payments: toPayments(list)}, err
	})
}

// personStep decodes in for the person in the path, runs do and answers
// 201 with what it returns.
func personStep[T any](h *Handler, w http.ResponseWriter, r *http.Request, do func(c *Caller, id domain.PersonID, in T) (any, error)) {
	var out any
	idStep(h, w, r, func(c *Caller, id domain.PersonID, in T) (err error) {
		out, err = do(c, id, in)
		return err
	}, func(*Caller, domain.PersonID) { writeJSON(w, http.StatusCreated, out) })
}

type closeMonthIn struct {
	Month string `json:"month"`
}

func (h *Handler) closeDuesMonth(w http.ResponseWriter, r *http.Request) {
	var m domain.Month
	idStep(h, w, r, func(c *Caller, id domain.OrgID, in closeMonthIn) (err error) {
		if m, err = apiMonth("month", in.Month); err != nil {
			return err
		}
		return h.svc.CloseDuesMonth(r.Context(), c.Principal.Actor, id, m)
	}, func(*Caller, domain.OrgID) { writeJSON(w, http.StatusCreated, closeMonthIn{Month: m.String()}) })
}

// reasonIn is the body of a correction.
type reasonIn struct {
	Reason string `json:"reason"`
}

// correction is a DELETE on the {id} and {month} in the path with a
// reason in its body: it runs do and answers 204.
func (h *Handler) correction(do func(r *http.Request, c *Caller, id int64, m domain.Month, reason string) error) http.HandlerFunc {
	return h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		m, err := domain.ParseMonth(r.PathValue("month"))
		if err != nil {
			h.Fail(w, r, c.L, domain.ErrNotFound)
			return
		}
		var in reasonIn
		if !h.decode(w, r, &in) {
			return
		}
		if err := do(r, c, id, m, in.Reason); err != nil {
			h.Fail(w, r, c.L, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// voidDues removes a member's payment of a month, with the reason.
func (h *Handler) voidDues(r *http.Request, c *Caller, id int64, m domain.Month, reason string) error {
	_, err := h.svc.VoidDuesPayment(r.Context(), c.Principal.Actor, domain.PersonID(id), m, reason)
	return err
}

// reopenDuesMonth removes an organization's closing of a month, with the
// reason.
func (h *Handler) reopenDuesMonth(r *http.Request, c *Caller, id int64, m domain.Month, reason string) error {
	return h.svc.ReopenDuesMonth(r.Context(), c.Principal.Actor, domain.OrgID(id), m, reason)
}

type duesCellDTO struct {
	Month     domain.Month `json:"month"`
	State     string       `json:"state"` // paid, unpaid, none (not owed), future
	AmountFen int64        `json:"amount_fen,omitempty"`
}

type duesRowDTO struct {
	Person      personRefDTO  `json:"person"`
	Status      string        `json:"status"`
	Home        orgRefDTO     `json:"home"`
	Mobile      *orgRefDTO    `json:"mobile,omitempty"`
	StandardFen int64         `json:"standard_fen"`
	Standing    standingDTO   `json:"standing"`
	PaidNow     bool          `json:"paid_this_month"`
	Cells       []duesCellDTO `json:"cells,omitempty"`
}

type duesColumnDTO struct {
	Month       domain.Month `json:"month"`
	ClosedBy    string       `json:"closed_by,omitempty"`
	Payments    int          `json:"payments"`
	AmountFen   int64        `json:"collected_fen"`
	RetainedFen int64        `json:"retained_fen"`
}

type orgDuesDTO struct {
	Org        orgRefDTO       `json:"org"`
	Year       int             `json:"year"`
	Month      domain.Month    `json:"month"`
	Members    int             `json:"members"`
	Due        int             `json:"due_this_month"`
	Paid       int             `json:"paid_this_month"`
	Unpaid     int             `json:"unpaid_this_month"`
	Arrears    int             `json:"owing"`
	NoStandard int             `json:"no_standard"`
	Collected  int64           `json:"collected_fen"`
	Retained   int64           `json:"retained_fen"`
	Months     []duesColumnDTO `json:"months"`
	Lapsed     []duesRowDTO    `json:"lapsed"`
	Rows       []duesRowDTO    `json:"rows"`
	Total      int             `json:"total"`
	Page       int             `json:"page"`
	Pages      int             `json:"pages"`
}

func toDuesRow(r service.DuesRow) duesRowDTO {
	out := duesRowDTO{Person: personRefDTO{ID: int64(r.PersonID), Name: r.Name}, Status: string(r.Status),
		Home: orgRefDTO{ID: int64(r.HomeOrgID), Name: r.HomeOrg}, StandardFen: int64(r.Standard), PaidNow: r.PaidNow,
		Standing: standingDTO{Start: r.Standing.Start, Owed: r.Standing.Owed, Streak: r.Standing.Streak, LastPaid: r.Standing.LastPaid,
			Lapsed: r.Standing.Lapsed}}
	if r.MobileOrgID != 0 {
		out.Mobile = &orgRefDTO{ID: int64(r.MobileOrgID), Name: r.MobileOrg}
	}
	for _, c := range r.Cells {
		out.Cells = append(out.Cells, duesCellDTO{Month: c.Month, State: c.State, AmountFen: int64(c.Amount)})
	}
	return out
}

func (h *Handler) orgDues(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	v := r.URL.Query()
	q := service.OrgDuesQuery{Filter: service.DuesFilter(v.Get("filter"))}
	var err error
	for k, p := range map[string]*int{"year": &q.Year, "page": &q.Page, "limit": &q.Limit} {
		if s := v.Get(k); s != "" && err == nil {
			if *p, err = strconv.Atoi(s); err != nil {
				err = domain.Invalid(k, "web.api.wrong_type", map[string]any{"Field": k})
			}
		}
	}
	var d service.OrgDues
	if err == nil {
		d, err = h.svc.OrgDues(r.Context(), c.Principal.Actor, domain.OrgID(id), q)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := orgDuesDTO{Org: orgRefDTO{ID: int64(d.Org.ID), Name: d.Org.Name}, Year: d.Year, Month: d.Month, Members: d.Members, Due: d.Due,
		Paid: d.Paid, Unpaid: d.Unpaid, Arrears: d.Arrears, NoStandard: d.NoStandard, Collected: int64(d.Collected),
		Retained: int64(d.Retained), Total: d.Total, Page: d.Page, Pages: d.Pages, Lapsed: []duesRowDTO{}, Rows: []duesRowDTO{}}
	for _, col := range d.Columns {
		out.Months = append(out.Months, duesColumnDTO{Month: col.Month, ClosedBy: col.Closed, Payments: col.Payments,
			AmountFen: int64(col.Amount), RetainedFen: int64(col.Retained)})
	}
	for _, x := range d.Lapsed {
		out.Lapsed = append(out.Lapsed, toDuesRow(x))
	}
	for _, x := range d.Rows {
		out.Rows = append(out.Rows, toDuesRow(x))
	}
	writeJSON(w, http.StatusOK, out)
}

type orgPaymentsDTO struct {
	Org      orgRefDTO    `json:"org"`
	Year     int          `json:"year"`
	Payments []paymentDTO `json:"payments"`
}

// orgDuesPayments lists the payments the organization's subtree collected
// in ?year (this year by default): a bulk read, throttled and audited like
// the page's export.
func (h *Handler) orgDuesPayments(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
	year := 0
	if s := r.URL.Query().Get("year"); s != "" {
		var err error
		if year, err = strconv.Atoi(s); err != nil {
			h.Fail(w, r, c.L, domain.Invalid("year", "dues.year_invalid", nil))
			return
		}
	}
	org, list, err := h.svc.ExportDuesPayments(r.Context(), c.Principal.Actor, domain.OrgID(id), year)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	if year == 0 {
		year = h.svc.Today().Time().Year()
	}
	writeJSON(w, http.StatusOK, orgPaymentsDTO{Org: orgRefDTO{ID: int64(org.ID), Name: org.Name}, Year: year, Payments: toPayments(list)})
}
