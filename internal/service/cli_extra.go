package service

import (
	"context"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// The command line acts as authz.System, which holds no grants: whoever
// runs it controls the server and its keys already. These are the
// actor-less twins of use cases the command line needs, audited as the
// system like BootstrapAccount.

// BootstrapSetDisabled is SetDisabled for the command line; disabling ends
// the account's sessions at once.
func (s *Service) BootstrapSetDisabled(ctx context.Context, id domain.AccountID, disabled bool) error {
	return s.setDisabled(ctx, authz.System, id, disabled)
}

// AllAccounts is ListAccounts for the command line: accounts by name after
// `after`, at most limit (1 to 500), with their grants.
func (s *Service) AllAccounts(ctx context.Context, after string, limit int) ([]AccountView, error) {
	return s.listAccounts(ctx, after, limit)
}
