package roster

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Excel's last row and column: anything beyond is not a worksheet Excel
// wrote, and the bound keeps a row from growing without end.
const (
	maxSheetRow    = 1 << 20
	maxSheetColumn = 1 << 14
)

// cellElements is the allowance of elements each value earns.
const cellElements = 4

// sheetRows streams the rows of one worksheet part: one row's cells in
// memory at a time, straight from the inflating zip entry.
type sheetRows struct {
	book   *workbook
	lim    Limits
	rc     io.ReadCloser
	x      *xmlReader
	last   int // number of the last <row> read
	rows   int // non-blank rows returned
	done   bool
	vbuf   []byte
	isbuf  []byte
	closed bool
}

func (b *workbook) openSheet(i int, lim Limits) (*sheetRows, error) {
	part := b.sheets[i].part
	rc, err := b.open(part)
	if err != nil {
		return nil, err
	}
	if rc == nil {
		return nil, fail(CodeCorrupt, errors.New("worksheet part missing"), "part", part)
	}
	return &sheetRows{book: b, lim: lim, rc: rc, x: newXMLReader(rc, part, sheetElements, CodeTooManyCells)}, nil
}

func (s *sheetRows) close() {
	if !s.closed {
		s.closed = true
		s.rc.Close()
	}
}

// next returns the next non-blank row, io.EOF after the last one, or the
// error that stopped it, placed at the row where it happened.
func (s *sheetRows) next() (Row, error) {
	for !s.done {
		tok, err := s.x.token()
		if err == io.EOF {
			break // a sheet without sheetData is empty
		}
		if err != nil {
			return Row{}, s.place(err, -1)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local != "row" {
				continue
			}
			row, err := s.readRow(e)
			if err != nil {
				return Row{}, err
			}
			if len(row.Cells) == 0 {
				continue
			}
			if s.rows++; s.rows > s.lim.MaxRows {
				return Row{}, fail(CodeTooManyRows, nil, "max", s.lim.MaxRows).at(row.Number, "")
			}
			return row, nil
		case xml.EndElement:
			if e.Name.Local == "sheetData" {
				s.done = true
			}
		}
	}
	s.done = true
	return Row{}, io.EOF
}

// place puts an error without a position at the current row (and column,
// if col >= 0).
func (s *sheetRows) place(err error, col int) error {
	var e *Error
	if !errors.As(err, &e) {
		e = fail(CodeCorrupt, err, "part", s.x.part)
	}
	if e.Row == 0 {
		e.Row = s.last
		if col >= 0 {
			e.Column = ColumnName(col)
		}
	}
	return e
}

func (s *sheetRows) readRow(start xml.StartElement) (Row, error) {
	num := s.last + 1
	if r := attr(start, "r"); r != "" {
		n, err := strconv.Atoi(r)
		if err != nil || n <= s.last {
			num = -1
		} else {
			num = n
		}
	}
	if num < 1 || num > maxSheetRow {
		return Row{}, fail(CodeCorrupt, errors.New("row numbers out of order"), "part", s.x.part).at(s.last+1, "")
	}
	s.last = num
	h := attr(start, "hidden")
	row := Row{Number: num, Hidden: h == "1" || h == "true"}
	col, size, blank := -1, 0, true
	for {
		tok, err := s.x.token()
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return Row{}, s.place(err, col)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local != "c" {
				if err := s.x.skip(); err != nil {
					return Row{}, s.place(err, col)
				}
				continue
			}
			var c Cell
			mark := s.x.left
			if c, col, err = s.readCell(e, col); err != nil {
				return Row{}, s.place(err, col)
			}
			if c.Text == "" {
				continue // styled but empty: Excel writes these for borders
			}
			// A value pays for its own elements and for a few empty
			// cells and rows around it: a bordered table is fine, a
			// million formatted cells with nothing in them are not.
			s.x.left = mark + 1 + cellElements
			if col >= s.lim.MaxColumns {
				return Row{}, fail(CodeTooManyColumns, nil, "columns", col+1, "max", s.lim.MaxColumns).at(num, ColumnName(col))
			}
			if size += len(c.Text); size > s.lim.MaxRowBytes {
				return Row{}, fail(CodeRowTooLong, nil, "max", s.lim.MaxRowBytes).at(num, ColumnName(col))
			}
			if utf8.RuneCountInString(c.Text) > s.lim.MaxCell {
				return Row{}, fail(CodeCellTooLong, nil, "max", s.lim.MaxCell).at(num, ColumnName(col))
			}
			for len(row.Cells) <= col {
				row.Cells = append(row.Cells, Cell{})
			}
			row.Cells[col] = c
			blank = blank && strings.TrimSpace(c.Text) == ""
		case xml.EndElement:
			if blank {
				row.Cells = nil
			}
			return row, nil // the decoder has matched it to <row>
		}
	}
}

// readCell reads one <c>; prev is the column of the cell before it in
// the row, which a cell without a reference follows.
func (s *sheetRows) readCell(start xml.StartElement, prev int) (Cell, int, error) {
	col, ok := prev+1, prev+1 < maxSheetColumn
	if ref := attr(start, "r"); ref != "" {
		col, ok = columnIndex(ref)
	}
	if !ok || col <= prev {
		return Cell{}, prev, fail(CodeCorrupt, errors.New("bad or repeated cell reference"), "part", s.x.part, "ref", attr(start, "r"))
	}
	typ := attr(start, "t")
	style, _ := strconv.Atoi(attr(start, "s"))
	var err error
	s.vbuf, s.isbuf = s.vbuf[:0], s.isbuf[:0]
	for done := false; !done; {
		tok, terr := s.x.token()
		if terr == io.EOF {
			terr = io.ErrUnexpectedEOF
		}
		if terr != nil {
			return Cell{}, col, terr
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "v":
				s.vbuf, err = s.x.text(s.vbuf, false, maxXMLRun)
			case "is":
				s.isbuf, err = s.x.text(s.isbuf, true, maxXMLRun)
			default: // the formula, extensions: the cached value is in <v>
				err = s.x.skip()
			}
			if err != nil {
				return Cell{}, col, err
			}
		case xml.EndElement:
			done = true
		}
	}
	c, err := s.value(typ, style)
	return c, col, err
}

// value interprets the collected <v> or <is> by the cell's type.
func (s *sheetRows) value(typ string, style int) (Cell, error) {
	v := strings.TrimSpace(string(s.vbuf))
	switch typ {
	case "s":
		i, err := strconv.Atoi(v)
		text, ok := s.book.strs.get(i)
		if err != nil || !ok {
			return Cell{}, fail(CodeCorrupt, errors.New("no such shared string"), "part", s.x.part, "index", v)
		}
		return Cell{Text: text}, nil
	case "inlineStr":
		if len(s.isbuf) == 0 {
			return Cell{Text: unescapeOOXML(string(s.vbuf))}, nil
		}
		return Cell{Text: unescapeOOXML(string(s.isbuf))}, nil
	case "str", "e":
		return Cell{Text: unescapeOOXML(string(s.vbuf))}, nil
	case "b":
		switch v {
		case "1":
			return Cell{Text: "TRUE"}, nil
		case "0":
			return Cell{Text: "FALSE"}, nil
		}
		return Cell{Text: v}, nil
	case "d":
		return isoDateCell(v, s.book.date1904), nil
	}
	if v == "" {
		return Cell{}, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		// Not a number after all: keep the text, let validation judge.
		return Cell{Text: v}, nil
	}
	isDate := style >= 0 && style < len(s.book.dates) && s.book.dates[style]
	return Cell{Text: v, Serial: f, IsNumber: true, IsDate: isDate}, nil
}

// isoDateCell turns a t="d" cell (an ISO 8601 date, which strict OOXML
// and some producers write) into the serial an ordinary date cell holds,
// so the caller meets one kind of date cell.
func isoDateCell(v string, date1904 bool) Cell {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		t, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		if date1904 {
			epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		y, m, d := t.Date()
		days := float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch) / (24 * time.Hour))
		clock := t.Sub(time.Date(y, m, d, 0, 0, 0, 0, t.Location()))
		serial := days + clock.Hours()/24
		return Cell{Text: strconv.FormatFloat(serial, 'f', -1, 64), Serial: serial, IsNumber: true, IsDate: true}
	}
	return Cell{Text: v}
}
