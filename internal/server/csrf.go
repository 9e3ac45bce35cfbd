package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"gongjian/internal/seal"
)

// CSRF defence has two layers. First http.CrossOriginProtection refuses
// non-safe requests that the browser marks as cross-site (Sec-Fetch-Site,
// or an Origin that differs from Host). Second, a synchronizer token:
//
//   - signed in, the token is base64url(MAC(PurposeCSRF, session token
//     hash)): tied to the session, nothing to store, and it changes when
//     the session token does (at sign-in and after the second factor);
//   - before sign-in (the login form, the language switch) it is a random
//     double-submit cookie, HttpOnly and SameSite=Strict, that the form
//     repeats in its hidden field.
//
// The token comes in the form field "csrf" or the X-CSRF-Token header (htmx
// and the API). API requests with a bearer token skip both layers: no
// browser sends that header on its own.

const csrfBytes = 32

// sessionCSRF is the token of a signed-in session.
func (s *server) sessionCSRF(tokenHash []byte) string {
	return base64.RawURLEncoding.EncodeToString(s.o.Keys.MAC(seal.PurposeCSRF, tokenHash))
}

// newCSRF makes a random double-submit token.
func newCSRF() string {
	b := make([]byte, csrfBytes)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// wellFormedCSRF reports whether a cookie value looks like newCSRF's.
func wellFormedCSRF(v string) bool {
	if len(v) != base64.RawURLEncoding.EncodedLen(csrfBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}

// submittedCSRF is the token a request carries.
func submittedCSRF(r *http.Request) string {
	if h := r.Header.Get("X-CSRF-Token"); h != "" {
		return h
	}
	return r.PostFormValue("csrf")
}

// tokenMatches compares in constant time; an empty expectation never
// matches.
func tokenMatches(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
