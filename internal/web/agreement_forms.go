package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Drafting an agreement and the steps of its life: sign, attach the
// signed document, renew, terminate. The parties' rules (the mobile
// organizations under the origin, active host organizations, no
// capability granted twice over the same period) are the service's; the
// form only offers sensible choices.

var agreementFields = []string{"title", "origin", "valid_from", "valid_to", "folded", "sits_in"}

// agreementFieldNames are the fields a refusal may name on the draft form.
var agreementFieldNames = []string{"title", "origin", "mobile", "host", "capabilities", "valid_from", "valid_to"}

type agreementNewData struct {
	Form    *Form
	Checked map[string]bool // "mobile:12", "host:5", "cap:attendance"
	Origins []domain.Org
	Mobile  []domain.Org
	Hosts   []domain.Org
	Caps    []domain.Capability
}

// Ticked reports whether a checkbox of the form was checked.
func (d agreementNewData) Ticked(kind string, v any) bool {
	switch x := v.(type) {
	case domain.OrgID:
		return d.Checked[kind+":"+strconv.FormatInt(int64(x), 10)]
	case domain.Capability:
		return d.Checked[kind+":"+string(x)]
	}
	return false
}

func (h *Handler) agreementNew(w http.ResponseWriter, r *http.Request) {
	today := h.svc.Today()
	f := blankForm()
	f.Values["valid_from"] = today.String()
	f.Values["valid_to"] = today.AddYears(2).AddDays(-1).String()
	h.showAgreementNew(w, r, http.StatusOK, f, map[string]bool{})
}

// showAgreementNew renders the draft form. Origins are the origin
// organizations the actor may sign for that have mobile organizations
// under them; the mobile choices are those organizations' mobile
// subtrees; hosts are the active host organizations the actor sees.
func (h *Handler) showAgreementNew(w http.ResponseWriter, r *http.Request, status int, f *Form, checked map[string]bool) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !canSomewhere(a, authz.AgreementWrite) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	d, err := h.agreementChoices(ctx, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Form, d.Checked = f, checked
	if f.Get("origin") == "" && len(d.Origins) > 0 {
		f.Values["origin"] = strconv.FormatInt(int64(d.Origins[0].ID), 10)
	}
	h.renderAt(w, r, "/agreements/new", status, "agreement_new", "web.agreement.new_title", d)
}

func (h *Handler) agreementChoices(ctx context.Context, a *authz.Actor) (agreementNewData, error) {
	d := agreementNewData{Caps: domain.Capabilities()}
	active := domain.StatusActive
	origins, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: domain.SideOrigin, Status: active})
	if err != nil {
		return d, err
	}
	mobile, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: domain.SideMobile, Status: active})
	if err != nil {
		return d, err
	}
	for _, o := range origins {
		if !a.CanAt(authz.AgreementWrite, orgTarget(o)).Allowed {
			continue
		}
		under := false
		for _, m := range mobile {
			if strings.HasPrefix(m.Path, o.Path) {
				under = true
				if !containsOrg(d.Mobile, m.ID) {
					d.Mobile = append(d.Mobile, m)
				}
			}
		}
		if under {
			d.Origins = append(d.Origins, o)
		}
	}
	d.Hosts, err = h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: domain.SideHost, Status: active})
	return d, err
}

func containsOrg(list []domain.Org, id domain.OrgID) bool {
	for _, o := range list {
		if o.ID == id {
			return true
		}
	}
	return false
}

// createAgreement records the draft and shows its page.
func (h *Handler) createAgreement(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, agreementFields...)
	checked := map[string]bool{}
	for _, k := range []string{"mobile", "host", "cap"} {
		for _, val := range r.PostForm[k] {
			checked[k+":"+val] = true
		}
	}
	id, err := h.draftFrom(r, f)
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, agreementFieldNames...)
		h.showAgreementNew(w, r, StatusOf(domain.CodeOf(err)), f, checked)
		return
	}
	h.flash(w, "web.agreement.flash.drafted")
	redirect(w, r, agreementURL(id))
}

func (h *Handler) draftFrom(r *http.Request, f *Form) (domain.AgreementID, error) {
	p := &formReader{f: f}
	in := service.NewAgreement{Title: f.Get("title"), ValidFrom: p.date("valid_from"), ValidTo: p.date("valid_to"),
		Folded: f.Get("folded") != "", SitsIn: f.Get("sits_in") != ""}
	origin, err := strconv.ParseInt(f.Get("origin"), 10, 64)
	if err != nil {
		p.fail("origin", "agreement.origin_invalid")
	}
	in.OriginID = domain.OrgID(origin)
	var ok bool
	if in.MobileIDs, ok = checkedIDs(r, "mobile"); !ok {
		p.fail("mobile", "agreement.mobile_required")
	}
	if in.HostIDs, ok = checkedIDs(r, "host"); !ok {
		p.fail("host", "agreement.host_required")
	}
	for _, c := range r.PostForm["cap"] {
		in.Capabilities = append(in.Capabilities, domain.Capability(c))
	}
	if p.err != nil {
		return 0, p.err
	}
	return h.svc.DraftAgreement(r.Context(), h.principal(r).Actor, in)
}

// agreementAction runs one step of the agreement in the path, like
// orgAction does for organizations.
func (h *Handler) agreementAction(w http.ResponseWriter, r *http.Request, fields []string, slot func(*agreementForms, *Form), flash string,
	do func(id domain.AgreementID, f *Form) (next string, err error)) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, fields...)
	next, err := do(domain.AgreementID(id), f)
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, append(fields, "document")...)
		forms := agreementForms{failed: f, refused: v.L.Err(err)}
		slot(&forms, f)
		h.showAgreement(w, r, StatusOf(domain.CodeOf(err)), forms)
		return
	}
	h.flash(w, flash)
	redirect(w, r, next)
}

func (h *Handler) signAgreement(w http.ResponseWriter, r *http.Request) {
	h.agreementAction(w, r, []string{"signed_on", "version"}, func(fs *agreementForms, f *Form) { fs.Sign = f }, "web.agreement.flash.signed",
		func(id domain.AgreementID, f *Form) (string, error) {
			p := &formReader{f: f}
			on, version := p.date("signed_on"), p.version("version")
			if p.err != nil {
				return "", p.err
			}
			return agreementURL(id), h.svc.SignAgreement(r.Context(), h.principal(r).Actor, id, version, on)
		})
}

func (h *Handler) terminateAgreement(w http.ResponseWriter, r *http.Request) {
	h.agreementAction(w, r, []string{"on", "reason", "version"}, func(fs *agreementForms, f *Form) { fs.Terminate = f }, "web.agreement.flash.terminated",
		func(id domain.AgreementID, f *Form) (string, error) {
			p := &formReader{f: f}
			on, version := p.date("on"), p.version("version")
			if p.err != nil {
				return "", p.err
			}
			return agreementURL(id), h.svc.TerminateAgreement(r.Context(), h.principal(r).Actor, id, version, on, f.Get("reason"))
		})
}

// renewAgreement drafts the follow-on agreement and shows it.
func (h *Handler) renewAgreement(w http.ResponseWriter, r *http.Request) {
	h.agreementAction(w, r, []string{"valid_to"}, func(fs *agreementForms, f *Form) { fs.Renew = f }, "web.agreement.flash.renewed",
		func(id domain.AgreementID, f *Form) (string, error) {
			p := &formReader{f: f}
			to := p.date("valid_to")
			if p.err == nil && to.IsZero() {
				p.fail("valid_to", "agreement.validity_required")
			}
			if p.err != nil {
				return "", p.err
			}
			next, err := h.svc.RenewAgreement(r.Context(), h.principal(r).Actor, id, to)
			return agreementURL(next), err
		})
}

// maxUploadMemory is how much of an upload is held in memory; the rest of
// a (at most 20 MiB) document spills to a temporary file.
const maxUploadMemory = 4 << 20

// attachDocument stores the signed document. The body is capped a little
// above the document limit (room for the form's other parts), so a huge
// upload is cut off rather than read.
func (h *Handler) attachDocument(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, service.MaxDocumentBytes+1<<20)
	parseErr := r.ParseMultipartForm(maxUploadMemory)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	h.agreementAction(w, r, []string{"version"}, func(fs *agreementForms, f *Form) { fs.Attach = f }, "web.agreement.flash.attached",
		func(id domain.AgreementID, f *Form) (string, error) {
			var tooBig *http.MaxBytesError
			if errors.As(parseErr, &tooBig) {
				return "", domain.Invalid("document", "agreement.document_too_big", map[string]any{"MB": service.MaxDocumentBytes >> 20})
			}
			file, hdr, err := r.FormFile("document")
			if err != nil {
				return "", domain.Invalid("document", "web.agreement.document_required", nil)
			}
			defer file.Close()
			p := &formReader{f: f}
			version := p.version("version")
			if p.err != nil {
				return "", p.err
			}
			return agreementURL(id), h.svc.AttachDocument(r.Context(), h.principal(r).Actor, id, version, hdr.Filename, file)
		})
}
