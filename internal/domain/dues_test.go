package domain

import "testing"

func TestMonthlyDuesBands(t *testing.T) {
	r := DefaultDuesRules()
	cases := []struct {
		b      DuesBasis
		income Money
		want   Money
	}{
		{DuesWage, 300000, 1500},          // ¥3,000 exactly: 0.5% = ¥15.00 (upper bound inclusive)
		{DuesWage, 300001, 3000},          // just above: 1%
		{DuesWage, 500000, 5000},          // ¥5,000: 1%
		{DuesWage, 800000, 12000},         // ¥8,000: 1.5%
		{DuesWage, 1000000, 15000},        // ¥10,000: 1.5%
		{DuesWage, 1200000, 24000},        // ¥12,000: 2%
		{DuesMigrantFarmer, 456789, 4568}, // ¥4,567.89 × 1% = 45.6789 → ¥45.68
		{DuesWage, 123, 1},                // ¥1.23 × 0.5% = 0.615 fen → 1 fen
		{DuesWage, 0, 0},
		{DuesRetiree, 500000, 2500},
		{DuesRetiree, 600000, 6000},
		{DuesFarmer, 999999, 50},
		{DuesStudent, 999999, 20},
		{DuesUnemployed, 0, 20},
	}
	for _, c := range cases {
		if got := r.MonthlyDues(c.b, c.income); got != c.want {
			t.Errorf("%s %d: %d, want %d", c.b, c.income, got, c.want)
		}
	}
	if r.Retained(4569) != 2284 {
		t.Errorf("retained %d", r.Retained(4569))
	}
}

func TestDuesRulesCheck(t *testing.T) {
	if err := DefaultDuesRules().Check(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(r *DuesRules){
		"closed top band":    func(r *DuesRules) { r.Wage[3].UpTo = 2000000 },
		"bands out of order": func(r *DuesRules) { r.Wage[1].UpTo = 200000 },
		"negative rate":      func(r *DuesRules) { r.Retiree[0].Rate = -1 },
		"retain over 100":    func(r *DuesRules) { r.RetainPer100 = 101 },
		"no lapse months":    func(r *DuesRules) { r.LapseMonths = 0 },
		"negative flat":      func(r *DuesRules) { r.Farmer = -5 },
	} {
		r := DefaultDuesRules()
		edit(&r)
		if r.Check() == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestExcellentShare(t *testing.T) {
	if err := CheckExcellentShare(map[Rating]int{RatingExcellent: 3, RatingQualified: 6}, 1, 3); err != nil {
		t.Fatalf("a third: %v", err)
	}
	if err := CheckExcellentShare(map[Rating]int{RatingExcellent: 4, RatingQualified: 6}, 1, 3); CodeOf(err) != CodeRule {
		t.Fatalf("four of ten: %v", err)
	}
	if !RatingUnqualified.NeedsFollowUp() || RatingBasic.NeedsFollowUp() || Rating("good").Valid() {
		t.Fatal("rating predicates")
	}
}
