package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// APITokenPrefix starts every API token. A recognisable prefix lets secret
// scanners and log filters spot a leaked token, and lets the server tell an
// API token from a session token before any lookup. It is part of the token:
// HashToken hashes the whole text, prefix included.
const APITokenPrefix = "gjt_"

// tokenBytes is 256 bits from the CSPRNG, twice ASVS 7.2.3's minimum.
const tokenBytes = 32

// NewToken returns a fresh random token as base64url text (43 characters,
// safe in cookies and headers) and its SHA-256 hash. Only the hash is
// stored, so a read of the sessions table yields no usable token; a plain
// hash suffices because 256 random bits cannot be guessed, unlike passwords.
func NewToken() (clear string, hash []byte) {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // never fails since Go 1.24
	clear = base64.RawURLEncoding.EncodeToString(b)
	return clear, HashToken(clear)
}

// NewAPIToken is NewToken with APITokenPrefix in front ("gjt_…").
func NewAPIToken() (clear string, hash []byte) {
	t, _ := NewToken()
	clear = APITokenPrefix + t
	return clear, HashToken(clear)
}

// HashToken returns the SHA-256 of the token text as presented, which is
// what the store looks up.
func HashToken(clear string) []byte {
	h := sha256.Sum256([]byte(clear))
	return h[:]
}

// IsAPIToken reports whether s has the shape of an API token: the prefix and
// 43 base64url characters. It says nothing about validity.
func IsAPIToken(s string) bool {
	rest, ok := strings.CutPrefix(s, APITokenPrefix)
	if !ok || len(rest) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}
