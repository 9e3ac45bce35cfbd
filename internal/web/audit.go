package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/roster"
	"gongjian/internal/store"
)

const auditPageSize = 50

type auditRow struct {
	store.AuditEntry
	OutcomeKey, OutcomeClass string
}

type auditData struct {
	Form      *Form
	Rows      []auditRow
	OlderURL  string // "" on the last page
	ExportURL string
	FirstURL  string // back to the newest entries, when paging
}

// auditFields are the filter fields of the page, the export and the API.
var auditFields = []string{"actor", "action", "object_type", "object_id", "from", "to"}

func (h *Handler) audit(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	q := r.URL.Query()
	f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range auditFields {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	filter, ok := auditFilter(f, v.L.T)
	if before := q.Get("before"); before != "" {
		n, err := strconv.ParseInt(before, 10, 64)
		if err != nil || n <= 0 {
			f.Error, ok = v.L.T("error.bad_request"), false
		}
		filter.BeforeSeq = n
	}
	d := auditData{Form: f}
	keep := url.Values{}
	for _, k := range auditFields {
		if f.Values[k] != "" {
			keep.Set(k, f.Values[k])
		}
	}
	d.ExportURL = "/audit/export.xlsx?" + keep.Encode()
	if filter.BeforeSeq > 0 {
		d.FirstURL = "/audit?" + keep.Encode()
	}
	status := http.StatusOK
	if ok {
		filter.Limit = auditPageSize + 1
		entries, err := h.svc.ListAudit(r.Context(), v.Principal.Actor, filter)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(entries) > auditPageSize {
			entries = entries[:auditPageSize]
			older := url.Values{}
			for k, vs := range keep {
				older[k] = vs
			}
			older.Set("before", strconv.FormatInt(entries[len(entries)-1].Seq, 10))
			d.OlderURL = "/audit?" + older.Encode()
		}
		for _, e := range entries {
			d.Rows = append(d.Rows, auditRow{AuditEntry: e, OutcomeKey: outcomeKey(e.Outcome), OutcomeClass: outcomeClass(e.Outcome)})
		}
	} else {
		// The page itself is allowed (the service decides on the rows);
		// a malformed filter only shows its error above an empty list.
		if !v.Principal.Actor.Can(authz.AuditRead).Allowed {
			h.fail(w, r, domain.ErrForbidden)
			return
		}
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "audit", "audit.title", d)
}

// auditFilter turns the form's fields into a store filter, noting each bad
// field on f. Dates are Beijing dates; "to" includes its whole day (or
// minute, when a time is given).
func auditFilter(f *Form, t func(string, ...any) string) (store.AuditFilter, bool) {
	filter := store.AuditFilter{
		Actor: f.Get("actor"), Action: f.Get("action"),
		ObjectType: f.Get("object_type"), ObjectID: f.Get("object_id"),
	}
	var err error
	if filter.From, _, err = parseLocalTime(f.Get("from")); err != nil {
		f.Errors["from"] = t("web.audit.bad_time")
	}
	to, step, err := parseLocalTime(f.Get("to"))
	if err != nil {
		f.Errors["to"] = t("web.audit.bad_time")
	} else if !to.IsZero() {
		filter.To = to.Add(step)
	}
	return filter, !f.Invalid()
}

// parseLocalTime reads a date ("2026-11-29") or a date and time
// ("2026-11-29T09:30", as <input type="datetime-local"> sends it) in
// Beijing time. step is the length of the period named, so that an end
// bound can include it.
func parseLocalTime(s string) (time.Time, time.Duration, error) {
	if s == "" {
		return time.Time{}, 0, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, shanghai); err == nil {
		return t.UTC(), 24 * time.Hour, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, shanghai); err == nil {
			return t.UTC(), time.Minute, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), time.Second, nil
	}
	return time.Time{}, 0, fmt.Errorf("web: bad time %q", s)
}

func outcomeKey(o string) string {
	switch o {
	case "ok", "denied", "failed":
		return "audit.outcome_" + o
	}
	return o
}

func outcomeClass(o string) string {
	switch o {
	case "ok":
		return "badge-ok"
	case "denied":
		return "badge-danger"
	}
	return "badge-warn"
}

// auditExport streams the filtered log as an xlsx file. Nothing is
// written until the service has checked the permission and emitted every
// row, so a refusal still gets a proper error page.
func (h *Handler) auditExport(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	l := v.L
	q := r.URL.Query()
	f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range auditFields {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	filter, ok := auditFilter(f, l.T)
	if !ok {
		h.Error(w, r, http.StatusBadRequest, "web.audit.bad_time")
		return
	}
	header := []string{l.T("web.audit.seq"), l.T("web.audit.time_local"), l.T("audit.actor"), l.T("web.audit.actor_id"),
		l.T("audit.address"), l.T("audit.action"), l.T("web.audit.action_name"), l.T("web.audit.object_type"), l.T("web.audit.object_id"),
		l.T("audit.outcome"), l.T("web.audit.detail")}
	x, err := roster.NewXLSX(w, l.T("audit.title"), header)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, err = h.svc.ExportAudit(r.Context(), v.Principal.Actor, filter, func(e store.AuditEntry) error {
		return x.Row(strconv.FormatInt(e.Seq, 10), e.At.In(shanghai).Format("2006-01-02 15:04:05"), e.ActorName,
			strconv.FormatInt(e.ActorID, 10), e.Address, e.Action, actionName(l, e.Action), e.ObjectType, e.ObjectID, l.T(outcomeKey(e.Outcome)), e.Detail)
	})
	if err != nil {
		x.Abort()
		h.fail(w, r, err)
		return
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment("audit-log-"+stamp+".xlsx", l.T("web.audit.export_filename", "Stamp", stamp)+".xlsx"))
	if err := x.Close(); err != nil {
		// Headers are gone; the client sees a truncated download.
		h.log.Error("web: audit export", "err", err)
	}
}

// attachment builds an RFC 6266 Content-Disposition: an ASCII filename
// for old clients and the real (Chinese) one as RFC 5987 UTF-8.
func attachment(ascii, name string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + b.String()
}

// auditVerify walks the whole hash chain and reports the result on the
// audit page.
func (h *Handler) auditVerify(w http.ResponseWriter, r *http.Request) {
	brk, n, err := h.svc.VerifyAudit(r.Context(), h.principal(r).Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch {
	case brk == nil:
		h.flash(w, "audit.verify_ok", "Count", strconv.FormatInt(n, 10))
	case brk.Reason == "altered" || brk.Reason == "missing" || brk.Reason == "reordered" || brk.Reason == "truncated":
		h.flash(w, "web.audit.verify_"+brk.Reason, "Seq", strconv.FormatInt(brk.Seq, 10))
	default:
		h.flash(w, "audit.verify_broken", "Seq", strconv.FormatInt(brk.Seq, 10))
	}
	redirect(w, r, "/audit")
}

// actionName is the catalogue's name of an audit action, or empty for an
// action the catalogue does not name.
func actionName(l *i18n.Localizer, action string) string {
	if key := "audit.action." + action; l.Has(key) {
		return l.T(key)
	}
	return ""
}
