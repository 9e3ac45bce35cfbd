package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/i18n"
)

// errorBody is the one error shape of the API.
type errorBody struct {
	Error errorDTO `json:"error"`
}

type errorDTO struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

var errUnauthorized = domain.ErrUnauthorized

// StatusOf maps an error code to the API's HTTP status.
func StatusOf(c domain.Code) int {
	switch c {
	case domain.CodeInvalid:
		return http.StatusBadRequest
	case domain.CodeRule:
		return http.StatusUnprocessableEntity
	case domain.CodeUnauthorized:
		return http.StatusUnauthorized
	case domain.CodeForbidden:
		return http.StatusForbidden
	case domain.CodeNotFound:
		return http.StatusNotFound
	case domain.CodeConflict:
		return http.StatusConflict
	case domain.CodeLocked:
		return http.StatusTooManyRequests
	case domain.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Fail answers err in the error shape, localised with l (nil: the
// request's language). Internal errors are logged with their cause and
// shown only as the generic message.
func (h *Handler) Fail(w http.ResponseWriter, r *http.Request, l *i18n.Localizer, err error) {
	if l == nil {
		l = h.localizer(r)
	}
	e := domain.AsError(err)
	status := StatusOf(e.Code)
	if status >= 500 {
		h.log.Error("api: request failed", "path", r.URL.Path, "err", err)
	}
	if secs, ok := e.Args["Seconds"].(int); ok && e.Code == domain.CodeLocked {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	WriteError(w, status, string(e.Code), l.Err(err), e.Field)
}

// Error answers with a status, a code and the message key: for refusals
// the server makes before a handler runs (CSRF, MFA pending, no route).
func (h *Handler) Error(w http.ResponseWriter, r *http.Request, l *i18n.Localizer, status int, code, key string) {
	if l == nil {
		l = h.localizer(r)
	}
	WriteError(w, status, code, l.T(key), "")
}

// WriteError writes the error shape.
func WriteError(w http.ResponseWriter, status int, code, message, field string) {
	writeJSON(w, status, errorBody{Error: errorDTO{Code: code, Message: message, Field: field}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v == nil {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}
