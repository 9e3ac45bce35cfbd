package service

import (
	"context"
	"fmt"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// totpAAD binds a sealed TOTP secret to its account, so a secret copied
// onto another account's row does not open.
func totpAAD(id domain.AccountID) []byte { return fmt.Appendf(nil, "totp:%d", id) }

// VerifyTOTP completes a sign-in at StageTOTP. A wrong code counts as a
// failed login toward the lock. On success the session token is replaced
// (a new token at each privilege change), and the new token is returned.
func (s *Service) VerifyTOTP(ctx context.Context, p Principal, code string) (string, Principal, error) {
	if p.Stage != StageTOTP {
		return "", p, domain.Rule("totp.not_pending", nil)
	}
	now := s.Now()
	if err := s.checkThrottle(ctx, p.Account.Name, p.Actor.Address, now); err != nil {
		return "", p, err
	}
	row, err := store.AccountByID(ctx, s.db.Read(), p.Account.ID)
	if err != nil {
		return "", p, err
	}
	step, ok, err := s.checkCode(row, row.TOTPSecret, code)
	if err != nil {
		return "", p, err
	}
	if !ok {
		s.failLogin(ctx, p.Actor, row.Name, p.Actor.Address, now, "totp.wrong")
		return "", p, domain.Invalid("code", "totp.wrong", nil)
	}
	return s.promote(ctx, p, "session.totp_ok", func(tx store.Tx) error {
		if err := store.UseTOTPStep(ctx, tx, row.ID, step); err != nil {
			return domain.Invalid("code", "totp.wrong", nil) // replayed by a concurrent sign-in
		}
		return store.RecordLoginAttempt(ctx, tx, row.Name, p.Actor.Address, true, now)
	})
}

// checkCode checks code against one of the account's sealed secrets (the
// confirmed one at sign-in, the pending one at enrolment).
func (s *Service) checkCode(row store.AccountRow, sealed, code string) (int64, bool, error) {
	if sealed == "" {
		return 0, false, domain.Rule("totp.not_enrolled", nil)
	}
	secret, err := s.cfg.Keys.Open(sealed, totpAAD(row.ID))
	if err != nil {
		return 0, false, fmt.Errorf("service: open totp secret: %w", err)
	}
	step, ok := auth.CheckTOTP(string(secret), code, s.Now(), row.TOTPLastStep)
	return step, ok, nil
}

// promote replaces the session with a fully authenticated one after extra
// (the second factor's bookkeeping) succeeds in the same transaction.
func (s *Service) promote(ctx context.Context, p Principal, action string, extra func(tx store.Tx) error) (string, Principal, error) {
	old, err := store.SessionByHash(ctx, s.db.Read(), p.TokenHash)
	if err != nil {
		return "", p, sessionExpired(err)
	}
	token, hash := auth.NewToken()
	next := old
	next.TokenHash, next.MFAOK, next.LastSeenAt = hash, true, s.Now()
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		if err := extra(tx); err != nil {
			return err
		}
		if err := store.DeleteSession(ctx, tx, old.TokenHash); err != nil {
			return err
		}
		if err := store.CreateSession(ctx, tx, next); err != nil {
			return err
		}
		return s.record(ctx, tx, p.Actor, action, "account", fmt.Sprint(p.Account.ID), "ok", nil)
	})
	if err != nil {
		return "", p, err
	}
	row, err := store.AccountByID(ctx, s.db.Read(), p.Account.ID)
	if err != nil {
		return "", p, err
	}
	np, err := s.principal(ctx, row, p.Actor.Grants, next)
	return token, np, err
}

// Enrolment is a TOTP secret waiting for its first code.
type Enrolment struct {
	Secret string // base32, for typing into an app
	URL    string // otpauth:// URL, for the QR code
}

// BeginTOTPEnrol makes a new secret for the signed-in account and keeps it
// sealed and pending until ConfirmTOTPEnrol proves the app has it; an
// existing secret stays in force meanwhile. An account already enrolled
// must be fully signed in to replace its secret.
func (s *Service) BeginTOTPEnrol(ctx context.Context, p Principal) (Enrolment, error) {
	if p.Stage != StageFull && p.Stage != StageEnrol && p.Stage != StagePassword {
		return Enrolment{}, domain.ErrUnauthorized
	}
	secret, url, err := auth.NewTOTPKey(s.cfg.Issuer, p.Account.Name)
	if err != nil {
		return Enrolment{}, err
	}
	sealed, err := s.cfg.Keys.Seal([]byte(secret), totpAAD(p.Account.ID))
	if err != nil {
		return Enrolment{}, err
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.SetTOTPPending(ctx, tx, p.Account.ID, sealed); err != nil {
			return err
		}
		return s.record(ctx, tx, p.Actor, "account.totp_begin", "account", fmt.Sprint(p.Account.ID), "ok", nil)
	})
	return Enrolment{Secret: secret, URL: url}, err
}

// ConfirmTOTPEnrol switches TOTP on once a code from the new secret is
// right; a session waiting on enrolment becomes fully signed in.
func (s *Service) ConfirmTOTPEnrol(ctx context.Context, p Principal, code string) (string, Principal, error) {
	row, err := store.AccountByID(ctx, s.db.Read(), p.Account.ID)
	if err != nil {
		return "", p, err
	}
	if row.TOTPEnabled && p.Stage != StageFull {
		return "", p, domain.ErrUnauthorized
	}
	step, ok, err := s.checkCode(row, row.TOTPPending, code)
	if err != nil {
		return "", p, err
	}
	if !ok {
		return "", p, domain.Invalid("code", "totp.wrong", nil)
	}
	return s.promote(ctx, p, "account.totp_enabled", func(tx store.Tx) error {
		if err := store.SetTOTP(ctx, tx, row.ID, row.TOTPPending); err != nil {
			return err
		}
		return store.UseTOTPStep(ctx, tx, row.ID, step)
	})
}

// EnrolTOTPWithSecret sets a known, confirmed secret: for the demo, whose
// administrators' secrets are printed so a visitor can sign in.
func (s *Service) EnrolTOTPWithSecret(ctx context.Context, id domain.AccountID, secret string) error {
	sealed, err := s.cfg.Keys.Seal([]byte(secret), totpAAD(id))
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.SetTOTP(ctx, tx, id, sealed); err != nil {
			return err
		}
		return s.record(ctx, tx, authz.System, "account.totp_enabled", "account", fmt.Sprint(id), "ok", map[string]any{"by": "bootstrap"})
	})
}
