package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/store"
)

func TestJSONErrorNamesTheField(t *testing.T) {
	type in struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	for body, want := range map[string]struct{ field, msg string }{
		`{"nmae":"x"}`:   {"nmae", "web.api.unknown_field"},
		`{"count":"x"}`:  {"count", "web.api.wrong_type"},
		`{"name":`:       {"", "web.api.bad_json"},
		``:               {"", "web.api.empty_body"},
		`[1,2]`:          {"", "web.api.bad_json"},
		`{"name":"a"} x`: {"", "web.api.bad_json"},
	} {
		h := &Handler{b: mustBundle(t), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		r := httptest.NewRequest(http.MethodPost, "/api/v1/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json; charset=utf-8")
		w := httptest.NewRecorder()
		var v in
		if h.decode(w, r, &v) {
			t.Errorf("%q decoded", body)
			continue
		}
		if w.Code != http.StatusBadRequest {
			t.Errorf("%q: status %d", body, w.Code)
		}
		var e errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.Error.Field != want.field || e.Error.Code != "invalid" || e.Error.Message == want.msg || e.Error.Message == "" {
			t.Errorf("%q: %+v, want field %q", body, e.Error, want.field)
		}
	}
}

func TestDecodeNeedsJSON(t *testing.T) {
	h := &Handler{b: mustBundle(t), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := httptest.NewRequest(http.MethodPost, "/api/v1/x", strings.NewReader(`name=x`))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	var v struct{}
	if h.decode(w, r, &v) || w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("form body: status %d", w.Code)
	}
}

func mustBundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStatusOf(t *testing.T) {
	for code, want := range map[domain.Code]int{
		domain.CodeInvalid: 400, domain.CodeRule: 422, domain.CodeUnauthorized: 401, domain.CodeForbidden: 403,
		domain.CodeNotFound: 404, domain.CodeConflict: 409, domain.CodeLocked: 429, domain.CodeUnavailable: 503,
		domain.CodeInternal: 500,
	} {
		if got := StatusOf(code); got != want {
			t.Errorf("StatusOf(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestInternalErrorsStayGeneric(t *testing.T) {
	h := &Handler{b: mustBundle(t), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
	r.Header.Set("Accept-Language", "en")
	h.Fail(w, r, nil, io.ErrUnexpectedEOF)
	if w.Code != 500 || strings.Contains(w.Body.String(), "EOF") || !strings.Contains(w.Body.String(), `"code":"internal"`) {
		t.Errorf("internal error: %d %s", w.Code, w.Body)
	}
}

func TestPermissions(t *testing.T) {
	a := &authz.Actor{AccountID: 1, Grants: []domain.Grant{{Role: authz.RoleAuditor}}}
	got := strings.Join(permissions(a), ",")
	if got != "account:read,audit:export,audit:read,audit:verify,self:manage" {
		t.Errorf("permissions = %s", got)
	}
}

func TestAuditDetailIsJSON(t *testing.T) {
	for detail, want := range map[string]string{`{"a":1}`: `{"a":1}`, `not json`: `"not json"`} {
		b, _ := json.Marshal(toAudit(store.AuditEntry{Detail: detail}))
		if !strings.Contains(string(b), `"detail":`+want) {
			t.Errorf("detail %q → %s", detail, b)
		}
	}
}

func TestThrottledAnswerSaysWhenToRetry(t *testing.T) {
	h := &Handler{b: mustBundle(t), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/persons", nil)
	r.Header.Set("Accept-Language", "en")
	h.Fail(w, r, nil, &domain.Error{Code: domain.CodeLocked, MsgID: "throttle.search", Args: map[string]any{"Seconds": 7}})
	if w.Code != 429 || w.Header().Get("Retry-After") != "7" || !strings.Contains(w.Body.String(), "try again in 7 seconds") {
		t.Errorf("throttled: %d %v %s", w.Code, w.Header(), w.Body)
	}
}
