package roster

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Error codes returned by the reading side. They are stable: the import
// service turns them into messages (the catalogues live there), so a code
// is never renamed, only added.
const (
	CodeTooBig         = "roster.too_big"          // the file is larger than Limits.MaxBytes
	CodeEmpty          = "roster.empty"            // no file, or no non-blank row in it
	CodeXLS            = "roster.xls"              // legacy binary .xls (or .et): save as xlsx or CSV
	CodeEncrypted      = "roster.encrypted"        // a password-protected workbook
	CodeHTMLXLS        = "roster.html_xls"         // HTML or SpreadsheetML saved under a spreadsheet name
	CodeMislabelled    = "roster.mislabelled"      // the extension disagrees with the content
	CodeUnsupported    = "roster.unsupported"      // a known non-roster format (PDF, image, docx, ods …)
	CodeTooManyEntries = "roster.too_many_entries" // the xlsx zip has more than Limits.MaxEntries parts
	CodeTooBigInflated = "roster.too_big_inflated" // the xlsx unpacks to more than the limits
	CodeDTD            = "roster.dtd"              // a part declares a DTD (entities, external references)
	CodeCorrupt        = "roster.corrupt"          // truncated, damaged or malformed package or XML
	CodeNoSheet        = "roster.no_sheet"         // the named sheet does not exist
	CodeEncoding       = "roster.encoding"         // CSV neither UTF-8 nor GB18030, UTF-16, or binary
	CodeCSVSyntax      = "roster.csv_syntax"       // a quote out of place (RFC 4180)
	CodeTooManyColumns = "roster.too_many_columns" // a row uses more than Limits.MaxColumns columns
	CodeTooManyRows    = "roster.too_many_rows"    // more than Limits.MaxRows non-blank rows
	CodeTooManyCells   = "roster.too_many_cells"   // millions of formatted cells or rows with nothing in them
	CodeCellTooLong    = "roster.cell_too_long"    // a cell longer than Limits.MaxCell characters
	CodeRowTooLong     = "roster.row_too_long"     // a row longer than Limits.MaxRowBytes bytes
	CodeNoHeader       = "roster.no_header"        // no row in the first rows looks like a header
)

// Error is a refusal the caller can explain to the person who uploaded
// the file: Code is one of the Code constants, Row is the number Excel
// shows for the row (for CSV the record number; 0 when the problem is the
// whole file), Column is the column's letter as Excel shows it ("" when
// not tied to a column; the import service replaces it with the header
// text when it knows it), and Args carries the figures for the message
// (limits, sizes, part names). Err is the underlying cause, for the log.
type Error struct {
	Code   string
	Row    int
	Column string
	Args   map[string]any
	Err    error
}

// Error describes the refusal in English, for logs; users see the
// translated message chosen by Code.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if e.Row > 0 {
		fmt.Fprintf(&b, " row %d", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, " column %s", e.Column)
	}
	for _, k := range slices.Sorted(maps.Keys(e.Args)) {
		fmt.Fprintf(&b, " %s=%v", k, e.Args[k])
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// fail builds an *Error; kv alternates argument names and values.
func fail(code string, cause error, kv ...any) *Error {
	e := &Error{Code: code, Err: cause}
	for i := 0; i+1 < len(kv); i += 2 {
		if e.Args == nil {
			e.Args = make(map[string]any, len(kv)/2)
		}
		e.Args[kv[i].(string)] = kv[i+1]
	}
	return e
}

// at places an error at a row and column.
func (e *Error) at(row int, col string) *Error {
	e.Row, e.Column = row, col
	return e
}
