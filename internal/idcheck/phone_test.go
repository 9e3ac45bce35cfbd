package idcheck

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in      string
		number  string
		carrier string
		virtual bool
		strict  bool
		code    string
	}{
		{in: "13812345678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "138 1234 5678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "138-1234-5678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "+86 138 1234 5678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "+86-13812345678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "(+86)13812345678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "008613812345678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "8613812345678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "013812345678", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "１３８１２３４５６７８", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "'13812345678 ", number: "13812345678", carrier: CarrierMobile, strict: true},
		{in: "13312345678", number: "13312345678", carrier: CarrierTelecom, strict: true},
		{in: "19912345678", number: "19912345678", carrier: CarrierTelecom, strict: true},
		{in: "17001234567", number: "17001234567", carrier: CarrierTelecom, virtual: true, strict: true},
		{in: "17031234567", number: "17031234567", carrier: CarrierMobile, virtual: true, strict: true},
		{in: "17041234567", number: "17041234567", carrier: CarrierUnicom, virtual: true, strict: true},
		{in: "17101234567", number: "17101234567", carrier: CarrierUnicom, virtual: true, strict: true},
		{in: "16512345678", number: "16512345678", carrier: CarrierMobile, virtual: true, strict: true},
		{in: "18612345678", number: "18612345678", carrier: CarrierUnicom, strict: true},
		{in: "19212345678", number: "19212345678", carrier: CarrierBroadnet, strict: true},
		{in: "13401234567", number: "13401234567", carrier: CarrierMobile, strict: true},
		{in: "13491234567", number: "13491234567", carrier: CarrierSatellite, strict: true},
		{in: "17401234567", number: "17401234567", carrier: CarrierSatellite, strict: true},
		{in: "16191234567", number: "16191234567", carrier: CarrierSatellite, strict: true},
		// Well-formed but not allocated: kept, with a warning.
		{in: "15412345678", number: "15412345678"},
		{in: "19412345678", number: "19412345678"},
		{in: "14012345678", number: "14012345678"},
		{in: "16012345678", number: "16012345678"},

		{in: "", code: CodePhoneEmpty},
		{in: " - ", code: CodePhoneEmpty},
		{in: "12812345678", code: CodePhoneFormat},
		{in: "1381234567", code: CodePhoneFormat},
		{in: "138123456789", code: CodePhoneFormat},
		{in: "23812345678", code: CodePhoneFormat},
		{in: "0518-83212345", code: CodePhoneFormat},
		{in: "138l2345678", code: CodePhoneChars},
		{in: "无", code: CodePhoneChars},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePhone(tt.in)
			if tt.code != "" {
				if CodeOf(err) != tt.code {
					t.Fatalf("ParsePhone(%q) error = %v, want %s", tt.in, err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePhone(%q): %v", tt.in, err)
			}
			if p.Number != tt.number || p.Carrier != tt.carrier || p.Virtual != tt.virtual || p.Strict != tt.strict {
				t.Errorf("ParsePhone(%q) = %s carrier=%q virtual=%v strict=%v", tt.in, p.Number, p.Carrier, p.Virtual, p.Strict)
			}
			if want := !tt.strict; want != slices.Contains(p.Warnings, WarnPhoneUnallocated) {
				t.Errorf("warnings %v, strict %v", p.Warnings, p.Strict)
			}
		})
	}
}

func TestPhoneMasked(t *testing.T) {
	p, err := ParsePhone("13812345678")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Masked(); got != "138****5678" {
		t.Errorf("Masked() = %q", got)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(f, p); strings.Contains(s, "1234") {
			t.Errorf("%s leaks the number: %s", f, s)
		}
	}
}

func TestParseLandline(t *testing.T) {
	tests := []struct {
		in, want string
		code     string
	}{
		{in: "0518-83212345", want: "0518-83212345"},
		{in: "(0518)83212345", want: "0518-83212345"},
		{in: "０５１８－８３２１２３４５", want: "0518-83212345"},
		{in: "0571 8765 4321", want: "0571-87654321"},
		{in: "010-87654321", want: "010-87654321"},
		{in: "02087654321", want: "020-87654321"},
		{in: "0518-8321234", want: "0518-8321234"},
		{in: "+86 518 83212345", want: "0518-83212345"},
		{in: "+86 (0)518 83212345", want: "0518-83212345"},
		{in: "0086 10 87654321", want: "010-87654321"},
		{in: "0518-83212345转801", want: "0518-83212345-801"},
		{in: "0518-83212345 ext. 801", want: "0518-83212345-801"},
		{in: "0518-83212345-801", want: "0518-83212345-801"},
		{in: "0518-8321-2345", want: "0518-83212345"},

		{in: "", code: CodeLandlineEmpty},
		{in: "83212345", code: CodeLandlineFormat},
		{in: "0518-0321234", code: CodeLandlineFormat},
		{in: "0518-832123", code: CodeLandlineFormat},
		{in: "0518-832123456", code: CodeLandlineFormat},
		{in: "013812345678", code: CodeLandlineFormat},
		{in: "0518-8321234a", code: CodePhoneChars},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			l, err := ParseLandline(tt.in)
			if tt.code != "" {
				if CodeOf(err) != tt.code {
					t.Fatalf("ParseLandline(%q) error = %v, want %s", tt.in, err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLandline(%q): %v", tt.in, err)
			}
			if l.String() != tt.want {
				t.Errorf("ParseLandline(%q) = %q, want %q", tt.in, l.String(), tt.want)
			}
		})
	}
}

func TestSplitPhones(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"13812345678", []string{"13812345678"}},
		{"13812345678、13912345678", []string{"13812345678", "13912345678"}},
		{"13812345678/0518-83212345", []string{"13812345678", "0518-83212345"}},
		{"13812345678；13912345678;13712345678", []string{"13812345678", "13912345678", "13712345678"}},
		{"13812345678\n 13912345678 \r\n", []string{"13812345678", "13912345678"}},
		{"138 1234 5678，139 1234 5678", []string{"138 1234 5678", "139 1234 5678"}},
		{"13812345678、无", []string{"13812345678"}},
		{"", nil},
		{"/", nil},
		{"暂无", nil},
	}
	for _, tt := range tests {
		if got := SplitPhones(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("SplitPhones(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
