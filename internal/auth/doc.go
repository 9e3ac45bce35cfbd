// Package auth holds the credential rules of gongjian as pure functions and
// small value types: argon2id password hashing, the password policy (with an
// MLPS level 3 profile), TOTP as the second factor, random session and API
// tokens stored only as hashes, and the lockout and throttling rules for
// failed logins.
//
// Nothing here touches the database or the clock: the store records
// attempts, tokens and hashes, and the service passes "now" from the
// injected clock. That keeps every rule testable with plain values and lets
// the same rules serve the web UI, the API and the CLI.
//
// Errors meant for users are *domain.Error values whose MsgIDs live in
// internal/i18n/locales/auth.*.toml.
package auth

import "gongjian/internal/domain"

// Sentinel errors for the login flow. The service returns ErrBadCredentials
// both for an unknown account and for a wrong password, with the same
// timing (see DummyVerify), so that a login form reveals no account names
// (ASVS 6.3.8).
var (
	ErrBadCredentials = &domain.Error{Code: domain.CodeUnauthorized, MsgID: "auth.bad_credentials"}
	ErrTOTPInvalid    = &domain.Error{Code: domain.CodeUnauthorized, MsgID: "auth.totp.invalid"}
)
