package domain

import "testing"

func TestParseQuarter(t *testing.T) {
	for in, want := range map[string]string{"2026-Q4": "2026-10-01..2026-12-31", "2024-Q1": "2024-01-01..2024-03-31"} {
		s, ok := ParseQuarter(in)
		if !ok || s.Key != in || s.First.String()+".."+s.Last.String() != want {
			t.Errorf("%s: %+v %v", in, s, ok)
		}
	}
	for _, bad := range []string{"", "2026Q4", "2026-Q5", "2026-Q0", "1999-Q4", "2026-q4", " 2026-Q4"} {
		if _, ok := ParseQuarter(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestScales(t *testing.T) {
	for _, p := range Participations() {
		if !p.Valid() {
			t.Errorf("%s", p)
		}
	}
	for _, c := range Conducts() {
		if !c.Valid() {
			t.Errorf("%s", c)
		}
	}
	if Participation("never").Valid() || Conduct("excellent").Valid() || FeedbackState("draft").Valid() ||
		FollowUpKind("warn").Valid() || FollowUpOutcome("").Valid() {
		t.Error("unknown value valid")
	}
}

func TestEvaluationPolicy(t *testing.T) {
	p := DefaultEvaluationPolicy()
	if p.Check() != nil || p.Rates(StatusProbationary) || !p.Rates(StatusFull) || p.Rates(StatusActivist) {
		t.Fatalf("default %+v", p)
	}
	p.RateProbationary = true
	if !p.Rates(StatusProbationary) {
		t.Fatal("probationary not rated when the setting says so")
	}
	for _, bad := range []EvaluationPolicy{{ExcellentNum: 2, ExcellentDen: 1}, {ExcellentNum: 1}, {ExcellentNum: -1, ExcellentDen: 3}} {
		if bad.Check() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestRatingCountsAndOverdue(t *testing.T) {
	c := RatingCounts{Confirmed: map[Rating]int{RatingExcellent: 2, RatingQualified: 4}, Pending: 3}
	if c.Total() != 9 || c.Count(RatingExcellent) != 2 || c.Count(RatingUnqualified) != 0 {
		t.Fatalf("%+v", c)
	}
	f := FollowUp{Open: true, DueOn: NewDate(2026, 12, 31)}
	if f.Overdue(NewDate(2026, 12, 31)) || !f.Overdue(NewDate(2027, 1, 1)) {
		t.Fatal("overdue")
	}
	f.Open = false
	if f.Overdue(NewDate(2027, 1, 1)) {
		t.Fatal("a closed task is overdue")
	}
}
