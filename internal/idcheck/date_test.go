package idcheck

import (
	"math"
	"testing"
	"time"
)

func TestParseRosterDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		prec Precision
		code string
	}{
		{in: "2016.07", want: "2016-07", prec: PrecisionMonth},
		{in: "2016.7", want: "2016-07", prec: PrecisionMonth},
		{in: "2016.10", want: "2016-10", prec: PrecisionMonth},
		{in: "2016年7月", want: "2016-07", prec: PrecisionMonth},
		{in: "2016年07月", want: "2016-07", prec: PrecisionMonth},
		{in: "2016年7月21日", want: "2016-07-21", prec: PrecisionDay},
		{in: "2016年7月21号", want: "2016-07-21", prec: PrecisionDay},
		{in: "2016 年 7 月", want: "2016-07", prec: PrecisionMonth},
		{in: "2016-07", want: "2016-07", prec: PrecisionMonth},
		{in: "2016-07-21", want: "2016-07-21", prec: PrecisionDay},
		{in: "2016/7/21", want: "2016-07-21", prec: PrecisionDay},
		{in: "2016/07", want: "2016-07", prec: PrecisionMonth},
		{in: "2016.7.21", want: "2016-07-21", prec: PrecisionDay},
		{in: "20160721", want: "2016-07-21", prec: PrecisionDay},
		{in: "201607", want: "2016-07", prec: PrecisionMonth},
		{in: "２０１６．０７", want: "2016-07", prec: PrecisionMonth},
		{in: "２０１６年７月", want: "2016-07", prec: PrecisionMonth},
		{in: " 2016-07-21 ", want: "2016-07-21", prec: PrecisionDay},
		{in: "2016-07-21 00:00:00", want: "2016-07-21", prec: PrecisionDay},
		{in: "2016/7/21 0:00", want: "2016-07-21", prec: PrecisionDay},
		{in: "2000-02-29", want: "2000-02-29", prec: PrecisionDay},

		{in: "", prec: PrecisionNone},
		{in: "无", prec: PrecisionNone},
		{in: "暂无", prec: PrecisionNone},
		{in: "不详", prec: PrecisionNone},
		{in: "/", prec: PrecisionNone},
		{in: "-", prec: PrecisionNone},
		{in: "——", prec: PrecisionNone},
		{in: " 无 ", prec: PrecisionNone},

		{in: "2016.07—2018.12", code: CodeDateRange},
		{in: "2016.07-2018.12", code: CodeDateRange},
		{in: "2016.07~2018.12", code: CodeDateRange},
		{in: "2016年7月至2018年12月", code: CodeDateRange},
		{in: "2016.07至今", code: CodeDateRange},
		{in: "2016.07-", code: CodeDateRange},
		{in: "至今", code: CodeDateRange},
		{in: "16.7", code: CodeDateShortYear},
		{in: "16年7月", code: CodeDateShortYear},
		{in: "2016.13", code: CodeDateInvalid},
		{in: "2016.0", code: CodeDateInvalid},
		{in: "2015-02-29", code: CodeDateInvalid},
		{in: "2016年2月30日", code: CodeDateInvalid},
		{in: "20161301", code: CodeDateInvalid},
		{in: "1899.12", code: CodeDateYear},
		{in: "2216.07", code: CodeDateYear},
		{in: "2016", code: CodeDateFormat},
		{in: "2016.07/21", code: CodeDateFormat},
		{in: "七月", code: CodeDateFormat},
		{in: "42572", code: CodeDateFormat},
		{in: "2016年", code: CodeDateFormat},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, prec, err := ParseRosterDate(tt.in)
			if tt.code != "" {
				if CodeOf(err) != tt.code {
					t.Fatalf("ParseRosterDate(%q) = %v %v %v, want %s", tt.in, d, prec, err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRosterDate(%q): %v", tt.in, err)
			}
			if d.String() != tt.want || prec != tt.prec {
				t.Errorf("ParseRosterDate(%q) = %q %v, want %q %v", tt.in, d, prec, tt.want, tt.prec)
			}
		})
	}
}

func TestDate(t *testing.T) {
	if got := (Date{2016, 7, 0}).Time(); !got.Equal(time.Date(2016, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month Time() = %v", got)
	}
	if got := (Date{2016, 7, 21}).Time(); !got.Equal(time.Date(2016, 7, 21, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("day Time() = %v", got)
	}
	if !(Date{}).IsZero() || !(Date{}).Time().IsZero() || (Date{}).String() != "" {
		t.Error("zero date")
	}
}

func TestAmbiguousMonth(t *testing.T) {
	for s, want := range map[string]bool{"2016.1": true, "２０１６．１": true, "2016.10": false, "2016.01": false, "2016.2": false, "2016-1": false} {
		if got := AmbiguousMonth(s); got != want {
			t.Errorf("AmbiguousMonth(%q) = %v", s, got)
		}
	}
}

func TestExcelSerial(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		n      float64
		d1904  bool
		want   time.Time
		failed bool
	}{
		{n: 1, want: day(1900, 1, 1)},
		{n: 59, want: day(1900, 2, 28)},
		{n: 60, failed: true}, // the fictitious 1900-02-29
		{n: 60.5, failed: true},
		{n: 61, want: day(1900, 3, 1)},
		{n: 42572, want: day(2016, 7, 21)},
		{n: 42572.5, want: day(2016, 7, 21).Add(12 * time.Hour)},
		{n: 43831, want: day(2020, 1, 1)},
		{n: 45658, want: day(2025, 1, 1)},
		{n: 2958465, want: day(9999, 12, 31)},
		{n: 0, failed: true},
		{n: -1, failed: true},
		{n: 2958466, failed: true},
		{n: math.NaN(), failed: true},
		{n: math.Inf(1), failed: true},
		{n: 0, d1904: true, want: day(1904, 1, 1)},
		{n: 41110, d1904: true, want: day(2016, 7, 21)},
		{n: 60, d1904: true, want: day(1904, 3, 1)},
		{n: 2957003, d1904: true, want: day(9999, 12, 31)},
		{n: 2957004, d1904: true, failed: true},
	}
	for _, tt := range tests {
		got, err := ExcelSerial(tt.n, tt.d1904)
		if tt.failed {
			if CodeOf(err) != CodeDateSerial {
				t.Errorf("ExcelSerial(%v, %v) = %v, %v; want %s", tt.n, tt.d1904, got, err, CodeDateSerial)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ExcelSerial(%v, %v) = %v, %v; want %v", tt.n, tt.d1904, got, err, tt.want)
		}
	}
}
