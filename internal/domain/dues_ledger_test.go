package domain

import (
	"testing"
	"time"
)

func TestMonthArithmetic(t *testing.T) {
	m := NewMonth(2026, time.November)
	if m.String() != "2026-11" || m.Add(2) != NewMonth(2027, time.January) || m.Add(-11) != NewMonth(2025, time.December) {
		t.Fatalf("add: %s %s %s", m, m.Add(2), m.Add(-11))
	}
	if NewMonth(2027, time.February).Sub(m) != 3 || m.Sub(m) != 0 {
		t.Fatal("sub")
	}
	if p, err := ParseMonth("2026-03"); err != nil || p != 202603 {
		t.Fatalf("parse: %v %v", p, err)
	}
	for _, bad := range []string{"", "2026-13", "2026/03", "26-03", "0001-01"} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if MonthOf(NewDate(2026, 2, 28)) != 202602 || NewMonth(2026, 2).First() != NewDate(2026, 2, 1) {
		t.Fatal("month of a date")
	}
	if Month(202613).Valid() || !Month(202612).Valid() {
		t.Fatal("valid")
	}
}

func TestStandardFor(t *testing.T) {
	ss := []DuesStandard{{From: 202607, Amount: 3000}, {From: 202601, Amount: 1500}, {From: 202701, Amount: 3100}}
	for m, want := range map[Month]Money{202601: 1500, 202606: 1500, 202607: 3000, 202612: 3000, 202705: 3100} {
		if s, ok := StandardFor(ss, m); !ok || s.Amount != want {
			t.Errorf("%s: %v %v, want %d", m, s.Amount, ok, want)
		}
	}
	if _, ok := StandardFor(ss, 202512); ok {
		t.Error("a standard before the first")
	}
}

func TestStanding(t *testing.T) {
	const nov = Month(202611)
	cases := []struct {
		name         string
		start        Month
		paid         int
		last         Month
		owed, streak int
		lapsed       bool
	}{
		{name: "no standard"},
		{name: "starts next month", start: 202612},
		{name: "all paid", start: 202601, paid: 11, last: 202610},
		{name: "current month open", start: 202601, paid: 10, last: 202610, owed: 1},
		{name: "five complete months unpaid", start: 202601, paid: 5, last: 202605, owed: 6, streak: 5},
		{name: "six complete months unpaid", start: 202601, paid: 4, last: 202604, owed: 7, streak: 6, lapsed: true},
		{name: "never paid since May", start: 202605, owed: 7, streak: 6, lapsed: true},
		{name: "never paid since June", start: 202606, owed: 6, streak: 5},
		{name: "current paid, old gap", start: 202601, paid: 5, last: 202604, owed: 6, streak: 6, lapsed: true},
	}
	for _, c := range cases {
		st := Standing(c.start, nov, c.paid, c.last, 6)
		if st.Owed != c.owed || st.Streak != c.streak || st.Lapsed != c.lapsed {
			t.Errorf("%s: owed %d streak %d lapsed %v, want %d %d %v", c.name, st.Owed, st.Streak, st.Lapsed, c.owed, c.streak, c.lapsed)
		}
	}
}

func TestRetainedOf(t *testing.T) {
	r := DefaultDuesRules()
	if got := r.RetainedOf(3001, 3000); got != 1500 {
		t.Errorf("small extra: %d", got)
	}
	if got := r.RetainedOf(3000+CentreOneOff-1, 3000); got != r.Retained(3000+CentreOneOff-1) {
		t.Errorf("extra just under ¥1,000: %d", got)
	}
	if got := r.RetainedOf(3000+CentreOneOff, 3000); got != 1500 {
		t.Errorf("extra of ¥1,000 goes to the Centre: retained %d", got)
	}
}
