package seal

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm4"
)

var suites = []string{SuiteStd, SuiteGM}

func mustNew(t *testing.T, suiteID string) *Keyring {
	t.Helper()
	k, err := New(suiteID)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRoundTrip(t *testing.T) {
	for _, s := range suites {
		t.Run(s, func(t *testing.T) {
			k := mustNew(t, s)
			for _, plain := range [][]byte{nil, []byte("32072419900101123X"), bytes.Repeat([]byte("长"), 1000)} {
				tok, err := k.Seal(plain, []byte("person.id_number:42"))
				if err != nil {
					t.Fatal(err)
				}
				if want := "v1." + s + ".1."; !strings.HasPrefix(tok, want) {
					t.Errorf("token %q does not start with %q", tok, want)
				}
				if bytes.Contains([]byte(tok), plain) && len(plain) > 0 {
					t.Errorf("token holds the clear text")
				}
				got, err := k.Open(tok, []byte("person.id_number:42"))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, plain) {
					t.Errorf("Open = %q, want %q", got, plain)
				}
			}
		})
	}
}

func TestSealIsRandomised(t *testing.T) {
	k := mustNew(t, SuiteStd)
	a, _ := k.Seal([]byte("13800138000"), nil)
	b, _ := k.Seal([]byte("13800138000"), nil)
	if a == b {
		t.Error("two seals of one value are equal: the nonce is not fresh")
	}
}

func TestOpenRefuses(t *testing.T) {
	for _, s := range suites {
		t.Run(s, func(t *testing.T) {
			k := mustNew(t, s)
			aad := []byte("person.phone:7")
			tok, err := k.Seal([]byte("13800138000"), aad)
			if err != nil {
				t.Fatal(err)
			}
			head, body := tok[:strings.LastIndex(tok, ".")], tok[strings.LastIndex(tok, ".")+1:]
			raw, _ := base64.RawURLEncoding.DecodeString(body)
			flipped := bytes.Clone(raw)
			flipped[len(flipped)-1] ^= 1
			other := "std"
			if s == "std" {
				other = "gm"
			}
			cases := []struct {
				name  string
				token string
				aad   []byte
				want  error
			}{
				{"tampered body", head + "." + base64.RawURLEncoding.EncodeToString(flipped), aad, ErrAuth},
				{"wrong aad", tok, []byte("person.phone:8"), ErrAuth},
				{"missing aad", tok, nil, ErrAuth},
				{"truncated", head + "." + body[:10], aad, ErrMalformed},
				{"unknown key", "v1." + s + ".9." + body, aad, ErrUnknownKey},
				{"suite swapped", "v1." + other + ".1." + body, aad, ErrMalformed},
				{"non-canonical id", "v1." + s + ".01." + body, aad, ErrMalformed},
				{"bad version", "v2" + tok[2:], aad, ErrMalformed},
				{"bad base64", head + ".***", aad, ErrMalformed},
				{"empty", "", aad, ErrMalformed},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					if _, err := k.Open(c.token, c.aad); !errors.Is(err, c.want) {
						t.Errorf("Open error = %v, want %v", err, c.want)
					}
				})
			}
		})
	}
}

func TestOtherKeyringCannotOpen(t *testing.T) {
	a, b := mustNew(t, SuiteStd), mustNew(t, SuiteStd)
	tok, _ := a.Seal([]byte("x"), nil)
	if _, err := b.Open(tok, nil); !errors.Is(err, ErrAuth) {
		t.Errorf("foreign keyring opened the token: err = %v", err)
	}
}

func TestRotationKeepsOldTokensReadable(t *testing.T) {
	k := mustNew(t, SuiteStd)
	old, _ := k.Seal([]byte("old"), []byte("a"))
	idx := k.BlindIndex("phone", "13800138000")
	mac := k.MAC(PurposeAudit, []byte("entry 1"))
	if err := k.Rotate(SuiteGM); err != nil {
		t.Fatal(err)
	}
	if got := k.CurrentKeyID(); got != 2 {
		t.Errorf("CurrentKeyID = %d, want 2", got)
	}
	if got := k.Suite(); got != SuiteGM {
		t.Errorf("Suite = %q, want gm", got)
	}
	fresh, _ := k.Seal([]byte("new"), []byte("a"))
	if !strings.HasPrefix(fresh, "v1.gm.2.") {
		t.Errorf("token after rotation = %q, want v1.gm.2.…", fresh)
	}
	for tok, want := range map[string]string{old: "old", fresh: "new"} {
		got, err := k.Open(tok, []byte("a"))
		if err != nil || string(got) != want {
			t.Errorf("Open(%q) = %q, %v; want %q", tok, got, err, want)
		}
	}
	if !k.NeedsReseal(old) || k.NeedsReseal(fresh) {
		t.Error("NeedsReseal should be true for the old token only")
	}
	if !bytes.Equal(idx, k.BlindIndex("phone", "13800138000")) {
		t.Error("blind index changed with rotation")
	}
	if !k.VerifyMAC(PurposeAudit, mac, []byte("entry 1")) || k.MACKeyID() != 1 {
		t.Error("audit MAC changed with rotation")
	}
	if err := k.Rotate(""); err != nil || k.Suite() != SuiteGM || k.CurrentKeyID() != 3 {
		t.Errorf("Rotate(\"\") = %v, suite %q, id %d; want gm key 3", err, k.Suite(), k.CurrentKeyID())
	}
	if err := k.Rotate("des"); err == nil {
		t.Error("Rotate to an unknown suite succeeded")
	}
}

func TestBlindIndex(t *testing.T) {
	for _, s := range suites {
		k := mustNew(t, s)
		a := k.BlindIndex("id_number", "32072419900101123X")
		if len(a) != 32 {
			t.Errorf("%s: index is %d bytes, want 32", s, len(a))
		}
		if !bytes.Equal(a, k.BlindIndex("id_number", "32072419900101123X")) {
			t.Errorf("%s: index is not deterministic", s)
		}
		if bytes.Equal(a, k.BlindIndex("phone", "32072419900101123X")) {
			t.Errorf("%s: kinds are not separated", s)
		}
		if bytes.Equal(a, mustNew(t, s).BlindIndex("id_number", "32072419900101123X")) {
			t.Errorf("%s: index is not keyed", s)
		}
	}
}

func TestMACPurposesAndFraming(t *testing.T) {
	k := mustNew(t, SuiteGM)
	data := []byte("same data")
	seen := map[string]string{}
	for _, p := range []string{PurposeAudit, PurposeSession, PurposeCSRF, PurposeQR, "export-link"} {
		m := fmt.Sprintf("%x", k.MAC(p, data))
		if prev, dup := seen[m]; dup {
			t.Errorf("purposes %q and %q give the same MAC", prev, p)
		}
		seen[m] = p
		if !k.VerifyMAC(p, k.MAC(p, data), data) {
			t.Errorf("VerifyMAC(%q) refused its own MAC", p)
		}
	}
	if bytes.Equal(k.MAC(PurposeAudit, []byte("ab"), []byte("c")), k.MAC(PurposeAudit, []byte("a"), []byte("bc"))) {
		t.Error("MAC input is ambiguous across part boundaries")
	}
	if k.VerifyMAC(PurposeAudit, k.MAC(PurposeAudit, data), []byte("other")) {
		t.Error("VerifyMAC accepted a MAC over other data")
	}
	if _, err := k.MACWith(5, PurposeAudit, data); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("MACWith(unknown) error = %v", err)
	}
}

func TestStringRedacts(t *testing.T) {
	k := mustNew(t, SuiteStd)
	enc := k.keys[1].enc
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%+v", k), fmt.Sprintf("%#v", k)} {
		if strings.Contains(s, fmt.Sprint(enc)) || strings.Contains(s, base64.StdEncoding.EncodeToString(enc)) {
			t.Errorf("formatted keyring leaks key material: %s", s)
		}
	}
}

func TestTokenKey(t *testing.T) {
	k := mustNew(t, SuiteGM)
	tok, _ := k.Seal([]byte("x"), nil)
	s, id, err := TokenKey(tok)
	if s != SuiteGM || id != 1 || err != nil {
		t.Errorf("TokenKey = %q, %d, %v", s, id, err)
	}
}

// TestGMSuiteUsesNationalAlgorithms pins the gm suite to SM3 and SM4 with the
// standards' own examples, so a refactor cannot quietly swap in SHA-256/AES.
func TestGMSuiteUsesNationalAlgorithms(t *testing.T) {
	h := gmSuite{}.hash()()
	h.Write([]byte("abc"))
	if got := fmt.Sprintf("%x", h.Sum(nil)); got != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Errorf("gm hash(abc) = %s, not SM3 (GB/T 32905 example 1)", got)
	}
	key := []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10}
	b, err := sm4.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 16)
	b.Encrypt(out, key)
	if got := fmt.Sprintf("%x", out); got != "681edf34d206965e86b3e94f536e4246" {
		t.Errorf("SM4 example = %s (GB/T 32907 appendix A)", got)
	}
	if (gmSuite{}).encKeyLen() != 16 || (stdSuite{}).encKeyLen() != 32 {
		t.Error("key lengths: want SM4 128-bit and AES 256-bit")
	}
}
