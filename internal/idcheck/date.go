package idcheck

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
)

// Precision tells how much of a roster date was written.
type Precision int

// Precisions. A month-precision date ("2016.07", the usual way to write
// when someone left home) must not be stored as the first of the month
// without saying so.
const (
	PrecisionNone  Precision = iota // a placeholder: no date
	PrecisionMonth                  // year and month
	PrecisionDay                    // year, month and day
)

// Date is a civil date as a roster gives it. Day is 0 when only the month
// is known.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports an empty date (a placeholder cell).
func (d Date) IsZero() bool { return d.Year == 0 }

// String is "2016-07" or "2016-07-21", "" for the zero date.
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time is midnight UTC of the date, or of the first of the month when the
// day is unknown; the zero time for the zero date.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, max(d.Day, 1), 0, 0, 0, 0, time.UTC)
}

// The forms of section 5 of the data reference, matched after width
// folding. \d is ASCII-only in Go's regexp.
var (
	dateDotted  = regexp.MustCompile(`^(\d{4})([./-])(\d{1,2})(?:([./-])(\d{1,2}))?$`)
	dateHanzi   = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号])?$`)
	dateCompact = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})?$`)
	dateShort   = regexp.MustCompile(`^\d{2}[./年]\d{1,2}月?$`)
	// A time of day, which CSV exports append to date cells.
	dateClock = regexp.MustCompile(`[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$`)
)

// placeholders are what officials type into a cell that has no value.
var placeholders = map[string]bool{
	"无": true, "暂无": true, "不详": true, "/": true, "-": true, "--": true, "—": true, "——": true,
	"／": true, "－": true, "#N/A": true, "N/A": true, "空": true,
}

// IsPlaceholder reports a cell that means "no value" (无, 暂无, 不详, /, -,
// ——, #N/A …), after trimming spaces.
func IsPlaceholder(s string) bool { return placeholders[strings.TrimFunc(s, isSpace)] }

// ParseRosterDate reads a date as rosters write it: 2016.07, 2016.7,
// 2016年7月, 2016年7月21日, 2016-07, 2016-07-21, 2016/7/21, 2016.7.21,
// 20160721, 201607, with full-width digits, and with a time of day (as CSV
// exports append) ignored. A placeholder gives the zero Date with
// PrecisionNone and no error. Two-digit years ("16.7") are refused with
// CodeDateShortYear rather than guessed, and ranges ("2016.07—2018.12",
// "至今") with CodeDateRange: a period is two fields, and another parser's
// business.
//
// A cell typed as a number loses a trailing zero, so 2016.1 may mean
// October; the text cannot tell, so see AmbiguousMonth.
func ParseRosterDate(s string) (Date, Precision, error) {
	if strings.TrimFunc(s, isSpace) == "" || IsPlaceholder(s) {
		return Date{}, PrecisionNone, nil
	}
	t := strings.TrimFunc(foldCode(strings.TrimFunc(s, isSpace), keepAll), isSpace)
	if loc := dateClock.FindStringIndex(t); loc != nil {
		t = t[:loc[0]]
	}
	t = foldCode(t, isSpace)
	if strings.Contains(t, "今") || strings.Contains(t, "现在") {
		return Date{}, PrecisionNone, newError(CodeDateRange)
	}
	d, p, err := parseOneDate(t)
	if err == nil {
		return d, p, nil
	}
	if err.Code == CodeDateFormat {
		if dateShort.MatchString(t) {
			return Date{}, PrecisionNone, newError(CodeDateShortYear, "value", truncate(s, 30))
		}
		if isDateRange(t) {
			return Date{}, PrecisionNone, newError(CodeDateRange)
		}
		err.Args = map[string]any{"value": truncate(s, 30)}
	}
	return Date{}, PrecisionNone, err
}

func keepAll(rune) bool { return false }

// parseOneDate reads one date in the folded text t.
func parseOneDate(t string) (Date, Precision, *Error) {
	var y, m, d string
	if g := dateDotted.FindStringSubmatch(t); g != nil {
		if g[4] != "" && g[4] != g[2] {
			return Date{}, PrecisionNone, newError(CodeDateFormat) // 2016.07/21
		}
		y, m, d = g[1], g[3], g[5]
	} else if g := dateHanzi.FindStringSubmatch(t); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else if g := dateCompact.FindStringSubmatch(t); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else {
		return Date{}, PrecisionNone, newError(CodeDateFormat)
	}
	date := Date{Year: atoi(y), Month: time.Month(atoi(m))}
	prec := PrecisionMonth
	if d != "" {
		date.Day = atoi(d)
		prec = PrecisionDay
	}
	if date.Year < 1900 || date.Year > 2100 {
		return Date{}, PrecisionNone, newError(CodeDateYear, "year", date.Year)
	}
	if date.Month < 1 || date.Month > 12 || (prec == PrecisionDay && !dateExists(date)) {
		return Date{}, PrecisionNone, newError(CodeDateInvalid, "value", t)
	}
	return date, prec, nil
}

// isDateRange reports text that starts with a date followed by a range
// separator (~ 至 到 — – or a hyphen), such as "2016.07-2018.12".
func isDateRange(t string) bool {
	for i, r := range t {
		if !strings.ContainsRune("~～至到—–-", r) || i == 0 {
			continue
		}
		if _, _, err := parseOneDate(t[:i]); err == nil {
			return true
		}
	}
	return false
}

func dateExists(d Date) bool {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Year() == d.Year && t.Month() == d.Month && t.Day() == d.Day
}

// AmbiguousMonth reports a year.month written with a one-digit month 1
// ("2016.1"): if the cell was numeric, Excel dropped the zero of 2016.10.
// The importer flags it when the cell's type was a number.
func AmbiguousMonth(s string) bool {
	t := foldCode(s, isSpace)
	return len(t) == 6 && t[4] == '.' && t[5] == '1' && allDigits(t[:4])
}

// excel1900 is day 0 of Excel's 1900 system for serials from 61 on: Excel
// counts the 29 February 1900 that never was (Lotus 1-2-3's bug), so
// serial 61 is 1 March 1900 and the epoch of the later days is 30 December
// 1899.
var (
	excel1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	excel1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// excelMax is 9999-12-31, the last date Excel shows, in the 1900 system;
// the 1904 system's serials are 1462 days smaller.
const excelMax = 2958465

// ExcelSerial converts an Excel date serial to a time in UTC. The
// fraction is the time of day, rounded to the second. In the 1900 system
// serial 60 is the fictitious 1900-02-29 and is refused, serials 1–59 are
// 1900-01-01 to 02-28, and 0 ("1900-01-00") is refused too; the 1904
// system (old Mac workbooks) counts from 1904-01-01 = 0.
func ExcelSerial(n float64, date1904 bool) (time.Time, error) {
	limit := float64(excelMax + 1)
	if date1904 {
		limit -= 1462
	}
	bad := math.IsNaN(n) || n < 0 || n >= limit
	if !date1904 && (n < 1 || (n >= 60 && n < 61)) {
		bad = true
	}
	if bad {
		return time.Time{}, newError(CodeDateSerial, "serial", n)
	}
	days := math.Floor(n)
	secs := math.Round((n - days) * 86400)
	base := excel1900
	switch {
	case date1904:
		base = excel1904
	case n < 60:
		base = excel1900.AddDate(0, 0, 1) // before the fictitious day
	}
	return base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), nil
}
