package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies an Error so that every edge (HTML, JSON, CLI) maps it to
// the same status without parsing messages.
type Code string

// The error codes. Each maps to one HTTP status in the server.
const (
	CodeInvalid      Code = "invalid"        // malformed input: 400/422
	CodeNotFound     Code = "not_found"      // absent or out of scope: 404
	CodeConflict     Code = "conflict"       // duplicate or stale version: 409
	CodeUnauthorized Code = "unauthorized"   // no valid credentials: 401
	CodeForbidden    Code = "forbidden"      // authenticated but not allowed: 403
	CodeRule         Code = "rule_violation" // a domain rule refuses the action: 422
	CodeLocked       Code = "locked"         // account locked or client throttled: 429
	CodeUnavailable  Code = "unavailable"    // a dependency is down: 503
	CodeInternal     Code = "internal"       // a bug or an unexpected failure: 500
)

// Error is the one error type that carries meaning to users. MsgID names a
// message in the i18n catalogue; Args fill its template. Field names the
// input field (or column) at fault, when there is one. Err keeps the cause
// for logs and errors.Is, and is never shown to users.
type Error struct {
	Code  Code
	Field string
	MsgID string
	Args  map[string]any
	Err   error
}

// Error renders a stable, language-neutral text for logs and tests.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.MsgID != "" {
		b.WriteString(": ")
		b.WriteString(e.MsgID)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " [%s]", e.Field)
	}
	if len(e.Args) > 0 {
		keys := make([]string, 0, len(e.Args))
		for k := range e.Args {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%v", k, e.Args[k])
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) match any Error with the same code
// and message, so sentinels compare by meaning rather than by pointer.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t.MsgID == "" || t.MsgID == e.MsgID)
}

// Sentinels used across packages.
var (
	ErrNotFound     = &Error{Code: CodeNotFound, MsgID: "error.not_found"}
	ErrUnauthorized = &Error{Code: CodeUnauthorized, MsgID: "error.unauthorized"}
	ErrForbidden    = &Error{Code: CodeForbidden, MsgID: "error.forbidden"}
	ErrStale        = &Error{Code: CodeConflict, MsgID: "error.stale"}
)

// Invalid reports bad input in one field.
func Invalid(field, msgID string, args map[string]any) *Error {
	return &Error{Code: CodeInvalid, Field: field, MsgID: msgID, Args: args}
}

// Rule reports that a domain rule refuses the action.
func Rule(msgID string, args map[string]any) *Error {
	return &Error{Code: CodeRule, MsgID: msgID, Args: args}
}

// Conflict reports a duplicate or a concurrent change.
func Conflict(field, msgID string, args map[string]any) *Error {
	return &Error{Code: CodeConflict, Field: field, MsgID: msgID, Args: args}
}

// AsError returns the Error inside err, or an internal Error wrapping err.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, MsgID: "error.internal", Err: err}
}

// CodeOf returns the Code of err (CodeInternal for foreign errors, empty
// for nil).
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return AsError(err).Code
}
