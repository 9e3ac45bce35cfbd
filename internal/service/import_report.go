package service

import (
	"strconv"
	"strings"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/roster"
)

// errorReport is the xlsx of rejected rows: the row's cells under the
// first data sheet's headers, then the sheet (for a workbook of several),
// the row number Excel shows, the column at fault and the reason. ID
// numbers and phones are masked like every other export: the row number
// leads the official back to the original file, which holds them. A
// second workbook with the clear values (ImportOptions.ClearReport) is
// the file to fix and import again; it is given out only to the holder of
// sensitive:reveal, audited (decision 0016).
type errorReport struct {
	x       *roster.XLSXWriter
	clear   *roster.XLSXWriter // nil unless a clear copy was asked for
	width   int
	several bool
	mask    map[int]func(string) string
}

// reportMask masks the cells of a column by the field it holds.
var reportMask = map[string]func(string) string{"id_number": maskID, "phone": domain.MaskPhone}

// maskID keeps the first six and last four characters of anything long
// enough to be an ID number, and hides at least a third of anything else.
func maskID(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) < 14 {
		return domain.MaskPhone(string(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}

func (im *importer) explain(id string, args map[string]any) string {
	if im.opts.Explain == nil {
		return id
	}
	return im.opts.Explain(id, args)
}

// addToReport writes one rejected row, starting the workbook at the first.
func (im *importer) addToReport(sm *sheetMap, row roster.Row, is ImportIssue) error {
	if im.opts.Report == nil || im.first == nil {
		return nil
	}
	first := im.first
	if im.report == nil {
		rep := &errorReport{width: len(first.hm.Headers), several: len(im.sheets) > 1 || sm != first, mask: map[int]func(string) string{}}
		header := make([]string, 0, rep.width+4)
		for c, h := range first.hm.Headers {
			// A column under a group header (联系方式/手机) keeps the label
			// that names it, so that the report can be imported again.
			if i := strings.LastIndex(h, "/"); i >= 0 {
				h = h[i+1:]
			}
			header = append(header, h)
			for k, f := range reportMask {
				if col, ok := first.hm.Columns[k]; ok && col == c {
					rep.mask[c] = f
				}
			}
		}
		header = append(header, im.explain("import.report.sheet", nil), im.explain("import.report.row", nil),
			im.explain("import.report.column", nil), im.explain("import.report.reason", nil))
		x, err := roster.NewXLSX(im.opts.Report, im.explain("import.report.title", nil), header)
		if err != nil {
			return err
		}
		if w := im.opts.ClearReport; w != nil {
			if rep.clear, err = roster.NewXLSX(w, im.explain("import.report.title", nil), header); err != nil {
				x.Abort()
				return err
			}
		}
		rep.x, im.report = x, rep
	}
	rep := im.report
	cells := make([]string, 0, rep.width+4)
	var clear []string
	if rep.clear != nil {
		clear = make([]string, 0, rep.width+4)
	}
	byKey := map[int]string{}
	for k, c := range first.hm.Columns {
		byKey[c] = k
	}
	for c := range rep.width {
		var cell roster.Cell
		switch {
		case sm == first:
			if c < len(row.Cells) {
				cell = row.Cells[c]
			}
		case byKey[c] != "":
			// Another sheet with its own layout: its cells follow the
			// first sheet's columns by the field they hold.
			cell = sm.cell(row, byKey[c])
		}
		text := im.cellText(cell)
		if clear != nil {
			clear = append(clear, text)
		}
		if f := rep.mask[c]; f != nil && text != "" {
			text = f(text)
		}
		cells = append(cells, text)
	}
	tail := []string{is.Sheet, strconv.Itoa(is.Row), is.Column, im.explain(is.MsgID, is.Args)}
	if clear != nil {
		if err := rep.clear.Row(append(clear, tail...)...); err != nil {
			return err
		}
	}
	return rep.x.Row(append(cells, tail...)...)
}

// cellText is a cell as the report shows it: a date cell as a date, not
// its serial.
func (im *importer) cellText(c roster.Cell) string {
	if c.IsDate {
		if t, ok := roster.SerialDate(c.Serial, im.date1904); ok {
			return t.Format(time.DateOnly)
		}
	}
	return c.Text
}

// closeReport finishes the workbook, if a row was rejected.
func (im *importer) closeReport() error {
	if im.report == nil {
		return nil
	}
	if c := im.report.clear; c != nil {
		if err := c.Close(); err != nil {
			im.report.x.Abort()
			return err
		}
	}
	return im.report.x.Close()
}

// abortReport drops an unfinished workbook (the pass failed).
func (im *importer) abortReport() {
	if im.report != nil {
		im.report.x.Abort()
		if c := im.report.clear; c != nil {
			c.Abort()
		}
	}
}
