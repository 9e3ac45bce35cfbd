package service

import (
	"context"
	"slices"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// The rhythm of organizational life (party-rules.md §3): the rules table
// is a county setting (domain.DefaultRhythm until the county changes it);
// an organization's gaps are read from its held meetings against the rules
// that bind it, for its page and for the county's table. The rhythm is
// checked where the register records organizational life: the mobile
// side's Party organizations (docs/decisions/0013).

const rhythmKey = "rhythm_rules"

// RhythmRules returns the rules table in force.
func (s *Service) RhythmRules(ctx context.Context) ([]domain.RhythmRule, error) {
	return loadSetting(ctx, s, rhythmKey, domain.DefaultRhythm())
}

// countyWide reports whether the actor holds perm at every root
// organization of the origin side: a county officer. Settings that bind
// every member or organization of the county take it; a township or
// branch secretary does not have it.
func (s *Service) countyWide(ctx context.Context, a *authz.Actor, perm authz.Perm) (bool, error) {
	roots, err := store.RootOrgs(ctx, s.db.Read(), domain.SideOrigin)
	if err != nil || len(roots) == 0 {
		return false, err
	}
	for _, o := range roots {
		if !a.CanAt(perm, target(o)).Allowed {
			return false, nil
		}
	}
	return true, nil
}

// CanSetRhythm reports whether the actor may change the rules table: it
// binds every organization of the county, so it takes org:write over the
// whole origin side (the county officer).
func (s *Service) CanSetRhythm(ctx context.Context, a *authz.Actor) (bool, error) {
	return s.countyWide(ctx, a, authz.OrgWrite)
}

// SetRhythmRules stores a new rules table, checked by domain.CheckRhythm,
// audited with the old one. An empty table is allowed: no requirement.
func (s *Service) SetRhythmRules(ctx context.Context, a *authz.Actor, rules []domain.RhythmRule) error {
	ok, err := s.CanSetRhythm(ctx, a)
	if err != nil {
		return err
	}
	if !ok {
		return s.denied(ctx, a, "rhythm.rules", "setting", rhythmKey, domain.ErrForbidden)
	}
	if err := domain.CheckRhythm(rules); err != nil {
		return err
	}
	if rules == nil {
		rules = []domain.RhythmRule{}
	}
	old, err := s.RhythmRules(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.OrgWrite, "rhythm.rules", rhythmKey, old, rules)
}

// rhythmBinds reports whether the rhythm is checked for o at all.
func rhythmBinds(o domain.Org) bool {
	return o.Side == domain.SideMobile && o.Status == domain.StatusActive
}

// heldByOrg groups held meetings into the dates of each organization's
// meetings by kind, one date per meeting, as domain.Gaps reads them.
func heldByOrg(rows []store.HeldCount) map[domain.OrgID]map[domain.MeetingKind][]domain.Date {
	out := map[domain.OrgID]map[domain.MeetingKind][]domain.Date{}
	for _, h := range rows {
		m := out[h.OrgID]
		if m == nil {
			m = map[domain.MeetingKind][]domain.Date{}
			out[h.OrgID] = m
		}
		for range h.Count {
			m[h.Kind] = append(m[h.Kind], h.On)
		}
	}
	return out
}

// heldIn counts the dates inside a span.
func heldIn(dates []domain.Date, sp domain.Span) int {
	n := 0
	for _, d := range dates {
		if sp.Holds(d) {
			n++
		}
	}
	return n
}

// bindingRules are the rules that bind an organization of kind k with
// full full members.
func bindingRules(rules []domain.RhythmRule, k domain.OrgKind, full int) []domain.RhythmRule {
	var out []domain.RhythmRule
	for _, r := range rules {
		if r.AppliesTo(k, full) {
			out = append(out, r)
		}
	}
	return out
}

// RuleStatus is where one rule stands in its current period.
type RuleStatus struct {
	Rule domain.RhythmRule
	Span domain.Span
	Held int
	Met  bool
	Due  bool // not met, and within the reminder lead
}

// OrgRhythm is an organization's standing against the rules: the current
// period of every rule that binds it and the gaps of the last twelve
// months (and the years they touch), newest first.
type OrgRhythm struct {
	Applies bool // the rhythm is checked here (a mobile Party organization bound by a rule)
	Full    int
	Current []RuleStatus
	Gaps    []domain.Gap // closed periods only
	From    domain.Date
	Today   domain.Date
}

// rhythmWindow is the first day of the month eleven months before today's:
// twelve monthly periods.
func rhythmWindow(today domain.Date) domain.Date {
	return domain.SpanOf(domain.Monthly, today).First.AddMonths(-11)
}

// OrgRhythm reads an organization's rhythm for its page, where the actor
// may see the organization.
func (s *Service) OrgRhythm(ctx context.Context, a *authz.Actor, id domain.OrgID) (OrgRhythm, error) {
	today := s.Today()
	out := OrgRhythm{Today: today, From: rhythmWindow(today)}
	q := s.db.Read()
	o, err := s.orgFor(ctx, q, a, id)
	if err != nil || !rhythmBinds(o) {
		return out, err
	}
	rules, err := s.RhythmRules(ctx)
	if err != nil {
		return out, err
	}
	full, err := store.FullPlaced(ctx, q)
	if err != nil {
		return out, err
	}
	out.Full = full[o.ID]
	rules = bindingRules(rules, o.Kind, out.Full)
	if len(rules) == 0 {
		return out, nil
	}
	out.Applies = true
	// The yearly rules look back to the first of January of the window.
	from := domain.SpanOf(domain.Yearly, out.From).First
	rows, err := store.HeldMeetings(ctx, q, store.HeldQuery{Scope: everywhere, OrgID: o.ID, From: from, To: today})
	if err != nil {
		return out, err
	}
	held := heldByOrg(rows)[o.ID]
	for _, g := range domain.Gaps(rules, o.Kind, out.Full, o.FoundedOn, held, out.From, today) {
		if !g.Open {
			out.Gaps = append(out.Gaps, g)
		}
	}
	slices.SortStableFunc(out.Gaps, func(x, y domain.Gap) int { return y.Span.Last.Time().Compare(x.Span.Last.Time()) })
	for _, r := range rules {
		sp := domain.SpanOf(r.Period, today)
		st := RuleStatus{Rule: r, Span: sp, Held: heldIn(held[r.Meeting], sp)}
		st.Met = st.Held >= r.Min
		st.Due = !st.Met && !today.Before(sp.Last.AddDays(-r.Lead))
		out.Current = append(out.Current, st)
	}
	return out, nil
}

// Cell states of the county table.
const (
	CellMet    = "met"    // held as often as the rule asks
	CellGap    = "gap"    // the period ended without enough meetings
	CellOpen   = "open"   // the period runs on, still time
	CellDue    = "due"    // the period runs on and its reminder is due
	CellBefore = "before" // the organization was founded after the period began
)

// RhythmQuery filters the county table: the period of its columns (month,
// quarter, year), the meeting kind (empty: every kind with rules of that
// period), the subtree of an organization, and only rows with a gap.
type RhythmQuery struct {
	Period   domain.Period
	Kind     domain.MeetingKind
	Org      domain.OrgID
	GapsOnly bool
}

// RhythmCell is one organization's meetings of one kind in one period.
type RhythmCell struct {
	Span  domain.Span
	Held  int
	State string
}

// RhythmRow is one organization and one rule across the table's periods.
type RhythmRow struct {
	Org     domain.Org
	Meeting domain.MeetingKind
	Min     int
	Cells   []RhythmCell
	Gaps    int // closed periods without enough meetings
}

// RhythmTable is the county's table: organizations × recent periods.
type RhythmTable struct {
	Query RhythmQuery
	Spans []domain.Span
	Rows  []RhythmRow
	Orgs  int // organizations with a row
	Gaps  int // gap cells
	Due   int // due cells
	Today domain.Date
}

// tableSpans is how many periods the table shows: a year of months, two
// years of quarters, three years.
var tableSpans = map[domain.Period]int{domain.Monthly: 12, domain.Quarterly: 8, domain.Yearly: 3}

// RhythmTable builds the county's table over the organizations the actor
// may see: one row per organization and binding rule of the period, one
// cell per period.
func (s *Service) RhythmTable(ctx context.Context, a *authz.Actor, f RhythmQuery) (RhythmTable, error) {
	today := s.Today()
	if f.Period == "" {
		f.Period = domain.Monthly
	}
	out := RhythmTable{Query: f, Today: today}
	if !f.Period.Valid() {
		return out, domain.Invalid("period", "rhythm.table.period_invalid", nil)
	}
	if f.Kind != "" && (!f.Kind.Valid() || f.Kind == domain.MeetingSitIn) {
		return out, domain.Invalid("kind", "rhythm.table.kind_invalid", nil)
	}
	q := s.db.Read()
	under := ""
	if f.Org != 0 {
		o, err := s.orgFor(ctx, q, a, f.Org)
		if err != nil {
			return out, err
		}
		under = o.Path
	}
	first := domain.SpanOf(f.Period, today).First.AddMonths(-monthsOf(f.Period) * (tableSpans[f.Period] - 1))
	out.Spans = domain.Spans(f.Period, first, today)
	all, err := s.RhythmRules(ctx)
	if err != nil {
		return out, err
	}
	var rules []domain.RhythmRule
	for _, r := range all {
		if r.Period == f.Period && (f.Kind == "" || r.Meeting == f.Kind) {
			rules = append(rules, r)
		}
	}
	if len(rules) == 0 {
		return out, nil
	}
	orgs, err := store.ListOrgs(ctx, q, store.OrgQuery{Read: a.Filter(authz.OrgRead), Side: domain.SideMobile,
		Status: domain.StatusActive, Under: under})
	if err != nil {
		return out, err
	}
	full, err := store.FullPlaced(ctx, q)
	if err != nil {
		return out, err
	}
	kinds := make([]domain.MeetingKind, 0, len(rules))
	for _, r := range rules {
		kinds = append(kinds, r.Meeting)
	}
	rows, err := store.HeldMeetings(ctx, q, store.HeldQuery{Scope: a.Filter(authz.OrgRead), Side: domain.SideMobile, Under: under,
		Kinds: kinds, From: out.Spans[0].First, To: today})
	if err != nil {
		return out, err
	}
	held := heldByOrg(rows)
	for _, o := range orgs {
		n := len(out.Rows)
		out.addRows(o, bindingRules(rules, o.Kind, full[o.ID]), full[o.ID], held[o.ID])
		if len(out.Rows) > n {
			out.Orgs++
		}
	}
	return out, nil
}

// monthsOf is the length of a period in months.
func monthsOf(p domain.Period) int {
	switch p {
	case domain.Quarterly:
		return 3
	case domain.Yearly:
		return 12
	}
	return 1
}

// addRows adds an organization's rows, one per binding rule, keeping
// only rows with a gap or a due reminder when the query asks.
func (t *RhythmTable) addRows(o domain.Org, rules []domain.RhythmRule, full int, held map[domain.MeetingKind][]domain.Date) {
	gaps := map[[2]string]domain.Gap{}
	for _, g := range domain.Gaps(rules, o.Kind, full, o.FoundedOn, held, t.Spans[0].First, t.Today) {
		gaps[[2]string{string(g.Meeting), g.Span.Key}] = g
	}
	for _, r := range rules {
		row := RhythmRow{Org: o, Meeting: r.Meeting, Min: r.Min}
		due := 0
		for _, sp := range t.Spans {
			c := RhythmCell{Span: sp, Held: heldIn(held[r.Meeting], sp), State: CellMet}
			g, gap := gaps[[2]string{string(r.Meeting), sp.Key}]
			switch {
			case !o.FoundedOn.IsZero() && sp.First.Before(o.FoundedOn):
				c.State = CellBefore
			case gap && g.Due:
				c.State, due = CellDue, due+1
			case gap && g.Open:
				c.State = CellOpen
			case gap:
				c.State, row.Gaps = CellGap, row.Gaps+1
			}
			row.Cells = append(row.Cells, c)
		}
		if t.Query.GapsOnly && row.Gaps == 0 && due == 0 {
			continue
		}
		t.Gaps += row.Gaps
		t.Due += due
		t.Rows = append(t.Rows, row)
	}
}
