package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// CreateAPIToken issues a personal API token to the actor; the clear token
// is shown once and only its hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, a *authz.Actor, name string, valid time.Duration) (string, int64, error) {
	return s.issueToken(ctx, a, a.AccountID, name, valid)
}

// BootstrapAPIToken issues a personal API token to an account on the
// operator's word (the command line), audited as the system: scripts and
// load tests need a token without a person at a browser.
func (s *Service) BootstrapAPIToken(ctx context.Context, acc domain.AccountID, name string, valid time.Duration) (string, int64, error) {
	return s.issueToken(ctx, authz.System, acc, name, valid)
}

func (s *Service) issueToken(ctx context.Context, a *authz.Actor, acc domain.AccountID, name string, valid time.Duration) (string, int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", 0, domain.Invalid("name", "token.name_required", nil)
	}
	clear, hash := auth.NewAPIToken()
	var exp *time.Time
	if valid > 0 {
		t := s.Now().Add(valid)
		exp = &t
	}
	var id int64
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		row, err := store.AccountByID(ctx, tx, acc)
		if err != nil {
			return err
		}
		if row.Disabled() {
			return domain.Rule("token.account_disabled", nil)
		}
		if id, err = store.CreateAPIToken(ctx, tx, acc, truncate(name, 100), hash, exp, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "token.create", "api_token", fmt.Sprint(id), "ok", map[string]any{"name": name, "account": int64(acc)})
	})
	return clear, id, err
}

// APITokens lists the actor's own tokens.
func (s *Service) APITokens(ctx context.Context, a *authz.Actor) ([]store.APIToken, error) {
	return store.APITokens(ctx, s.db.Read(), a.AccountID)
}

// RevokeAPIToken revokes one of the actor's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, a *authz.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.RevokeAPIToken(ctx, tx, a.AccountID, id, s.Now()); err != nil {
			return notFoundIfStale(err)
		}
		return s.record(ctx, tx, a, "token.revoke", "api_token", fmt.Sprint(id), "ok", nil)
	})
}

// AuthenticateAPIToken resolves a bearer token to a principal. The token
// is looked up on every request; the account, grants and reach come from
// the actor cache while the access epoch holds. The last use is written
// at most once a minute: a write per request would serialise every API
// call on the database's one writer.
func (s *Service) AuthenticateAPIToken(ctx context.Context, token, address string) (Principal, error) {
	hash := auth.HashToken(token)
	now := s.Now()
	use, err := store.APITokenUse(ctx, s.db.Read(), hash, now)
	if err != nil {
		return Principal{}, err
	}
	e, err := s.resolveActor(ctx, use.Account, use.Epoch)
	if domain.CodeOf(err) == domain.CodeNotFound || err == nil && e.row.Disabled() {
		return Principal{}, domain.ErrUnauthorized
	}
	if err != nil {
		return Principal{}, err
	}
	if use.LastUsed == nil || now.Sub(*use.LastUsed) >= time.Minute || now.Before(*use.LastUsed) {
		if err := s.db.Tx(ctx, func(tx store.Tx) error { return store.TouchAPIToken(ctx, tx, hash, now) }); err != nil {
			return Principal{}, err
		}
	}
	return Principal{Actor: e.actor(address), Account: e.row.Account, Stage: StageFull}, nil
}

// SetLocale stores the actor's language choice ("zh-CN", "en", or "" for
// the browser's).
func (s *Service) SetLocale(ctx context.Context, a *authz.Actor, locale string) error {
	if locale != "" && locale != "zh-CN" && locale != "en" {
		return domain.Invalid("locale", "account.locale_invalid", nil)
	}
	return s.db.Tx(ctx, func(tx store.Tx) error { return store.SetLocale(ctx, tx, a.AccountID, locale) })
}
