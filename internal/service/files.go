package service

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gongjian/internal/domain"
)

// Uploaded files (signed agreements, meeting photos and documents) live in
// the data folder, one subfolder per kind, under names derived from their
// SHA-256. Their type is sniffed from the content, never taken from the
// name, and the name's extension must agree with it.

// The Office Open XML types, which sniff as zip archives and are told
// apart by the part every such file holds.
const (
	typeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// readUpload reads at most limit bytes of r; tooBig reports that there
// was more.
func readUpload(r io.Reader, limit int64) (data []byte, tooBig bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(data)) > limit {
		return nil, true, nil
	}
	return data, false, nil
}

// sniffUpload returns the content type of data when it is one of allowed
// (content type → accepted extensions) and name carries one of the
// extensions accepted for it; ok is false otherwise, and for empty data.
func sniffUpload(data []byte, name string, allowed map[string][]string) (ctype string, ok bool) {
	if len(data) == 0 {
		return "", false
	}
	ctype = http.DetectContentType(data)
	if ctype == "application/zip" {
		ctype = officeType(data)
	}
	exts, known := allowed[ctype]
	return ctype, known && slices.Contains(exts, strings.ToLower(filepath.Ext(name)))
}

// officeType tells a Word document from an Excel workbook by the part
// each must contain; any other zip archive stays "application/zip".
func officeType(data []byte) string {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "application/zip"
	}
	parts := map[string]bool{}
	for _, f := range z.File {
		parts[f.Name] = true
	}
	switch {
	case !parts["[Content_Types].xml"]:
	case parts["word/document.xml"]:
		return typeDOCX
	case parts["xl/workbook.xml"]:
		return typeXLSX
	}
	return "application/zip"
}

// writeFile stores data as name in the data folder's subfolder durably: a
// temporary file, synced, then renamed; the same content gets the same
// name, so a retried upload overwrites nothing else.
func (s *Service) writeFile(folder, name string, data []byte) error {
	if s.cfg.DataDir == "" {
		return fmt.Errorf("service: no data folder configured")
	}
	dir := filepath.Join(s.cfg.DataDir, folder)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := io.Copy(f, bytes.NewReader(data)); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, name))
}

// readFile reads a stored file back.
func (s *Service) readFile(folder, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(s.cfg.DataDir, folder, filepath.Base(name)))
}

// received is an uploaded document checked against the meeting files'
// types and size limit: its content, type, base name and SHA-256.
type received struct {
	data        []byte
	ctype, name string
	sha256      string
}

// receive reads an upload of a photo or document kept with a record (a
// meeting, a development case): within the per-file limit, of an accepted
// type by its content, the name's extension agreeing.
func (s *Service) receive(r io.Reader, name string) (received, error) {
	limit := s.MeetingFileLimit()
	data, tooBig, err := readUpload(r, limit)
	if err != nil {
		return received{}, err
	}
	if tooBig {
		return received{}, domain.Invalid("file", "meeting.file_too_big", map[string]any{"MB": megabytes(limit)})
	}
	ctype, ok := sniffUpload(data, name, meetingFileTypes)
	if !ok {
		return received{}, domain.Invalid("file", "meeting.file_type", nil)
	}
	sum := sha256.Sum256(data)
	return received{data: data, ctype: ctype, name: filepath.Base(strings.ReplaceAll(name, "\\", "/")),
		sha256: hex.EncodeToString(sum[:])}, nil
}
