package service

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/binary"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/seal"
	"gongjian/internal/store"
)

// The token a certificate's QR code carries: the person's id, the
// certificate number and its last valid day — nothing that names the
// member — signed with the keyring's QR key. Anyone may check it (the
// verify page needs no sign-in); the answer shows the member only masked.
//
// Layout, base64url without padding: a version byte, the person id and
// the expiry (days since 1970-01-01) as uvarints, the number's bytes, then
// the first 16 bytes of MAC(PurposeQR, "certificate", everything before).
// 128 bits of HMAC are plenty against forgery and keep the code small
// enough to scan from a phone screen.

const (
	certTokenVersion = 1
	certMACLen       = 16
)

// CertificateState is the verdict on a presented certificate.
type CertificateState string

// The verdicts.
const (
	CertValid    CertificateState = "valid"
	CertExpired  CertificateState = "expired"
	CertReplaced CertificateState = "replaced" // the member's certificate is now another (number or validity changed)
	CertForged   CertificateState = "forged"   // the token is not one this server signed, or is damaged
)

// CertificateCheck is what the verify page shows. For a forged token only
// State is set.
type CertificateCheck struct {
	State     CertificateState
	Number    string // the number the token carries
	ValidFrom domain.Date
	ValidTo   domain.Date
	Name      string        // masked: 张*伟
	IDNumber  domain.Masked // as stored, masked
	HomeOrg   string
	MobileOrg string
}

// certificateToken signs the token for one certificate.
func (s *Service) certificateToken(id domain.PersonID, no string, to domain.Date) string {
	b := []byte{certTokenVersion}
	b = binary.AppendUvarint(b, uint64(id))
	b = binary.AppendUvarint(b, uint64(to.Time().Unix()/86400))
	b = append(b, no...)
	mac := s.cfg.Keys.MAC(seal.PurposeQR, []byte("certificate"), b)
	return base64.RawURLEncoding.EncodeToString(append(b, mac[:certMACLen]...))
}

// parseCertificateToken checks the signature and reads the token; ok is
// false for anything this server did not sign.
func (s *Service) parseCertificateToken(token string) (id domain.PersonID, no string, to domain.Date, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 1+1+1+certMACLen || raw[0] != certTokenVersion {
		return 0, "", to, false
	}
	body, mac := raw[:len(raw)-certMACLen], raw[len(raw)-certMACLen:]
	want := s.cfg.Keys.MAC(seal.PurposeQR, []byte("certificate"), body)
	if !hmac.Equal(mac, want[:certMACLen]) {
		return 0, "", to, false
	}
	rest := body[1:]
	pid, n := binary.Uvarint(rest)
	if n <= 0 {
		return 0, "", to, false
	}
	rest = rest[n:]
	days, n := binary.Uvarint(rest)
	if n <= 0 || days > 1<<20 {
		return 0, "", to, false
	}
	to = domain.DateIn(time.Unix(int64(days)*86400, 0), time.UTC)
	return domain.PersonID(pid), string(rest[n:]), to, true
}

// VerifyCertificate checks a certificate's token for anyone, signed in or
// not. It reads nothing for a token that does not verify, and shows the
// member only masked.
func (s *Service) VerifyCertificate(ctx context.Context, token string) (CertificateCheck, error) {
	id, no, to, ok := s.parseCertificateToken(token)
	if !ok {
		return CertificateCheck{State: CertForged}, nil
	}
	p, err := store.PersonByID(ctx, s.db.Read(), id)
	if domain.CodeOf(err) == domain.CodeNotFound || (err == nil && p.Membership == nil) {
		// A signed token for a record that is gone: it was ours once.
		return CertificateCheck{State: CertReplaced, Number: no, ValidTo: to}, nil
	}
	if err != nil {
		return CertificateCheck{}, err
	}
	m := p.Membership
	c := CertificateCheck{State: CertValid, Number: no, ValidTo: to, Name: domain.MaskName(p.Name), IDNumber: p.IDNumber,
		HomeOrg: m.HomeOrgName, MobileOrg: m.MobileOrgName}
	switch {
	case m.CertificateNo != no || m.CertificateTo.String() != to.String():
		c.State = CertReplaced
	case to.Before(s.Today()):
		c.State, c.ValidFrom = CertExpired, m.CertificateFrom
	default:
		c.ValidFrom = m.CertificateFrom
	}
	return c, nil
}
