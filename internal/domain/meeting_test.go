package domain

import "testing"

func TestSpanOf(t *testing.T) {
	cases := []struct {
		p           Period
		d           Date
		key         string
		first, last Date
	}{
		{Monthly, NewDate(2024, 2, 10), "2024-02", NewDate(2024, 2, 1), NewDate(2024, 2, 29)},
		{Monthly, NewDate(2026, 12, 31), "2026-12", NewDate(2026, 12, 1), NewDate(2026, 12, 31)},
		{Quarterly, NewDate(2026, 11, 29), "2026-Q4", NewDate(2026, 10, 1), NewDate(2026, 12, 31)},
		{Quarterly, NewDate(2026, 3, 31), "2026-Q1", NewDate(2026, 1, 1), NewDate(2026, 3, 31)},
		{Quarterly, NewDate(2026, 4, 1), "2026-Q2", NewDate(2026, 4, 1), NewDate(2026, 6, 30)},
		{Yearly, NewDate(2026, 7, 1), "2026", NewDate(2026, 1, 1), NewDate(2026, 12, 31)},
	}
	for _, c := range cases {
		s := SpanOf(c.p, c.d)
		if s.Key != c.key || s.First != c.first || s.Last != c.last || !s.Holds(c.d) {
			t.Errorf("%s of %s: %+v", c.p, c.d, s)
		}
	}
	if got := Spans(Quarterly, NewDate(2025, 12, 31), NewDate(2026, 4, 1)); len(got) != 3 || got[2].Key != "2026-Q2" {
		t.Fatalf("spans %+v", got)
	}
}

func TestGapsByKindAndPeriod(t *testing.T) {
	rules := DefaultRhythm()
	today := NewDate(2026, 11, 29)
	from := NewDate(2026, 1, 1)
	held := map[MeetingKind][]Date{
		MeetingThemeDay:    {NewDate(2026, 1, 5), NewDate(2026, 2, 5), NewDate(2026, 3, 5), NewDate(2026, 4, 5), NewDate(2026, 5, 5), NewDate(2026, 6, 5), NewDate(2026, 7, 5), NewDate(2026, 8, 5), NewDate(2026, 9, 5), NewDate(2026, 11, 5)},
		MeetingAssembly:    {NewDate(2026, 2, 1), NewDate(2026, 5, 1), NewDate(2026, 8, 1)},
		MeetingLecture:     {NewDate(2026, 3, 1), NewDate(2026, 6, 1), NewDate(2026, 9, 1), NewDate(2026, 10, 1)},
		MeetingLifeMeeting: {NewDate(2026, 1, 20)},
	}
	gaps := Gaps(rules, KindBranch, 5, NewDate(2005, 3, 1), held, from, today)
	got := map[string]Gap{}
	for _, g := range gaps {
		got[string(g.Meeting)+" "+g.Span.Key] = g
	}
	want := map[string]struct{ open, due bool }{
		"theme_day 2026-10": {false, false}, // October: no theme Party day held
		"theme_day 2026-12": {},             // not begun yet: not listed (today is in November)
		"assembly 2026-Q4":  {true, false},  // Q4 ends 31 December, 14-day lead: not due yet
		"evaluation 2026":   {true, true},   // 45-day lead: due now
		"committee 2026-01": {},             // five full members: no committee, no rule
		"life_meeting 2026": {},             // held in January
		"lecture 2026-Q4":   {},             // held in October
		"theme_day 2026-11": {},             // held
		"assembly 2026-Q3":  {},             // held
	}
	for key, w := range want {
		g, ok := got[key]
		listed := w.open || w.due || key == "theme_day 2026-10"
		if ok != listed || (ok && (g.Open != w.open || g.Due != w.due)) {
			t.Errorf("%s: listed %v %+v, want listed %v %+v", key, ok, g, listed, w)
		}
	}
	if len(gaps) != 3 {
		t.Errorf("%d gaps: %+v", len(gaps), gaps)
	}
	// With seven full members the branch has a committee, which must meet
	// monthly; a branch founded in November owes nothing for October.
	withCommittee := Gaps(rules, KindBranch, 7, NewDate(2026, 11, 1), held, from, today)
	for _, g := range withCommittee {
		if g.Span.First.Before(NewDate(2026, 11, 1)) {
			t.Errorf("gap before founding: %+v", g)
		}
	}
	if !hasGap(withCommittee, MeetingCommittee, "2026-11") {
		t.Errorf("no committee gap: %+v", withCommittee)
	}
	if g := Gaps(rules, KindGroup, 0, Date{}, nil, NewDate(2026, 11, 1), today); len(g) != 1 || g[0].Meeting != MeetingGroup {
		t.Errorf("group: %+v", g)
	}
}

func hasGap(gs []Gap, k MeetingKind, key string) bool {
	for _, g := range gs {
		if g.Meeting == k && g.Span.Key == key {
			return true
		}
	}
	return false
}

func TestCheckRhythm(t *testing.T) {
	if err := CheckRhythm(DefaultRhythm()); err != nil {
		t.Fatal(err)
	}
	bad := func(edit func(r *RhythmRule), field string) {
		t.Helper()
		rules := DefaultRhythm()
		edit(&rules[1])
		if err := CheckRhythm(rules); AsError(err).Field != field {
			t.Errorf("want refusal on %s, got %v", field, err)
		}
	}
	bad(func(r *RhythmRule) { r.Meeting = "party" }, "meeting")
	bad(func(r *RhythmRule) { r.Meeting = MeetingSitIn }, "meeting")
	bad(func(r *RhythmRule) { r.Period = "week" }, "period")
	bad(func(r *RhythmRule) { r.Min = 0 }, "min")
	bad(func(r *RhythmRule) { r.OrgKinds = nil }, "org_kinds")
	bad(func(r *RhythmRule) { r.OrgKinds = []OrgKind{KindUnion} }, "org_kinds")
	bad(func(r *RhythmRule) { r.Meeting = MeetingThemeDay }, "org_kinds")
	bad(func(r *RhythmRule) { r.Lead = 120 }, "lead_days")
}
