package demo

import (
	"context"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// Party dues over the months: each member's declared income and the
// standard by the bands (the yearly one at January, the first from the
// month of admission or the first month of the demo, a new one from the
// month a pay rise starts), and the payments — most monthly by phone, some
// a quarter at a time, a few at home. A member out of contact has paid
// nothing since the last contact (six months and more for the lost ones);
// a few others owe the last month or two, and the current month is not
// yet paid by everyone.

// duesBasis draws a member's basis and monthly income in fen for the
// first year.
func duesBasis(p int64) (domain.DuesBasis, domain.Money) {
	x := draw(100, p, 20)
	income := domain.Money(350_000 + 1_000*draw(650, p, 21)) // ¥3,500–9,990
	switch {
	case x < 72:
		return domain.DuesWage, income
	case x < 82:
		return domain.DuesSelfEmployed, income + 200_000
	case x < 94:
		return domain.DuesMigrantFarmer, income - 100_000
	case x < 97:
		return domain.DuesUnemployed, 0
	}
	return domain.DuesFarmer, 0
}

func (g *life) dues(ctx context.Context) error {
	rules, err := g.l.Service.DuesRules(ctx)
	if err != nil {
		return err
	}
	current := domain.MonthOf(g.today)
	start := domain.MonthOf(g.first)
	sys := authz.System.Name
	channels := []domain.PayChannel{domain.PayWeChat, domain.PayWeChat, domain.PayWeChat, domain.PayAlipay, domain.PayAlipay,
		domain.PayBank, domain.PayCash, domain.PayCash}
	for _, mb := range g.members {
		p := int64(mb.Person)
		first := start
		if !mb.JoinedOn.IsZero() && domain.MonthOf(mb.JoinedOn) > first {
			first = domain.MonthOf(mb.JoinedOn)
		}
		if first > current {
			continue
		}
		basis, income := duesBasis(p)
		raise := domain.Month(0)
		if draw(100, p, 22) < 6 {
			raise = domain.NewMonth(current.Year()-draw(2, p, 23), time.July)
		}
		var standards []domain.DuesStandard
		for m := first; m <= current; m = m.Add(1) {
			if m != first && m.Num() != time.January && m != raise {
				continue
			}
			if m.Num() == time.January && m != first && !basis.Flat() {
				income = income * 103 / 100 / 100 * 100 // a yearly rise of about 3 %
			}
			note := ""
			if m == raise && !basis.Flat() {
				income, note = income+80_000, "工资调整，自当月起按新收入计算"
			}
			if basis.Flat() {
				income = 0
			}
			st := domain.DuesStandard{PersonID: mb.Person, From: m, Basis: basis, Income: income,
				Amount: rules.MonthlyDues(basis, income), Note: note, SetBy: sys, SetAt: at(m.First(), 9, 0)}
			standards = append(standards, st)
		}
		g.out.Standards = append(g.out.Standards, standards...)
		// How the member pays, and what is still owed.
		quarterly := draw(100, p, 24) < 10
		atHome := mb.MobileOrgID == 0 || draw(100, p, 25) < 8
		owes := 0 // recent months left unpaid
		switch x := draw(100, p, 26); {
		case x < 5:
			owes = 1
		case x < 8:
			owes = 2
		}
		org, side := mb.MobileOrgID, domain.SideMobile
		if atHome {
			org, side = mb.HomeOrgID, domain.SideOrigin
		}
		var batch []domain.Month
		pay := func(on domain.Date) {
			if len(batch) == 0 {
				return
			}
			ch := channels[draw(len(channels), p, dayKey(on), 27)]
			if atHome && draw(2, p, 28) == 0 {
				ch = domain.PayProxy
			}
			for _, m := range batch {
				st, _ := domain.StandardFor(standards, m)
				g.out.Payments = append(g.out.Payments, domain.DuesPayment{PersonID: mb.Person, Month: m, Amount: st.Amount,
					Standard: st.Amount, Retained: rules.RetainedOf(st.Amount, st.Amount), Channel: ch, PaidOn: on, OrgID: org,
					Side: side, RecordedBy: sys, RecordedAt: at(on, 20, 0)})
			}
			batch = batch[:0]
		}
		for m := first; m <= current; m = m.Add(1) {
			on := m.First().AddDays(2 + draw(22, p, int64(m), 29))
			if quarterly {
				on = m.First().AddDays(14 + draw(14, p, int64(m), 29))
			}
			switch {
			case mb.ContactState != domain.ContactOK && on.After(mb.LastContactOn):
				continue // not heard of since
			case current.Sub(m) < owes:
				continue
			case m == current && draw(100, p, 30) < 12:
				continue // not yet this month
			case on.After(g.today):
				continue
			}
			batch = append(batch, m)
			if !quarterly || m.Num()%3 == 0 {
				pay(on)
			}
		}
		// A quarterly payer's months of an unfinished quarter stay owed.
	}
	return nil
}
