package domain

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a civil date without a time zone: a founding date, an agreement's
// validity. It is stored as DATE on PostgreSQL and 'YYYY-MM-DD' text on
// SQLite, and compares correctly as text on both.
type Date struct{ t time.Time }

// NewDate makes a date.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDate reads 'YYYY-MM-DD'.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// DateIn is the civil date of the instant t in loc.
func DateIn(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// China is the time zone in which the product's civil dates turn over:
// an agreement valid to 31 December ends at midnight Beijing time.
var China = time.FixedZone("CST", 8*3600)

// Today is the civil date in China at the instant now.
func Today(now time.Time) Date { return DateIn(now, China) }

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String is 'YYYY-MM-DD', or empty for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Time is the date's midnight in UTC.
func (d Date) Time() time.Time { return d.t }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// AddDays is d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths is d moved by n calendar months, kept inside the target month:
// 31 May minus three months is 28 (or 29) February, not 3 March as
// time.AddDate would normalise it.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return NewDate(first.Year(), first.Month(), min(day, last))
}

// DaysUntil is the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.t.Sub(d.t).Hours() / 24) }

// AddYears is d moved by n years.
func (d Date) AddYears(n int) Date { return Date{d.t.AddDate(n, 0, 0)} }

// Value stores the date as 'YYYY-MM-DD' (NULL when zero).
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a DATE (PostgreSQL gives time.Time) or text (SQLite).
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(x.Year(), x.Month(), x.Day())
	case string:
		return d.scanText(x)
	case []byte:
		return d.scanText(string(x))
	default:
		return fmt.Errorf("domain: cannot scan %T into a Date", v)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10] // a driver that kept a time part
	}
	p, err := ParseDate(s)
	*d = p
	return err
}

// MarshalText makes dates JSON strings.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads 'YYYY-MM-DD' (empty for the zero date).
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	*d = p
	return err
}
