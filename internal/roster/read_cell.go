package roster

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Cell is one cell as the file stores it, never as Excel would format it.
//
// Text is the value as text: a string cell's text, a formula's cached
// result, "TRUE" or "FALSE", an error such as "#N/A", or a number exactly
// as stored ("13800138000", "3.20724199001011E+17", a date's serial
// "45123"). IsNumber says the cell was stored as a number (xlsx only; CSV
// has no types), Serial is that number, and IsDate says its number format
// shows a date or a date and time: Serial then counts days from the
// workbook's epoch (see SerialDate and Reader.Date1904).
type Cell struct {
	Text     string
	Serial   float64
	IsDate   bool
	IsNumber bool
}

// Row is one non-blank row. Number is the row number Excel shows (title
// and header rows count; blank rows are skipped but keep their numbers),
// or for CSV the record number counted the same way. Cells holds the row
// up to its last non-empty cell; Cells[i] is column i (A is 0). A merged
// range keeps its value in its first cell and reads as empty elsewhere,
// so a title merged across the sheet is one cell, which is what
// FindHeader expects. Hidden reports a row hidden in Excel, which the
// import may want to question.
type Row struct {
	Number int
	Cells  []Cell
	Hidden bool
}

// Texts returns the cells' texts, for FindHeader.
func (r Row) Texts() []string {
	out := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = c.Text
	}
	return out
}

// ColumnName returns Excel's letters for a 0-based column index: 0 → A,
// 26 → AA.
func ColumnName(i int) string {
	var b [8]byte
	n := len(b)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		b[n] = byte('A' + (i-1)%26)
	}
	return string(b[n:])
}

// columnIndex parses the letters of a cell reference ("AB12") into a
// 0-based column; ok is false for anything outside A..XFD.
func columnIndex(ref string) (int, bool) {
	col, n := 0, 0
	for n < len(ref) && ref[n] >= 'A' && ref[n] <= 'Z' {
		col = col*26 + int(ref[n]-'A'+1)
		if n++; n > 3 {
			return 0, false
		}
	}
	if n == 0 || col > maxSheetColumn {
		return 0, false
	}
	return col - 1, true
}

// builtinDate reports whether a built-in number format (one used without
// a numFmt definition) shows a date: the international ones (14–17, 22)
// and those of the Chinese locale (27–31, 36, 50–54, 57, 58), which
// Chinese Excel writes for 2016年7月 and 7月1日 without defining them.
// Time-only formats (18–21, 32–35, 45–47, 55, 56) are not dates.
func builtinDate(id int) bool {
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 31, id == 36,
		id >= 50 && id <= 54, id == 57, id == 58:
		return true
	}
	return false
}

// dateCode reports whether a custom number format shows a date: a year,
// day or month placeholder (or an era year, e, or era, g) outside quoted
// text, escapes and [...] sections, in the first section. An m next to h
// or s is minutes; "General", AM/PM and scientific E+ are not dates.
func dateCode(code string) bool {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i]
	}
	lower := strings.ToLower(code)
	for _, s := range []string{"general", "am/pm", "a/p"} {
		lower = strings.ReplaceAll(lower, s, "")
	}
	var letters []byte // placeholders in order, runs (yyyy) as one letter
	add := func(c byte) {
		if len(letters) == 0 || letters[len(letters)-1] != c {
			letters = append(letters, c)
		}
	}
	for i := 0; i < len(lower); i++ {
		switch c := lower[i]; c {
		case '"':
			if j := strings.IndexByte(lower[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(lower)
			}
		case '\\', '_', '*':
			i++ // the next character is literal, or padding
		case '[':
			if j := strings.IndexByte(lower[i:], ']'); j >= 0 {
				i += j
			} else {
				i = len(lower)
			}
		case 'e':
			if i+1 < len(lower) && (lower[i+1] == '+' || lower[i+1] == '-') {
				i++
				continue
			}
			add(c)
		case 'y', 'd', 'g', 'm', 'h', 's':
			add(c)
		}
	}
	for i, c := range letters {
		switch c {
		case 'y', 'd', 'e', 'g':
			return true
		case 'm':
			if !(i > 0 && letters[i-1] == 'h' || i+1 < len(letters) && letters[i+1] == 's') {
				return true
			}
		}
	}
	return false
}

// SerialDate turns an Excel date serial into a civil date (UTC midnight;
// the fraction, a time of day, is dropped). In the 1900 system day 1 is
// 1900-01-01 and day 60 is Lotus's 1900-02-29, which never existed: it and
// anything before day 1 give ok false, as does anything after 9999-12-31.
func SerialDate(serial float64, date1904 bool) (time.Time, bool) {
	if math.IsNaN(serial) || serial < 0 || serial >= 2958466 {
		return time.Time{}, false
	}
	n := int(math.Floor(serial))
	switch {
	case date1904:
		return time.Date(1904, 1, 1+n, 0, 0, 0, 0, time.UTC), true
	case n < 1 || n == 60:
		return time.Time{}, false
	case n < 60:
		return time.Date(1899, 12, 31+n, 0, 0, 0, 0, time.UTC), true
	}
	return time.Date(1899, 12, 30+n, 0, 0, 0, 0, time.UTC), true
}

// unescapeOOXML decodes the _xHHHH_ escapes Excel writes for characters
// XML cannot carry (a carriage return is _x000D_, a literal "_x0041_" is
// _x005F_x0041_).
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				r := rune(v)
				if !utf8.ValidRune(r) {
					r = utf8.RuneError
				}
				b.WriteRune(r)
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// LostDigits reports a cell in an ID column whose digits Excel has
// already thrown away: Excel keeps 15 significant digits, so an 18-digit
// ID number (or a bank card) typed as a number ends in 000, and shown in
// the General format it becomes "3.20724E+17", which is also what a CSV
// saved from it contains. Neither can be repaired; the person must re-type
// the column as text. A number cell of 10^15 or more has lost them whatever
// it shows. The caller asks only for ID-like columns; a real ID that ends
// in 000 passes its check digit, which the caller can test first.
func LostDigits(c Cell) bool {
	if c.IsNumber && !c.IsDate && math.Abs(c.Serial) >= 1e15 {
		return true
	}
	t := strings.TrimSpace(norm.NFKC.String(c.Text))
	if scientific(t) {
		return true
	}
	t = strings.TrimLeft(t, "0")
	return len(t) > 15 && strings.HasSuffix(t, "000") && allDigits(t)
}

// scientific matches 3.20724E+17, 3E17, -1.5e-3: digits, an optional
// fraction, E, an optional sign and digits.
func scientific(s string) bool {
	s = strings.TrimLeft(s, "+-")
	mant, exp, ok := strings.Cut(strings.ToUpper(s), "E")
	if !ok {
		return false
	}
	whole, frac, _ := strings.Cut(mant, ".")
	exp = strings.TrimLeft(exp, "+-")
	return whole != "" && allDigits(whole) && allDigits(frac) && exp != "" && allDigits(exp)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
