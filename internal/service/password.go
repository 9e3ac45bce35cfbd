package service

import (
	"context"
	"fmt"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

const policyKey = "password_policy"

// PasswordPolicy returns the policy in force: the stored setting, or the
// MLPS level 3 default.
func (s *Service) PasswordPolicy(ctx context.Context) (auth.Policy, error) {
	return loadSetting(ctx, s, policyKey, auth.DefaultPolicy())
}

// SetPasswordPolicy stores a new policy (security officer).
func (s *Service) SetPasswordPolicy(ctx context.Context, a *authz.Actor, p auth.Policy) error {
	if err := require(a, authz.PolicyManage); err != nil {
		return s.denied(ctx, a, "policy.set", "setting", policyKey, err)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	old, err := s.PasswordPolicy(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.PolicyManage, "policy.set", policyKey, old, p)
}

// ChangeOwnPassword replaces the actor's password after checking the
// current one, the policy and the history. Other sessions of the account
// end; the current one (keep) stays.
func (s *Service) ChangeOwnPassword(ctx context.Context, a *authz.Actor, keep []byte, current, next string) error {
	row, err := store.AccountByID(ctx, s.db.Read(), a.AccountID)
	if err != nil {
		return err
	}
	if ok, _ := auth.Verify(row.PasswordHash, current); !ok {
		return s.denied(ctx, a, "account.password_change", "account", fmt.Sprint(a.AccountID),
			domain.Invalid("current", "password.current_wrong", nil))
	}
	if err := s.checkNewPassword(ctx, row, next); err != nil {
		return err
	}
	return s.storePassword(ctx, a, row.ID, next, false, keep, "account.password_change")
}

// ResetPassword sets a password for another account (security officer);
// the owner must change it at the next sign-in.
func (s *Service) ResetPassword(ctx context.Context, a *authz.Actor, id domain.AccountID, next string) error {
	if err := require(a, authz.AccountManage); err != nil {
		return s.denied(ctx, a, "account.password_reset", "account", fmt.Sprint(id), err)
	}
	return s.resetPassword(ctx, a, id, next, true)
}

// BootstrapPassword is ResetPassword for the command line, run by whoever
// controls the server; the password does not have to be changed.
func (s *Service) BootstrapPassword(ctx context.Context, id domain.AccountID, next string) error {
	return s.resetPassword(ctx, authz.System, id, next, false)
}

func (s *Service) resetPassword(ctx context.Context, a *authz.Actor, id domain.AccountID, next string, mustChange bool) error {
	row, err := store.AccountByID(ctx, s.db.Read(), id)
	if err != nil {
		return err
	}
	if err := s.checkNewPassword(ctx, row, next); err != nil {
		return err
	}
	return s.storePassword(ctx, a, id, next, mustChange, nil, "account.password_reset")
}

func (s *Service) checkNewPassword(ctx context.Context, row store.AccountRow, next string) error {
	policy, err := s.PasswordPolicy(ctx)
	if err != nil {
		return err
	}
	if err := policy.Check(row.Name, next); err != nil {
		return err
	}
	old := []string{row.PasswordHash}
	if policy.HistoryCount > 1 {
		h, err := store.PasswordHistory(ctx, s.db.Read(), row.ID, policy.HistoryCount-1)
		if err != nil {
			return err
		}
		old = append(old, h...)
	}
	return policy.CheckHistory(next, old)
}

func (s *Service) storePassword(ctx context.Context, a *authz.Actor, id domain.AccountID, pw string, mustChange bool, keep []byte, action string) error {
	hash, err := auth.Hash(pw, s.cfg.PasswordParams)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.SetPassword(ctx, tx, id, hash, mustChange, s.Now()); err != nil {
			return notFoundIfStale(err)
		}
		if err := store.DeleteAccountSessions(ctx, tx, id, keep); err != nil {
			return err
		}
		return s.record(ctx, tx, a, action, "account", fmt.Sprint(id), "ok", nil)
	})
}
