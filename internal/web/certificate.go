package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"strconv"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The activity certificate as a printable page (A6 or a phone screen; the
// print stylesheet drops the frame), for officials at
// /people/{id}/certificate — with the issue/renew form for the home side —
// and for the member at /me/certificate. Its QR code holds the absolute
// address of the verify page with the signed token, drawn here as a PNG in
// a data: URI (the CSP allows img-src data:), so no script and no second
// request are needed. The verify page (/verify/c/{token}) is open to
// anyone and shows the verdict with the member masked.

// certificateFields are the issue form's fields.
var certificateFields = []string{"number", "valid_from", "valid_to", "version"}

type certificateData struct {
	C         service.Certificate
	P         personRow
	QR        template.URL // the QR code as a data: URI; empty without a certificate
	VerifyURL string
	Form      *Form // the issue form, for those who may issue
	Own       bool  // the member's own certificate
	Today     domain.Date
}

// verifyPath is where a certificate's token is checked.
func verifyPath(token string) string { return "/verify/c/" + token }

// absoluteURL is path on the site the request came to: the QR code is read
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

// certificatePage fills the page data around a certificate.
func (h *Handler) certificatePage(r *http.Request, c service.Certificate, f *Form) (certificateData, error) {
	d := certificateData{C: c, P: personRow{c.Person}, Form: f, Today: h.svc.Today()}
	if c.Token != "" {
		d.VerifyURL = h.absoluteURL(r, verifyPath(c.Token))
		img, err := qrImage(d.VerifyURL)
		if err != nil {
			return d, err
		}
		d.QR = img
	}
	if d.Form == nil && c.CanIssue {
		d.Form = certificateForm(c, h.svc.Today())
	}
	return d, nil
}

// certificateForm starts a renewal where the last certificate ends, or a
// first issue today, for the longest validity the policy allows.
func certificateForm(c service.Certificate, today domain.Date) *Form {
	f := blankForm()
	from := today
	if m := c.Person.Membership; m != nil {
		f.Values["number"] = m.CertificateNo
		f.Values["version"] = strconv.FormatInt(m.Version, 10)
		if !m.CertificateTo.IsZero() && m.CertificateTo.After(today) {
			from = m.CertificateTo.AddDays(1)
		}
	}
	f.Values["valid_from"], f.Values["valid_to"] = from.String(), from.AddMonths(c.Policy.MaxMonths).AddDays(-1).String()
	return f
}

func (h *Handler) personCertificate(w http.ResponseWriter, r *http.Request) {
	h.showPersonCertificate(w, r, http.StatusOK, nil)
}

func (h *Handler) showPersonCertificate(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.svc.Certificate(r.Context(), h.principal(r).Actor, domain.PersonID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.certificatePage(r, c, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAt(w, r, personURL(c.Person.ID)+"/certificate", status, "certificate", "web.cert.title", d)
}

// issueCertificate issues or renews the certificate from the form; a
// refusal comes back on the certificate page with what was typed.
func (h *Handler) issueCertificate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, certificateFields...)
	p := &formReader{f: f}
	in := service.NewCertificate{Number: f.Get("number"), From: p.date("valid_from"), To: p.date("valid_to"), Version: p.version("version")}
	err = p.err
	if err == nil {
		err = h.svc.IssueCertificate(r.Context(), v.Principal.Actor, domain.PersonID(id), in)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "number", "valid_from", "valid_to")
		h.showPersonCertificate(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "web.cert.issued")
	redirect(w, r, personURL(domain.PersonID(id))+"/certificate")
}

// ownCertificate is the member's own certificate, for showing on the
// phone or printing.
func (h *Handler) ownCertificate(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.OwnCertificate(r.Context(), h.principal(r).Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.certificatePage(r, c, nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Own = true
	h.render(w, r, http.StatusOK, "certificate", "web.cert.title", d)
}

type verifyData struct {
	Check service.CertificateCheck
}

// StateKey is the catalogue key of the verdict.
func (d verifyData) StateKey() string { return "web.verify.state." + string(d.Check.State) }

// verifyCertificate shows the verdict on a certificate's token to anyone.
// A forged or damaged token gets the verdict and nothing else.
func (h *Handler) verifyCertificate(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.VerifyCertificate(r.Context(), r.PathValue("token"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if c.State == service.CertForged {
		status = http.StatusNotFound
	}
	// The address holds a token and no personal data, so the language
	// switch may come back to it.
	h.render(w, r, status, "verify", "web.verify.title", verifyData{Check: c})
}
