package commonpw

import (
	"slices"
	"testing"
)

func TestListLoads(t *testing.T) {
	n := Len()
	if n < 40000 || n > 100000 {
		t.Errorf("Len = %d, want the ~49k generated entries plus the supplement", n)
	}
	if !slices.IsSorted(table()) {
		t.Error("table is not sorted: binary search would miss entries")
	}
}

func TestContains(t *testing.T) {
	cases := []struct {
		pw   string
		want bool
	}{
		// straight from the generated list, any case
		{"123456", true},
		{"password", true},
		{"PASSWORD", true},
		{"1qaz2wsx", true},
		{"P@ssw0rd", true},
		// the supplement
		{"woaini1314", true},
		{"Aa123456", true},
		{"qwe123!@#", true},
		{"1qaz@WSX", true},
		{"Huawei@123", true},
		{"gongjian@123", true},
		// variations: trailing digits and symbols, leetspeak
		{"Passw0rd!", true},
		{"Admin@123", true},
		{"Admin@2024", true},
		{"Password2024!", true},
		{"Dragon123!", true},
		{"P@$$w0rd2024", true},
		{"abc123!", true},
		{"Woaini1314!!", true},
		{"Zhongguo@1949", true},
		// not common
		{"", false},
		{"Tq7#mV2p!xLw", false},
		{"旗帜鲜明讲政治2024", false},
		{"ketchup-orbit-lantern-42", false},
		{"Gx9!gx9!gx9!", false},
		// a short remainder does not count: "abc1" is not "abc"
		{"Zq!9", false},
	}
	for _, c := range cases {
		if got := Contains(c.pw); got != c.want {
			t.Errorf("Contains(%q) = %v, want %v (candidates %q)", c.pw, got, c.want, candidates(c.pw))
		}
	}
}

func TestCandidates(t *testing.T) {
	got := candidates("Admin@123")
	for _, want := range []string{"admin@123", "admin"} {
		if !slices.Contains(got, want) {
			t.Errorf("candidates(Admin@123) = %q, missing %q", got, want)
		}
	}
	if got := candidates("123456"); !slices.Equal(got, []string{"123456"}) {
		t.Errorf("candidates(123456) = %q: digits alone must not be un-leeted", got)
	}
}

func BenchmarkContains(b *testing.B) {
	table()
	for b.Loop() {
		Contains("Correct-Horse-Battery-9!")
	}
}
