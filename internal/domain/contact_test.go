package domain

import "testing"

func TestContactStateBoundaries(t *testing.T) {
	th := DefaultContactThresholds()
	today := NewDate(2026, 11, 29)
	cases := []struct {
		last Date
		want ContactState
	}{
		{NewDate(2026, 8, 30), ContactOK},     // three months less a day
		{NewDate(2026, 8, 29), ContactAtRisk}, // exactly three months
		{NewDate(2026, 8, 28), ContactAtRisk}, // and a day
		{NewDate(2026, 5, 30), ContactAtRisk}, // six months less a day
		{NewDate(2026, 5, 29), ContactLost},   // exactly six months
		{NewDate(2026, 5, 28), ContactLost},
		{today, ContactOK},
	}
	for _, c := range cases {
		if got := th.StateOn(c.last, today); got != c.want {
			t.Errorf("last %s: %s, want %s", c.last, got, c.want)
		}
	}
}

func TestAddMonthsStaysInMonth(t *testing.T) {
	for _, c := range []struct {
		d    Date
		n    int
		want string
	}{
		{NewDate(2026, 5, 31), -3, "2026-02-28"},
		{NewDate(2028, 5, 31), -3, "2028-02-29"},
		{NewDate(2026, 1, 15), -6, "2025-07-15"},
		{NewDate(2026, 8, 31), 6, "2027-02-28"},
	} {
		if got := c.d.AddMonths(c.n).String(); got != c.want {
			t.Errorf("%s %+d months = %s, want %s", c.d, c.n, got, c.want)
		}
	}
}

func TestContactThresholdsCheck(t *testing.T) {
	for _, c := range []struct {
		t     ContactThresholds
		field string
	}{
		{ContactThresholds{3, 6}, ""},
		{ContactThresholds{1, 2}, ""},
		{ContactThresholds{0, 6}, "at_risk_months"},
		{ContactThresholds{3, 3}, "lost_months"},
		{ContactThresholds{6, 3}, "lost_months"},
		{ContactThresholds{3, 25}, "lost_months"},
		{ContactThresholds{-1, 6}, "at_risk_months"},
	} {
		err := c.t.Check()
		if (err == nil) != (c.field == "") || (err != nil && AsError(err).Field != c.field) {
			t.Errorf("%+v: %v, want field %q", c.t, err, c.field)
		}
	}
}
