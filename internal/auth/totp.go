package auth

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/text/unicode/norm"
)

// TOTP follows RFC 6238 with the parameters every authenticator app
// supports: HMAC-SHA1, 6 digits, 30-second steps. Stronger choices (SHA-256,
// 8 digits) are ignored by some popular apps, which then show wrong codes.
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	totpSkew   = 1 // steps accepted either side of now, for phone clock drift
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}

// NewTOTPKey makes a random 160-bit secret (RFC 4226's recommendation) and
// the otpauth:// URL to show as a QR code. The caller stores secret sealed
// (internal/seal) and only after the user has entered one valid code.
func NewTOTPKey(issuer, account string) (secret string, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		SecretSize:  20,
		Digits:      totpDigits,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", fmt.Errorf("auth: new TOTP key: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// CheckTOTP checks code against secret at now, accepting one step of clock
// skew either way. A step at or before lastStep (the step of the last code
// accepted for this account, 0 for none) is refused, so a code seen over a
// shoulder or in a proxy log cannot be replayed. On success it returns the
// step to store as the new lastStep. Spaces and full-width digits in code
// are tolerated, since people paste "123 456".
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Join(strings.Fields(norm.NFKC.String(code)), "")
	if len(code) != totpDigits.Length() || strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	// Compute every candidate, without an early return, so the time taken
	// says nothing about which step matched.
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false // a malformed secret: a bug, never a login
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > lastStep && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

// TOTPQRPNG renders the otpauth:// URL from NewTOTPKey as a size×size PNG,
// for the enrolment page. size is clamped to 128..1024 pixels.
func TOTPQRPNG(url string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, fmt.Errorf("auth: TOTP QR: %w", err)
	}
	size = min(max(size, 128), 1024)
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("auth: TOTP QR: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("auth: TOTP QR: %w", err)
	}
	return buf.Bytes(), nil
}
