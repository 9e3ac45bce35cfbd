package service

import (
	"context"
	"fmt"
	"slices"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// MemberDues is one member's dues: the standards, the payments, the months
// owed up to the current one and the standing they make.
type MemberDues struct {
	Person    domain.Person
	Month     domain.Month         // the current month
	Current   *domain.DuesStandard // in force this month; nil: none yet
	Standards []domain.DuesStandard
	Payments  []domain.DuesPayment // latest month first
	Unpaid    []OwedMonth          // months owed, oldest first
	Owed      domain.Money         // their standards' sum
	Standing  domain.DuesStanding
	Rules     domain.DuesRules
	// Collectors are the organizations (home, mobile) where the actor may
	// record a payment; empty for a read-only view.
	Collectors []domain.Org
	// Voidable are the months whose payment the actor may void: collected
	// where the actor collects dues, in a month still open there.
	Voidable map[domain.Month]bool
	// ClosedBy names, for the months whose payment lies in a month closed
	// for its collecting organization, the organization that closed it.
	ClosedBy map[domain.Month]string
}

// OwedMonth is a month without payment and the standard owed for it.
type OwedMonth struct {
	Month  domain.Month
	Amount domain.Money
}

// MemberDues returns a member's dues for an actor with dues:read where the
// member belongs (not found otherwise).
func (s *Service) MemberDues(ctx context.Context, a *authz.Actor, person domain.PersonID) (MemberDues, error) {
	q := s.db.Read()
	p, err := s.duesMember(ctx, q, a, person)
	if err != nil {
		return MemberDues{}, err
	}
	d, err := s.memberDues(ctx, q, p.Person)
	if err != nil {
		return d, err
	}
	orgs, err := duesOrgs(ctx, q, p)
	if err != nil {
		return d, err
	}
	for _, o := range orgs {
		if a.CanAt(authz.DuesCollect, target(o)).Allowed {
			d.Collectors = append(d.Collectors, o)
		}
	}
	d.Voidable, d.ClosedBy, err = paymentLocks(ctx, q, a, d.Payments)
	return d, err
}

// OwnDues returns the dues of the member's own record (see OwnPerson):
// what a member sees on a phone.
func (s *Service) OwnDues(ctx context.Context, a *authz.Actor) (MemberDues, error) {
	p, err := s.OwnPerson(ctx, a)
	if err != nil {
		return MemberDues{}, err
	}
	if err := paysDues(p); err != nil {
		return MemberDues{}, err
	}
	return s.memberDues(ctx, s.db.Read(), p)
}

func (s *Service) memberDues(ctx context.Context, q store.Q, p domain.Person) (MemberDues, error) {
	d := MemberDues{Person: p, Month: domain.MonthOf(s.Today())}
	var err error
	if d.Rules, err = s.DuesRules(ctx); err != nil {
		return d, err
	}
	if d.Standards, err = store.DuesStandards(ctx, q, p.ID); err != nil {
		return d, err
	}
	if d.Payments, err = store.DuesPayments(ctx, q, p.ID); err != nil {
		return d, err
	}
	if st, ok := domain.StandardFor(d.Standards, d.Month); ok {
		d.Current = &st
	}
	if len(d.Standards) == 0 {
		return d, nil
	}
	start := d.Standards[len(d.Standards)-1].From
	paid, last := 0, domain.Month(0)
	done := map[domain.Month]bool{}
	for _, pay := range d.Payments {
		done[pay.Month] = true
		if pay.Month >= start && pay.Month <= d.Month {
			paid++
		}
		if pay.Month < d.Month && pay.Month > last {
			last = pay.Month
		}
	}
	d.Standing = domain.Standing(start, d.Month, paid, last, d.Rules.LapseMonths)
	for m := start; m <= d.Month; m = m.Add(1) {
		if !done[m] {
			st, _ := domain.StandardFor(d.Standards, m)
			d.Unpaid = append(d.Unpaid, OwedMonth{Month: m, Amount: st.Amount})
			d.Owed += st.Amount
		}
	}
	return d, nil
}

// DuesFilter narrows an organization's dues list.
type DuesFilter string

// The filters: everyone, those who have not paid the current month, those
// owing any month, those flagged under the six-month rule.
const (
	DuesAll     DuesFilter = ""
	DuesUnpaid  DuesFilter = "unpaid"
	DuesArrears DuesFilter = "arrears"
	DuesLapsed  DuesFilter = "lapsed"
)

// Valid reports whether f is a known filter.
func (f DuesFilter) Valid() bool {
	return slices.Contains([]DuesFilter{DuesAll, DuesUnpaid, DuesArrears, DuesLapsed}, f)
}

// OrgDuesQuery asks for an organization's dues in one year, one page of
// the grid at a time.
type OrgDuesQuery struct {
	Year   int // zero: this year
	Filter DuesFilter
	Page   int // from 1
	Limit  int // grid rows a page (default 100)
}

// OrgDues is an organization's dues: the members listed where their home
// or mobile organization lies in its subtree, the month grid of one year,
// this month's paid and unpaid, those flagged under the six-month rule,
// and what its subtree collected and kept by month.
type OrgDues struct {
	Org     domain.Org
	Year    int
	Month   domain.Month // the current month
	Filter  DuesFilter
	Columns []DuesColumn
	Rows    []DuesRow // the grid's page
	Lapsed  []DuesRow // every lapsed member, without cells
	// Counts over every member listed.
	Members, Due, Paid, Unpaid, Arrears, NoStandard int
	Collected, Retained                             domain.Money // in the year
	Total, Page, Pages                              int          // rows the filter pages through
	Rules                                           domain.DuesRules
	CanCollect                                      bool // may record payments and close months here
	// Closings are the months of the year the organization itself closed
	// (those it may reopen), read only when CanCollect.
	Closings []store.DuesClosing
}

// DuesColumn is one month of the grid: whether it is closed (and by whom)
// and what the subtree collected for it.
type DuesColumn struct {
	Month    domain.Month
	Closed   string // the organization that closed it; empty: open
	Future   bool   // after the current month
	Current  bool
	Payments int
	Amount   domain.Money
	Retained domain.Money
}

// DuesRow is a member's line: the ledger figures, the standard this month
// and one cell per month of the year (only on the grid's page).
type DuesRow struct {
	store.DuesMember
	Standing domain.DuesStanding
	Standard domain.Money // this month's; zero with no standard
	Cells    []DuesCell
}

// DuesCell is one member's month.
type DuesCell struct {
	Month  domain.Month
	State  string // paid, unpaid, none (not owed: before the first standard) or future
	Amount domain.Money
	Below  bool // paid less than the standard (hardship)
}

// OrgDues returns an organization's dues for an actor with dues:read
// there; an organization out of sight is not found, one seen without
// dues:read is forbidden.
func (s *Service) OrgDues(ctx context.Context, a *authz.Actor, org domain.OrgID, q OrgDuesQuery) (OrgDues, error) {
	out, members, err := s.orgDuesMembers(ctx, a, org, &q)
	if err != nil {
		return out, err
	}
	out.Total = len(members)
	out.Pages = max((out.Total+q.Limit-1)/q.Limit, 1)
	out.Page = min(max(q.Page, 1), out.Pages)
	from := (out.Page - 1) * q.Limit
	page := members[from:min(from+q.Limit, len(members))]
	return out, s.fillCells(ctx, &out, page)
}

// ExportOrgDues is the whole filtered list of an organization with its
// cells, for a spreadsheet: throttled and audited.
func (s *Service) ExportOrgDues(ctx context.Context, a *authz.Actor, org domain.OrgID, q OrgDuesQuery) (OrgDues, error) {
	if err := s.throttle(ctx, a, throttle.Export); err != nil {
		return OrgDues{}, err
	}
	out, members, err := s.orgDuesMembers(ctx, a, org, &q)
	if err != nil {
		return out, err
	}
	out.Total, out.Page, out.Pages = len(members), 1, 1
	if err := s.fillCells(ctx, &out, members); err != nil {
		return out, err
	}
	s.recordAlone(ctx, a, "dues.export", "org", fmt.Sprint(org), "ok", map[string]any{"rows": len(members), "year": out.Year,
		"filter": q.Filter})
	return out, nil
}

// ExportDuesPayments lists the payments an organization's subtree
// collected in a year (zero: this year), with the retained share of each:
// throttled and audited.
func (s *Service) ExportDuesPayments(ctx context.Context, a *authz.Actor, org domain.OrgID, year int) (domain.Org, []domain.DuesPayment, error) {
	q := s.db.Read()
	o, err := s.duesOrg(ctx, q, a, org, authz.DuesRead)
	if err != nil {
		return o, nil, err
	}
	if year == 0 {
		year = s.Today().Time().Year()
	}
	if err := s.throttle(ctx, a, throttle.Export); err != nil {
		return o, nil, err
	}
	list, err := store.DuesPaymentsCollected(ctx, q, o.Path, domain.NewMonth(year, 1), domain.NewMonth(year, 12))
	if err != nil {
		return o, nil, err
	}
	s.recordAlone(ctx, a, "dues.export_payments", "org", fmt.Sprint(org), "ok", map[string]any{"rows": len(list), "year": year})
	return o, list, nil
}

// duesOrg reads an organization the actor sees (not found otherwise) and
// holds perm at (dues:read or dues:collect; forbidden otherwise).
func (s *Service) duesOrg(ctx context.Context, q store.Q, a *authz.Actor, id domain.OrgID, perm authz.Perm) (domain.Org, error) {
	o, err := s.orgFor(ctx, q, a, id)
	if err != nil {
		return o, err
	}
	if !a.CanAt(perm, target(o)).Allowed {
		return o, domain.ErrForbidden
	}
	return o, nil
}

// orgDuesMembers reads the organization's members with their standing,
// fills the counts, columns and lapsed list, and returns the members the
// filter keeps.
func (s *Service) orgDuesMembers(ctx context.Context, a *authz.Actor, org domain.OrgID, q *OrgDuesQuery) (OrgDues, []DuesRow, error) {
	rq := s.db.Read()
	out := OrgDues{Month: domain.MonthOf(s.Today()), Filter: q.Filter}
	if !q.Filter.Valid() {
		return out, nil, domain.Invalid("filter", "dues.filter_invalid", nil)
	}
	if q.Year == 0 {
		q.Year = out.Month.Year()
	}
	if q.Year < 1950 || q.Year > out.Month.Year()+1 {
		return out, nil, domain.Invalid("year", "dues.year_invalid", nil)
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 100
	}
	out.Year = q.Year
	var err error
	if out.Org, err = s.duesOrg(ctx, rq, a, org, authz.DuesRead); err != nil {
		return out, nil, err
	}
	out.CanCollect = a.CanAt(authz.DuesCollect, target(out.Org)).Allowed
	if out.Rules, err = s.DuesRules(ctx); err != nil {
		return out, nil, err
	}
	if err := s.duesColumns(ctx, rq, &out); err != nil {
		return out, nil, err
	}
	if out.CanCollect {
		if out.Closings, err = store.DuesClosings(ctx, rq, out.Org.ID, domain.NewMonth(q.Year, 1), domain.NewMonth(q.Year, 12)); err != nil {
			return out, nil, err
		}
	}
	members, err := store.DuesMembers(ctx, rq, store.DuesMemberQuery{Scope: a.Filter(authz.DuesRead), Org: out.Org.Path, Current: out.Month})
	if err != nil {
		return out, nil, err
	}
	var kept []DuesRow
	for _, m := range members {
		r := DuesRow{DuesMember: m, Standing: domain.Standing(m.Start, out.Month, m.Paid, m.LastPaid, out.Rules.LapseMonths)}
		out.count(r)
		if r.Standing.Lapsed {
			out.Lapsed = append(out.Lapsed, r)
		}
		if q.Filter.keeps(r, out.Month) {
			kept = append(kept, r)
		}
	}
	return out, kept, nil
}

// count adds a member to the list's counts.
func (d *OrgDues) count(r DuesRow) {
	d.Members++
	switch {
	case r.Start == 0:
		d.NoStandard++
	case r.Start <= d.Month:
		d.Due++
		if r.PaidNow {
			d.Paid++
		} else {
			d.Unpaid++
		}
	}
	if r.Standing.Owed > 0 {
		d.Arrears++
	}
}

func (f DuesFilter) keeps(r DuesRow, current domain.Month) bool {
	switch f {
	case DuesUnpaid:
		return r.Start != 0 && r.Start <= current && !r.PaidNow
	case DuesArrears:
		return r.Standing.Owed > 0
	case DuesLapsed:
		return r.Standing.Lapsed
	}
	return true
}

// duesColumns fills the year's months with their closing and totals.
func (s *Service) duesColumns(ctx context.Context, q store.Q, d *OrgDues) error {
	first, last := domain.NewMonth(d.Year, 1), domain.NewMonth(d.Year, 12)
	closed, err := store.ClosedDuesMonths(ctx, q, d.Org.Path, first, last)
	if err != nil {
		return err
	}
	totals, err := store.DuesTotals(ctx, q, d.Org.Path, first, last)
	if err != nil {
		return err
	}
	for _, m := range domain.MonthsOf(d.Year) {
		c := DuesColumn{Month: m, Closed: closed[m], Future: m > d.Month, Current: m == d.Month}
		for _, t := range totals {
			if t.Month == m {
				c.Payments, c.Amount, c.Retained = t.Payments, t.Collected, t.Retained
			}
		}
		d.Collected += c.Amount
		d.Retained += c.Retained
		d.Columns = append(d.Columns, c)
	}
	return nil
}

// fillCells reads the standards and the year's payments of the members on
// the grid and puts their cells and this month's standard in d.Rows.
func (s *Service) fillCells(ctx context.Context, d *OrgDues, rows []DuesRow) error {
	q := s.db.Read()
	ids := make([]domain.PersonID, len(rows))
	for i, r := range rows {
		ids[i] = r.PersonID
	}
	standards, err := store.DuesStandardsOf(ctx, q, ids)
	if err != nil {
		return err
	}
	months := domain.MonthsOf(d.Year)
	payments, err := store.DuesPaymentsOf(ctx, q, ids, months[0], months[11])
	if err != nil {
		return err
	}
	paid := map[domain.PersonID]map[domain.Month]domain.DuesPayment{}
	for _, p := range payments {
		if paid[p.PersonID] == nil {
			paid[p.PersonID] = map[domain.Month]domain.DuesPayment{}
		}
		paid[p.PersonID][p.Month] = p
	}
	for _, r := range rows {
		if st, ok := domain.StandardFor(standards[r.PersonID], d.Month); ok {
			r.Standard = st.Amount
		}
		for _, m := range months {
			c := DuesCell{Month: m, State: "unpaid"}
			p, ok := paid[r.PersonID][m]
			switch {
			case ok:
				c.State, c.Amount, c.Below = "paid", p.Amount, p.Amount < p.Standard
			case m > d.Month:
				c.State = "future"
			case r.Start == 0 || m < r.Start:
				c.State = "none"
			}
			r.Cells = append(r.Cells, c)
		}
		d.Rows = append(d.Rows, r)
	}
	return nil
}
