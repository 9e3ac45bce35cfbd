package roster

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"path"
	"strings"
)

// Zip record signatures and fixed lengths (APPNOTE.TXT 4.3).
const (
	sigDirEnd      = 0x06054b50
	sigDir64Locate = 0x07064b50
	sigDir64End    = 0x06064b50
	sigDirHeader   = 0x02014b50
	lenDirEnd      = 22
	lenDir64Locate = 20
	lenDir64End    = 56
	lenDirHeader   = 46
	maxComment     = 65535
)

// CheckPackage vets an xlsx (a zip) before any XML in it is parsed, as
// ASVS 5.2.3 asks, and trusts none of the sizes the zip declares:
//
//   - it walks the central directory itself and refuses more than
//     lim.MaxEntries entries (CodeTooManyEntries) before archive/zip
//     allocates a record per entry;
//   - it refuses declared sizes above lim.MaxEntry, or totalling more than
//     lim.MaxInflated, at once (CodeTooBigInflated): an honest bomb costs
//     nothing;
//   - it inflates every entry through a counting reader, so a lying header
//     is caught by the real bytes: an entry that inflates past its declared
//     size stops right there (CodeCorrupt, "size"), and the real totals are
//     held to the same caps;
//   - it checks every entry's CRC, and that its deflate stream ends where
//     it should (CodeCorrupt): a truncated or bit-damaged file never
//     reaches the parser, which could otherwise yield part of a sheet;
//   - it refuses any part that contains a DTD, in UTF-8 or UTF-16
//     (CodeDTD): OOXML never needs one, and without it there are no
//     entities to expand (billion laughs) or to resolve (XXE, ASVS 1.5.1).
//
// Memory is a 32 KiB buffer and one inflater at a time, whatever the file.
// Zero fields of lim take their defaults.
func CheckPackage(r io.ReaderAt, size int64, lim Limits) error {
	_, err := checkPackage(r, size, lim.withDefaults())
	return err
}

// checkPackage returns the zip reader it vetted, for Open to use.
func checkPackage(r io.ReaderAt, size int64, lim Limits) (*zip.Reader, error) {
	if size > lim.MaxBytes {
		return nil, fail(CodeTooBig, nil, "size", size, "max", lim.MaxBytes)
	}
	n, err := countEntries(r, size, lim.MaxEntries)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		// ErrInsecurePath too: an OOXML part name never climbs out.
		return nil, fail(CodeCorrupt, err)
	}
	if len(zr.File) != n {
		return nil, fail(CodeCorrupt, errors.New("central directory disagrees with itself"))
	}
	seen := make(map[string]bool, n)
	var declared uint64
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		// Part names are case-insensitive; two entries that one name
		// could mean make "the part we checked" ambiguous.
		if seen[name] || !partNameOK(f.Name) {
			return nil, fail(CodeCorrupt, errors.New("duplicate or unsafe part name"), "part", f.Name)
		}
		seen[name] = true
		declared += f.UncompressedSize64
		if f.UncompressedSize64 > uint64(lim.MaxEntry) || declared > uint64(lim.MaxInflated) {
			return nil, fail(CodeTooBigInflated, nil, "part", f.Name,
				"declared", f.UncompressedSize64, "max", lim.MaxInflated)
		}
	}
	var total int64
	buf := make([]byte, dtdOverlap+32<<10)
	for _, f := range zr.File {
		if err := inflateEntry(f, buf, &total, lim); err != nil {
			return nil, err
		}
	}
	return zr, nil
}

// partNameOK refuses names that are absolute, climb upwards or use
// backslashes: harmless here (nothing is extracted), but never written by
// an honest producer.
func partNameOK(name string) bool {
	return name != "" && !strings.HasPrefix(name, "/") && !strings.Contains(name, `\`) &&
		path.Clean(name) == strings.TrimSuffix(name, "/") && !strings.HasPrefix(name, "../")
}

// countEntries finds the end of the central directory and counts its
// records, stopping as soon as there are more than max: archive/zip would
// allocate one File per record, and a 64 MiB file can hold a million.
func countEntries(r io.ReaderAt, size int64, max int) (int, error) {
	tail := min(size, lenDirEnd+maxComment)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, fail(CodeCorrupt, err)
	}
	end := -1
	for i := len(buf) - lenDirEnd; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == sigDirEnd {
			end = i
			break
		}
	}
	if end < 0 {
		return 0, fail(CodeCorrupt, errors.New("no end of central directory: truncated?"))
	}
	records := uint64(binary.LittleEndian.Uint16(buf[end+10:]))
	offset := uint64(binary.LittleEndian.Uint32(buf[end+16:]))
	if records == 0xFFFF || offset == 0xFFFFFFFF {
		var err error
		if records, offset, err = zip64End(r, size-tail+int64(end)); err != nil {
			return 0, err
		}
	}
	if records > uint64(max) {
		return 0, fail(CodeTooManyEntries, nil, "entries", records, "max", max)
	}
	if offset >= uint64(size) {
		return 0, fail(CodeCorrupt, errors.New("central directory outside the file"))
	}
	// The declared count may lie; the records themselves are counted.
	br := bufio.NewReader(io.NewSectionReader(r, int64(offset), size-int64(offset)))
	var hdr [lenDirHeader]byte
	n := 0
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil || binary.LittleEndian.Uint32(hdr[:]) != sigDirHeader {
			return n, nil
		}
		if n++; n > max {
			return 0, fail(CodeTooManyEntries, nil, "entries", n, "max", max)
		}
		skip := int(binary.LittleEndian.Uint16(hdr[28:])) + int(binary.LittleEndian.Uint16(hdr[30:])) +
			int(binary.LittleEndian.Uint16(hdr[32:]))
		if _, err := br.Discard(skip); err != nil {
			return n, nil
		}
	}
}

// zip64End reads the record count and directory offset from the zip64
// end record, whose locator sits just before the classic end record.
func zip64End(r io.ReaderAt, endAt int64) (records, offset uint64, err error) {
	var loc [lenDir64Locate]byte
	if endAt < lenDir64Locate {
		return 0, 0, fail(CodeCorrupt, errors.New("zip64 locator missing"))
	}
	if _, err := r.ReadAt(loc[:], endAt-lenDir64Locate); err != nil ||
		binary.LittleEndian.Uint32(loc[:]) != sigDir64Locate {
		return 0, 0, fail(CodeCorrupt, errors.New("zip64 locator missing"))
	}
	var end [lenDir64End]byte
	at := binary.LittleEndian.Uint64(loc[8:])
	if at > uint64(endAt) {
		return 0, 0, fail(CodeCorrupt, errors.New("zip64 end record outside the file"))
	}
	if _, err := r.ReadAt(end[:], int64(at)); err != nil || binary.LittleEndian.Uint32(end[:]) != sigDir64End {
		return 0, 0, fail(CodeCorrupt, errors.New("zip64 end record missing"))
	}
	return binary.LittleEndian.Uint64(end[32:]), binary.LittleEndian.Uint64(end[48:]), nil
}

// inflateEntry inflates one entry into the void, counting real bytes
// against its declared size and the limits, checking its CRC and looking
// for a DTD. buf is scratch space of at least dtdOverlap+1 bytes; total
// carries the real inflated size of the entries before this one.
func inflateEntry(f *zip.File, buf []byte, total *int64, lim Limits) error {
	raw, err := f.OpenRaw()
	if err != nil {
		return fail(CodeCorrupt, err, "part", f.Name)
	}
	var src io.Reader
	switch f.Method {
	case zip.Store:
		src = raw
	case zip.Deflate:
		fr := flate.NewReader(raw)
		defer fr.Close()
		src = fr
	default:
		return fail(CodeCorrupt, errors.New("unknown compression method"), "part", f.Name, "method", f.Method)
	}
	crc := crc32.NewIEEE()
	dtd := dtdScanner{buf: buf}
	var n uint64
	for {
		k, err := src.Read(buf[dtdOverlap:])
		if k > 0 {
			n += uint64(k)
			*total += int64(k)
			switch {
			case n > f.UncompressedSize64:
				// The header lied: this is how a bomb with small
				// declared sizes shows itself, long before any cap.
				return fail(CodeCorrupt, errors.New("entry inflates past its declared size"),
					"part", f.Name, "reason", "size", "declared", f.UncompressedSize64)
			case n > uint64(lim.MaxEntry) || *total > lim.MaxInflated:
				return fail(CodeTooBigInflated, nil, "part", f.Name, "max", lim.MaxInflated)
			}
			crc.Write(buf[dtdOverlap : dtdOverlap+k])
			if dtd.found(k) {
				return fail(CodeDTD, nil, "part", f.Name)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(CodeCorrupt, err, "part", f.Name)
		}
	}
	if n != f.UncompressedSize64 {
		return fail(CodeCorrupt, io.ErrUnexpectedEOF, "part", f.Name, "reason", "size")
	}
	if crc.Sum32() != f.CRC32 {
		return fail(CodeCorrupt, zip.ErrChecksum, "part", f.Name, "reason", "crc")
	}
	return nil
}

// DTD markers, in UTF-8 (any case: nothing legitimate spells them in lower
// case either) and in UTF-16 of either byte order, which an XML parser with
// a charset reader would also accept.
var dtdMarkers = [][]byte{
	[]byte("<!doctype"), []byte("<!entity"),
	utf16Marker("<!DOCTYPE", false), utf16Marker("<!ENTITY", false),
	utf16Marker("<!DOCTYPE", true), utf16Marker("<!ENTITY", true),
}

// dtdOverlap is how many bytes of the previous chunk are kept in front of
// the next one, so a marker split across two reads is still seen.
const dtdOverlap = 32

func utf16Marker(s string, bigEndian bool) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		if bigEndian {
			b = append(b, 0, c)
		} else {
			b = append(b, c, 0)
		}
	}
	return b
}

// dtdScanner looks for DTD markers in a stream read chunk by chunk into
// buf[dtdOverlap:], keeping the tail of each chunk in front of the next.
type dtdScanner struct {
	buf  []byte
	tail int // bytes of the previous chunk now at buf[dtdOverlap-tail:dtdOverlap]
}

// found scans the k bytes just read (with the kept tail) and keeps the new
// tail.
func (s *dtdScanner) found(k int) bool {
	win := s.buf[dtdOverlap-s.tail : dtdOverlap+k]
	for i := bytes.IndexByte(win, '<'); i >= 0; {
		for _, m := range dtdMarkers {
			if len(win)-i >= len(m) && bytes.EqualFold(win[i:i+len(m)], m) {
				return true
			}
		}
		j := bytes.IndexByte(win[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	s.tail = min(len(win), dtdOverlap-1)
	copy(s.buf[dtdOverlap-s.tail:dtdOverlap], win[len(win)-s.tail:])
	return false
}
