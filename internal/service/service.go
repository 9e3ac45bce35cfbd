// Package service holds the use cases. Each method checks the actor's
// permission, runs one transaction, writes its audit entry inside that same
// transaction and commits, so a record never changes without its audit line
// and a refused action changes nothing.
package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/sender"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// Config holds what the service needs besides the database.
type Config struct {
	Clock           clock.Clock
	Keys            *seal.Keyring
	PasswordParams  auth.Params
	Lockout         auth.LockoutPolicy
	SessionIdle     time.Duration // default 30 minutes
	SessionAbsolute time.Duration // default 12 hours
	Issuer          string        // shown in authenticator apps
	Log             *slog.Logger
	// Regions tells whether a GB/T 2260 code is known (current or
	// historical); nil accepts any well-formed code.
	Regions func(code string) bool
	// DataDir holds uploaded files (signed agreements …).
	DataDir string
	// Limits bound each account's searches, exports, imports and reveals;
	// nil: throttle.Defaults().
	Limits throttle.Limits
	// MeetingFileBytes and MeetingTotalBytes bound a meeting's photos and
	// documents, each and together; zero: the defaults (20 and 200 MiB).
	MeetingFileBytes, MeetingTotalBytes int64
	// Senders deliver the outbox, one per channel; nil: the log sender
	// alone. OutboxBatch is how many notices one delivery claims (0: 100).
	Senders     []sender.Sender
	OutboxBatch int
	// Messages renders notices for the outbox; nil: the embedded
	// catalogues.
	Messages *i18n.Bundle
}

// Service runs the use cases over one database.
type Service struct {
	db    *store.DB
	cfg   Config
	chain chainer
	// limiter applies Config.Limits.
	limiter *throttle.Limiter
	// actors caches what requests' actors are built from (actor_cache.go).
	actors actorCache
	// orgNames gives the people lists their organizations' names.
	orgNames *store.OrgNames
	// dummyHash is verified against when an account does not exist, so a
	// wrong name costs the same time as a wrong password.
	dummyHash string
	// checkins writes QR check-ins in batches (meeting_batch.go).
	checkins checkinBatcher
	// touches records sessions' activity off the request path
	// (session_touch.go).
	touches sessionToucher
	// senders are Config.Senders by channel; messages is Config.Messages.
	senders  map[string]sender.Sender
	messages func() (*i18n.Bundle, error)
}

// New builds a Service, filling defaults in cfg.
func New(db *store.DB, cfg Config) (*Service, error) {
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	if cfg.SessionAbsolute == 0 {
		cfg.SessionAbsolute = 12 * time.Hour
	}
	if cfg.Lockout.MaxFailures == 0 {
		cfg.Lockout = auth.DefaultLockout()
	}
	if cfg.PasswordParams.Time == 0 {
		cfg.PasswordParams = auth.DefaultParams
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "gongjian"
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.OutboxBatch <= 0 {
		cfg.OutboxBatch = outboxBatch
	}
	if cfg.Senders == nil {
		cfg.Senders = []sender.Sender{sender.Log{Log: cfg.Log}}
	}
	dummy, err := auth.Hash("not a real password", cfg.PasswordParams)
	if err != nil {
		return nil, err
	}
	senders := map[string]sender.Sender{}
	for _, x := range cfg.Senders {
		senders[x.Channel()] = x
	}
	messages := sync.OnceValues(func() (*i18n.Bundle, error) { return cfg.Messages, nil })
	if cfg.Messages == nil {
		// Loaded on the first delivery: most services never send.
		messages = sync.OnceValues(i18n.New)
	}
	return &Service{db: db, cfg: cfg, chain: chainer{cfg.Keys}, dummyHash: dummy, orgNames: store.NewOrgNames(), limiter: throttleLimits(cfg.Limits),
		senders: senders, messages: messages}, nil
}

// DB exposes the database for the composition root (health checks,
// backups); use cases never reach around the service.
func (s *Service) DB() *store.DB { return s.db }

// Now is the service clock's current instant.
func (s *Service) Now() time.Time { return s.cfg.Clock.Now() }

// chainer adapts the keyring to the audit chain.
type chainer struct{ keys *seal.Keyring }

func (c chainer) ChainHash(prev, entry []byte) []byte { return c.keys.MAC("audit", prev, entry) }

// require refuses with forbidden unless the actor holds perm.
func require(a *authz.Actor, p authz.Perm) error {
	if d := a.Can(p); !d.Allowed {
		return &domain.Error{Code: domain.CodeForbidden, MsgID: "error.forbidden", Args: map[string]any{"Perm": string(p), "Reason": d.Reason}}
	}
	return nil
}

// change is the before/after detail of an audit entry.
type change struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

func detail(v any) string {
	if v == nil {
		return "{}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// record writes one audit entry inside tx.
func (s *Service) record(ctx context.Context, tx store.Tx, a *authz.Actor, action, objType, objID, outcome string, d any) error {
	_, err := store.AppendAudit(ctx, tx, s.chain, s.auditEntry(a, s.Now(), action, objType, objID, outcome, d))
	return err
}

// auditEntry is the audit log's line for an action of a at instant at.
func (s *Service) auditEntry(a *authz.Actor, at time.Time, action, objType, objID, outcome string, d any) store.AuditEntry {
	e := store.AuditEntry{At: at, Action: action, ObjectType: objType, ObjectID: objID, Outcome: outcome, Detail: detail(d)}
	if a != nil {
		e.ActorID, e.ActorName, e.Address = int64(a.AccountID), a.Name, a.Address
	}
	return e
}

// recordAlone writes an audit entry in its own transaction: for refusals
// and failed logins, whose business transaction never commits.
func (s *Service) recordAlone(ctx context.Context, a *authz.Actor, action, objType, objID, outcome string, d any) {
	err := s.db.Tx(ctx, func(tx store.Tx) error { return s.record(ctx, tx, a, action, objType, objID, outcome, d) })
	if err != nil {
		s.cfg.Log.Error("audit write failed", "action", action, "err", err)
	}
}

// denied audits a refused action and returns err unchanged.
func (s *Service) denied(ctx context.Context, a *authz.Actor, action, objType, objID string, err error) error {
	s.recordAlone(ctx, a, action, objType, objID, "denied", map[string]any{"error": domain.AsError(err).MsgID})
	return err
}
