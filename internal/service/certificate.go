package service

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// The mobile-member activity certificate (流动党员活动证, party-rules.md
// §2.3): numbered by the county organization department and issued by the
// outflow side, so only person:write at the member's home organization may
// issue or renew it. Each issue is a person event and an audit entry. The
// printed certificate carries a QR code whose token (certtoken.go) lets
// anyone check it without signing in.

// CertificatePolicy is the county's rule for certificate validity, kept as
// a setting so that it can change without a release.
type CertificatePolicy struct {
	MaxMonths int `json:"max_months"` // the longest validity, from the issue date
}

// DefaultCertificatePolicy is one year: the certificate is reviewed every
// year (年审).
func DefaultCertificatePolicy() CertificatePolicy { return CertificatePolicy{MaxMonths: 12} }

const certificatePolicyKey = "certificate_policy"

// CertificatePolicy returns the certificate rule in force.
func (s *Service) CertificatePolicy(ctx context.Context) (CertificatePolicy, error) {
	return loadSetting(ctx, s, certificatePolicyKey, DefaultCertificatePolicy())
}

// SetCertificatePolicy stores a new certificate rule (security officer's
// policies): a validity of one month to five years.
func (s *Service) SetCertificatePolicy(ctx context.Context, a *authz.Actor, p CertificatePolicy) error {
	if p.MaxMonths < 1 || p.MaxMonths > 60 {
		return domain.Invalid("max_months", "certificate.policy_invalid", map[string]any{"Max": 60})
	}
	old, err := s.CertificatePolicy(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.PolicyManage, "certificate_policy.set", certificatePolicyKey, old, p)
}

// certificateNumberRE is the number's shape: upper-case letters, digits
// and hyphens, 6 to 32 of them (GN-2026-00015, 320724202600015), so that
// it reads the same on paper, in a QR code and in a search.
var certificateNumberRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{4,30}[A-Z0-9]$`)

// NewCertificate is an issue or a renewal: the number and the validity.
// Version is the membership's version the form was read at (zero: the
// current one).
type NewCertificate struct {
	Number   string
	From, To domain.Date
	Version  int64
}

// check validates the input against the policy and returns the number in
// its stored form.
func (in NewCertificate) check(p CertificatePolicy) (string, error) {
	no := strings.ToUpper(strings.TrimSpace(in.Number))
	switch {
	case no == "":
		return "", domain.Invalid("number", "certificate.number_required", nil)
	case !certificateNumberRE.MatchString(no):
		return "", domain.Invalid("number", "certificate.number_format", map[string]any{"Value": no})
	case in.From.IsZero():
		return "", domain.Invalid("valid_from", "certificate.from_required", nil)
	case in.To.IsZero():
		return "", domain.Invalid("valid_to", "certificate.to_required", nil)
	case !in.To.After(in.From):
		return "", domain.Invalid("valid_to", "certificate.to_before_from", nil)
	}
	if latest := in.From.AddMonths(p.MaxMonths); in.To.After(latest) {
		return "", domain.Invalid("valid_to", "certificate.too_long", map[string]any{"Months": p.MaxMonths, "Latest": latest.String()})
	}
	return no, nil
}

// IssueCertificate issues or renews a member's activity certificate.
// Someone who cannot see the person gets not found; someone who can but
// does not answer for the home organization is refused (the outflow side
// issues it).
func (s *Service) IssueCertificate(ctx context.Context, a *authz.Actor, id domain.PersonID, in NewCertificate) error {
	policy, err := s.CertificatePolicy(ctx)
	if err != nil {
		return err
	}
	refused := false
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		p, err := s.personFor(ctx, tx, a, id, authz.PersonRead)
		if err != nil {
			return err
		}
		m := p.Membership
		if m == nil {
			return domain.Rule("certificate.not_member", nil)
		}
		if ok, err := s.mayIssue(ctx, tx, a, m); err != nil || !ok {
			refused = err == nil
			return certificateRefusal(err)
		}
		no, err := in.check(policy)
		if err != nil {
			return err
		}
		if other, err := store.CertificateHolder(ctx, tx, no, id); err != nil || other != 0 {
			return certificateTaken(err, no)
		}
		version := in.Version
		if version == 0 {
			version = m.Version
		}
		if err := store.SetCertificate(ctx, tx, id, version, no, in.From, in.To); err != nil {
			return err
		}
		before := map[string]any{"number": m.CertificateNo, "from": m.CertificateFrom, "to": m.CertificateTo}
		after := map[string]any{"number": no, "from": in.From, "to": in.To}
		d, _ := json.Marshal(change{Before: before, After: after})
		if err := store.AddPersonEvent(ctx, tx, id, "certificate_issued", s.Today(), string(d), a.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "person.certificate", "person", fmt.Sprint(id), "ok", change{Before: before, After: after})
	})
	if refused {
		return s.denied(ctx, a, "person.certificate", "person", fmt.Sprint(id), err)
	}
	return err
}

func certificateRefusal(err error) error {
	if err != nil {
		return err
	}
	return &domain.Error{Code: domain.CodeForbidden, MsgID: "certificate.home_only"}
}

func certificateTaken(err error, no string) error {
	if err != nil {
		return err
	}
	return domain.Conflict("number", "certificate.number_taken", map[string]any{"Value": no})
}

// mayIssue tells whether the actor answers for the member's home
// organization (person:write there).
func (s *Service) mayIssue(ctx context.Context, q store.Q, a *authz.Actor, m *domain.Membership) (bool, error) {
	home, err := store.OrgByID(ctx, q, m.HomeOrgID)
	if err != nil {
		return false, err
	}
	return a.CanAt(authz.PersonWrite, target(home)).Allowed, nil
}

// Certificate is a member's certificate as a page shows it: the person
// (masked), the token its QR code carries (empty without a certificate)
// and whether the viewer may issue or renew it.
type Certificate struct {
	Person   domain.Person
	Token    string
	CanIssue bool
	Policy   CertificatePolicy
}

// Certificate returns the certificate of a person the actor may see.
func (s *Service) Certificate(ctx context.Context, a *authz.Actor, id domain.PersonID) (Certificate, error) {
	p, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonRead)
	if err != nil {
		return Certificate{}, err
	}
	c, err := s.certificateOf(ctx, p.Person)
	if err != nil || p.Membership == nil {
		return c, err
	}
	c.CanIssue, err = s.mayIssue(ctx, s.db.Read(), a, p.Membership)
	return c, err
}

// OwnCertificate is the certificate of the member's own record.
func (s *Service) OwnCertificate(ctx context.Context, a *authz.Actor) (Certificate, error) {
	p, err := s.ownPerson(ctx, s.db.Read(), a)
	if err != nil {
		return Certificate{}, err
	}
	return s.certificateOf(ctx, p.Person)
}

func (s *Service) certificateOf(ctx context.Context, p domain.Person) (Certificate, error) {
	policy, err := s.CertificatePolicy(ctx)
	c := Certificate{Person: p, Policy: policy}
	if m := p.Membership; m != nil && m.CertificateNo != "" && !m.CertificateTo.IsZero() {
		c.Token = s.certificateToken(p.ID, m.CertificateNo, m.CertificateTo)
	}
	return c, err
}
