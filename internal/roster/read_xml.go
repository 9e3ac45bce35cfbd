package roster

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// Bounds on the XML inside a package. Go's encoding/xml keeps a token's
// text and the stack of open elements in memory without limit; these keep
// both small. No cell in Excel holds more than 32,767 characters, so no
// honest run of text or attributes comes near maxXMLRun, and OOXML nests
// a handful of levels deep.
const (
	maxXMLRun   = 1 << 20
	maxXMLDepth = 64
)

// xmlGuard passes bytes through to the XML decoder and fails when too
// many of them come without a '<': one giant text node or tag.
type xmlGuard struct {
	r    io.Reader
	part string
	run  int
}

func (g *xmlGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for b := p[:n]; len(b) > 0; {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			g.run += len(b)
		} else {
			g.run += i
		}
		if g.run > maxXMLRun {
			return 0, fail(CodeCorrupt, errors.New("XML token too long"), "part", g.part)
		}
		if i < 0 {
			break
		}
		g.run = 0
		b = b[i+1:]
	}
	return n, err
}

// xmlReader is a strict, bounded token reader over one part. Besides
// depth and token length it bounds the number of elements: encoding/xml
// spends a few hundred nanoseconds and bytes on each, so a part of 120 MiB
// of "<c/>" (a 100 KiB upload) would otherwise cost many seconds twice
// over. Readers of content give back the allowance that real values used
// (see sheetRows.readRow), so only elements that carry nothing run it
// down.
type xmlReader struct {
	d     *xml.Decoder
	part  string
	depth int
	left  int64  // start elements still allowed
	max   int64  // the allowance, for the error
	code  string // the refusal when it runs out
}

// Element allowances: parts other than sheets and strings are small
// (styles of a busy workbook hold some thousands of elements).
const (
	partElements  = 1 << 20
	sheetElements = 1 << 21
)

func newXMLReader(r io.Reader, part string, allowance int64, code string) *xmlReader {
	d := xml.NewDecoder(&xmlGuard{r: r, part: part})
	d.Strict = true
	// Excel writes UTF-8; any other declared encoding would need a
	// charset table this reader does not carry. ASCII is a subset.
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "us-ascii") || strings.EqualFold(label, "ascii") {
			return in, nil
		}
		return nil, errors.New("XML part not in UTF-8: " + label)
	}
	return &xmlReader{d: d, part: part, left: allowance, max: allowance, code: code}
}

// token returns the next token, io.EOF at a clean end, and a coded error
// otherwise: a DTD, nesting too deep, or malformed XML (which includes a
// stream that stops with elements still open).
func (x *xmlReader) token() (xml.Token, error) {
	tok, err := x.d.Token()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		if e := (*Error)(nil); errors.As(err, &e) {
			return nil, e
		}
		return nil, fail(CodeCorrupt, err, "part", x.part)
	}
	switch tok.(type) {
	case xml.StartElement:
		if x.depth++; x.depth > maxXMLDepth {
			return nil, fail(CodeCorrupt, errors.New("XML nested too deep"), "part", x.part)
		}
		if x.left--; x.left < 0 {
			return nil, fail(x.code, errors.New("too many XML elements"), "part", x.part, "max", x.max)
		}
	case xml.EndElement:
		x.depth--
	case xml.Directive:
		return nil, fail(CodeDTD, nil, "part", x.part)
	}
	return tok, nil
}

// skip consumes the element whose start was just read. It is
// xml.Decoder.Skip with the depth bound.
func (x *xmlReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := x.token()
		if err == io.EOF {
			return fail(CodeCorrupt, io.ErrUnexpectedEOF, "part", x.part)
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// text appends to buf the text of the element whose start was just read:
// its own character data (<v>), or, for a rich-text container (<si>,
// <is>), the <t> runs inside it, leaving out phonetic guides (<rPh>),
// which Excel keeps beside the text rather than in it. Appending stops
// once buf passes limit; the caller sees the length and refuses.
func (x *xmlReader) text(buf []byte, rich bool, limit int) ([]byte, error) {
	inT, rph := 0, 0
	for depth := 1; depth > 0; {
		tok, err := x.token()
		if err == io.EOF {
			return nil, fail(CodeCorrupt, io.ErrUnexpectedEOF, "part", x.part)
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "t":
				inT++
			case "rPh":
				rph++
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inT--
			case "rPh":
				rph--
			}
		case xml.CharData:
			if (rich && inT > 0 && rph == 0 || !rich && depth == 1) && len(buf) <= limit {
				buf = append(buf, t...)
			}
		}
	}
	return buf, nil
}

// attr returns the value of the attribute with this local name.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
