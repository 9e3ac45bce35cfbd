package roster

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// workbook is what Open learns from a vetted package before it reads a
// sheet: the sheets in tab order, the date system, which cell styles show
// dates, and the shared strings.
//
// The parts are read with encoding/xml rather than through excelize: its
// row iterator gives neither a cell's type nor its style (so no number
// format, so no way to tell a date serial from a number), the calls that
// do (GetCellStyle, GetCellType, GetMergeCells) load the whole sheet into
// memory, and its iterator ends quietly on malformed XML, which would hand
// the import part of a sheet as if it were all of it.
type workbook struct {
	files    map[string]*zip.File // by lower-case part name
	sheets   []sheetRef
	date1904 bool
	dates    []bool // by cell style index (cellXfs): shows a date
	strs     sharedStrings
}

// sheetRef names a worksheet and its part.
type sheetRef struct {
	name   string
	part   string
	hidden bool
}

// Relationship types, by suffix: transitional and strict OOXML differ in
// the prefix only.
const (
	relOffice  = "/officeDocument"
	relSheet   = "/worksheet"
	relStyles  = "/styles"
	relStrings = "/sharedStrings"
)

func readBook(zr *zip.Reader, lim Limits) (*workbook, error) {
	b := &workbook{files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		b.files[strings.ToLower(f.Name)] = f
	}
	root := "xl/workbook.xml"
	rels, err := b.rels("_rels/.rels", "")
	if err != nil {
		return nil, err
	}
	if t, ok := rels.target(relOffice); ok {
		root = t
	}
	if b.files[strings.ToLower(root)] == nil {
		return nil, fail(CodeUnsupported, nil, "format", b.guessFormat())
	}
	ids, err := b.readWorkbook(root)
	if err != nil {
		return nil, err
	}
	if rels, err = b.rels(path.Join(path.Dir(root), "_rels", path.Base(root)+".rels"), path.Dir(root)); err != nil {
		return nil, err
	}
	sheets := b.sheets[:0]
	for i, s := range b.sheets {
		if r, ok := rels[ids[i]]; ok && strings.HasSuffix(r.typ, relSheet) {
			s.part = r.target
			sheets = append(sheets, s)
		}
	}
	b.sheets = sheets // chart sheets and dialog sheets hold no rows
	// Excel always relates these parts; the usual names are the fallback.
	styles, ok := rels.target(relStyles)
	if !ok {
		styles = path.Join(path.Dir(root), "styles.xml")
	}
	if err := b.readStyles(styles); err != nil {
		return nil, err
	}
	strs, ok := rels.target(relStrings)
	if !ok {
		strs = path.Join(path.Dir(root), "sharedStrings.xml")
	}
	if err := b.readStrings(strs, lim); err != nil {
		return nil, err
	}
	return b, nil
}

// guessFormat names the kind of zip that is not a workbook, for the
// refusal.
func (b *workbook) guessFormat() string {
	switch {
	case b.files["word/document.xml"] != nil:
		return "docx"
	case b.files["ppt/presentation.xml"] != nil:
		return "pptx"
	case b.files["mimetype"] != nil:
		return "ods"
	}
	return "zip"
}

// open returns a part's inflated bytes as a stream; nil, nil if the part
// is absent.
func (b *workbook) open(part string) (io.ReadCloser, error) {
	f := b.files[strings.ToLower(part)]
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fail(CodeCorrupt, err, "part", part)
	}
	return rc, nil
}

// walk feeds every token of a part to fn, within an allowance of
// elements; a missing part is empty.
func (b *workbook) walk(part string, allowance int64, fn func(x *xmlReader, tok xml.Token) error) error {
	rc, err := b.open(part)
	if rc == nil || err != nil {
		return err
	}
	defer rc.Close()
	x := newXMLReader(rc, part, allowance, CodeTooBigInflated)
	for {
		tok, err := x.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(x, tok); err != nil {
			return err
		}
	}
}

type rel struct{ typ, target string }

type relations map[string]rel

// target returns the target of the first relationship of a type.
func (rs relations) target(suffix string) (string, bool) {
	for _, r := range rs {
		if strings.HasSuffix(r.typ, suffix) {
			return r.target, true
		}
	}
	return "", false
}

// rels reads a relationships part, resolving targets against dir.
func (b *workbook) rels(part, dir string) (relations, error) {
	rs := relations{}
	err := b.walk(part, partElements, func(_ *xmlReader, tok xml.Token) error {
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "Relationship" || attr(e, "TargetMode") == "External" {
			return nil
		}
		t := attr(e, "Target")
		if strings.HasPrefix(t, "/") {
			t = path.Clean(t[1:])
		} else {
			t = path.Join(dir, t)
		}
		rs[attr(e, "Id")] = rel{typ: attr(e, "Type"), target: t}
		return nil
	})
	return rs, err
}

// readWorkbook reads the sheet list and the date system; it returns each
// sheet's relationship id.
func (b *workbook) readWorkbook(part string) ([]string, error) {
	var ids []string
	err := b.walk(part, partElements, func(_ *xmlReader, tok xml.Token) error {
		e, ok := tok.(xml.StartElement)
		if !ok {
			return nil
		}
		switch e.Name.Local {
		case "workbookPr":
			v := attr(e, "date1904")
			b.date1904 = v == "1" || v == "true"
		case "sheet":
			state := attr(e, "state")
			b.sheets = append(b.sheets, sheetRef{name: attr(e, "name"), hidden: state == "hidden" || state == "veryHidden"})
			ids = append(ids, attr(e, "id"))
		}
		return nil
	})
	return ids, err
}

// readStyles records, for each cell style, whether its number format
// shows a date. A cell's date-ness comes from here and its raw value,
// never from the text Excel would display.
func (b *workbook) readStyles(part string) error {
	codes := map[int]string{}
	var fmtIDs []int
	inXfs := false
	err := b.walk(part, partElements, func(_ *xmlReader, tok xml.Token) error {
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "numFmt":
				if id, err := strconv.Atoi(attr(e, "numFmtId")); err == nil {
					codes[id] = attr(e, "formatCode")
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs {
					id, _ := strconv.Atoi(attr(e, "numFmtId"))
					fmtIDs = append(fmtIDs, id)
				}
			}
		case xml.EndElement:
			if e.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
		return nil
	})
	b.dates = make([]bool, len(fmtIDs))
	for i, id := range fmtIDs {
		code, ok := codes[id]
		b.dates[i] = ok && dateCode(code) || !ok && builtinDate(id)
	}
	return err
}

// sharedStrings holds the shared-string table in 1 MiB chunks of text,
// a string never split between two, and chunked start offsets: memory
// grows by one chunk at a time, never by doubling a slice, and is counted
// against Limits.MaxStringTable. The table is the one structure that grows
// with the file rather than with a row, and a 600 KiB file can declare
// 120 MiB of strings.
type sharedStrings struct {
	text   [][]byte   // chunks of sstChunk bytes
	starts [][]uint32 // chunks of sstStarts entries: chunk<<sstShift | offset
	n      int
	held   int64 // bytes allocated for both
}

const (
	sstShift  = 20
	sstChunk  = 1 << sstShift
	sstStarts = sstChunk / 4
)

func (s *sharedStrings) start(i int) uint32 { return s.starts[i/sstStarts][i%sstStarts] }

func (s *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= s.n {
		return "", false
	}
	v := s.start(i)
	c, off := v>>sstShift, v&(sstChunk-1)
	end := uint32(len(s.text[c]))
	if i+1 < s.n {
		if w := s.start(i + 1); w>>sstShift == c {
			end = w & (sstChunk - 1)
		}
	}
	return string(s.text[c][off:end]), true
}

// sstCost is the budget one string takes beyond its text: its 4-byte
// offset is cheap, but parsing it is not, so a table of millions of empty
// strings runs out of budget (at 2,097,152 strings for 32 MiB) long
// before it runs up seconds of CPU.
const sstCost = 16

// add appends a string of at most sstChunk bytes; false if the budget
// would be exceeded.
func (s *sharedStrings) add(b []byte, budget int64) bool {
	if int64(s.n+1)*sstCost > budget {
		return false
	}
	if s.n%sstStarts == 0 {
		if s.held += sstChunk; s.held > budget {
			return false
		}
		s.starts = append(s.starts, make([]uint32, 0, sstStarts))
	}
	last := len(s.text) - 1
	if last < 0 || len(s.text[last])+len(b) > sstChunk {
		if s.held += sstChunk; s.held > budget {
			return false
		}
		s.text = append(s.text, make([]byte, 0, sstChunk))
		last++
	}
	k := s.n / sstStarts
	s.starts[k] = append(s.starts[k], uint32(last)<<sstShift|uint32(len(s.text[last])))
	s.text[last] = append(s.text[last], b...)
	s.n++
	return true
}

func (b *workbook) readStrings(part string, lim Limits) error {
	// A string longer than a cell may be is kept just long enough to be
	// refused as such if a cell uses it.
	keep := min(sstChunk, utf8.UTFMax*(lim.MaxCell+1))
	var scratch []byte
	// Four elements a string (<si>, <t>, and a rich-text run) on average.
	allowance := 4 * lim.MaxStringTable / sstCost
	return b.walk(part, allowance, func(x *xmlReader, tok xml.Token) error {
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "si" {
			return nil
		}
		var err error
		if scratch, err = x.text(scratch[:0], true, keep); err != nil {
			return err
		}
		t := []byte(unescapeOOXML(string(scratch)))
		for len(t) > keep { // whole characters off the end
			_, size := utf8.DecodeLastRune(t)
			t = t[:len(t)-size]
		}
		if !b.strs.add(t, lim.MaxStringTable) {
			return fail(CodeTooBigInflated, errors.New("shared strings over budget"),
				"part", part, "max", lim.MaxStringTable)
		}
		return nil
	})
}
