package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestUndouble(t *testing.T) {
	for in, want := range map[string]string{
		"秦皇岛市秦皇岛市": "秦皇岛市",
		"忻州地区吕梁地区": "吕梁地区",
		"晋城市朔州市":   "朔州市",
		"柳州地区":     "柳州地区",
		"抚州市":      "抚州市",
		"延边朝鲜族自治州": "延边朝鲜族自治州",
	} {
		if got := undouble(in); got != want {
			t.Errorf("undouble(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestStripParents(t *testing.T) {
	full := map[string]string{
		"130000": "河北省",
		"130300": "河北省秦皇岛市秦皇岛市",
		"130302": "河北省秦皇岛市海港区",
		"130321": "河北省秦皇岛市青龙满族自治县",
		"420000": "湖北省",
		"422800": "湖北省施土家族苗族自治州", // a character lost in the source
		"422802": "湖北省恩施土家族苗族自治州利川市",
		"422822": "湖北省恩施土家族苗族自治州建始县",
		"110000": "北京市",
		"110101": "北京市东城区",
	}
	want := map[string]string{
		"130000": "河北省", "130300": "秦皇岛市", "130302": "海港区", "130321": "青龙满族自治县",
		"420000": "湖北省", "422800": "恩施土家族苗族自治州", "422802": "利川市", "422822": "建始县",
		"110000": "北京市", "110101": "东城区",
	}
	got := stripParents(full)
	for c, w := range want {
		if got[c] != w {
			t.Errorf("%s: %s, want %s", c, got[c], w)
		}
	}
}

func TestSameStemAndKind(t *testing.T) {
	cases := []struct {
		old, new string
		same     bool
		kind     string
	}{
		{"昌平县", "昌平区", true, convertedDistrict},
		{"弥勒县", "弥勒市", true, convertedCity},
		{"滦县", "滦州市", true, convertedCity},
		{"赣县", "赣县区", true, convertedDistrict},
		{"盘县特区", "盘县", true, renamed},
		{"清新县", "清新区", true, convertedDistrict},
		{"安西县", "瓜州县", false, renamed},
		{"城区", "城关区", false, renamed}, // one character only counts for a 县
		{"定州市", "定州市", true, recoded},
	}
	for _, c := range cases {
		if got := sameStem(c.old, c.new, 2); got != c.same {
			t.Errorf("sameStem(%s, %s) = %v", c.old, c.new, got)
		}
		if got := kindOf(c.old, c.new, 2); got != c.kind {
			t.Errorf("kindOf(%s, %s) = %s, want %s", c.old, c.new, got, c.kind)
		}
	}
}

// A small chain of three lists exercises each rule of the diff.
func TestDeriveHistory(t *testing.T) {
	a := snapshot{label: "A", year: 2005, month: 12, units: map[string]string{
		"620000": "甘肃省", "620900": "酒泉市", "620922": "安西县",
		"320000": "江苏省", "320700": "连云港市", "320705": "新浦区", "320706": "海州区", "320721": "赣榆县",
		"330000": "浙江省", "330100": "杭州市", "330103": "下城区", "330105": "拱墅区",
	}, towns: map[string][]string{"330103": {"武林街道", "天水街道", "朝晖街道"}, "330105": {"米市巷街道"}}}
	b := snapshot{label: "B", year: 2006, month: 12, units: map[string]string{
		"620000": "甘肃省", "620900": "酒泉市", "620922": "瓜州县",
		"320000": "江苏省", "320700": "连云港市", "320706": "海州区", "320707": "赣榆区",
		"330000": "浙江省", "330100": "杭州市", "330105": "拱墅区",
	}, towns: map[string][]string{"330105": {"米市巷街道", "武林街道", "天水街道", "朝晖街道"}}}
	hist := deriveHistory([]snapshot{a, b})
	got := map[string]histRow{}
	for _, h := range hist {
		got[h.code+h.name] = h
	}
	want := map[string][3]string{
		"620922安西县": {"620922", "瓜州县", renamed},
		"320721赣榆县": {"320707", "赣榆区", convertedDistrict},
		"330103下城区": {"330105", "拱墅区", merged},
		"320705新浦区": {"", "", abolished},
	}
	if len(got) != len(want) {
		t.Errorf("%d rows, want %d: %v", len(got), len(want), hist)
	}
	for k, w := range want {
		h, ok := got[k]
		if !ok || h.successor != w[0] || h.succName != w[1] || h.kind != w[2] {
			t.Errorf("%s: %+v, want %v", k, h, w)
		}
		if ok && (h.toMin != 2006 || h.to != 2006) {
			t.Errorf("%s: years %d…%d, want 2006", k, h.toMin, h.to)
		}
	}
}

func TestReadCurated(t *testing.T) {
	rows, err := readCurated("curated.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 40 {
		t.Errorf("%d curated rows", len(rows))
	}
	dir := t.TempDir()
	for _, bad := range []string{"620922\t安西县\n", "62092\t安西县\t\t\t2006\t620922\trenamed\tsrc\n",
		"620922\t安西县\t\t\t2006\t620922\tmoved\tsrc\n", "620922\t安西县\t\t\t206\t620922\trenamed\tsrc\n"} {
		p := filepath.Join(dir, "c.tsv")
		os.WriteFile(p, []byte(bad), 0o644)
		if _, err := readCurated(p); err == nil {
			t.Errorf("readCurated accepted %q", bad)
		}
	}
}

// The writers are deterministic: the same input gives the same bytes (the
// gzip header carries no name and no time).
func TestWritersDeterministic(t *testing.T) {
	cur := &currentList{rows: []unit{{code: "320000", name: "江苏省"}, {code: "320724", name: "灌南县", level: 2}}}
	hist := []histRow{{code: "330103", name: "下城区", level: 2, parent: "330100", toMin: 2021, to: 2021, successor: "330105", succName: "拱墅区", kind: merged, source: "s"}}
	var outs [2][2][]byte
	for i := range outs {
		dir := t.TempDir()
		if err := writeCurrent(filepath.Join(dir, "d.gz"), cur, map[key]int{{"320724", "灌南县"}: 2000}); err != nil {
			t.Fatal(err)
		}
		if err := writeHistory(filepath.Join(dir, "h.tsv"), hist); err != nil {
			t.Fatal(err)
		}
		outs[i][0], _ = os.ReadFile(filepath.Join(dir, "d.gz"))
		outs[i][1], _ = os.ReadFile(filepath.Join(dir, "h.tsv"))
	}
	if !bytes.Equal(outs[0][0], outs[1][0]) || !bytes.Equal(outs[0][1], outs[1][1]) {
		t.Error("two runs wrote different bytes")
	}
}

// TestRegenerate is the full check, by hand, because it installs ten npm
// packages (about 1.3 GB unpacked): with REGION_GEN_CHECK=1 it runs the
// generator twice and requires both runs to match each other and the
// committed data/ byte for byte. REGION_GEN_CACHE names a folder to keep
// the packages in between runs.
//
//	REGION_GEN_CHECK=1 go test -run Regenerate -v ./internal/region/gen
func TestRegenerate(t *testing.T) {
	if os.Getenv("REGION_GEN_CHECK") != "1" {
		t.Skip("manual check: set REGION_GEN_CHECK=1 (needs npm and the registry)")
	}
	cache := os.Getenv("REGION_GEN_CACHE")
	if cache == "" {
		cache = t.TempDir()
	}
	files := []string{"divisions.tsv.gz", "history.tsv", "outside.tsv", "NOTICE.txt"}
	var runs [2]string
	for i := range runs {
		runs[i] = t.TempDir()
		if err := run(cache, runs[i], "curated.tsv"); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(runs[0], f))
		b, _ := os.ReadFile(filepath.Join(runs[1], f))
		committed, _ := os.ReadFile(filepath.Join("..", "data", f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", f)
		}
		if !bytes.Equal(a, committed) {
			t.Errorf("%s differs from the committed data/%s: run go generate ./internal/region", f, f)
		}
	}
}
