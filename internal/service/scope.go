package service

import (
	"context"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Today is the civil date (Beijing time) by the service's clock: the date
// on which agreements are in force or not.
func (s *Service) Today() domain.Date { return domain.Today(s.Now()) }

// loadReach resolves where the actor's grants reach today. It runs for
// every request, so an agreement that ended at midnight reaches nothing
// from the first request after it.
func (s *Service) loadReach(ctx context.Context, a *authz.Actor) error {
	r, err := store.Reach(ctx, s.db.Read(), a.AccountID, s.Today())
	if err != nil {
		return err
	}
	a.Reach = r
	return nil
}

// ActorFor builds the actor of an account as a request would see it, with
// its reach on the service's current date: for jobs and tests that act on
// an account's behalf without a session.
func (s *Service) ActorFor(ctx context.Context, id domain.AccountID) (*authz.Actor, error) {
	row, err := store.AccountByID(ctx, s.db.Read(), id)
	if err != nil {
		return nil, err
	}
	grants, err := store.Grants(ctx, s.db.Read(), id)
	if err != nil {
		return nil, err
	}
	a := newActor(row.Account, grants, "")
	return a, s.loadReach(ctx, a)
}

// target is the policy's view of an organization.
func target(o domain.Org) authz.Target { return authz.Target{ID: o.ID, Path: o.Path, Side: o.Side} }

// notFound hides a resource outside the actor's reach: never forbidden,
// so that existence does not leak.
func notFound() error { return domain.ErrNotFound }
