package region

import "testing"

// FuzzFind feeds Find, FindIn, Lookup and Outside whatever a roster cell
// may hold: none may panic, and every match must be a real entry.
func FuzzFind(f *testing.F) {
	for _, s := range []string{"灌南", "320724", "320724100000", "江苏省连云港市灌南县新安镇", "香港九龙", "台湾省台北市",
		"肃北县", "下城区", "", " ", "32", "\xff\xfe", "朝阳朝阳朝阳", "中国", "810000", "新安镇新安镇", "市辖区"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, m := range Find(q) {
			if m.Code == "" || m.Name == "" || m.How == "" {
				t.Fatalf("Find(%q) gave an empty match %+v", q, m)
			}
			if _, ok := Lookup(m.Code); !ok {
				t.Fatalf("Find(%q) gave %s, which Lookup does not know", q, m.Code)
			}
		}
		FindIn("320000", q)
		FindIn(q, "灌南")
		Lookup(q)
		Current(q)
		Path(q)
		Children(q)
		Outside(q)
	})
}
