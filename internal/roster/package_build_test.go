package roster

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Test files are built here, at test time, from XML text: nothing binary
// is committed, and every hostile file shows how it was made.

var sprintf = fmt.Sprintf

// part is one zip entry of a hand-built package.
type part struct {
	name string
	data string
}

// Minimal parts of a workbook with one sheet; tests replace some.
const (
	xmlHead      = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	contentTypes = xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/></Types>`
	rootRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`
	workbookXML = xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">%s<sheets>` +
		`<sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>`
	workbookRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
		`</Relationships>`
	// Style 1 is a built-in date (14), style 2 the custom yyyy"年"m"月",
	// style 3 a time (20), style 4 the Chinese built-in 31 (no definition).
	stylesXML = xmlHead + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>` +
		`<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>` +
		`<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/>` +
		`<xf numFmtId="20"/><xf numFmtId="31"/></cellXfs></styleSheet>`
	sheetHead = xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// book returns the parts of a one-sheet workbook with this sheet XML and
// these shared strings; extra parts replace or add by name.
func book(sheet string, sst []string, extra ...part) []part {
	var s bytes.Buffer
	s.WriteString(xmlHead + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for _, t := range sst {
		s.WriteString("<si><t>" + t + "</t></si>")
	}
	s.WriteString("</sst>")
	parts := []part{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"xl/workbook.xml", sprintf(workbookXML, "")},
		{"xl/_rels/workbook.xml.rels", workbookRels},
		{"xl/styles.xml", stylesXML},
		{"xl/sharedStrings.xml", s.String()},
		{"xl/worksheets/sheet1.xml", sheet},
	}
outer:
	for _, e := range extra {
		for i := range parts {
			if parts[i].name == e.name {
				parts[i] = e
				continue outer
			}
		}
		parts = append(parts, e)
	}
	return parts
}

// zipParts deflates parts into a zip with honest headers.
func zipParts(tb testing.TB, parts []part) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, p := range parts {
		f, err := w.Create(p.name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := f.Write([]byte(p.data)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// zerosDeflate returns a deflate stream of n MiB of the byte b (n ≥ 2),
// built in milliseconds: after the first MiB the 32 KiB window holds only
// b, so the compressed form of each further MiB, cut at a sync flush, is
// the same bytes, and repeating them is a valid stream. About 1 KiB per
// MiB: the ratio of a real zip bomb.
func zerosDeflate(tb testing.TB, n int, b byte) []byte {
	tb.Helper()
	mib := bytes.Repeat([]byte{b}, 1<<20)
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestCompression)
	w.Write(mib)
	w.Flush()
	prefix := out.Len()
	w.Write(mib)
	w.Flush()
	chunk := bytes.Clone(out.Bytes()[prefix:])
	w.Write(mib)
	w.Flush()
	if !bytes.Equal(out.Bytes()[prefix+len(chunk):], chunk) {
		tb.Fatal("deflate chunks differ; cannot build the bomb this way")
	}
	out.Truncate(prefix + len(chunk))
	for i := 2; i < n; i++ {
		out.Write(chunk)
	}
	tail := out.Len()
	w.Close()
	end := bytes.Clone(out.Bytes()[tail:])
	out.Truncate(tail)
	out.Write(end)
	return out.Bytes()
}

// rawEntry is an entry whose headers say what the test wants, true or not.
type rawEntry struct {
	name     string
	deflated []byte
	crc      uint32
	size     uint64 // the uncompressed size the headers declare
}

// zipRaw writes entries with archive/zip's CreateRaw, which copies the
// given header fields verbatim: the way to write a lying size.
func zipRaw(tb testing.TB, entries []rawEntry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: e.crc,
			CompressedSize64: uint64(len(e.deflated)), UncompressedSize64: e.size}
		f, err := w.CreateRaw(h)
		if err != nil {
			tb.Fatal(err)
		}
		f.Write(e.deflated)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// zerosCRC is the CRC-32 of n MiB of the byte b.
func zerosCRC(n int, b byte) uint32 {
	mib := bytes.Repeat([]byte{b}, 1<<20)
	c := uint32(0)
	for range n {
		c = crc32.Update(c, crc32.IEEETable, mib)
	}
	return c
}

// cost is what one call cost: the peak growth of the live heap (sampled
// every millisecond; allocations not yet collected count, so this
// overstates rather than misses), all bytes allocated, and wall time.
type cost struct {
	peak, alloc uint64
	time        time.Duration
}

func (c cost) String() string {
	return sprintf("peak heap +%.1f MiB, allocated %.1f MiB, %v",
		float64(c.peak)/(1<<20), float64(c.alloc)/(1<<20), c.time.Round(time.Millisecond))
}

func measure(fn func()) cost {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, total := ms.HeapAlloc, ms.TotalAlloc
	var (
		mu   sync.Mutex
		peak uint64
		wg   sync.WaitGroup
	)
	sample := func() {
		var s runtime.MemStats
		runtime.ReadMemStats(&s)
		mu.Lock()
		if s.HeapAlloc > base && s.HeapAlloc-base > peak {
			peak = s.HeapAlloc - base
		}
		mu.Unlock()
	}
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	start := time.Now()
	fn()
	d := time.Since(start)
	sample()
	close(stop)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	return cost{peak: peak, alloc: ms.TotalAlloc - total, time: d}
}

// code returns the Code of a roster error, or "" for nil, or fails the
// test for an error of another type: every refusal must be coded.
func code(tb testing.TB, err error) string {
	tb.Helper()
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("uncoded error %T: %v", err, err)
	}
	return e.Code
}
