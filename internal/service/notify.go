package service

import (
	"context"

	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Notice is one message for the in-app inbox: a catalogue message ID with
// its arguments (rendered in each reader's language), a link inside the
// site, and a key that makes it arrive once per account however many
// servers or retries produce it.
type Notice struct {
	Kind  string
	MsgID string
	Args  map[string]any
	Link  string
	Key   string
}

// notify puts n into each account's inbox, inside the caller's
// transaction, so a notice exists exactly when its cause does; a new
// notice of a kind that goes out is queued for the outbox as well.
func (s *Service) notify(ctx context.Context, tx store.Tx, to []domain.AccountID, n Notice) error {
	out, err := s.OutboxSettings(ctx)
	if err != nil {
		return err
	}
	seen := map[domain.AccountID]bool{}
	for _, acc := range to {
		if seen[acc] {
			continue
		}
		seen[acc] = true
		fresh, err := store.AddNotification(ctx, tx, store.Notification{AccountID: acc, Kind: n.Kind, MsgID: n.MsgID,
			Args: detail(n.Args), Link: n.Link, DedupeKey: n.Key, CreatedAt: s.Now()})
		if err != nil {
			return err
		}
		if fresh {
			if err := s.enqueue(ctx, tx, acc, n, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// responsibleFor lists the accounts that answer for an organization in
// one of roles (at the organization or its nearest ancestor where someone
// holds such a role).
func (s *Service) responsibleFor(ctx context.Context, q store.Q, org domain.OrgID, roles ...string) ([]domain.AccountID, error) {
	if org == 0 {
		return nil, nil
	}
	o, err := store.OrgByID(ctx, q, org)
	if err != nil {
		return nil, err
	}
	return store.Responsible(ctx, q, o.Path, roles)
}
