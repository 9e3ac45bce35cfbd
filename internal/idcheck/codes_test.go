package idcheck

import "testing"

func TestEthnicity(t *testing.T) {
	tests := []struct {
		in, code, name string
	}{
		{"汉", "01", "汉族"},
		{"汉族", "01", "汉族"},
		{"01", "01", "汉族"},
		{"1", "01", "汉族"},
		{"０１", "01", "汉族"},
		{" 回族 ", "03", "回族"},
		{"蒙古", "02", "蒙古族"},
		{"维吾尔族", "05", "维吾尔族"},
		{"土族", "30", "土族"},
		{"土家族", "15", "土家族"},
		{"土家", "15", "土家族"},
		{"柯尔克孜族", "29", "柯尔克孜族"},
		{"崩龙族", "46", "德昂族"},
		{"56", "56", "基诺族"},
		{"基诺", "56", "基诺族"},
		{"97", "97", "其他"},
		{"其它", "97", "其他"},
		{"98", "98", "外国血统中国籍人士"},
		{"外国血统", "98", "外国血统中国籍人士"},
		{"", "", ""},
		{"0", "", ""},
		{"57", "", ""},
		{"99", "", ""},
		{"0001", "", ""},
		{"汉人", "", ""},
		{"族", "", ""},
	}
	for _, tt := range tests {
		code, name, ok := Ethnicity(tt.in)
		if code != tt.code || name != tt.name || ok != (tt.code != "") {
			t.Errorf("Ethnicity(%q) = %q %q %v, want %q %q", tt.in, code, name, ok, tt.code, tt.name)
		}
	}
}

func TestEthnicGroups(t *testing.T) {
	groups := EthnicGroups()
	if len(groups) != 58 {
		t.Fatalf("%d groups", len(groups))
	}
	seen := map[string]bool{}
	for i, g := range groups {
		if seen[g.Name] || seen[g.Code] {
			t.Errorf("duplicate %v", g)
		}
		seen[g.Name], seen[g.Code] = true, true
		if code, name, ok := Ethnicity(g.Code); !ok || code != g.Code || name != g.Name {
			t.Errorf("Ethnicity(%q) = %q %q", g.Code, code, name)
		}
		if code, _, _ := Ethnicity(g.Name); code != g.Code {
			t.Errorf("Ethnicity(%q) = %q", g.Name, code)
		}
		if i < 56 && g.Code != string(rune('0'+(i+1)/10))+string(rune('0'+(i+1)%10)) {
			t.Errorf("group %d has code %s", i+1, g.Code)
		}
	}
	groups[0].Name = "changed"
	if _, name, _ := Ethnicity("01"); name != "汉族" {
		t.Error("EthnicGroups exposes the table")
	}
}

func TestParseGender(t *testing.T) {
	tests := []struct {
		in   string
		want Gender
		ok   bool
	}{
		{"男", Male, true}, {"女", Female, true}, {"1", Male, true}, {"2", Female, true},
		{"M", Male, true}, {"f", Female, true}, {"Ｍ", Male, true}, {" 女 ", Female, true},
		{"男性", Male, true}, {"female", Female, true}, {"0", GenderUnknown, true}, {"9", GenderUnstated, true},
		{"未说明的性别", GenderUnstated, true},
		{"", GenderUnknown, false}, {"3", GenderUnknown, false}, {"男女", GenderUnknown, false},
	}
	for _, tt := range tests {
		g, err := ParseGender(tt.in)
		if g != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseGender(%q) = %v, %v", tt.in, g, err)
		}
		if err != nil && CodeOf(err) != CodeGender {
			t.Errorf("ParseGender(%q) code %q", tt.in, CodeOf(err))
		}
	}
	for _, g := range []Gender{GenderUnknown, Male, Female, GenderUnstated} {
		if back, err := ParseGender(g.Code()); err != nil || back != g {
			t.Errorf("round trip of %v: %v %v", g, back, err)
		}
		if back, err := ParseGender(g.String()); err != nil || back != g {
			t.Errorf("round trip of %s: %v %v", g, back, err)
		}
	}
	if Gender(5).Code() != "" || Gender(5).String() != "" {
		t.Error("Gender(5) has a code")
	}
}
