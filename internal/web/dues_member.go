package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// One member's dues page (desktop, for secretaries): the summary, the
// months owed, the payments and standards, and — where the visitor
// collects dues — the forms that record a payment and set the standard.
// A refused form comes back on this page with its message beside the
// field and the values typed.

type duesMemberData struct {
	D        service.MemberDues
	Pay      *Form
	Standard *Form
	Void     *Form        // a refused void, shown on the row of VoidMonth
	VoidMon  domain.Month // the month of Void
	Bases    []domain.DuesBasis
	Channels []domain.PayChannel
	Payable  []domain.Month // months a payment may name: owed ones, oldest first
	Checked  map[domain.Month]bool
}

// Card is the summary card, shared with the person page.
func (d duesMemberData) Card(l Localizer) duesCard { return duesCard{L: l, D: &d.D} }

// BackPayFrom is the oldest month paid without the secretary's reason.
func (d duesMemberData) BackPayFrom() domain.Month { return d.D.Month.Add(-d.D.Rules.BackPayMonths) }

// VoidFold is the folded form that voids the payment of month m, with
// the refused one's values and errors when it was m's.
func (d duesMemberData) VoidFold(p Page, m domain.Month) reasonFold {
	return newReasonFold(p, d.Void, d.VoidMon, m, "/people/"+strconv.FormatInt(int64(d.D.Person.ID), 10)+"/dues/payments/"+m.String()+"/void",
		"web.dues.void")
}

// VoidRefused is the message of a refused void whose row offers no form
// (a month closed meanwhile, a payment gone): shown above the payments.
func (d duesMemberData) VoidRefused() string {
	if d.Void == nil || d.D.Voidable[d.VoidMon] {
		return ""
	}
	return d.Void.message()
}

// duesMemberForms are the page's forms; nil ones are filled with defaults.
// VoidMon is the month whose void form Void is.
type duesMemberForms struct {
	Pay, Standard, Void *Form
	VoidMon             domain.Month
}

var (
	payFields      = []string{"amount", "channel", "paid_on", "side", "hardship", "backpay", "note"}
	standardFields = []string{"from", "basis", "income", "note"}
)

func duesPersonURL(id domain.PersonID) string { return personURL(id) + "/dues" }

func (h *Handler) memberDues(w http.ResponseWriter, r *http.Request) {
	h.showMemberDues(w, r, http.StatusOK, duesMemberForms{})
}

func (h *Handler) showMemberDues(w http.ResponseWriter, r *http.Request, status int, forms duesMemberForms) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.svc.MemberDues(r.Context(), h.principal(r).Actor, domain.PersonID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := duesMemberData{D: d, Pay: forms.Pay, Standard: forms.Standard, Void: forms.Void, VoidMon: forms.VoidMon, Bases: domain.DuesBases(), Channels: domain.PayChannels(),
		Checked: map[domain.Month]bool{}}
	for _, u := range d.Unpaid {
		data.Payable = append(data.Payable, u.Month)
	}
	if n := len(data.Payable); n > maxPayable {
		data.Payable = data.Payable[n-maxPayable:]
	}
	if data.Pay == nil {
		data.Pay = blankForm()
		data.Pay.Values["paid_on"] = h.svc.Today().String()
		data.Pay.Values["channel"] = string(domain.PayWeChat)
		if len(d.Collectors) > 0 {
			data.Pay.Values["side"] = string(d.Collectors[len(d.Collectors)-1].Side)
		}
		if len(d.Unpaid) > 0 && d.Unpaid[len(d.Unpaid)-1].Month == d.Month {
			data.Checked[d.Month] = true
		}
	} else {
		for _, v := range r.PostForm["months"] {
			if m, err := domain.ParseMonth(v); err == nil {
				data.Checked[m] = true
			}
		}
	}
	if data.Standard == nil {
		data.Standard = blankForm()
		data.Standard.Values["from"] = d.Month.String()
		data.Standard.Values["basis"] = string(domain.DuesWage)
		if c := d.Current; c != nil {
			data.Standard.Values["basis"] = string(c.Basis)
		}
	}
	h.renderAt(w, r, duesPersonURL(d.Person.ID), status, "dues_member", d.Person.Name, data)
}

// maxPayable bounds the month boxes the payment form offers: two years.
const maxPayable = 24

// recordDues records a payment of the checked months.
func (h *Handler) recordDues(w http.ResponseWriter, r *http.Request) {
	h.duesAction(w, r, payFields, func(f *Form) duesMemberForms { return duesMemberForms{Pay: f} },
		"web.dues.paid_flash", func(id domain.PersonID, f *Form, p *formReader) error {
			in := service.DuesPaymentInput{Amount: p.yuan("amount"), Channel: domain.PayChannel(f.Get("channel")), PaidOn: p.date("paid_on"),
				Side: domain.Side(f.Get("side")), Hardship: f.Get("hardship"), BackPay: f.Get("backpay"), Note: f.Get("note")}
			for _, v := range r.PostForm["months"] {
				m, err := domain.ParseMonth(v)
				if err != nil {
					p.fail("months", "web.dues.bad_month")
				}
				in.Months = append(in.Months, m)
			}
			if p.err != nil {
				return p.err
			}
			_, err := h.svc.RecordDues(r.Context(), h.principal(r).Actor, id, in)
			return err
		})
}

// setDuesStandard fixes the member's standard from a month.
func (h *Handler) setDuesStandard(w http.ResponseWriter, r *http.Request) {
	h.duesAction(w, r, standardFields, func(f *Form) duesMemberForms { return duesMemberForms{Standard: f} },
		"web.dues.standard_flash", func(id domain.PersonID, f *Form, p *formReader) error {
			in := service.DuesStandardInput{From: p.month("from"), Basis: domain.DuesBasis(f.Get("basis")), Note: f.Get("note")}
			if m := p.yuan("income"); m != nil {
				in.Income = *m
			}
			if p.err != nil {
				return p.err
			}
			_, err := h.svc.SetDuesStandard(r.Context(), h.principal(r).Actor, id, in)
			return err
		})
}

// voidDues removes the payment of the month in the path, with a reason,
// so that it can be recorded again.
func (h *Handler) voidDues(w http.ResponseWriter, r *http.Request) {
	m, err := domain.ParseMonth(r.PathValue("month"))
	if err != nil {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	h.duesAction(w, r, []string{"reason"}, func(f *Form) duesMemberForms { return duesMemberForms{Void: f, VoidMon: m} },
		"web.dues.voided_flash", func(id domain.PersonID, f *Form, _ *formReader) error {
			_, err := h.svc.VoidDuesPayment(r.Context(), h.principal(r).Actor, id, m, f.Get("reason"))
			return err
		}, "Month", m.String())
}

// duesAction runs one form of the member's dues page: done, the browser
// goes back to the page with flash; refused for a reason that belongs on
// the form, the page comes back with it.
func (h *Handler) duesAction(w http.ResponseWriter, r *http.Request, fields []string, slot func(*Form) duesMemberForms, flash string,
	do func(id domain.PersonID, f *Form, p *formReader) error, flashArgs ...string) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, fields...)
	if err := do(domain.PersonID(id), f, &formReader{f: f}); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, append(fields, "months")...)
		h.showMemberDues(w, r, StatusOf(domain.CodeOf(err)), slot(f))
		return
	}
	h.flash(w, flash, flashArgs...)
	redirect(w, r, duesPersonURL(domain.PersonID(id)))
}
