package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// QR codes drawn on the server as PNG data: URIs (the CSP allows img-src
// data:), so a page shows one without script or a second request. The
// member branch draws the activity certificate's code the same way; the
// two helpers are the same and belong in this one file.

// absoluteURL is path on the site the request came to: a QR code is read
// by another device, which needs the whole address.
func (h *Handler) absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil || h.cfg.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// qrImage draws text as a QR code, PNG in a data: URI.
func qrImage(text string) (template.URL, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	if code, err = barcode.Scale(code, 264, 264); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, code); err != nil {
		return "", err
	}
	// The bytes are our own PNG: safe as an image source.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}
