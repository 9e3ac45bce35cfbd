package idcheck

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The seed corpus of every target lives in testdata/fuzz/<target>/; cases
// the fuzzer finds are added there and stay as regression tests.

// wantCoded fails unless err is nil or an *Error with a code.
func wantCoded(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Code == "" {
		t.Fatalf("error without code: %#v", err)
	}
	_ = e.Error()
}

func FuzzParseID(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s, today)
		wantCoded(t, err)
		if err != nil {
			return
		}
		if len(id.Number) != 18 || id.Region != id.Number[:6] || id.Number[17] != idCheckChars[idSum(id.Number)%11] {
			t.Fatalf("ParseID(%q) = %q", s, id.Number)
		}
		if id.Birth.After(today) || id.Birth.Year() < 1900 {
			t.Fatalf("ParseID(%q) born %v", s, id.Birth)
		}
		if m := id.Masked(); len(m) != 18 || strings.Contains(m, id.Number[6:14]) {
			t.Fatalf("Masked() = %q", m)
		}
		again, err := ParseID(id.Number, today)
		if err != nil || again.Number != id.Number || !again.Birth.Equal(id.Birth) || again.Male != id.Male {
			t.Fatalf("canonical %q does not parse back: %v", id.Number, err)
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		wantCoded(t, err)
		if err != nil {
			return
		}
		if len(p.Number) != 11 || !allDigits(p.Number) || p.Number[0] != '1' || p.Number[1] < '3' {
			t.Fatalf("ParsePhone(%q) = %q", s, p.Number)
		}
		if p.Strict != (p.Carrier != "") || p.Strict == (len(p.Warnings) > 0) {
			t.Fatalf("ParsePhone(%q): strict %v carrier %q warnings %v", s, p.Strict, p.Carrier, p.Warnings)
		}
		if again, err := ParsePhone(p.Number); err != nil || again.Number != p.Number {
			t.Fatalf("canonical %q does not parse back: %v", p.Number, err)
		}
	})
}

func FuzzParseLandline(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLandline(s)
		wantCoded(t, err)
		if err != nil {
			return
		}
		again, err := ParseLandline(l.String())
		if err != nil || again != l {
			t.Fatalf("ParseLandline(%q) = %q, which parses back as %+v, %v", s, l, again, err)
		}
	})
}

func FuzzSplitPhones(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range SplitPhones(s) {
			if p == "" || strings.ContainsAny(p, "、/；;\n") || IsPlaceholder(p) || strings.TrimFunc(p, isSpace) != p {
				t.Fatalf("SplitPhones(%q) gave %q", s, p)
			}
			_, _ = ParsePhone(p)
		}
	})
}

func FuzzParseUSCC(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUSCC(s)
		wantCoded(t, err)
		if err != nil || u.Legacy {
			return
		}
		if len(u.Code) != 18 || u.OrgCode != u.Code[8:17] || u.Region != u.Code[2:8] {
			t.Fatalf("ParseUSCC(%q) = %+v", s, u)
		}
		if again, err := ParseUSCC(u.Code); err != nil || again.Code != u.Code {
			t.Fatalf("canonical %q does not parse back: %v", u.Code, err)
		}
	})
}

func FuzzNormalizeName(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		name, warnings, err := NormalizeName(s)
		BeyondGBK(s)
		wantCoded(t, err)
		if err != nil {
			return
		}
		if n := utf8.RuneCountInString(name); n < 1 || n > nameMaxLen || !utf8.ValidString(name) {
			t.Fatalf("NormalizeName(%q) = %q", s, name)
		}
		again, againWarnings, err := NormalizeName(name)
		if err != nil || again != name || len(againWarnings) != len(warnings) {
			t.Fatalf("NormalizeName(%q) = %q, not idempotent: %q %v", s, name, again, err)
		}
	})
}

func FuzzEthnicity(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		code, name, ok := Ethnicity(s)
		if !ok {
			return
		}
		if c, n, ok := Ethnicity(code); !ok || c != code || n != name {
			t.Fatalf("Ethnicity(%q) = %q %q, but its code gives %q %q", s, code, name, c, n)
		}
	})
}

func FuzzParseGender(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGender(s)
		wantCoded(t, err)
		if err == nil && g.Code() == "" {
			t.Fatalf("ParseGender(%q) = %d", s, g)
		}
	})
}

func FuzzParseRosterDate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, prec, err := ParseRosterDate(s)
		wantCoded(t, err)
		if err != nil || prec == PrecisionNone {
			if !d.IsZero() {
				t.Fatalf("ParseRosterDate(%q) = %v with %v", s, d, err)
			}
			return
		}
		if (prec == PrecisionDay) != (d.Day != 0) || d.Time().Year() != d.Year || d.Time().Month() != d.Month {
			t.Fatalf("ParseRosterDate(%q) = %+v %v", s, d, prec)
		}
		again, againPrec, err := ParseRosterDate(d.String())
		if err != nil || again != d || againPrec != prec {
			t.Fatalf("%q gives %v, which parses back as %v %v", s, d, again, err)
		}
	})
}

func FuzzExcelSerial(f *testing.F) {
	f.Fuzz(func(t *testing.T, n float64, date1904 bool) {
		got, err := ExcelSerial(n, date1904)
		wantCoded(t, err)
		if err == nil && (got.Year() < 1900 || got.Year() > 9999 || got.Location() != time.UTC) {
			t.Fatalf("ExcelSerial(%v, %v) = %v", n, date1904, got)
		}
	})
}
