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
	// unread is the account's unread notices, read with the session
	// (UnreadFor); nil when not read.
	unread *int
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
	row, epoch, findErr := store.AccountByNameAt(ctx, s.db.Read(), name)
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
	return s.openSession(ctx, row, epoch, in, now)
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

// openSession opens a session for an account whose row was read at the
// access epoch epoch, and caches its actor for the requests to come.
func (s *Service) openSession(ctx context.Context, row store.AccountRow, epoch int64, in LoginInput, now time.Time) (string, Principal, error) {
	e, err := s.cacheActor(ctx, row, epoch)
	if err != nil {
		return "", Principal{}, err
	}
	mfaOK := !row.TOTPEnabled && !row.TOTPRequired && !authz.NeedsMFA(e.grants)
	token, hash := auth.NewToken()
	sess := store.Session{TokenHash: hash, AccountID: row.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionAbsolute), MFAOK: mfaOK, Address: in.Address, UserAgent: truncate(in.UserAgent, 300)}
	actor := e.actor(in.Address)
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
	p, err := s.withPolicy(ctx, Principal{Actor: actor, Account: row.Account, TokenHash: hash, Stage: StageFull}, row, sess)
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
	return s.withPolicy(ctx, p, row, sess)
}

// withPolicy sets the stage of a session's principal, reading the
// password policy.
func (s *Service) withPolicy(ctx context.Context, p Principal, row store.AccountRow, sess store.Session) (Principal, error) {
	policy, err := s.PasswordPolicy(ctx)
	if err != nil {
		return p, err
	}
	return s.staged(p, row, sess, policy), nil
}

// staged sets the stage of a session's principal under the password
// policy in force.
func (s *Service) staged(p Principal, row store.AccountRow, sess store.Session, policy auth.Policy) Principal {
	switch {
	case !sess.MFAOK && row.TOTPEnabled:
		p.Stage = StageTOTP
	case !sess.MFAOK:
		p.Stage = StageEnrol
	case row.MustChangePassword, policy.Expired(row.PasswordChangedAt, s.Now()):
		p.Stage = StagePassword
	}
	return p
}

// Authenticate resolves a session token. Sessions idle longer than the
// idle timeout or older than the absolute lifetime are ended. Activity is
// noted at most once a minute and written off the request path
// (session_touch.go), so the idle timeout is exact to a minute. One
// statement reads the session with what every request needs besides: the
// access epoch (the cached actor's check), the password policy (the
// stage) and the unread count (the page's badge), all as of now.
func (s *Service) Authenticate(ctx context.Context, token, address string) (Principal, error) {
	now := s.Now()
	hash := auth.HashToken(token)
	// A touch noted but not written, before the row: looked up after, it
	// could be written and forgotten in between, and the row read before
	// that write would look idle.
	pending, isPending := s.touches.seen(hash)
	use, err := store.SessionUseByHash(ctx, s.db.Read(), hash, policyKey)
	if err != nil {
		return Principal{}, sessionExpired(err)
	}
	policy, err := decodeSetting(policyKey, use.Setting, use.HasSetting, auth.DefaultPolicy())
	if err != nil {
		return Principal{}, err
	}
	// The actor read after the epoch (or filed under it) is at least that new.
	e, err := s.resolveActor(ctx, use.AccountID, use.Epoch)
	if err != nil {
		return Principal{}, err
	}
	row, sess := e.row, use.Session
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
	p := Principal{Actor: e.actor(address), Account: row.Account, TokenHash: sess.TokenHash, Stage: StageFull, unread: &use.Unread}
	return s.staged(p, row, sess, policy), nil
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
