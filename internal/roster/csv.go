package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encodings Reader.Encoding reports for a CSV file.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8 BOM" // Excel's "CSV UTF-8"
	EncodingGB18030 = "GB18030"   // Chinese Windows Excel's plain "CSV" (code page 936, GBK, is a subset)
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// detectEncoding reads the whole file once, in 64 KiB chunks, to decide
// its encoding before any of it is decoded: strict UTF-8 (after an
// optional BOM) if every byte sequence is valid, GB18030 otherwise. Looking
// at a prefix only would misread a file whose first thousand rows are
// ASCII. A NUL byte means a binary file, and a UTF-16 byte-order mark
// Excel's "Unicode text", which is tab-separated: both are refused.
func detectEncoding(r io.ReaderAt, size int64) (enc string, bom int64, err error) {
	buf := make([]byte, 64<<10)
	carry, valid := 0, true
	for off := int64(0); off < size; {
		n, err := r.ReadAt(buf[carry:min(int64(len(buf)), int64(carry)+size-off)], off)
		if err != nil && err != io.EOF {
			return "", 0, fail(CodeCorrupt, err)
		}
		if n == 0 {
			break
		}
		chunk := buf[carry : carry+n]
		if off == 0 {
			switch {
			case bytes.HasPrefix(chunk, utf8BOM):
				bom = 3
			case bytes.HasPrefix(chunk, []byte{0xFF, 0xFE}), bytes.HasPrefix(chunk, []byte{0xFE, 0xFF}):
				return "", 0, fail(CodeEncoding, nil, "encoding", "UTF-16")
			}
		}
		if bytes.IndexByte(chunk, 0) >= 0 {
			return "", 0, fail(CodeEncoding, nil, "encoding", "binary")
		}
		off += int64(n)
		if valid {
			data := buf[:carry+n]
			cut := len(data)
			// Keep an incomplete rune at the end for the next chunk.
			for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
				if utf8.RuneStart(data[i]) {
					if !utf8.FullRune(data[i:]) && off < size {
						cut = i
					}
					break
				}
			}
			valid = utf8.Valid(data[:cut])
			carry = copy(buf, data[cut:])
		}
	}
	switch {
	case !valid && bom > 0:
		// A BOM promises UTF-8; a file that breaks the promise is damaged.
		return "", 0, fail(CodeEncoding, nil, "encoding", EncodingUTF8BOM)
	case !valid:
		return EncodingGB18030, 0, nil
	case bom > 0:
		return EncodingUTF8BOM, bom, nil
	}
	return EncodingUTF8, 0, nil
}

// csvRows streams the records of a CSV file (RFC 4180: quoted fields may
// hold commas, quotes and line breaks) as rows numbered the way Excel
// numbers them when it opens the file: a record is a row however many
// lines it spans, and a blank line is a row too.
type csvRows struct {
	cr      *csv.Reader
	guard   *recordGuard
	lim     Limits
	gb      bool // decoded from GB18030: U+FFFD marks a byte that was not
	number  int  // row number of the last record
	endLine int  // line the last record ended on
	rows    int
}

func newCSVRows(r io.ReaderAt, size int64, enc string, bom int64, lim Limits) *csvRows {
	var src io.Reader = io.NewSectionReader(r, bom, size-bom)
	gb := enc == EncodingGB18030
	if gb {
		src = transform.NewReader(src, simplifiedchinese.GB18030.NewDecoder())
	}
	g := &recordGuard{r: src, max: lim.MaxRowBytes}
	cr := csv.NewReader(g)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvRows{cr: cr, guard: g, lim: lim, gb: gb}
}

func (c *csvRows) close() {}

func (c *csvRows) next() (Row, error) {
	for {
		rec, err := c.cr.Read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		if err != nil {
			return Row{}, c.place(err)
		}
		c.guard.n = 0
		line, _ := c.cr.FieldPos(0)
		c.number += 1 + max(0, line-c.endLine-1)
		last, _ := c.cr.FieldPos(len(rec) - 1)
		c.endLine = last + strings.Count(rec[len(rec)-1], "\n")
		for len(rec) > 0 && rec[len(rec)-1] == "" {
			rec = rec[:len(rec)-1]
		}
		if len(rec) > c.lim.MaxColumns {
			return Row{}, fail(CodeTooManyColumns, nil, "columns", len(rec), "max", c.lim.MaxColumns).
				at(c.number, ColumnName(c.lim.MaxColumns))
		}
		row, blank := Row{Number: c.number, Cells: make([]Cell, len(rec))}, true
		for i, f := range rec {
			if utf8.RuneCountInString(f) > c.lim.MaxCell {
				return Row{}, fail(CodeCellTooLong, nil, "max", c.lim.MaxCell).at(c.number, ColumnName(i))
			}
			if c.gb && strings.ContainsRune(f, utf8.RuneError) {
				return Row{}, fail(CodeEncoding, nil, "encoding", EncodingGB18030).at(c.number, ColumnName(i))
			}
			row.Cells[i].Text = f
			blank = blank && strings.TrimSpace(f) == ""
		}
		if blank {
			continue
		}
		if c.rows++; c.rows > c.lim.MaxRows {
			return Row{}, fail(CodeTooManyRows, nil, "max", c.lim.MaxRows).at(c.number, "")
		}
		return row, nil
	}
}

// place puts a reading error at the record it happened in.
func (c *csvRows) place(err error) error {
	if e := (*Error)(nil); errors.As(err, &e) {
		return e.at(c.number+1, "")
	}
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
		row := c.number + 1 + max(0, pe.StartLine-c.endLine-1)
		return fail(CodeCSVSyntax, pe.Err, "line", pe.Line).at(row, "")
	}
	return fail(CodeCorrupt, err).at(c.number+1, "")
}

// recordGuard fails when one record needs more than max bytes: the CSV
// reader holds a whole record in memory, and a file that is one endless
// quoted field would otherwise be read into it entire. The count is reset
// after each record; the reader's 4 KiB read-ahead is the slack.
type recordGuard struct {
	r   io.Reader
	n   int
	max int
}

func (g *recordGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if g.n += n; g.n > g.max {
		return 0, fail(CodeRowTooLong, nil, "max", g.max)
	}
	return n, err
}
