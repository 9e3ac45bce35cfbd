package service

import (
	"context"
	"slices"
	"sync"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Every request turns its token or session into an actor: the account,
// its grants, and where they reach today (the grants' subtrees and the
// agreements in force). Read from the database that is two queries (the
// account; the grants with their organizations) and one more per
// host-side grant, most of a small request's cost. actorCache keeps the
// result per account — the sign-in fills it — and an entry is used only
// while nothing it was built from can have changed (decision 0007):
//
//   - the access epoch it was read at is still the database's: triggers
//     count every change to grants, accounts, organizations' paths,
//     status and parents, agreements and their parties (migration 00015),
//     and the request reads the epoch afresh (with the token or the
//     session, in one query), so a change made by any server or by the
//     command line reaches every cache at the next request;
//   - the day is the same (agreements start and end at midnight);
//   - it is younger than actorCacheTTL, a bound on anything missed.
//
// The token or session itself is looked up on every request, so a revoked
// token or an ended session is refused at once. The cache can therefore
// serve only what a fresh read would have served a moment earlier, never
// a wider access than the database grants now.
type actorCache struct {
	mu      sync.Mutex
	entries map[domain.AccountID]actorEntry
}

// actorEntry is what an actor is built from.
type actorEntry struct {
	epoch  int64
	day    domain.Date
	at     time.Time
	row    store.AccountRow
	grants []domain.Grant
	reach  []authz.Reach
}

const (
	actorCacheTTL = 5 * time.Minute
	actorCacheMax = 10_000 // entries; past it the cache starts afresh
)

func (c *actorCache) get(id domain.AccountID, epoch int64, day domain.Date, now time.Time) (actorEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok || e.epoch != epoch || e.day != day || now.Sub(e.at) >= actorCacheTTL || now.Before(e.at) {
		return actorEntry{}, false
	}
	return e, true
}

func (c *actorCache) put(id domain.AccountID, e actorEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= actorCacheMax {
		c.entries = map[domain.AccountID]actorEntry{}
	}
	c.entries[id] = e
}

// resolveActor returns what account id's actor is built from, from the
// cache when it is valid at epoch (read by the caller before this call,
// so that the data read here is at least as new as the epoch it is filed
// under).
func (s *Service) resolveActor(ctx context.Context, id domain.AccountID, epoch int64) (actorEntry, error) {
	if e, ok := s.actors.get(id, epoch, s.Today(), s.Now()); ok {
		return e, nil
	}
	row, err := store.AccountByID(ctx, s.db.Read(), id)
	if err != nil {
		return actorEntry{}, err
	}
	return s.cacheActor(ctx, row, epoch)
}

// cacheActor reads the grants and reach of an account whose row was read
// at epoch or later, and files the entry under epoch: the sign-in does
// this too, so a member's first request after it finds its actor cached.
func (s *Service) cacheActor(ctx context.Context, row store.AccountRow, epoch int64) (actorEntry, error) {
	now, day := s.Now(), s.Today()
	grants, reach, err := store.Access(ctx, s.db.Read(), row.ID, day)
	if err != nil {
		return actorEntry{}, err
	}
	e := actorEntry{epoch: epoch, day: day, at: now, row: row, grants: grants, reach: reach}
	s.actors.put(row.ID, e)
	return e, nil
}

// actor builds a request's actor from an entry; the slices are copied, so
// that nothing a request does to its actor reaches another's.
func (e actorEntry) actor(address string) *authz.Actor {
	a := newActor(e.row.Account, slices.Clone(e.grants), address)
	a.Reach = slices.Clone(e.reach)
	return a
}
