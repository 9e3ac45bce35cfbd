package auth

import (
	"bytes"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// RFC 6238 appendix B's SHA1 seed "12345678901234567890", in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestCheckTOTPRFCVectors(t *testing.T) {
	// Appendix B gives 8 digits; 6-digit codes are their last six.
	for unix, code8 := range map[int64]string{59: "94287082", 1111111109: "07081804", 1234567890: "89005924", 2000000000: "69279037"} {
		now := time.Unix(unix, 0)
		step, ok := CheckTOTP(rfcSecret, code8[2:], now, 0)
		if !ok || step != unix/30 {
			t.Errorf("t=%d: CheckTOTP = %d, %v; want step %d", unix, step, ok, unix/30)
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	secret, _, err := NewTOTPKey("共建平台", "zhangsan")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 9, 0, 15, 0, time.UTC)
	cur := now.Unix() / 30
	code := func(step int64) string {
		c, err := totp.GenerateCode(secret, time.Unix(step*30, 0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cases := []struct {
		name     string
		code     string
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"current", code(cur), 0, cur, true},
		{"one step behind", code(cur - 1), 0, cur - 1, true},
		{"one step ahead", code(cur + 1), 0, cur + 1, true},
		{"two steps behind", code(cur - 2), 0, 0, false},
		{"two steps ahead", code(cur + 2), 0, 0, false},
		{"replay of the last step", code(cur), cur, 0, false},
		{"older than the last step", code(cur - 1), cur, 0, false},
		{"next step after the last", code(cur + 1), cur, cur + 1, true},
		{"spaces pasted", code(cur)[:3] + " " + code(cur)[3:], 0, cur, true},
		{"full-width digits", toFullWidth(code(cur)), 0, cur, true},
		{"too short", code(cur)[:5], 0, 0, false},
		{"letters", "12a456", 0, 0, false},
		{"empty", "", 0, 0, false},
	}
	for _, c := range cases {
		step, ok := CheckTOTP(secret, c.code, now, c.lastStep)
		if ok != c.wantOK || step != c.wantStep {
			t.Errorf("%s: CheckTOTP = %d, %v; want %d, %v", c.name, step, ok, c.wantStep, c.wantOK)
		}
	}
	if _, ok := CheckTOTP("not base32!", "123456", now, 0); ok {
		t.Error("malformed secret accepted a code")
	}
}

func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r - '0' + '０')
	}
	return b.String()
}

func TestNewTOTPKey(t *testing.T) {
	secret, raw, err := NewTOTPKey("共建平台", "zhangsan")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 32 { // 20 bytes in unpadded base32
		t.Errorf("secret %q: want 160 bits", secret)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("url %q: %v", raw, err)
	}
	q := u.Query()
	if q.Get("secret") != secret || q.Get("issuer") != "共建平台" || q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Errorf("url %q has unexpected parameters", raw)
	}
	if _, _, err := NewTOTPKey("", "x"); err == nil {
		t.Error("empty issuer accepted")
	}
	s2, _, _ := NewTOTPKey("共建平台", "zhangsan")
	if s2 == secret {
		t.Error("two keys share a secret")
	}
}

func TestTOTPQRPNG(t *testing.T) {
	_, raw, _ := NewTOTPKey("gongjian", "admin")
	data, err := TOTPQRPNG(raw, 200)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 200 {
		t.Errorf("image is %v, want 200×200", b)
	}
	if _, err := TOTPQRPNG("otpauth://totp/%zz", 200); err == nil {
		t.Error("bad URL accepted")
	}
}
