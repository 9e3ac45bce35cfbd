package service

import (
	"context"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// The in-app inbox of every signed-in account: the notices that notify
// put there, newest first. Reading one's own inbox and marking notices
// read are housekeeping of one's own account, like choosing a language,
// and are not audited; what caused a notice is.

// InboxPage is one page of an account's notices.
type InboxPage struct {
	Notices []store.Notification
	Next    int64 // the id to read on from (the "before" of the next page); zero on the last page
}

// Inbox returns the actor's notices older than before (zero: the newest),
// at most limit (1 to 100) of them.
func (s *Service) Inbox(ctx context.Context, a *authz.Actor, before int64, limit int) (InboxPage, error) {
	if err := signedIn(a); err != nil {
		return InboxPage{}, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := store.Notifications(ctx, s.db.Read(), a.AccountID, before, limit+1)
	if err != nil {
		return InboxPage{}, err
	}
	page := InboxPage{Notices: rows}
	if len(rows) > limit {
		page.Notices = rows[:limit]
		page.Next = rows[limit-1].ID
	}
	return page, nil
}

// UnreadCount is how many of the actor's notices are unread: one COUNT,
// cheap enough for every page's navigation.
func (s *Service) UnreadCount(ctx context.Context, a *authz.Actor) (int, error) {
	if signedIn(a) != nil {
		return 0, nil
	}
	return store.UnreadNotifications(ctx, s.db.Read(), a.AccountID)
}

// UnreadFor is the unread count of a request's principal: the one read
// with its session (Authenticate), which saves every page a query, or a
// fresh count when there is none.
func (s *Service) UnreadFor(ctx context.Context, p *Principal) (int, error) {
	if p.unread != nil {
		return *p.unread, nil
	}
	return s.UnreadCount(ctx, p.Actor)
}

// MarkRead marks the actor's notices up to the id upTo as read (every one
// when upTo is zero).
func (s *Service) MarkRead(ctx context.Context, a *authz.Actor, upTo int64) error {
	if err := signedIn(a); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		return store.MarkNotificationsRead(ctx, tx, a.AccountID, upTo, s.Now())
	})
}

// OpenNotice marks one of the actor's notices read and returns it, so
// that following a notice's link reads it; another account's notice is
// not found.
func (s *Service) OpenNotice(ctx context.Context, a *authz.Actor, id int64) (store.Notification, error) {
	if err := signedIn(a); err != nil {
		return store.Notification{}, err
	}
	var n store.Notification
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		var err error
		if n, err = store.NotificationByID(ctx, tx, a.AccountID, id); err != nil {
			return err
		}
		return store.MarkNotificationRead(ctx, tx, a.AccountID, id, s.Now())
	})
	return n, err
}

// signedIn refuses an anonymous actor or the system.
func signedIn(a *authz.Actor) error {
	if a == nil || a.AccountID == 0 {
		return domain.ErrUnauthorized
	}
	return nil
}
