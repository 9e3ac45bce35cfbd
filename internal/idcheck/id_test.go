package idcheck

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var today = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseID(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		number   string
		birth    time.Time
		male     bool
		upgraded bool
		warnings []string
		code     string
	}{
		{name: "standard example", in: "11010519491231002X", number: "11010519491231002X", birth: date(1949, 12, 31)},
		{name: "lower-case x", in: "11010519491231002x", number: "11010519491231002X", birth: date(1949, 12, 31)},
		{name: "full width and spaces", in: " １１０１０５１９４９１２３１００２ｘ\u3000", number: "11010519491231002X", birth: date(1949, 12, 31)},
		{name: "grouped with spaces", in: "110105 19491231 002X", number: "11010519491231002X", birth: date(1949, 12, 31)},
		{name: "Excel text apostrophe", in: "'11010519491231002X", number: "11010519491231002X", birth: date(1949, 12, 31)},
		{name: "male", in: "320724199001011233", number: "320724199001011233", birth: date(1990, 1, 1), male: true},
		{name: "legacy 15 digits", in: "320724900101123", number: "320724199001011233", birth: date(1990, 1, 1), male: true, upgraded: true},
		{name: "leap day", in: "320724200002291244", number: "320724200002291244", birth: date(2000, 2, 29)},
		{name: "abolished county 余江县", in: "360622197001011233", number: "360622197001011233", birth: date(1970, 1, 1), male: true},
		{name: "pre-1997 Chongqing", in: "510212197001011237", number: "510212197001011237", birth: date(1970, 1, 1), male: true},
		{name: "residence permit", in: "810000199001011230", number: "810000199001011230", birth: date(1990, 1, 1), male: true},
		{name: "unknown county warns", in: "329999199001011233", number: "329999199001011233", birth: date(1990, 1, 1), male: true,
			warnings: []string{WarnIDRegionUnknown}},
		{name: "valid but ends in 000", in: "320724199001191000", number: "320724199001191000", birth: date(1990, 1, 19),
			warnings: []string{WarnIDTrailingZeros}},
		{name: "born today", in: "320724202506151236", code: ""},

		{name: "empty", in: " \u3000 ", code: CodeIDEmpty},
		{name: "wrong check", in: "110105194912310021", code: CodeIDCheck},
		{name: "Feb 30", in: "320724199002301232", code: CodeIDBirth},
		{name: "month 13", in: "32072419901301123X", code: CodeIDBirth},
		{name: "before 1900", in: "320724189912311238", code: CodeIDBirth},
		{name: "future birth", in: "320724203001011232", code: CodeIDFuture},
		{name: "scientific notation", in: "3.20724E+17", code: CodeIDScientific},
		{name: "scientific lower case", in: "3.20724199001011e17", code: CodeIDScientific},
		{name: "digits lost after the 15th", in: "320724199001011000", code: CodeIDScientific},
		{name: "province 99", in: "990105194912310021", code: CodeIDProvince},
		{name: "Taiwan GB/T 2260 code is no ID province", in: "710000199001011233", code: CodeIDProvince},
		{name: "letter", in: "11010519491231002A", code: CodeIDChars},
		{name: "X not last", in: "1101051949123100X2", code: CodeIDChars},
		{name: "X in 15 digits", in: "32072490010112X", code: CodeIDChars},
		{name: "too short", in: "1101051949", code: CodeIDLength},
		{name: "too long", in: "11010519491231002X1", code: CodeIDLength},
		{name: "19 digits", in: "1101051949123100211", code: CodeIDLength},
		{name: "hyphen", in: "110105-19491231-002X", code: CodeIDChars},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := ParseID(tt.in, today)
			if tt.code != "" {
				if CodeOf(err) != tt.code {
					t.Fatalf("ParseID(%q) error = %v, want code %s", tt.in, err, tt.code)
				}
				if !errors.Is(err, &Error{Code: tt.code}) {
					t.Errorf("errors.Is does not match code %s", tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseID(%q): %v", tt.in, err)
			}
			if tt.number == "" {
				return
			}
			if id.Number != tt.number || id.Region != tt.number[:6] || !id.Birth.Equal(tt.birth) ||
				id.Male != tt.male || id.Upgraded != tt.upgraded || !slices.Equal(id.Warnings, tt.warnings) {
				t.Errorf("ParseID(%q) = %+v / %s %s male=%v upgraded=%v warnings=%v", tt.in, id,
					id.Number, id.Birth.Format(time.DateOnly), id.Male, id.Upgraded, id.Warnings)
			}
		})
	}
}

func TestParseIDErrorArgs(t *testing.T) {
	_, err := ParseID("110105194912310021", today)
	var e *Error
	if !errors.As(err, &e) || e.Args["got"] != "1" || e.Args["want"] != "X" {
		t.Fatalf("check error = %#v", err)
	}
	if got := err.Error(); got != "idcheck: id.check (got=1, want=X)" {
		t.Errorf("Error() = %q", got)
	}
	_, err = ParseID("11010519491231002A", today)
	if errors.As(err, &e); e.Args["pos"] != 18 || e.Args["char"] != "A" {
		t.Errorf("chars error args = %v", e.Args)
	}
}

func TestParseIDTodayInOwnZone(t *testing.T) {
	// 23:30 on 14 June in UTC is already 15 June in Beijing: someone born
	// on the 15th exists there.
	beijing := time.FixedZone("CST", 8*3600)
	now := time.Date(2025, 6, 15, 7, 30, 0, 0, beijing)
	if _, err := ParseID("320724202506151236", now); err != nil {
		t.Errorf("born today in Beijing: %v", err)
	}
	if _, err := ParseID("320724202506161233", now); CodeOf(err) != CodeIDFuture {
		t.Errorf("born tomorrow: %v", err)
	}
}

func TestIDMasking(t *testing.T) {
	id, err := ParseID("11010519491231002X", today)
	if err != nil {
		t.Fatal(err)
	}
	if got := id.Masked(); got != "110105********002X" {
		t.Errorf("Masked() = %q", got)
	}
	for _, f := range []string{"%v", "%+v", "%s", "%#v"} {
		if s := fmt.Sprintf(f, id); s == "" || strings.Contains(s, "19491231") {
			t.Errorf("%s leaks the number: %s", f, s)
		}
	}
	if (ID{}).Masked() != "" {
		t.Error("zero ID masks to something")
	}
}

func TestCrossChecks(t *testing.T) {
	female, _ := ParseID("11010519491231002X", today)
	male, _ := ParseID("320724900101123", today)
	if err := CheckGender(female, false); err != nil {
		t.Error(err)
	}
	if err := CheckGender(female, true); CodeOf(err) != CodeIDGender {
		t.Errorf("female checked as male: %v", err)
	}
	if err := CheckGender(male, true); err != nil {
		t.Error(err)
	}
	if female.Gender() != Female || male.Gender() != Male || (ID{}).Gender() != GenderUnknown {
		t.Error("Gender() wrong")
	}
	if err := CheckBirth(female, time.Date(1949, 12, 31, 23, 0, 0, 0, time.FixedZone("CST", 8*3600))); err != nil {
		t.Error(err)
	}
	if err := CheckBirth(female, date(1949, 12, 30)); CodeOf(err) != CodeIDBirthDiff {
		t.Errorf("wrong birth: %v", err)
	}

	leap, _ := ParseID("320724200002291244", today)
	ages := []struct {
		id   ID
		on   time.Time
		want int
	}{
		{female, date(2025, 6, 15), 75},
		{female, date(2024, 12, 30), 74},
		{female, date(2024, 12, 31), 75},
		{male, date(2006, 1, 1), 16},
		{male, date(2005, 12, 31), 15},
		{leap, date(2016, 2, 28), 15},
		{leap, date(2016, 2, 29), 16},
		{leap, date(2017, 2, 28), 16},
		{leap, date(2018, 2, 28), 17},
		{leap, date(2018, 3, 1), 18},
		{leap, date(1999, 1, 1), 0},
	}
	for _, a := range ages {
		if got := Age(a.id, a.on); got != a.want {
			t.Errorf("Age(%s, %s) = %d, want %d", a.id.Birth.Format(time.DateOnly), a.on.Format(time.DateOnly), got, a.want)
		}
	}
}

func BenchmarkParseID(b *testing.B) {
	b.Run("18", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseID("11010519491231002X", today); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("15", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseID("320724900101123", today); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fullwidth", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseID(" １１０１０５１９４９１２３１００２ｘ", today); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bad check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseID("110105194912310021", today); err == nil {
				b.Fatal("accepted")
			}
		}
	})
}
