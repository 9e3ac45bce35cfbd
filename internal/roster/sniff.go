package roster

import (
	"bytes"
	"strings"
)

// Kind is the container format of an uploaded roster.
type Kind int

// The formats Open reads. Anything else is refused with a coded error.
const (
	KindCSV Kind = iota + 1
	KindXLSX
)

// String names the kind for logs.
func (k Kind) String() string {
	switch k {
	case KindCSV:
		return "csv"
	case KindXLSX:
		return "xlsx"
	}
	return "unknown"
}

// SniffLen is how many leading bytes Sniff needs to decide.
const SniffLen = 512

// Magic numbers of formats people upload by mistake. Naming the format in
// the refusal ("this is a PDF") helps more than "not a spreadsheet".
var (
	magicZip      = []byte("PK\x03\x04")
	magicZipEmpty = []byte("PK\x05\x06")
	magicOLE      = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	otherMagic    = []struct {
		magic  string
		format string
	}{
		{"%PDF", "pdf"},
		{"\x89PNG", "png"},
		{"\xFF\xD8\xFF", "jpeg"},
		{"GIF8", "gif"},
		{"\x1F\x8B", "gzip"},
		{"Rar!", "rar"},
		{"7z\xBC\xAF\x27\x1C", "7z"},
		{"{\\rtf", "rtf"},
	}
	// Web systems that "export to Excel" often send HTML or the 2003
	// XML format under an .xls name; Excel opens them with a warning.
	markupPrefixes = []string{"<html", "<table", "<?xml", "<!doctype", "<head", "<meta", "<body", "mime-version:"}
)

// Sniff decides the format from the first bytes of the file (SniffLen is
// enough) and checks that the file name's extension agrees with it (ASVS
// 5.2.2): a .xlsx must be a zip, a .csv must be text. The refusals are
// coded: a legacy binary workbook is CodeXLS whatever its name (the useful
// answer is "save it as xlsx or CSV"), markup is CodeHTMLXLS, a known
// non-spreadsheet format or extension is CodeUnsupported, and a
// disagreement is CodeMislabelled. A name without an extension lets the
// content decide. Text that is not CSV at all (binary, UTF-16) is caught
// later, when Open checks the encoding.
func Sniff(head []byte, name string) (Kind, error) {
	ext := extension(name)
	switch {
	case bytes.HasPrefix(head, magicOLE):
		return 0, fail(CodeXLS, nil, "ext", ext)
	case isMarkup(head):
		return 0, fail(CodeHTMLXLS, nil, "ext", ext)
	}
	for _, m := range otherMagic {
		if bytes.HasPrefix(head, []byte(m.magic)) {
			return 0, fail(CodeUnsupported, nil, "ext", ext, "format", m.format)
		}
	}
	content := KindCSV
	if bytes.HasPrefix(head, magicZip) || bytes.HasPrefix(head, magicZipEmpty) {
		content = KindXLSX
	}
	switch ext {
	case "":
		return content, nil
	case ".xlsx":
		if content == KindXLSX {
			return content, nil
		}
	case ".csv":
		if content == KindCSV {
			return content, nil
		}
	case ".xls", ".et":
		// Text or a zip under a legacy name: the person renamed a file
		// or a web system chose a misleading name.
	default:
		return 0, fail(CodeUnsupported, nil, "ext", ext)
	}
	return 0, fail(CodeMislabelled, nil, "ext", ext, "content", content.String())
}

// extension is the lower-case extension of an uploaded file name, which
// may carry a Windows or Unix path.
func extension(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	i := strings.LastIndexByte(name, '.')
	if i <= 0 { // ".csv" alone is a name, not an extension
		return ""
	}
	return strings.ToLower(strings.TrimSpace(name[i:]))
}

// isMarkup reports HTML, SpreadsheetML or an MHTML web archive, after a
// byte-order mark and white space.
func isMarkup(head []byte) bool {
	head = bytes.TrimPrefix(head, utf8BOM)
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) > 16 {
		head = head[:16]
	}
	lower := strings.ToLower(string(head))
	for _, p := range markupPrefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}
