package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		clear, hash := NewToken()
		raw, err := base64.RawURLEncoding.DecodeString(clear)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q: %d bytes, %v; want 32 base64url bytes", clear, len(raw), err)
		}
		if want := sha256.Sum256([]byte(clear)); !bytes.Equal(hash, want[:]) || !bytes.Equal(HashToken(clear), hash) {
			t.Fatalf("hash of %q is not its SHA-256", clear)
		}
		if seen[clear] {
			t.Fatal("duplicate token")
		}
		seen[clear] = true
	}
}

func TestAPIToken(t *testing.T) {
	clear, hash := NewAPIToken()
	if !strings.HasPrefix(clear, "gjt_") || !IsAPIToken(clear) {
		t.Errorf("API token %q lacks the gjt_ shape", clear)
	}
	if !bytes.Equal(hash, HashToken(clear)) {
		t.Error("API token hash does not cover the prefix")
	}
	session, _ := NewToken()
	for _, s := range []string{session, "gjt_", "gjt_short", "gjt_" + strings.Repeat("!", 43), "GJT_" + session} {
		if IsAPIToken(s) {
			t.Errorf("IsAPIToken(%q) = true", s)
		}
	}
}
