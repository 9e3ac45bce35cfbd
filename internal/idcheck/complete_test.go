package idcheck

import (
	"strconv"
	"testing"
	"time"
)

// CompleteID and CompleteUSCC give what the parsers accept, and agree
// with the reference numbers of the standards.
func TestCompleteIDAndUSCC(t *testing.T) {
	if n, ok := CompleteID("11010519491231002"); !ok || n != "11010519491231002X" {
		t.Errorf("CompleteID = %q %v, want the GB 11643 example 11010519491231002X", n, ok)
	}
	for _, bad := range []string{"", "1101051949123100", "1101051949123100X", "110105194912310021"} {
		if n, ok := CompleteID(bad); ok {
			t.Errorf("CompleteID(%q) = %q", bad, n)
		}
	}
	today := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for seq := 100; seq < 200; seq++ {
		n, _ := CompleteID("32072419900101" + strconv.Itoa(seq))
		if _, err := ParseID(n, today); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}

	for _, ref := range []string{"914403001922038216", "91440300708461136T", "9144030071526726XG", "91310115MA1K3BTP2B"} {
		if c, ok := CompleteUSCC(ref[:16]); !ok || c != ref {
			t.Errorf("CompleteUSCC(%s) = %q %v", ref[:16], c, ok)
		}
	}
	for _, bad := range []string{"", "914403001922038", "91440300192203I8", "9144030019220382X"} {
		if c, ok := CompleteUSCC(bad); ok {
			t.Errorf("CompleteUSCC(%q) = %q", bad, c)
		}
	}
	c, _ := CompleteUSCC("91320724MA1XY7Q3")
	if u, err := ParseUSCC(c); err != nil || len(u.Warnings) != 0 {
		t.Errorf("%s: %+v %v", c, u, err)
	}
}
