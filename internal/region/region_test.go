package region

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLookup(t *testing.T) {
	cases := []struct {
		code, want, parent string
		level              Level
		historical         bool
	}{
		{"320724", "灌南县", "320700", County, false},
		{"320700", "连云港市", "320000", Prefecture, false},
		{"320000", "江苏省", "", Province, false},
		{"32", "江苏省", "", Province, false},
		{"3207", "连云港市", "320000", Prefecture, false},
		{"620923", "肃北蒙古族自治县", "620900", County, false},
		{"130321", "青龙满族自治县", "130300", County, false},
		{"110105", "朝阳区", "110000", County, false}, // 市辖区 is left out
		{"419001", "济源市", "410000", County, false}, // directly under the province
		{"320724100", "新安镇", "320724", Township, false},
		{"320724101", "堆沟港镇", "320724", Township, false},
		{"320724100000", "新安镇", "320724", Township, false}, // statistical 12 digits
		{"320724100203", "新安镇", "320724", Township, false}, // a village: its township
		{"320724000000", "灌南县", "320700", County, false},
		{"３２０７２４", "灌南县", "320700", County, false},       // full-width digits
		{"441900003", "东城街道", "441900", Township, false}, // 东莞 has no counties
		{"620201001", "", "620200", Township, false},     // 嘉峪关's towns hang on the city
		{"330103", "下城区", "330100", County, true},
		{"622126", "安西县", "622100", County, true},
		{"620922", "瓜州县", "620900", County, false}, // current wins over the old 安西县
	}
	for _, c := range cases {
		r, ok := Lookup(c.code)
		if !ok {
			t.Errorf("Lookup(%s): not found", c.code)
			continue
		}
		if (c.want != "" && r.Name != c.want) || r.Parent != c.parent || r.Level != c.level || r.Historical != c.historical {
			t.Errorf("Lookup(%s) = %s parent %s level %v historical %v; want %s %s %v %v",
				c.code, r.Name, r.Parent, r.Level, r.Historical, c.want, c.parent, c.level, c.historical)
		}
	}
	for _, code := range []string{"", "999999", "32072", "abc", "320724999", "3207241000001"} {
		if r, ok := Lookup(code); ok {
			t.Errorf("Lookup(%q) = %v, want nothing", code, r)
		}
	}
}

// first returns the first match of query, failing the test if none.
func first(t *testing.T, query string) Match {
	t.Helper()
	ms := Find(query)
	if len(ms) == 0 {
		t.Fatalf("Find(%q): no match", query)
	}
	return ms[0]
}

func TestFind(t *testing.T) {
	cases := []struct {
		query, code, name, how string
	}{
		{"320724", "320724", "灌南县", "code"},
		{"灌南县", "320724", "灌南县", "name"},
		{"灌南", "320724", "灌南县", "short"},
		{"肃北", "620923", "肃北蒙古族自治县", "short"},
		{"青龙", "130321", "青龙满族自治县", "short"},
		{"肃北县", "620923", "肃北蒙古族自治县", "short"}, // the query's own short form
		{"延边", "222400", "延边朝鲜族自治州", "short"},
		{"广西", "450000", "广西壮族自治区", "short"},
		{"堆沟港镇", "320724101", "堆沟港镇", "name"},
		{" 灌南县\u3000", "320724", "灌南县", "name"},
		{"下城区", "330103", "下城区", "historical"},
		{"安西县", "620922", "安西县", "historical"}, // the latest first
		{"横县", "450127", "横县", "historical"},
		{"弥勒县", "532526", "弥勒县", "historical"},
		{"余江县", "360622", "余江县", "historical"},
		{"江苏省连云港市灌南县新安镇", "320724100", "新安镇", "path"},
		{"连云港灌南", "320724", "灌南县", "path"},
		{"杭州下城", "330103", "下城区", "path"},
		{"320724100000", "320724100", "新安镇", "code"},
	}
	for _, c := range cases {
		m := first(t, c.query)
		if m.Code != c.code || m.Name != c.name || m.How != c.how {
			t.Errorf("Find(%q)[0] = %s %s %s, want %s %s %s", c.query, m.Code, m.Name, m.How, c.code, c.name, c.how)
		}
	}
	for _, q := range []string{"", "不存在的地方", "灌南县城", "   ", strings.Repeat("很长", 100)} {
		if ms := Find(q); len(ms) != 0 {
			t.Errorf("Find(%q) = %v, want nothing", q, ms)
		}
	}
}

func TestFindAmbiguous(t *testing.T) {
	ms := Find("朝阳区")
	var codes []string
	for _, m := range ms {
		if m.Level == County {
			codes = append(codes, m.Code)
		}
	}
	if !slices.Contains(codes, "110105") || !slices.Contains(codes, "220104") {
		t.Errorf("Find(朝阳区) counties = %v, want Beijing's 110105 and Changchun's 220104", codes)
	}
	// Full names come before short names, higher levels before lower.
	ms = Find("朝阳")
	if len(ms) < 5 || ms[0].Level > County {
		t.Fatalf("Find(朝阳) = %d matches starting with %v", len(ms), ms[0])
	}
	for i := 1; i < len(ms); i++ {
		a, b := ms[i-1], ms[i]
		if a.How == b.How && a.Level > b.Level {
			t.Errorf("Find(朝阳): %s (%v) ranked before %s (%v)", a.Name, a.Level, b.Name, b.Level)
		}
	}
	// Current before historical.
	ms = Find("安西")
	seenHist := false
	for _, m := range ms {
		if m.Historical {
			seenHist = true
		} else if seenHist {
			t.Errorf("Find(安西): current %s after a historical entry", m.Name)
		}
	}
	if !seenHist {
		t.Errorf("Find(安西) lacks the old 安西县: %v", ms)
	}
}

func TestHistory(t *testing.T) {
	cases := []struct {
		query, succ, current, change string
		validTo                      int
	}{
		{"安西县", "620922", "瓜州县", Renamed, 2006},
		{"下城区", "330105", "拱墅区", Merged, 2021},
		{"江干区", "330102", "上城区", Merged, 2021},
		{"横县", "450181", "横州市", ConvertedCity, 2021},
		{"弥勒县", "532504", "弥勒市", ConvertedCity, 2013},
		{"余江县", "360603", "余江区", ConvertedDistrict, 2018},
		{"昌平县", "110114", "昌平区", ConvertedDistrict, 0},
		{"崇文区", "110101", "东城区", Merged, 2010},
	}
	for _, c := range cases {
		m := first(t, c.query)
		if !m.Historical || m.Successor != c.succ || m.Change != c.change || (c.validTo != 0 && m.ValidTo != c.validTo) {
			t.Errorf("Find(%q)[0] = historical %v successor %s change %s to %d; want %s %s %d",
				c.query, m.Historical, m.Successor, m.Change, m.ValidTo, c.succ, c.change, c.validTo)
		}
		cur, ok := m.Current()
		if !ok || cur.Name != c.current || cur.Historical {
			t.Errorf("%s: Current = %v %v, want %s", c.query, cur, ok, c.current)
		}
		if m.Source == "" {
			t.Errorf("%s has no source", c.query)
		}
	}
	// Old codes: an ID number issued in 1998 in 安西县 starts 622126;
	// one from 余江县 360622; Chongqing before 1997 used Sichuan's 51.
	for code, want := range map[string]string{"622126": "620922", "360622": "360603", "532526": "532504", "510202": "500103"} {
		if cur, ok := Current(code); !ok || cur.Code != want {
			t.Errorf("Current(%s) = %s %s %v, want %s", code, cur.Code, cur.Name, ok, want)
		}
	}
	if cur, ok := Current("320724"); !ok || cur.Name != "灌南县" {
		t.Errorf("Current of a current unit = %v %v", cur, ok)
	}
	if r, ok := Current("320704"); ok || r.Name != "云台区" { // abolished, successor unknown
		t.Errorf("Current(320704) = %v %v, want 云台区 and false", r, ok)
	}
}

func TestFindIn(t *testing.T) {
	cases := []struct {
		parent, name, want string
		n                  int // at least
	}{
		{"330100", "拱墅区", "330105", 1},
		{"330100", "下城区", "330103", 1},
		{"320724", "新安镇", "320724100", 1},
		{"320724", "新安", "320724100", 1},
		{"320700", "新安镇", "320724100", 1},
		{"320000", "灌南", "320724", 1},
		{"110000", "朝阳区", "110105", 1},
		{"622100", "瓜州县", "620922", 1}, // the historical 酒泉地区 admits its successor's units
	}
	for _, c := range cases {
		ms := FindIn(c.parent, c.name)
		if len(ms) < c.n || ms[0].Code != c.want {
			t.Errorf("FindIn(%s, %s) = %v, want %s first", c.parent, c.name, ms, c.want)
		}
	}
	if ms := FindIn("220000", "朝阳区"); len(ms) != 1 || ms[0].Code != "220104" {
		t.Errorf("FindIn(吉林省, 朝阳区) = %v, want only Changchun's", ms)
	}
	for _, c := range [][2]string{{"330100", "灌南县"}, {"999999", "灌南县"}, {"", "灌南县"}, {"320724", "320724"}} {
		if ms := FindIn(c[0], c[1]); len(ms) != 0 {
			t.Errorf("FindIn(%s, %s) = %v, want nothing", c[0], c[1], ms)
		}
	}
}

func TestPathAndChildren(t *testing.T) {
	names := func(rs []Region) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Name)
		}
		return strings.Join(s, " ")
	}
	for code, want := range map[string]string{
		"320724":    "江苏省 连云港市 灌南县",
		"320724100": "江苏省 连云港市 灌南县 新安镇",
		"110105":    "北京市 朝阳区",
		"622126":    "甘肃省 酒泉地区 安西县", // its parents at the time
		"320000":    "江苏省",
	} {
		if got := names(Path(code)); got != want {
			t.Errorf("Path(%s) = %q, want %q", code, got, want)
		}
	}
	if Path("999999") != nil {
		t.Error("Path of an unknown code is not nil")
	}
	kids := Children("320700")
	if len(kids) < 5 || !slices.ContainsFunc(kids, func(r Region) bool { return r.Code == "320724" }) {
		t.Errorf("Children(连云港市) = %s", names(kids))
	}
	if n := len(Children("320724")); n < 10 {
		t.Errorf("灌南县 has %d townships", n)
	}
	if n := len(Children("000000")); n != 0 {
		t.Errorf("Children of nothing = %d", n)
	}
}

func TestOutside(t *testing.T) {
	cases := map[string]string{
		"香港":        "香港特别行政区",
		"香港特别行政区":   "香港特别行政区",
		"九龙":        "香港特别行政区 九龙",
		"新界":        "香港特别行政区 新界",
		"台北":        "台湾省 台北市",
		"高雄市":       "台湾省 高雄市",
		"台湾省台北市信义区": "台湾省 台北市 信义区",
		"中国香港":      "香港特别行政区",
		"澳门半岛":      "澳门特别行政区 澳门半岛",
		"氹仔":        "澳门特别行政区 澳门外岛 嘉模堂区",
		"810000":    "香港特别行政区",
		"820000":    "澳门特别行政区",
		"710000":    "台湾省",
		"香港九龙旺角弥敦道": "香港特别行政区 九龙",
	}
	for q, want := range cases {
		if got, ok := Outside(q); !ok || got != want {
			t.Errorf("Outside(%q) = %q %v, want %q", q, got, ok, want)
		}
	}
	for _, q := range []string{"灌南", "九龙坡区", "320724", "", "中国", "北京"} {
		if got, ok := Outside(q); ok {
			t.Errorf("Outside(%q) = %q, want false", q, got)
		}
	}
	_, err := Resolve("香港")
	var oe *OutsideError
	if !errors.Is(err, ErrOutside) || !errors.As(err, &oe) || oe.Place != "香港特别行政区" {
		t.Errorf("Resolve(香港) error = %v", err)
	}
	if !strings.Contains(err.Error(), "outside the GB/T 2260 mainland hierarchy") {
		t.Errorf("error text %q", err)
	}
	if ms, err := Resolve("九龙"); !errors.Is(err, ErrOutside) || len(ms) == 0 {
		t.Errorf("Resolve(九龙) = %d matches, %v; want Sichuan's 九龙县 and the outside error", len(ms), err)
	}
	if _, err := Resolve("不存在的地方"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Resolve(unknown) error = %v", err)
	}
	if ms, err := Resolve("灌南"); err != nil || len(ms) == 0 {
		t.Errorf("Resolve(灌南) = %v, %v", ms, err)
	}
}

// The split fallback tries every cut; it must stay fast on the worst
// input a roster cell can hold.
func TestFindIsBounded(t *testing.T) {
	load()
	for _, q := range []string{strings.Repeat("新安", 20), strings.Repeat("长安", 20), "江苏" + strings.Repeat("新安镇", 12)} {
		start := time.Now()
		Find(q)
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Errorf("Find(%s…) took %v", q[:6], d)
		}
	}
}
