package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// NewAccount is the input for creating an account.
type NewAccount struct {
	Name        string
	DisplayName string
	Password    string
	// MustChange forces a new password at first sign-in: an account made by
	// a security officer starts with a password someone else knows.
	MustChange bool
}

// AccountView is an account with its grants, for pages and the API.
type AccountView struct {
	domain.Account
	Grants []domain.Grant
}

func validateAccountName(name string) error {
	n := store.NormalizeAccountName(name)
	if n == "" {
		return domain.Invalid("name", "account.name_required", nil)
	}
	if utf8.RuneCountInString(n) > 64 || strings.ContainsAny(n, " \t\r\n/\\") {
		return domain.Invalid("name", "account.name_invalid", nil)
	}
	return nil
}

// CreateAccount makes an account (security officer).
func (s *Service) CreateAccount(ctx context.Context, a *authz.Actor, in NewAccount) (domain.AccountID, error) {
	if err := require(a, authz.AccountManage); err != nil {
		return 0, s.denied(ctx, a, "account.create", "account", in.Name, err)
	}
	return s.createAccount(ctx, a, in)
}

// BootstrapAccount makes an account without an acting officer: for the
// command line and the demo, run by whoever controls the server.
func (s *Service) BootstrapAccount(ctx context.Context, in NewAccount) (domain.AccountID, error) {
	return s.createAccount(ctx, authz.System, in)
}

func (s *Service) createAccount(ctx context.Context, a *authz.Actor, in NewAccount) (domain.AccountID, error) {
	in.Name = store.NormalizeAccountName(in.Name)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if err := validateAccountName(in.Name); err != nil {
		return 0, err
	}
	if in.DisplayName == "" {
		in.DisplayName = in.Name
	}
	policy, err := s.PasswordPolicy(ctx)
	if err != nil {
		return 0, err
	}
	if err := policy.Check(in.Name, in.Password); err != nil {
		return 0, err
	}
	hash, err := auth.Hash(in.Password, s.cfg.PasswordParams)
	if err != nil {
		return 0, err
	}
	var id domain.AccountID
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		id, err = store.CreateAccount(ctx, tx, store.AccountRow{Account: domain.Account{Name: in.Name, DisplayName: in.DisplayName,
			MustChangePassword: in.MustChange}, PasswordHash: hash}, s.Now())
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.create", "account", fmt.Sprint(id), "ok",
			change{After: map[string]any{"name": in.Name, "display_name": in.DisplayName}})
	})
	return id, err
}

// Account returns one account with its grants. Anyone may read their own;
// others need account:read.
func (s *Service) Account(ctx context.Context, a *authz.Actor, id domain.AccountID) (AccountView, error) {
	if a.AccountID != id {
		if err := require(a, authz.AccountRead); err != nil {
			return AccountView{}, err
		}
	}
	return s.accountView(ctx, store.Q(s.db.Read()), id)
}

// AccountByName is Account by login name.
func (s *Service) AccountByName(ctx context.Context, a *authz.Actor, name string) (AccountView, error) {
	row, err := store.AccountByName(ctx, s.db.Read(), name)
	if err != nil {
		return AccountView{}, err
	}
	return s.Account(ctx, a, row.ID)
}

func (s *Service) accountView(ctx context.Context, q store.Q, id domain.AccountID) (AccountView, error) {
	row, err := store.AccountByID(ctx, q, id)
	if err != nil {
		return AccountView{}, err
	}
	g, err := store.Grants(ctx, q, id)
	return AccountView{Account: row.Account, Grants: g}, err
}

// ListAccounts pages through accounts by name.
func (s *Service) ListAccounts(ctx context.Context, a *authz.Actor, after string, limit int) ([]AccountView, error) {
	if err := require(a, authz.AccountRead); err != nil {
		return nil, err
	}
	return s.listAccounts(ctx, after, limit)
}

func (s *Service) listAccounts(ctx context.Context, after string, limit int) ([]AccountView, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	accs, err := store.ListAccounts(ctx, s.db.Read(), after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]AccountView, 0, len(accs))
	for _, acc := range accs {
		g, err := store.Grants(ctx, s.db.Read(), acc.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, AccountView{Account: acc, Grants: g})
	}
	return out, nil
}

// SetDisabled disables or re-enables an account; disabling ends its
// sessions at once.
func (s *Service) SetDisabled(ctx context.Context, a *authz.Actor, id domain.AccountID, disabled bool) error {
	if err := require(a, authz.AccountManage); err != nil {
		return s.denied(ctx, a, disableAction(disabled), "account", fmt.Sprint(id), err)
	}
	if disabled && id == a.AccountID {
		return domain.Rule("account.cannot_disable_self", nil)
	}
	return s.setDisabled(ctx, a, id, disabled)
}

func disableAction(disabled bool) string {
	if disabled {
		return "account.disable"
	}
	return "account.enable"
}

func (s *Service) setDisabled(ctx context.Context, a *authz.Actor, id domain.AccountID, disabled bool) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		var at *time.Time
		if disabled {
			now := s.Now()
			at = &now
		}
		if err := store.SetDisabled(ctx, tx, id, at); err != nil {
			return notFoundIfStale(err)
		}
		if disabled {
			if err := store.DeleteAccountSessions(ctx, tx, id, nil); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, disableAction(disabled), "account", fmt.Sprint(id), "ok", nil)
	})
}

// Grant gives role at the organization orgRef (id, name or short name;
// empty for the system-wide duties).
func (s *Service) Grant(ctx context.Context, a *authz.Actor, id domain.AccountID, role, orgRef string) error {
	if err := require(a, authz.GrantManage); err != nil {
		return s.denied(ctx, a, "grant.add", "account", fmt.Sprint(id), err)
	}
	return s.grant(ctx, a, id, role, orgRef)
}

// BootstrapGrant is Grant for the command line and the demo.
func (s *Service) BootstrapGrant(ctx context.Context, id domain.AccountID, role, orgRef string) error {
	return s.grant(ctx, authz.System, id, role, orgRef)
}

func (s *Service) grant(ctx context.Context, a *authz.Actor, id domain.AccountID, role, orgRef string) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		var org domain.Org
		if orgRef = strings.TrimSpace(orgRef); orgRef != "" {
			var err error
			if org, err = store.FindOrg(ctx, tx, orgRef); err != nil {
				return domain.Invalid("org", "grant.org_not_found", map[string]any{"Org": orgRef})
			}
		}
		if _, err := store.AccountByID(ctx, tx, id); err != nil {
			return err
		}
		existing, err := store.Grants(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := authz.CheckGrant(existing, role, org.ID); err != nil {
			return err
		}
		gid, err := store.AddGrant(ctx, tx, id, role, org.ID, a.AccountID, s.Now())
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, "grant.add", "account", fmt.Sprint(id), "ok",
			change{After: map[string]any{"grant": gid, "role": role, "org": org.Name}})
	})
}

// Revoke removes one grant.
func (s *Service) Revoke(ctx context.Context, a *authz.Actor, id domain.AccountID, grantID int64) error {
	if err := require(a, authz.GrantManage); err != nil {
		return s.denied(ctx, a, "grant.remove", "account", fmt.Sprint(id), err)
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.RemoveGrant(ctx, tx, id, grantID); err != nil {
			return notFoundIfStale(err)
		}
		return s.record(ctx, tx, a, "grant.remove", "account", fmt.Sprint(id), "ok", change{Before: map[string]any{"grant": grantID}})
	})
}

// notFoundIfStale turns "no row changed" into not found, for updates by id
// without a version.
func notFoundIfStale(err error) error {
	if domain.CodeOf(err) == domain.CodeConflict {
		return domain.ErrNotFound
	}
	return err
}

// Unlock lifts a login lock before it runs out (security officer).
func (s *Service) Unlock(ctx context.Context, a *authz.Actor, id domain.AccountID) error {
	if err := require(a, authz.AccountManage); err != nil {
		return s.denied(ctx, a, "account.unlock", "account", fmt.Sprint(id), err)
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		row, err := store.AccountByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := store.ClearFailures(ctx, tx, row.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.unlock", "account", fmt.Sprint(id), "ok", nil)
	})
}

// Sessions lists the actor's own open sessions.
func (s *Service) Sessions(ctx context.Context, a *authz.Actor) ([]store.Session, error) {
	return store.AccountSessions(ctx, s.db.Read(), a.AccountID)
}

// RequireTOTP makes a second factor mandatory for one account (security
// officer), beyond the roles that always need it. Its next sign-in must
// enrol an authenticator before anything else.
func (s *Service) RequireTOTP(ctx context.Context, a *authz.Actor, id domain.AccountID, required bool) error {
	action := "account.totp_required"
	if !required {
		action = "account.totp_optional"
	}
	if err := require(a, authz.AccountManage); err != nil {
		return s.denied(ctx, a, action, "account", fmt.Sprint(id), err)
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.SetTOTPRequired(ctx, tx, id, required); err != nil {
			return notFoundIfStale(err)
		}
		return s.record(ctx, tx, a, action, "account", fmt.Sprint(id), "ok", nil)
	})
}
