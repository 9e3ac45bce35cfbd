package roster

import (
	"bytes"
	"testing"
)

func TestSniff(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
	csv := []byte("姓名,身份证号\r\n张三,320724199001011234\r\n")
	tests := []struct {
		name string
		head []byte
		file string
		kind Kind
		code string
	}{
		{"xlsx", zip, "花名册.xlsx", KindXLSX, ""},
		{"xlsx, upper case, Windows path", zip, `C:\下载\花名册.XLSX`, KindXLSX, ""},
		{"csv", csv, "花名册.csv", KindCSV, ""},
		{"csv with BOM", append([]byte("\xEF\xBB\xBF"), csv...), "a.csv", KindCSV, ""},
		{"no extension, zip", zip, "upload", KindXLSX, ""},
		{"no extension, text", csv, "", KindCSV, ""},
		{"a file called .csv", csv, ".csv", KindCSV, ""},
		{"legacy xls", ole, "花名册.xls", 0, CodeXLS},
		{"WPS et", ole, "花名册.et", 0, CodeXLS},
		{"legacy xls renamed xlsx", ole, "花名册.xlsx", 0, CodeXLS},
		{"HTML saved as xls", []byte("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\">"), "导出.xls", 0, CodeHTMLXLS},
		{"table saved as xls, after BOM and space", []byte("\xEF\xBB\xBF \r\n<TABLE border=1>"), "导出.xls", 0, CodeHTMLXLS},
		{"SpreadsheetML 2003", []byte(`<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>`), "导出.xls", 0, CodeHTMLXLS},
		{"MHTML web archive", []byte("MIME-Version: 1.0\r\nX-Document-Type: Workbook"), "导出.xls", 0, CodeHTMLXLS},
		{"HTML named csv", []byte("<!DOCTYPE html><html>"), "导出.csv", 0, CodeHTMLXLS},
		{"CSV named xlsx", csv, "花名册.xlsx", 0, CodeMislabelled},
		{"xlsx named csv", zip, "花名册.csv", 0, CodeMislabelled},
		{"xlsx named xls", zip, "花名册.xls", 0, CodeMislabelled},
		{"CSV named xls", csv, "花名册.xls", 0, CodeMislabelled},
		{"PDF", []byte("%PDF-1.7\n"), "花名册.pdf", 0, CodeUnsupported},
		{"PDF named xlsx", []byte("%PDF-1.7\n"), "花名册.xlsx", 0, CodeUnsupported},
		{"JPEG photo of the roster", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF"), "IMG_0001.jpg", 0, CodeUnsupported},
		{"RAR of rosters", []byte("Rar!\x1A\x07\x00"), "各镇.rar", 0, CodeUnsupported},
		{"Word document", zip, "名单.docx", 0, CodeUnsupported},
		{"text file", csv, "名单.txt", 0, CodeUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, err := Sniff(tt.head, tt.file)
			if got := code(t, err); got != tt.code || kind != tt.kind {
				t.Errorf("Sniff = %v, %v; want %v, %q", kind, err, tt.kind, tt.code)
			}
		})
	}
}

// TestOpenEncryptedWorkbook tells a password-protected xlsx (an OLE file
// with an EncryptedPackage stream) from a legacy .xls.
func TestOpenEncryptedWorkbook(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100<<10)...)
	refuse(t, ole, "旧表.xls", Limits{}, CodeXLS)
	enc := bytes.Clone(ole)
	copy(enc[70000:], utf16Marker("EncryptedPackage", false))
	refuse(t, enc, "加密.xlsx", Limits{}, CodeEncrypted)
	// The marker straddling the scanner's 64 KiB window is found too.
	enc = bytes.Clone(ole)
	copy(enc[64<<10-10:], utf16Marker("EncryptedPackage", false))
	refuse(t, enc, "加密.xlsx", Limits{}, CodeEncrypted)
	refuse(t, make([]byte, 70<<20), "大.csv", Limits{}, CodeTooBig)
}
