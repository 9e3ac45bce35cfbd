package roster

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// Column widths, in Excel's character units. A column is as wide as its
// header needs, within these bounds: narrow enough that a sheet fits a
// screen, wide enough for a date and time.
const (
	minColWidth = 12
	maxColWidth = 60
)

// XLSXWriter writes one sheet row by row. Rows go to excelize's
// StreamWriter, which keeps little in memory and spills large sheets to a
// temporary file; the zip container is written to w by Close.
type XLSXWriter struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int
	cols   int
	closed bool
}

// NewXLSX starts a workbook with one sheet named sheet (made safe for
// Excel) and writes header as its first row, in bold and frozen in place.
func NewXLSX(w io.Writer, sheet string, header []string) (*XLSXWriter, error) {
	f := excelize.NewFile()
	name := SheetName(sheet)
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		f.Close()
		return nil, fmt.Errorf("roster: sheet name: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("roster: stream writer: %w", err)
	}
	x := &XLSXWriter{w: w, f: f, sw: sw, cols: len(header)}
	// Widths and panes must precede the first row in a stream.
	for i, h := range header {
		if err := sw.SetColWidth(i+1, i+1, colWidth(h)); err != nil {
			f.Close()
			return nil, fmt.Errorf("roster: column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		f.Close()
		return nil, fmt.Errorf("roster: freeze header: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("roster: header style: %w", err)
	}
	if err := x.write(header, bold); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

// Row appends one row. Every cell is written as a string.
func (x *XLSXWriter) Row(cells ...string) error {
	if x.closed {
		return errors.New("roster: row after close")
	}
	return x.write(cells, 0)
}

func (x *XLSXWriter) write(cells []string, style int) error {
	x.row++
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = excelize.Cell{StyleID: style, Value: SafeCell(c)}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return fmt.Errorf("roster: row %d: %w", x.row, err)
	}
	if err := x.sw.SetRow(cell, vals); err != nil {
		return fmt.Errorf("roster: row %d: %w", x.row, err)
	}
	return nil
}

// Close finishes the sheet and writes the workbook to w. It must be
// called once; nothing reaches w before it.
func (x *XLSXWriter) Close() error {
	if x.closed {
		return nil
	}
	x.closed = true
	defer x.f.Close() // removes the stream's temporary file, if any
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("roster: flush: %w", err)
	}
	if err := x.f.Write(x.w); err != nil {
		return fmt.Errorf("roster: write xlsx: %w", err)
	}
	return nil
}

// Abort releases the workbook without writing anything to w: for an
// export that failed before it could be sent. Close after Abort is a no-op.
func (x *XLSXWriter) Abort() {
	if !x.closed {
		x.closed = true
		x.f.Close()
	}
}

// SafeCell defuses text that a spreadsheet program would read as a formula
// or a command (OWASP's CSV injection list): a value starting with = + - @
// TAB CR or NUL gets a leading single quote. The xlsx cells are strings
// anyway; the quote also protects a user who copies the text onward or
// saves the sheet as CSV.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', 0:
		return "'" + s
	}
	return s
}

// SheetName makes name acceptable to Excel: the characters : \ / ? * [ ]
// replaced, at most 31 characters, not empty.
func SheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	name = strings.Trim(name, "'")
	if utf8.RuneCountInString(name) > 31 {
		name = string([]rune(name)[:31])
	}
	if name == "" {
		return "Sheet1"
	}
	return name
}

// colWidth sizes a column for its header: wide (CJK) characters count two.
func colWidth(header string) float64 {
	n := 0
	for _, r := range header {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return float64(min(max(n+4, minColWidth), maxColWidth))
}
