package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"gongjian/internal/domain"
)

// MaxBody caps a request body; nothing the API accepts comes near it.
const MaxBody = 1 << 20

// decode reads one JSON object into v, refusing other media types, bodies
// over MaxBody, unknown fields (so a misspelt field is an error rather
// than silently ignored) and trailing data. On failure it has already
// answered and returns false.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		h.Error(w, r, nil, http.StatusUnsupportedMediaType, string(domain.CodeInvalid), "web.api.json_required")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		h.Error(w, r, nil, http.StatusRequestEntityTooLarge, string(domain.CodeInvalid), "web.api.too_large")
		return false
	}
	h.Fail(w, r, nil, jsonError(err))
	return false
}

// jsonError turns a decoding error into an invalid-input error that names
// the field at fault when there is one.
func jsonError(err error) *domain.Error {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return domain.Invalid("", "web.api.empty_body", nil)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return domain.Invalid(typeErr.Field, "web.api.wrong_type", map[string]any{"Field": typeErr.Field})
	}
	// encoding/json reports an unknown field only in its message:
	// `json: unknown field "name"`.
	if _, rest, ok := strings.Cut(err.Error(), "unknown field "); ok {
		field := strings.Trim(rest, `"`)
		return domain.Invalid(field, "web.api.unknown_field", map[string]any{"Field": field})
	}
	return domain.Invalid("", "web.api.bad_json", nil)
}
