package roster

import (
	"bytes"
	"errors"
	"io"
	"strings"
)

// Limits bound the memory, disk and time one upload can cost (ASVS
// 5.1.1). A zero field takes the default shown.
type Limits struct {
	MaxBytes    int64 // the file itself: 64 MiB (CodeTooBig)
	MaxEntries  int   // parts in an xlsx zip: 1,000 (CodeTooManyEntries)
	MaxInflated int64 // all parts unpacked, counted for real: 256 MiB (CodeTooBigInflated)
	MaxEntry    int64 // one part unpacked: 128 MiB (CodeTooBigInflated)
	MaxRows     int   // non-blank rows in a sheet: 1,000,000 (CodeTooManyRows)
	MaxColumns  int   // columns up to the last non-empty cell: 200 (CodeTooManyColumns)
	MaxCell     int   // characters in a cell: 32,767, Excel's own limit (CodeCellTooLong)
	MaxRowBytes int   // bytes of text in a row (for CSV, of the raw record): 256 KiB (CodeRowTooLong)
	// MaxStringTable is the memory an xlsx's shared-string table may take,
	// and a sixteenth of it the number of strings: 32 MiB and 2,097,152
	// (CodeTooBigInflated), about twice what a county-wide roster of
	// 150,000 people needs.
	MaxStringTable int64
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def64 := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	def64(&l.MaxBytes, 64<<20)
	def(&l.MaxEntries, 1000)
	def64(&l.MaxInflated, 256<<20)
	def64(&l.MaxEntry, 128<<20)
	def(&l.MaxRows, 1_000_000)
	def(&l.MaxColumns, 200)
	def(&l.MaxCell, 32767)
	def(&l.MaxRowBytes, 256<<10)
	def64(&l.MaxStringTable, 32<<20)
	return l
}

// Sheet is a worksheet of a workbook, in tab order.
type Sheet struct {
	Name   string
	Hidden bool // hidden sheets often hold the lists behind drop-downs
}

// Reader yields the rows of one sheet of an uploaded roster.
//
// Open reads the whole sheet once before returning, so that damage,
// malformed XML, a quote out of place or a limit crossed anywhere in it
// is reported by Open, with its row, before a single row is handed out;
// Next then reads it again. Next can still fail (if the file changed
// underneath, say): then the rows it already returned must be discarded
// and the whole import abandoned, never committed in part.
//
// Memory is one row at a time plus, for xlsx, the shared-string table
// (Limits.MaxStringTable); nothing is written to disk. Time grows with the
// file's unpacked size, read twice, at encoding/xml's pace for xlsx (about
// 30 MB/s of sheet XML) and several times that for CSV; a sheet whose bulk
// is formatted cells with no value is refused after two million of them
// (CodeTooManyCells) rather than parsed at length.
type Reader struct {
	kind  Kind
	lim   Limits
	enc   string
	bom   int64
	book  *workbook
	sheet int
	src   rowSource
	rows  int
	err   error
}

type rowSource interface {
	next() (Row, error)
	close()
}

// Open checks an uploaded file and prepares to read its rows: it sniffs
// the format and checks it against name's extension (Sniff), refuses a
// file over lim.MaxBytes, and then
//
//   - for xlsx, vets the package (CheckPackage), reads the workbook and
//     picks the first visible sheet that has a non-blank row (UseSheet
//     picks another);
//   - for CSV, detects the encoding (UTF-8 with or without BOM, else
//     GB18030) from the whole file.
//
// Every refusal is an *Error. Zero fields of lim take their defaults. r
// must stay readable and unchanged until the Reader is closed.
func Open(r io.ReaderAt, size int64, name string, lim Limits) (*Reader, error) {
	lim = lim.withDefaults()
	switch {
	case size > lim.MaxBytes:
		return nil, fail(CodeTooBig, nil, "size", size, "max", lim.MaxBytes)
	case size <= 0:
		return nil, fail(CodeEmpty, nil)
	}
	head := make([]byte, min(size, SniffLen))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, fail(CodeCorrupt, err)
	}
	kind, err := Sniff(head, name)
	if e := (*Error)(nil); errors.As(err, &e) && e.Code == CodeXLS && encrypted(r, size) {
		return nil, fail(CodeEncrypted, nil)
	}
	if err != nil {
		return nil, err
	}
	rd := &Reader{kind: kind, lim: lim}
	if kind == KindCSV {
		if rd.enc, rd.bom, err = detectEncoding(r, size); err != nil {
			return nil, err
		}
		if err := rd.start(func() (rowSource, error) {
			return newCSVRows(r, size, rd.enc, rd.bom, lim), nil
		}); err != nil {
			return nil, err
		}
		if rd.rows == 0 {
			return nil, fail(CodeEmpty, nil)
		}
		return rd, nil
	}
	zr, err := checkPackage(r, size, lim)
	if err != nil {
		return nil, err
	}
	if rd.book, err = readBook(zr, lim); err != nil {
		return nil, err
	}
	for i, s := range rd.book.sheets {
		if s.hidden {
			continue
		}
		if err := rd.use(i); err != nil {
			return nil, err
		}
		if rd.rows > 0 {
			return rd, nil
		}
	}
	rd.Close()
	return nil, fail(CodeEmpty, nil)
}

// encrypted reports an OLE file that holds an encrypted OOXML package
// (Excel's "protect with password"), whose directory names the stream
// EncryptedPackage in UTF-16.
func encrypted(r io.ReaderAt, size int64) bool {
	marker := utf16Marker("EncryptedPackage", false)
	buf := make([]byte, 64<<10)
	for off := int64(0); off < size; off += int64(len(buf) - len(marker)) {
		n, _ := r.ReadAt(buf, off)
		if bytes.Contains(buf[:n], marker) {
			return true
		}
		if n < len(buf) {
			break
		}
	}
	return false
}

// start validates a source by reading it to the end, then opens it
// afresh for Next, read ahead (ahead.go).
func (rd *Reader) start(open func() (rowSource, error)) error {
	if rd.src != nil {
		rd.src.close()
		rd.src = nil
	}
	rd.rows, rd.err = 0, nil
	n, err := drain(open)
	if err == nil {
		var src rowSource
		if src, err = open(); err == nil {
			rd.src = readAhead(src)
		}
	}
	if err != nil {
		rd.err = err // Next must not read a sheet that failed
		return err
	}
	rd.rows = n
	return nil
}

// drain reads a source to the end and counts its rows.
func drain(open func() (rowSource, error)) (int, error) {
	src, err := open()
	if err != nil {
		return 0, err
	}
	defer src.close()
	for n := 0; ; n++ {
		if _, err := src.next(); err == io.EOF {
			return n, nil
		} else if err != nil {
			return 0, err
		}
	}
}

func (rd *Reader) use(i int) error {
	rd.sheet = i
	return rd.start(func() (rowSource, error) {
		return rd.book.openSheet(i, rd.lim)
	})
}

// Kind returns the file's format.
func (rd *Reader) Kind() Kind { return rd.kind }

// Encoding returns the encoding a CSV file was read in (EncodingUTF8,
// EncodingUTF8BOM or EncodingGB18030), for the import log; "" for xlsx.
func (rd *Reader) Encoding() string { return rd.enc }

// Date1904 reports a workbook in the 1904 date system (Excel for Mac
// before 2011): pass it to SerialDate.
func (rd *Reader) Date1904() bool { return rd.book != nil && rd.book.date1904 }

// Sheets lists the worksheets of an xlsx in tab order; nil for CSV.
func (rd *Reader) Sheets() []Sheet {
	if rd.book == nil {
		return nil
	}
	out := make([]Sheet, len(rd.book.sheets))
	for i, s := range rd.book.sheets {
		out[i] = Sheet{Name: s.name, Hidden: s.hidden}
	}
	return out
}

// Sheet returns the name of the sheet being read; "" for CSV.
func (rd *Reader) Sheet() string {
	if rd.book == nil {
		return ""
	}
	return rd.book.sheets[rd.sheet].name
}

// UseSheet switches to the named sheet (Excel compares sheet names
// without case) and starts from its first row, validating it as Open
// does. An empty sheet is not an error: Rows is then 0.
func (rd *Reader) UseSheet(name string) error {
	if rd.book != nil {
		for i, s := range rd.book.sheets {
			if strings.EqualFold(s.name, name) {
				return rd.use(i)
			}
		}
	}
	return fail(CodeNoSheet, nil, "sheet", name)
}

// Rows returns how many non-blank rows the current sheet has, known from
// the validating read: for a progress bar, or to refuse early.
func (rd *Reader) Rows() int { return rd.rows }

// Next returns the next non-blank row, or io.EOF after the last. After
// any other error the import must be abandoned and the rows already
// returned discarded; Next then keeps returning that error.
func (rd *Reader) Next() (Row, error) {
	if rd.err != nil {
		return Row{}, rd.err
	}
	if rd.src == nil {
		return Row{}, io.EOF
	}
	row, err := rd.src.next()
	if err != nil {
		rd.err = err
	}
	return row, err
}

// Close releases the sheet being read. It does not close r.
func (rd *Reader) Close() error {
	if rd.src != nil {
		rd.src.close()
		rd.src = nil
	}
	return nil
}
