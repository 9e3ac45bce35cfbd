package service

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Stage is how far a session has come through sign-in.
type Stage string

// The stages. Only StageFull may use the product; the others are each
// limited to the one page that completes them.
const (
	StageFull     Stage = "full"
	StageTOTP     Stage = "totp"     // password accepted, TOTP code outstanding
	StageEnrol    Stage = "enrol"    // the account's role demands TOTP, not yet enrolled
	StagePassword Stage = "password" // the password must be changed first
)

// Principal is an authenticated session (or API token) with its actor.
type Principal struct {
	Actor     *authz.Actor
	Account   domain.Account
	TokenHash []byte // the session's; nil for API tokens
	Stage     Stage
}

// LoginInput is what the sign-in form sends.
type LoginInput struct {
	Name, Password     string
	Address, UserAgent string
}

// Login checks a password and opens a session. Throttling by client
// address and the per-account lock are checked before the password, so a
// locked account stays locked even for the right password.
func (s *Service) Login(ctx context.Context, in LoginInput) (token string, p Principal, err error) {
	now := s.Now()
	name := store.NormalizeAccountName(in.Name)
	anon := &authz.Actor{Name: name, Address: in.Address}
	if err := s.checkThrottle(ctx, name, in.Address, now); err != nil {
		s.recordAlone(ctx, anon, "session.login_refused", "account", name, "denied", map[string]any{"error": domain.AsError(err).MsgID})
		return "", p, err
	}
	row, findErr := store.AccountByName(ctx, s.db.Read(), name)
	hash := row.PasswordHash
	if findErr != nil {
		hash = s.dummyHash
	}
	ok, _ := auth.Verify(hash, in.Password)
	if findErr != nil || !ok || row.Disabled() {
		msg := "login.failed"
		if ok && row.Disabled() {
			msg = "login.disabled"
		}
		s.failLogin(ctx, anon, name, in.Address, now, msg)
		return "", p, domain.Invalid("password", msg, nil)
	}
	return s.openSession(ctx, row, in, now)
}

func (s *Service) checkThrottle(ctx context.Context, name, address string, now time.Time) error {
	l := s.cfg.Lockout
	n, err := store.AddressFailures(ctx, s.db.Read(), address, now.Add(-l.AddressWindow))
	if err != nil {
		return err
	}
	if l.AddressThrottled(n) {
		return auth.ThrottledError()
	}
	fails, err := store.RecentFailures(ctx, s.db.Read(), name, now.Add(-l.Window))
	if err != nil {
		return err
	}
	if until, locked := l.AccountLockedUntil(fails, now); locked {
		return auth.LockedError(until, now)
	}
	return nil
}

func (s *Service) failLogin(ctx context.Context, anon *authz.Actor, name, address string, now time.Time, msg string) {
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.RecordLoginAttempt(ctx, tx, name, address, false, now); err != nil {
			return err
		}
		return s.record(ctx, tx, anon, "session.login_failed", "account", name, "failed", map[string]any{"reason": msg})
	})
	if err != nil {
		s.cfg.Log.Error("record failed login", "err", err)
	}
}

func (s *Service) openSession(ctx context.Context, row store.AccountRow, in LoginInput, now time.Time) (string, Principal, error) {
	grants, err := store.Grants(ctx, s.db.Read(), row.ID)
	if err != nil {
		return "", Principal{}, err
	}
	mfaOK := !row.TOTPEnabled && !row.TOTPRequired && !authz.NeedsMFA(grants)
	token, hash := auth.NewToken()
	sess := store.Session{TokenHash: hash, AccountID: row.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionAbsolute), MFAOK: mfaOK, Address: in.Address, UserAgent: truncate(in.UserAgent, 300)}
	actor := newActor(row.Account, grants, in.Address)
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.RecordLoginAttempt(ctx, tx, row.Name, in.Address, true, now); err != nil {
			return err
		}
		if err := store.CreateSession(ctx, tx, sess); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "session.login", "account", fmt.Sprint(row.ID), "ok", map[string]any{"mfa_pending": !mfaOK})
	})
	if err != nil {
		return "", Principal{}, err
	}
	p, err := s.principal(ctx, row, grants, sess)
	return token, p, err
}

func newActor(acc domain.Account, grants []domain.Grant, address string) *authz.Actor {
	return &authz.Actor{AccountID: acc.ID, Name: acc.Name, DisplayName: acc.DisplayName, Grants: grants, Address: address}
}

// principal works out the stage of a session.
func (s *Service) principal(ctx context.Context, row store.AccountRow, grants []domain.Grant, sess store.Session) (Principal, error) {
	p := Principal{Actor: newActor(row.Account, grants, sess.Address), Account: row.Account, TokenHash: sess.TokenHash, Stage: StageFull}
	if err := s.loadReach(ctx, p.Actor); err != nil {
		return p, err
	}
	return s.staged(ctx, p, row, sess)
}

// staged sets the stage of a session's principal.
func (s *Service) staged(ctx context.Context, p Principal, row store.AccountRow, sess store.Session) (Principal, error) {
	switch {
	case !sess.MFAOK && row.TOTPEnabled:
		p.Stage = StageTOTP
	case !sess.MFAOK:
		p.Stage = StageEnrol
	case row.MustChangePassword:
		p.Stage = StagePassword
	default:
		policy, err := s.PasswordPolicy(ctx)
		if err != nil {
			return p, err
		}
		if policy.Expired(row.PasswordChangedAt, s.Now()) {
			p.Stage = StagePassword
		}
	}
	return p, nil
}

// Authenticate resolves a session token. Sessions idle longer than the
// idle timeout or older than the absolute lifetime are ended. Activity is
// noted at most once a minute and written off the request path
// (session_touch.go), so the idle timeout is exact to a minute.
func (s *Service) Authenticate(ctx context.Context, token, address string) (Principal, error) {
	now := s.Now()
	hash := auth.HashToken(token)
	// The epoch first: the actor read after it is at least that new.
	epoch, err := store.AccessEpoch(ctx, s.db.Read())
	if err != nil {
		return Principal{}, err
	}
	// A touch noted but not written, before the row: looked up after, it
	// could be written and forgotten in between, and the row read before
	// that write would look idle.
	pending, isPending := s.touches.seen(hash)
	sess, err := store.SessionByHash(ctx, s.db.Read(), hash)
	if err != nil {
		return Principal{}, sessionExpired(err)
	}
	e, err := s.resolveActor(ctx, sess.AccountID, epoch)
	if err != nil {
		return Principal{}, err
	}
	row := e.row
	seen := sess.LastSeenAt
	if isPending && pending.After(seen) {
		seen = pending
	}
	if !now.Before(sess.ExpiresAt) || now.Sub(seen) >= s.cfg.SessionIdle || row.Disabled() {
		err := s.db.Tx(ctx, func(tx store.Tx) error {
			if err := store.DeleteSession(ctx, tx, hash); err != nil {
				return err
			}
			return s.record(ctx, tx, newActor(row.Account, nil, address), "session.expired", "account", fmt.Sprint(row.ID), "ok", nil)
		})
		return Principal{}, sessionExpired(err)
	}
	if now.Sub(seen) > time.Minute {
		s.touches.note(s, hash, now)
	}
	p := Principal{Actor: e.actor(address), Account: row.Account, TokenHash: sess.TokenHash, Stage: StageFull}
	return s.staged(ctx, p, row, sess)
}

func sessionExpired(err error) error {
	if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
		return err
	}
	return &domain.Error{Code: domain.CodeUnauthorized, MsgID: "session.expired"}
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.DeleteSession(ctx, tx, p.TokenHash); err != nil {
			return err
		}
		return s.record(ctx, tx, p.Actor, "session.logout", "account", fmt.Sprint(p.Account.ID), "ok", nil)
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
