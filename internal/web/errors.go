package web

import (
	"net/http"

	"gongjian/internal/domain"
	"gongjian/internal/i18n"
)

// errorData is the error page's own data.
type errorData struct {
	Status  int
	Message string
}

// Error shows the friendly error page with status and the message key.
// The server calls it for refused CSRF checks, unknown routes and panics.
func (h *Handler) Error(w http.ResponseWriter, r *http.Request, status int, key string) {
	v := h.visit(r)
	h.errorPage(w, r, status, v.L.T(key))
}

func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	h.renderAt(w, r, "/", status, "error", "error.title", errorData{Status: status, Message: message})
}

// fail shows the page for an error a service call returned, with the
// status its code maps to. Internal errors are logged with their cause and
// shown only as the generic message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := domain.AsError(err)
	status := StatusOf(e.Code)
	if status >= 500 {
		h.log.Error("web: request failed", "path", r.URL.Path, "err", err)
	}
	h.errorPage(w, r, status, h.visit(r).L.Err(err))
}

// StatusOf maps an error code to the HTTP status of a page. Invalid input
// is 422 on pages (the form comes back with its errors; htmx swaps 422 in),
// where the API says 400.
func StatusOf(c domain.Code) int {
	switch c {
	case domain.CodeInvalid, domain.CodeRule:
		return http.StatusUnprocessableEntity
	case domain.CodeNotFound:
		return http.StatusNotFound
	case domain.CodeConflict:
		return http.StatusConflict
	case domain.CodeUnauthorized:
		return http.StatusUnauthorized
	case domain.CodeForbidden:
		return http.StatusForbidden
	case domain.CodeLocked:
		return http.StatusTooManyRequests
	case domain.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// formError reports whether err belongs on the form that caused it (the
// input or a rule was wrong) rather than on an error page.
func formError(err error) bool {
	switch domain.CodeOf(err) {
	case domain.CodeInvalid, domain.CodeRule, domain.CodeConflict, domain.CodeLocked:
		return true
	}
	return false
}

// Form is a submitted form with its errors, for rendering it again.
type Form struct {
	Values map[string]string
	Errors map[string]string // field name → message
	Error  string            // a message for the whole form
}

// newForm copies the named fields of the posted form.
func newForm(r *http.Request, fields ...string) *Form {
	f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range fields {
		f.Values[k] = r.PostFormValue(k)
	}
	return f
}

// Get returns a field's value.
func (f *Form) Get(k string) string {
	if f == nil {
		return ""
	}
	return f.Values[k]
}

// Err returns a field's error message.
func (f *Form) Err(k string) string {
	if f == nil {
		return ""
	}
	return f.Errors[k]
}

// Fail places err's message beside its field when the form shows that
// field, otherwise above the form.
func (f *Form) Fail(l *i18n.Localizer, err error, fields ...string) {
	msg := l.Err(err)
	field := domain.AsError(err).Field
	for _, k := range fields {
		if k == field {
			f.Errors[k] = msg
			return
		}
	}
	f.Error = msg
}

// Invalid reports whether any error was recorded.
func (f *Form) Invalid() bool { return f.Error != "" || len(f.Errors) > 0 }
