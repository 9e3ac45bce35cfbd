package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The roster import pages. Uploading a file previews it (nothing is
// written): the session, keyed by the file's SHA-256, lives in the
// service, so /import/{sha} shows it again after a reload, during the
// commit (which runs in the background, with its progress) and after it.
// The file, the preview's rejected rows and the error report are the
// uploader's own: another account gets "not found".

// MaxImportMB is the largest roster accepted, in MiB: the reader's own
// limit, which the server's body limit for POST /import leaves room for.
const MaxImportMB = 64

// importFields are the upload form's fields besides the file.
var importFields = []string{"origin_org", "mode"}

type importData struct {
	Form     *Form
	Origins  []domain.Org
	Sessions []service.ImportSession
	MaxMB    int
}

// Selected reports whether an organization is the form's default origin.
func (d importData) Selected(id domain.OrgID) bool {
	return d.Form.Get("origin_org") == strconv.FormatInt(int64(id), 10)
}

// importSessionData is one session's page.
type importSessionData struct {
	S service.ImportSession
	// CanClear offers the error report with clear values (sensitive:reveal).
	CanClear bool
}

// Active reports a commit still running: the page polls itself.
func (d importSessionData) Active() bool { return d.S.State == store.ImportCommitting }

// Percent is the commit's progress.
func (d importSessionData) Percent() int {
	if d.S.Total == 0 {
		return 0
	}
	return min(100, d.S.Done*100/d.S.Total)
}

// ToWrite is how many people the commit would write: new ones, and in
// update mode the updated ones.
func (d importSessionData) ToWrite() int {
	if d.S.Mode == service.ImportSkip {
		return d.S.Counts.New
	}
	return d.S.Counts.New + d.S.Counts.Updated
}

// ErrorText is the reason a session failed. The session keeps the
// message's ID only; a message that needs the figures it was given (a
// limit) falls back to the general one.
func (d importSessionData) ErrorText(l Localizer) string {
	if d.S.Error != "" && l.Has(d.S.Error) {
		if text := l.T(d.S.Error); text != d.S.Error {
			return text
		}
	}
	return l.T("web.import.failed")
}

// issueList is a table of rejected rows or warnings.
type issueList struct {
	L      Localizer
	Issues []service.ImportIssue
}

// List prepares a table of issues for the "issues" template.
func (importSessionData) List(l Localizer, is []service.ImportIssue) issueList {
	return issueList{L: l, Issues: is}
}

// FieldKey is the catalogue key of a field's name.
func (importSessionData) FieldKey(f string) string { return "import.field." + f }

// StateKey is the catalogue key of a session's state.
func (d importSessionData) StateKey() string { return "web.import.state_" + d.S.State }

// Kb is the file's size in KiB, at least 1.
func (d importSessionData) Kb() int64 { return max(1, d.S.Size>>10) }

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	h.showImportForm(w, r, http.StatusOK, blankForm())
}

func (h *Handler) showImportForm(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !canSomewhere(a, authz.PersonWrite) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	d := importData{Form: f, MaxMB: MaxImportMB}
	origins, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: domain.SideOrigin, Status: domain.StatusActive})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range origins {
		if a.CanAt(authz.PersonWrite, orgTarget(o)).Allowed {
			d.Origins = append(d.Origins, o)
		}
	}
	if f.Get("mode") == "" {
		f.Values["mode"] = string(service.ImportUpdate)
	}
	if d.Sessions, err = h.svc.ImportSessions(ctx, a, 10); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAt(w, r, "/import", status, "import", "web.import.title", d)
}

// importUpload previews the uploaded roster and shows its session. The
// server caps the body (MaxImportMB and room for the form); the
// multipart parser keeps what exceeds a few MiB in a temporary file,
// removed when the request ends.
func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	parseErr := r.ParseMultipartForm(maxUploadMemory)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	f := newForm(r, importFields...)
	opts := service.ImportOptions{Mode: service.ImportMode(f.Get("mode")), Stage: true,
		Explain: func(id string, args map[string]any) string { return v.L.T(id, args) }}
	if n, err := strconv.ParseInt(f.Get("origin_org"), 10, 64); err == nil && n > 0 {
		opts.Origin = domain.OrgID(n)
	}
	var tooBig *http.MaxBytesError
	if errors.As(parseErr, &tooBig) {
		f.Errors["file"] = v.L.T("import.roster.too_big", "MaxMB", MaxImportMB)
		h.showImportForm(w, r, http.StatusRequestEntityTooLarge, f)
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		f.Errors["file"] = v.L.T("web.import.file_required")
		h.showImportForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	defer file.Close()
	pv, err := h.svc.PreviewImport(r.Context(), v.Principal.Actor, hdr.Filename, file, hdr.Size, opts)
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "file", "origin_org")
		h.showImportForm(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	if d := pv.AlreadyDone; d != nil {
		h.flash(w, "web.import.flash.already", "At", d.At.In(shanghai).Format("2006-01-02 15:04"), "By", d.By)
	}
	redirect(w, r, "/import/"+pv.SHA256)
}

// importSHA is the session named in the path: 64 hex digits, or "".
func importSHA(r *http.Request) string {
	sha := r.PathValue("sha")
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return ""
	}
	return sha
}

func (h *Handler) importSession(w http.ResponseWriter, r *http.Request) {
	sha := importSHA(r)
	if sha == "" {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	a := h.principal(r).Actor
	s, err := h.svc.ImportSession(r.Context(), a, sha)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "import_session", "web.import.session_title",
		importSessionData{S: s, CanClear: canSomewhere(a, authz.SensitiveRead)})
}

// importCommit starts the commit and goes back to the session's page,
// which follows it.
func (h *Handler) importCommit(w http.ResponseWriter, r *http.Request) {
	sha := importSHA(r)
	if sha == "" {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	if err := h.svc.StartImportCommit(r.Context(), h.principal(r).Actor, sha); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		h.flash(w, domain.AsError(err).MsgID)
	} else {
		h.flash(w, "web.import.flash.started")
	}
	redirect(w, r, "/import/"+sha)
}

// importErrors downloads the error report: the rejected rows with their
// cells (ID numbers and phones masked; clear with ?clear=1, for the holder
// of sensitive:reveal, audited) and the reasons.
func (h *Handler) importErrors(w http.ResponseWriter, r *http.Request) {
	sha := importSHA(r)
	if sha == "" {
		h.fail(w, r, domain.ErrNotFound)
		return
	}
	data, err := h.svc.ImportReport(r.Context(), h.principal(r).Actor, sha, r.URL.Query().Get("clear") == "1")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := h.visit(r).L
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", attachment("import-errors-"+sha[:12]+".xlsx", l.T("web.import.report_filename", "SHA", sha[:12])+".xlsx"))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}
