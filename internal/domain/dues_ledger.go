package domain

import (
	"fmt"
	"slices"
	"time"
)

// Month is a calendar month, stored as the number YYYYMM so that it sorts
// and compares the same on both databases. Dues are owed, paid and closed
// by month.
type Month int

// NewMonth makes a month.
func NewMonth(y int, m time.Month) Month { return Month(y*100 + int(m)) }

// MonthOf is the month that holds d.
func MonthOf(d Date) Month { return NewMonth(d.Time().Year(), d.Time().Month()) }

// ParseMonth reads "YYYY-MM" (what <input type="month"> sends).
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 1900 {
		return 0, fmt.Errorf("domain: %q is not a month (YYYY-MM)", s)
	}
	return NewMonth(t.Year(), t.Month()), nil
}

// Year is the month's year.
func (m Month) Year() int { return int(m) / 100 }

// Num is the month of the year.
func (m Month) Num() time.Month { return time.Month(int(m) % 100) }

// Valid reports whether m names a real month.
func (m Month) Valid() bool {
	return m.Year() >= 1900 && m.Num() >= time.January && m.Num() <= time.December
}

// String is "YYYY-MM", or empty for the zero month.
func (m Month) String() string {
	if m == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year(), int(m.Num()))
}

// index counts months from year zero, for arithmetic.
func (m Month) index() int { return m.Year()*12 + int(m.Num()) - 1 }

// Add is m moved by n months.
func (m Month) Add(n int) Month {
	i := m.index() + n
	return NewMonth(i/12, time.Month(i%12+1))
}

// Sub is the number of months from o to m (positive when m is later).
func (m Month) Sub(o Month) int { return m.index() - o.index() }

// First is the month's first day.
func (m Month) First() Date { return NewDate(m.Year(), m.Num(), 1) }

// MonthsOf lists the twelve months of a year.
func MonthsOf(year int) []Month {
	out := make([]Month, 12)
	for i := range out {
		out[i] = NewMonth(year, time.Month(i+1))
	}
	return out
}

// MarshalText makes months JSON strings, "2026-11".
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads "YYYY-MM".
func (m *Month) UnmarshalText(b []byte) error {
	p, err := ParseMonth(string(b))
	*m = p
	return err
}

// PayChannel is how a payment reached the organization.
type PayChannel string

// The channels. Proxy is a payment brought by someone else (代交), with
// the payer named in the note.
const (
	PayCash   PayChannel = "cash"
	PayWeChat PayChannel = "wechat"
	PayAlipay PayChannel = "alipay"
	PayBank   PayChannel = "bank"
	PayProxy  PayChannel = "proxy"
	PayOther  PayChannel = "other"
)

// PayChannels lists them in display order.
func PayChannels() []PayChannel {
	return []PayChannel{PayWeChat, PayAlipay, PayCash, PayBank, PayProxy, PayOther}
}

// Valid reports whether c is a known channel.
func (c PayChannel) Valid() bool { return slices.Contains(PayChannels(), c) }

// DuesStandard is a member's monthly amount from a month on: the yearly
// standard fixed at the start of the year (年初核定), the first one from
// the month of admission, or a new one from the month a new pay starts.
// The standard in force for a month is the latest that starts on or before
// it.
type DuesStandard struct {
	ID       int64
	PersonID PersonID
	From     Month
	Basis    DuesBasis
	Income   Money // the declared monthly income (0 for the flat bases)
	Amount   Money // MonthlyDues(Basis, Income) under the rules of the day
	Note     string
	SetBy    string
	SetAt    time.Time
}

// StandardFor is the standard in force in month m (standards sorted by
// From, any order), or false when none has begun.
func StandardFor(ss []DuesStandard, m Month) (DuesStandard, bool) {
	var best DuesStandard
	found := false
	for _, s := range ss {
		if s.From <= m && (!found || s.From > best.From) {
			best, found = s, true
		}
	}
	return best, found
}

// DuesPayment is one member's payment for one month. Several months paid
// at once (a quarter) are several payments with the same paid date.
type DuesPayment struct {
	ID         int64
	PersonID   PersonID
	PersonName string // for lists
	Month      Month
	Amount     Money
	Standard   Money // the standard in force for that month when paid
	Retained   Money // the collecting organization's share (RetainedOf)
	Channel    PayChannel
	PaidOn     Date
	// OrgID is the collecting organization: the member's mobile
	// organization or home organization, as Side says.
	OrgID   OrgID
	OrgName string
	Side    Side
	// Hardship is the approval of a reduced payment (branch and higher
	// committee); BackPay the secretary's reason for accepting a month
	// older than the back-pay limit.
	Hardship   string
	BackPay    string
	Note       string
	RecordedBy string
	RecordedAt time.Time
}

// CentreOneOff is the voluntary extra in one payment from which the whole
// extra goes to the Centre (party-rules.md §5: one-off ≥ ¥1,000): none of
// it is retained.
const CentreOneOff Money = 100000

// RetainedOf is the share of a payment the collecting organization keeps:
// the retained share of the amount, but of the standard only when the
// voluntary extra reaches CentreOneOff.
func (r DuesRules) RetainedOf(amount, standard Money) Money {
	if amount-standard >= CentreOneOff {
		return r.Retained(standard)
	}
	return r.Retained(amount)
}

// DuesStanding is a member's position on the ledger in a month.
type DuesStanding struct {
	Start Month // the first month owed (the first standard's); zero: no standard yet
	// Owed is the months from Start up to and including the current one
	// that have no payment.
	Owed int
	// Streak is the unpaid months in a row that end with the last
	// complete month (the current month is still open to pay).
	Streak   int
	LastPaid Month // the latest month paid before the current one; zero: none
	Lapsed   bool  // Streak reached the rules' LapseMonths
}

// Standing reads a member's ledger in month current: start is the first
// month owed, paid the number of months paid from start to current, last
// the latest paid month before current (zero: none).
func Standing(start, current Month, paid int, last Month, lapse int) DuesStanding {
	st := DuesStanding{Start: start, LastPaid: last}
	if start == 0 || start > current {
		return st
	}
	st.Owed = max(current.Sub(start)+1-paid, 0)
	from := start
	if last >= start {
		from = last.Add(1)
	}
	st.Streak = max(current.Sub(from), 0)
	st.Lapsed = lapse > 0 && st.Streak >= lapse
	return st
}

// Flat reports whether the basis pays a flat amount whatever the income
// (farmers, students, the unemployed): no income need be declared.
func (b DuesBasis) Flat() bool { return b == DuesFarmer || b == DuesStudent || b == DuesUnemployed }
