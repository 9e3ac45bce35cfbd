package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Party dues (party-rules.md §5, docs/decisions/0011-dues.md): the rules
// as a county setting, each member's monthly standard, payments by month
// with the collecting organization and its retained share, and closed
// months. Reads are in dues_read.go, the scheduled work in dues_job.go.

const duesRulesKey = "dues_rules"

// Limits on what a form may send: a month's dues never come near them.
const (
	maxDuesIncome  domain.Money = 100_000_000 // ¥1,000,000 a month
	maxDuesAmount  domain.Money = 10_000_000  // ¥100,000 in one month's payment
	maxDuesMonths               = 24          // months paid at once
	maxDuesNoteLen              = 200
)

// DuesRules returns the dues rules in force: the national bands until a
// county officer changes them.
func (s *Service) DuesRules(ctx context.Context) (domain.DuesRules, error) {
	return loadSetting(ctx, s, duesRulesKey, domain.DefaultDuesRules())
}

// SetDuesRules stores new dues rules (a county officer's), checked and
// audited with the rules they replace. Standards already fixed keep their
// amounts; the next year's are computed with the new rules.
func (s *Service) SetDuesRules(ctx context.Context, a *authz.Actor, r domain.DuesRules) error {
	if err := require(a, authz.DuesRules); err != nil {
		return s.denied(ctx, a, "dues.rules", "setting", duesRulesKey, err)
	}
	if err := r.Check(); err != nil {
		return err
	}
	old, err := s.DuesRules(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.DuesRules, "dues.rules", duesRulesKey, old, r)
}

// DuesStandardInput is a member's declaration: the basis, the monthly
// income (ignored by the flat bases) and the month the amount starts.
type DuesStandardInput struct {
	From   domain.Month
	Basis  domain.DuesBasis
	Income domain.Money
	Note   string
}

func (in DuesStandardInput) check(current domain.Month) error {
	switch {
	case !in.Basis.Valid():
		return domain.Invalid("basis", "dues.basis_invalid", nil)
	case !in.From.Valid():
		return domain.Invalid("from", "dues.month_invalid", nil)
	case in.From.Sub(current) > 12:
		return domain.Invalid("from", "dues.from_too_late", nil)
	case in.Income < 0 || in.Income > maxDuesIncome:
		return domain.Invalid("income", "dues.income_invalid", nil)
	case in.Income == 0 && !in.Basis.Flat():
		return domain.Invalid("income", "dues.income_required", nil)
	}
	return checkNote("note", in.Note)
}

func checkNote(field, s string) error {
	if utf8.RuneCountInString(s) > maxDuesNoteLen {
		return domain.Invalid(field, "dues.note_long", map[string]any{"Max": maxDuesNoteLen})
	}
	return nil
}

// SetDuesStandard fixes a member's monthly amount from a month on: the
// yearly standard, the first one from the month of admission, or a new
// one from the month a new pay starts. A standard from the same month is
// replaced (a correction). The actor collects dues at the member's home
// or mobile organization.
func (s *Service) SetDuesStandard(ctx context.Context, a *authz.Actor, person domain.PersonID, in DuesStandardInput) (domain.DuesStandard, error) {
	in.Note = strings.TrimSpace(in.Note)
	if in.Basis.Flat() {
		in.Income = 0
	}
	if err := in.check(domain.MonthOf(s.Today())); err != nil {
		return domain.DuesStandard{}, err
	}
	rules, err := s.DuesRules(ctx)
	if err != nil {
		return domain.DuesStandard{}, err
	}
	st := domain.DuesStandard{PersonID: person, From: in.From, Basis: in.Basis, Income: in.Income,
		Amount: rules.MonthlyDues(in.Basis, in.Income), Note: in.Note, SetBy: a.Name, SetAt: s.Now()}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		p, err := s.duesMember(ctx, tx, a, person)
		if err != nil {
			return err
		}
		if !s.collectsFor(ctx, tx, a, p) {
			return domain.ErrForbidden
		}
		if err := checkAdmission(p, in.From, "from"); err != nil {
			return err
		}
		old, err := store.PutDuesStandard(ctx, tx, st)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, "dues.standard", "person", fmt.Sprint(person), "ok", change{Before: old, After: st})
	})
	if domain.CodeOf(err) == domain.CodeForbidden {
		return st, s.denied(ctx, a, "dues.standard", "person", fmt.Sprint(person), err)
	}
	return st, err
}

// duesMember reads a member the actor may see the dues of (not found
// otherwise) who pays dues: a probationary or full member.
func (s *Service) duesMember(ctx context.Context, q store.Q, a *authz.Actor, id domain.PersonID) (store.PersonRow, error) {
	p, err := s.personFor(ctx, q, a, id, authz.DuesRead)
	if err != nil {
		return p, err
	}
	return p, paysDues(p.Person)
}

// paysDues refuses a person who owes no dues: not a member, or not yet
// admitted (party-rules.md §5: dues from the month of admission).
func paysDues(p domain.Person) error {
	if m := p.Membership; m == nil || (m.Status != domain.StatusProbationary && m.Status != domain.StatusFull) {
		return domain.Rule("dues.not_member", map[string]any{"Name": p.Name})
	}
	return nil
}

// checkAdmission refuses a month before the member's admission.
func checkAdmission(p store.PersonRow, m domain.Month, field string) error {
	if j := p.Membership.JoinedOn; !j.IsZero() && m < domain.MonthOf(j) {
		return &domain.Error{Code: domain.CodeRule, Field: field, MsgID: "dues.before_admission",
			Args: map[string]any{"Month": m.String(), "Admitted": domain.MonthOf(j).String()}}
	}
	return nil
}

// duesOrgs are the organizations that may collect a member's dues: the
// home organization and, when placed, the mobile one.
func duesOrgs(ctx context.Context, q store.Q, p store.PersonRow) ([]domain.Org, error) {
	var out []domain.Org
	for _, id := range []domain.OrgID{p.Membership.HomeOrgID, p.Membership.MobileOrgID} {
		if id == 0 {
			continue
		}
		o, err := store.OrgByID(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// collectsFor reports whether the actor collects dues at the member's home
// or mobile organization.
func (s *Service) collectsFor(ctx context.Context, q store.Q, a *authz.Actor, p store.PersonRow) bool {
	orgs, err := duesOrgs(ctx, q, p)
	return err == nil && slices.ContainsFunc(orgs, func(o domain.Org) bool { return a.CanAt(authz.DuesCollect, target(o)).Allowed })
}

// DuesPaymentInput is one payment of one or more months: a quarter paid
// together is three months with one date and channel. Amount is what is
// paid for each month; nil pays each month's standard. Side says who
// collected it: the member's mobile organization or home (origin) one.
type DuesPaymentInput struct {
	Months   []domain.Month
	Amount   *domain.Money
	Channel  domain.PayChannel
	PaidOn   domain.Date
	Side     domain.Side
	Hardship string // the approval of a reduced payment
	BackPay  string // why a month older than the back-pay limit is accepted
	Note     string
}

// check validates the input that needs no record, and returns the months
// sorted without repeats.
func (in DuesPaymentInput) check(today domain.Date) ([]domain.Month, error) {
	current := domain.MonthOf(today)
	months := slices.Clone(in.Months)
	slices.Sort(months)
	months = slices.Compact(months)
	switch {
	case len(months) == 0:
		return nil, domain.Invalid("months", "dues.months_required", nil)
	case len(months) > maxDuesMonths:
		return nil, domain.Invalid("months", "dues.months_too_many", map[string]any{"Max": maxDuesMonths})
	case slices.ContainsFunc(months, func(m domain.Month) bool { return !m.Valid() }):
		return nil, domain.Invalid("months", "dues.month_invalid", nil)
	case months[len(months)-1] > current:
		return nil, domain.Invalid("months", "dues.month_future", map[string]any{"Month": months[len(months)-1].String()})
	case !in.Channel.Valid():
		return nil, domain.Invalid("channel", "dues.channel_invalid", nil)
	case in.PaidOn.IsZero() || in.PaidOn.After(today):
		return nil, domain.Invalid("paid_on", "dues.paid_on_invalid", nil)
	case in.Side != domain.SideOrigin && in.Side != domain.SideMobile:
		return nil, domain.Invalid("side", "dues.side_invalid", nil)
	case in.Amount != nil && (*in.Amount < 0 || *in.Amount > maxDuesAmount):
		return nil, domain.Invalid("amount", "dues.amount_invalid", nil)
	}
	for _, f := range [][2]string{{"hardship", in.Hardship}, {"backpay", in.BackPay}, {"note", in.Note}} {
		if err := checkNote(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	return months, nil
}

// RecordDues records a member's payment of one or more months, all or
// none. It refuses a month in the future, before admission or before any
// standard, older than the back-pay limit without the secretary's reason,
// already paid, closed by the collecting organization or one above it, or
// paid below its standard without a hardship approval. Paying is contact
// with the member (party-rules.md §2.4): one reached contact on the paid
// date.
func (s *Service) RecordDues(ctx context.Context, a *authz.Actor, person domain.PersonID, in DuesPaymentInput) ([]domain.DuesPayment, error) {
	in.Hardship, in.BackPay, in.Note = strings.TrimSpace(in.Hardship), strings.TrimSpace(in.BackPay), strings.TrimSpace(in.Note)
	months, err := in.check(s.Today())
	if err != nil {
		return nil, err
	}
	rules, err := s.DuesRules(ctx)
	if err != nil {
		return nil, err
	}
	var out []domain.DuesPayment
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		p, err := s.duesMember(ctx, tx, a, person)
		if err != nil {
			return err
		}
		org, err := s.collector(ctx, tx, a, p, in.Side)
		if err != nil {
			return err
		}
		if out, err = s.duesRows(ctx, tx, p, org, months, in, rules, a.Name); err != nil {
			return err
		}
		for i := range out {
			if out[i].ID, err = store.AddDuesPayment(ctx, tx, out[i]); err != nil {
				return err
			}
		}
		if _, err := store.AddContact(ctx, tx, store.Contact{PersonID: person, On: in.PaidOn, Channel: "dues", Reached: true,
			Note: monthList(months), ActorName: a.Name, RecordedAt: s.Now()}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "dues.pay", "person", fmt.Sprint(person), "ok", map[string]any{"months": monthList(months),
			"amount": sumAmount(out), "retained": sumRetained(out), "channel": in.Channel, "org": org.ID, "paid_on": in.PaidOn,
			"hardship": in.Hardship, "backpay": in.BackPay})
	})
	if domain.CodeOf(err) == domain.CodeForbidden {
		return nil, s.denied(ctx, a, "dues.pay", "person", fmt.Sprint(person), err)
	}
	return out, err
}

// collector is the organization that collects the payment, which the
// actor must collect dues at.
func (s *Service) collector(ctx context.Context, q store.Q, a *authz.Actor, p store.PersonRow, side domain.Side) (domain.Org, error) {
	id := p.Membership.HomeOrgID
	if side == domain.SideMobile {
		if id = p.Membership.MobileOrgID; id == 0 {
			return domain.Org{}, domain.Invalid("side", "dues.unplaced", nil)
		}
	}
	o, err := store.OrgByID(ctx, q, id)
	if err != nil {
		return o, err
	}
	if !a.CanAt(authz.DuesCollect, target(o)).Allowed {
		return o, domain.ErrForbidden
	}
	return o, nil
}

// duesRows builds one payment per month, refusing the first month that
// breaks a rule.
func (s *Service) duesRows(ctx context.Context, q store.Tx, p store.PersonRow, org domain.Org, months []domain.Month,
	in DuesPaymentInput, rules domain.DuesRules, by string) ([]domain.DuesPayment, error) {
	if err := store.ShareDuesOrgs(ctx, q, org.Path); err != nil {
		return nil, err
	}
	standards, err := store.DuesStandards(ctx, q, p.ID)
	if err != nil {
		return nil, err
	}
	paid, err := store.DuesPayments(ctx, q, p.ID)
	if err != nil {
		return nil, err
	}
	closed, err := store.ClosedDuesMonths(ctx, q, org.Path, months[0], months[len(months)-1])
	if err != nil {
		return nil, err
	}
	current := domain.MonthOf(s.Today())
	var out []domain.DuesPayment
	for _, m := range months {
		arg := map[string]any{"Month": m.String()}
		if err := checkAdmission(p, m, "months"); err != nil {
			return nil, err
		}
		st, ok := domain.StandardFor(standards, m)
		switch {
		case !ok:
			return nil, &domain.Error{Code: domain.CodeRule, Field: "months", MsgID: "dues.no_standard", Args: arg}
		case closed[m] != "":
			return nil, &domain.Error{Code: domain.CodeRule, Field: "months", MsgID: "dues.month_closed",
				Args: map[string]any{"Month": m.String(), "Org": closed[m]}}
		case slices.ContainsFunc(paid, func(x domain.DuesPayment) bool { return x.Month == m }):
			return nil, domain.Conflict("months", "dues.month_paid", arg)
		case current.Sub(m) > rules.BackPayMonths && in.BackPay == "":
			return nil, &domain.Error{Code: domain.CodeRule, Field: "backpay", MsgID: "dues.backpay_limit",
				Args: map[string]any{"Month": m.String(), "Max": rules.BackPayMonths}}
		}
		amount := st.Amount
		if in.Amount != nil {
			amount = *in.Amount
		}
		if amount < st.Amount && in.Hardship == "" {
			return nil, &domain.Error{Code: domain.CodeRule, Field: "hardship", MsgID: "dues.below_standard",
				Args: map[string]any{"Month": m.String(), "Standard": yuan(st.Amount)}}
		}
		out = append(out, domain.DuesPayment{PersonID: p.ID, PersonName: p.Name, Month: m, Amount: amount, Standard: st.Amount,
			Retained: rules.RetainedOf(amount, st.Amount), Channel: in.Channel, PaidOn: in.PaidOn, OrgID: org.ID, OrgName: org.Name,
			Side: org.Side, Hardship: in.Hardship, BackPay: in.BackPay, Note: in.Note, RecordedBy: by, RecordedAt: s.Now()})
	}
	return out, nil
}

// CloseDuesMonth closes a month for an organization: from then on no
// payment for that month is collected in its subtree. Only a month that
// has begun may be closed.
func (s *Service) CloseDuesMonth(ctx context.Context, a *authz.Actor, org domain.OrgID, m domain.Month) error {
	if !m.Valid() {
		return domain.Invalid("month", "dues.month_invalid", nil)
	}
	if m > domain.MonthOf(s.Today()) {
		return domain.Invalid("month", "dues.close_future", map[string]any{"Month": m.String()})
	}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		o, err := s.duesOrg(ctx, tx, a, org, authz.DuesCollect)
		if err != nil {
			return err
		}
		if err := store.LockDuesClosing(ctx, tx, o.ID); err != nil {
			return err
		}
		if err := store.CloseDuesMonth(ctx, tx, o.ID, m, a.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "dues.close", "org", fmt.Sprint(o.ID), "ok", map[string]any{"month": m.String()})
	})
	if domain.CodeOf(err) == domain.CodeForbidden {
		return s.denied(ctx, a, "dues.close", "org", fmt.Sprint(org), err)
	}
	return err
}

func monthList(ms []domain.Month) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return strings.Join(out, ",")
}

func sumAmount(ps []domain.DuesPayment) (n domain.Money) {
	for _, p := range ps {
		n += p.Amount
	}
	return n
}

func sumRetained(ps []domain.DuesPayment) (n domain.Money) {
	for _, p := range ps {
		n += p.Retained
	}
	return n
}

// yuan shows an amount in fen as yuan for a message: 1234 → "12.34".
func yuan(m domain.Money) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, m/100, m%100)
}
