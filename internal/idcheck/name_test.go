package idcheck

import (
	"slices"
	"testing"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		warnings []string
		code     string
	}{
		{in: "王伟", want: "王伟"},
		{in: "王　伟", want: "王伟"},
		{in: " 王 伟 ", want: "王伟"},
		{in: "王\u00a0伟", want: "王伟"},
		{in: "王\u200b伟", want: "王伟"},
		{in: "欧阳娜娜", want: "欧阳娜娜"},
		{in: "买买提·艾力", want: "买买提·艾力"},
		{in: "买买提・艾力", want: "买买提·艾力"}, // U+30FB
		{in: "买买提•艾力", want: "买买提·艾力"}, // U+2022
		{in: "买买提‧艾力", want: "买买提·艾力"}, // U+2027
		{in: "买买提．艾力", want: "买买提·艾力"}, // U+FF0E
		{in: "买买提･艾力", want: "买买提·艾力"}, // U+FF65
		{in: "买买提∙艾力", want: "买买提·艾力"}, // U+2219
		{in: "买买提.艾力", want: "买买提·艾力"}, // ASCII full stop between hanzi
		{in: "买买提 · 艾力", want: "买买提·艾力"},
		{in: "买买提··艾力", want: "买买提·艾力"},
		{in: "阿卜杜热合曼·买买提·艾力", want: "阿卜杜热合曼·买买提·艾力"},
		{in: "李䶮", want: "李䶮"},
		{in: "王𫖯", want: "王𫖯"},
		{in: "张喆", want: "张喆"},
		{in: "李〇", want: "李〇"},
		{in: "王", want: "王"},
		{in: "e\u0301", want: "é", warnings: []string{WarnNameLatin}}, // NFC
		{in: "Li Ming", want: "Li Ming", warnings: []string{WarnNameLatin}},
		{in: "Li   Ming", want: "Li Ming", warnings: []string{WarnNameLatin}},
		{in: "O'Brien", want: "O'Brien", warnings: []string{WarnNameLatin}},
		{in: "王wei", want: "王wei", warnings: []string{WarnNameMixedScript}},
		{in: "王 wei", want: "王wei", warnings: []string{WarnNameMixedScript}},
		{in: "王\ue000", want: "王\ue000", warnings: []string{WarnNamePrivateUse}},
		{in: "Иван", want: "Иван"},
		{in: "བཀྲ་ཤིས", want: "བཀྲ་ཤིས"}, // the tsheg ་ is punctuation, but part of the word
		{in: "ᠪᠠᠲᠤ", want: "ᠪᠠᠲᠤ"},

		{in: "", code: CodeNameEmpty},
		{in: " \u3000", code: CodeNameEmpty},
		{in: "王伟2", code: CodeNameDigit},
		{in: "王伟２", code: CodeNameDigit},
		{in: "王①", code: CodeNameDigit},
		{in: "王?", code: CodeNameChars},
		{in: "王伟（曾用名）", code: CodeNameChars},
		{in: "王-伟", code: CodeNameChars},
		{in: "·艾力", code: CodeNameDot},
		{in: "艾力・", code: CodeNameDot},
		{in: "阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿", code: CodeNameLength},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, warnings, err := NormalizeName(tt.in)
			if tt.code != "" {
				if CodeOf(err) != tt.code {
					t.Fatalf("NormalizeName(%q) = %q, %v; want %s", tt.in, got, err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeName(%q): %v", tt.in, err)
			}
			if got != tt.want || !slices.Equal(warnings, tt.warnings) {
				t.Errorf("NormalizeName(%q) = %q %v, want %q %v", tt.in, got, warnings, tt.want, tt.warnings)
			}
		})
	}
}

func TestNameLengthLimit(t *testing.T) {
	fifty := ""
	for range 50 {
		fifty += "阿"
	}
	if _, _, err := NormalizeName(fifty); err != nil {
		t.Errorf("50 characters: %v", err)
	}
}

func TestBeyondGBK(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"王伟", false},
		{"张喆", false}, // GBK, not GB 2312
		{"赵堃", false},
		{"买买提·艾力", false},
		{"李䶮", true},     // Extension A: see BeyondGBK
		{"王𫖯", true},     // Extension C
		{"买买提・艾力", true}, // U+30FB, which GBK lacks
		{"王\ue000", true},
		{"Li Ming", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := BeyondGBK(tt.name); got != tt.want {
			t.Errorf("BeyondGBK(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
