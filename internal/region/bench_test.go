package region

import (
	"runtime"
	"testing"
)

// BenchmarkLoad builds the table from the embedded files, as the first
// lookup of a process does.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := build(divisionsGz, historyTSV, outsideTSV); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFind runs the kinds of query a roster import makes: a full
// name, a short name, an old name, an ambiguous town, a code, and an
// address that takes the split fallback.
func BenchmarkFind(b *testing.B) {
	load()
	for _, q := range []string{"灌南县", "肃北", "下城区", "城关镇", "320724100", "江苏省连云港市灌南县新安镇"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(Find(q)) == 0 {
					b.Fatal("no match")
				}
			}
		})
	}
}

// TestMemory reports (with -v) what the loaded table keeps on the heap,
// for the figure in the package doc, and fails if it grows past a bound
// that would call for a more compact layout.
func TestMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tb, err := build(divisionsGz, historyTSV, outsideTSV)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(tb)
	t.Logf("table: %d rows, %.1f MB kept on the heap", len(tb.rows), float64(kept)/(1<<20))
	if kept > 16<<20 {
		t.Errorf("table keeps %d bytes; more than 16 MB", kept)
	}
}
