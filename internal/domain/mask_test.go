package domain

import "testing"

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13912345678": "139****5678", "0518-83221234": "0518-****1234", "1234": "*234",
		"12345": "*2345", "1234567": "1**4567", "": ""} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"张伟": "张*", "单雄信": "单*信", "欧阳娜娜": "欧**娜", "阿依古丽·买买提": "阿******提",
		"李": "*", " ": ""} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}
