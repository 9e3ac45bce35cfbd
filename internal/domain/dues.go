package domain

import "slices"

// Money is an amount in fen (0.01 yuan): dues are small and must add up
// exactly.
type Money int64

// DuesBasis is how a member's monthly dues are set (party-rules.md §5).
type DuesBasis string

// The bases.
const (
	DuesWage          DuesBasis = "wage"           // monthly after-tax pay
	DuesAnnualSalary  DuesBasis = "annual_salary"  // pay received that month
	DuesSelfEmployed  DuesBasis = "self_employed"  // average net income of the previous quarter
	DuesMigrantFarmer DuesBasis = "migrant_farmer" // self-declared average monthly income (unverified wording)
	DuesRetiree       DuesBasis = "retiree"        // pension
	DuesFarmer        DuesBasis = "farmer"         // flat, set by the province
	DuesStudent       DuesBasis = "student"        // flat
	DuesUnemployed    DuesBasis = "unemployed"     // laid off, unemployed, on relief or minimum allowance: flat
)

// DuesBases lists them in display order.
func DuesBases() []DuesBasis {
	return []DuesBasis{DuesWage, DuesMigrantFarmer, DuesSelfEmployed, DuesAnnualSalary, DuesRetiree, DuesFarmer, DuesStudent, DuesUnemployed}
}

// Valid reports whether b is a known basis.
func (b DuesBasis) Valid() bool { return slices.Contains(DuesBases(), b) }

// DuesBand is a rate that applies to incomes up to UpTo (inclusive; zero:
// no upper bound), in per ten thousand (50 = 0.5%).
type DuesBand struct {
	UpTo Money `json:"up_to"`
	Rate int   `json:"per_10000"`
}

// DuesRules are the bands and flat amounts. The farmers' amount is set by
// each province (¥0.2–1.0) and the retained share by provincial
// organization departments; both are unverified for Jiangsu, so they are
// data a county officer may change.
type DuesRules struct {
	Wage          []DuesBand `json:"wage"`
	Retiree       []DuesBand `json:"retiree"`
	Farmer        Money      `json:"farmer"`
	Flat          Money      `json:"flat"` // students, unemployed, on relief
	RetainPer100  int        `json:"retain_per_100"`
	LapseMonths   int        `json:"lapse_months"`   // unpaid months without reason that mean self-lapse
	BackPayMonths int        `json:"backpay_months"` // how far back a payment may reach
}

// DefaultDuesRules are the national bands of 中组发〔2008〕3号.
func DefaultDuesRules() DuesRules {
	return DuesRules{
		Wage:         []DuesBand{{300000, 50}, {500000, 100}, {1000000, 150}, {0, 200}},
		Retiree:      []DuesBand{{500000, 50}, {0, 100}},
		Farmer:       50,
		Flat:         20,
		RetainPer100: 50, LapseMonths: 6, BackPayMonths: 6,
	}
}

// MonthlyDues is the standard monthly amount for a basis and a monthly
// income, rounded to the nearest fen, halves up.
func (r DuesRules) MonthlyDues(b DuesBasis, income Money) Money {
	switch b {
	case DuesFarmer:
		return r.Farmer
	case DuesStudent, DuesUnemployed:
		return r.Flat
	case DuesRetiree:
		return bandRate(r.Retiree, income)
	}
	return bandRate(r.Wage, income)
}

func bandRate(bands []DuesBand, income Money) Money {
	if income <= 0 {
		return 0
	}
	for _, b := range bands {
		if b.UpTo == 0 || income <= b.UpTo {
			return (income*Money(b.Rate) + 5000) / 10000
		}
	}
	return 0
}

// Retained is the share of an amount the organization keeps, rounded down
// so the remitted part is never short.
func (r DuesRules) Retained(m Money) Money { return m * Money(r.RetainPer100) / 100 }

// Check validates the rules before they are saved.
func (r DuesRules) Check() error {
	for _, bands := range [][]DuesBand{r.Wage, r.Retiree} {
		if len(bands) == 0 || bands[len(bands)-1].UpTo != 0 {
			return Invalid("bands", "dues.bands_open_end", nil)
		}
		for i, b := range bands {
			if b.Rate < 0 || b.Rate > 10000 || (i > 0 && b.UpTo != 0 && b.UpTo <= bands[i-1].UpTo) || (i < len(bands)-1 && b.UpTo <= 0) {
				return Invalid("bands", "dues.bands_order", map[string]any{"Row": i + 1})
			}
		}
	}
	switch {
	case r.Farmer < 0 || r.Flat < 0:
		return Invalid("flat", "dues.flat_invalid", nil)
	case r.RetainPer100 < 0 || r.RetainPer100 > 100:
		return Invalid("retain_per_100", "dues.retain_invalid", nil)
	case r.LapseMonths < 1 || r.BackPayMonths < 0:
		return Invalid("lapse_months", "dues.months_invalid", nil)
	}
	return nil
}
