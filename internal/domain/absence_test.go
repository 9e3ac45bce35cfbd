package domain

import "testing"

func TestTallyRate(t *testing.T) {
	var x Tally
	if _, ok := x.Rate(); ok || x.Percent() != 0 {
		t.Fatal("an empty tally has a rate")
	}
	for s, n := range map[AttendanceStatus]int{AttendPresent: 5, AttendLeave: 1, AttendExcused: 1, AttendAbsent: 1, AttendUnmarked: 0} {
		x.Add(s, n)
	}
	r, ok := x.Rate()
	if !ok || r != 5.0/8 || x.Expected != 8 || x.Leave != 1 || x.Excused != 1 || x.Absent != 1 {
		t.Fatalf("%+v rate %v", x, r)
	}
	if x.Percent() != 63 { // 62.5 rounds up
		t.Fatalf("percent %d", x.Percent())
	}
	if sum := x.Plus(Tally{Expected: 2, Present: 1, Unmarked: 1}); sum.Expected != 10 || sum.Present != 6 || sum.Unmarked != 1 || sum.Leave != 1 {
		t.Fatalf("sum %+v", sum)
	}
	if (Tally{Expected: 3, Present: 1}).Percent() != 33 || (Tally{Expected: 3, Present: 2}).Percent() != 67 {
		t.Fatal("thirds round to the nearest")
	}
}

func TestAbsenceRule(t *testing.T) {
	if err := DefaultAbsenceRule().Check(); err != nil {
		t.Fatal(err)
	}
	for _, m := range []int{0, -1, MaxContactMonths + 1} {
		if err := (AbsenceRule{Months: m}).Check(); CodeOf(err) != CodeInvalid {
			t.Errorf("%d months accepted", m)
		}
	}
	if got := DefaultAbsenceRule().Cutoff(NewDate(2026, 8, 31)); got != NewDate(2026, 2, 28) {
		t.Fatalf("cutoff %v", got)
	}
}
