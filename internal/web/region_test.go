package web

import "testing"

func TestRegionInfo(t *testing.T) {
	if v := regionInfo("320724"); v == nil || v.Path != "江苏省 连云港市 灌南县" || v.Historical {
		t.Fatalf("320724: %+v", v)
	}
	if v := regionInfo("330103"); v == nil || !v.Historical || v.Current != "拱墅区" || v.CurrentCode != "330105" {
		t.Fatalf("330103 (下城区): %+v", v)
	}
	if regionInfo("999999") != nil {
		t.Fatal("an unknown code resolved")
	}
}
