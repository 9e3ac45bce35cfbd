package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/sender"
	"gongjian/internal/store"
)

// The outbox (issue #5, item 6): a notice whose kind the settings send out
// is queued beside the inbox, in the same transaction, and the scheduled
// delivery hands it to the sender of the configured channel. Each row is
// claimed with a conditional update, so it goes out once however many
// servers deliver; a claim whose server died expires and the row is tried
// again; a temporary failure waits longer after each attempt; a refusal
// (a channel not configured, a recipient without an address) or too many
// attempts fail the row for good, with the reason kept.

// NoticeKinds are the kinds of notice the program writes, in the order
// the settings page lists them.
var NoticeKinds = []string{"meeting", "feedback", "evaluation", "rhythm", "absence", "lost_contact", "move_report", "dues_lapse", "development"}

// OutboxSettings say which kinds of notice go out and by which channel.
type OutboxSettings struct {
	Kinds   []string `json:"kinds"`
	Channel string   `json:"channel"`
}

// DefaultOutboxSettings send meeting notices and leave decisions,
// feedback and evaluation requests, rhythm reminders, absence flags and
// member development's steps and deadlines, to the log.
func DefaultOutboxSettings() OutboxSettings {
	return OutboxSettings{Kinds: []string{"meeting", "feedback", "evaluation", "rhythm", "absence", "development"}, Channel: "log"}
}

// Sends reports whether notices of kind go out.
func (o OutboxSettings) Sends(kind string) bool { return slices.Contains(o.Kinds, kind) }

const outboxKey = "outbox"

// The delivery's pace: a claim covers one batch; attempts wait one
// minute, then two, four … up to an hour; after maxAttempts the row fails.
const (
	outboxBatch    = 100
	outboxClaim    = 5 * time.Minute
	outboxSendWait = 30 * time.Second
	maxAttempts    = 8
	firstBackoff   = time.Minute
	maxBackoff     = time.Hour
)

// backoff is the wait before attempt n+1 after n failed attempts.
func backoff(n int) time.Duration {
	d := firstBackoff
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// OutboxSettings returns the settings in force.
func (s *Service) OutboxSettings(ctx context.Context) (OutboxSettings, error) {
	return loadSetting(ctx, s, outboxKey, DefaultOutboxSettings())
}

// Channels lists the channels a sender is wired for, in order.
func (s *Service) Channels() []string {
	out := make([]string, 0, len(s.senders))
	for _, x := range s.cfg.Senders {
		out = append(out, x.Channel())
	}
	return out
}

// SetOutboxSettings stores new settings: which notices leave the site is
// a security policy (the security officer's policy:manage).
func (s *Service) SetOutboxSettings(ctx context.Context, a *authz.Actor, in OutboxSettings) error {
	if err := require(a, authz.PolicyManage); err != nil {
		return s.denied(ctx, a, "outbox.settings", "setting", outboxKey, err)
	}
	if _, ok := s.senders[in.Channel]; !ok {
		return domain.Invalid("channel", "notify.channel_invalid", nil)
	}
	kinds := []string{}
	for _, k := range NoticeKinds {
		if slices.Contains(in.Kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) != len(in.Kinds) {
		return domain.Invalid("kinds", "notify.kind_invalid", nil)
	}
	in.Kinds = kinds
	old, err := s.OutboxSettings(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.PolicyManage, "outbox.settings", outboxKey, old, in)
}

// CanSeeOutbox reports whether the actor may see the outbox page: the
// security officer, who sets what goes out, and the system administrator,
// who runs the senders.
func CanSeeOutbox(a *authz.Actor) bool {
	return a.Can(authz.PolicyManage).Allowed || a.Can(authz.SystemOperate).Allowed
}

// OutboxView is the outbox page: counts by state and the latest rows.
type OutboxView struct {
	Settings OutboxSettings
	Channels []string
	Counts   map[string]int
	Recent   []store.OutboxRow
	CanEdit  bool
}

// Outbox reads the outbox for its page; state narrows the rows.
func (s *Service) Outbox(ctx context.Context, a *authz.Actor, state string) (OutboxView, error) {
	out := OutboxView{Channels: s.Channels(), CanEdit: a.Can(authz.PolicyManage).Allowed}
	if !CanSeeOutbox(a) {
		return out, domain.ErrForbidden
	}
	if state != "" && !slices.Contains([]string{store.OutboxPending, store.OutboxSending, store.OutboxSent, store.OutboxFailed}, state) {
		return out, domain.Invalid("state", "notify.state_invalid", nil)
	}
	var err error
	if out.Settings, err = s.OutboxSettings(ctx); err != nil {
		return out, err
	}
	if out.Counts, err = store.OutboxCounts(ctx, s.db.Read()); err != nil {
		return out, err
	}
	out.Recent, err = store.RecentOutbox(ctx, s.db.Read(), state, 100)
	return out, err
}

// DeliveryResult is what one delivery run did.
type DeliveryResult struct {
	Sent, Retried, Failed int
	// Lost counts attempts whose claim had expired when they ended:
	// another server may have sent the notice too.
	Lost int
}

// String is the run's short result, for the job's lease row and the log.
func (r DeliveryResult) String() string {
	return fmt.Sprintf("sent=%d retried=%d failed=%d lost=%d", r.Sent, r.Retried, r.Failed, r.Lost)
}

// DeliverOutbox sends one batch of due notices as holder (a name unique
// to this server): claim, send each, record how each ended. One audit
// entry per run that did anything.
func (s *Service) DeliverOutbox(ctx context.Context, holder string) (DeliveryResult, error) {
	var res DeliveryResult
	now := s.Now()
	var items []store.OutboxItem
	if err := s.db.Tx(ctx, func(tx store.Tx) error {
		var err error
		items, err = store.ClaimOutbox(ctx, tx, holder, now, now.Add(outboxClaim), s.cfg.OutboxBatch)
		return err
	}); err != nil || len(items) == 0 {
		return res, err
	}
	var failures []map[string]any
	for _, it := range items {
		err := s.send(ctx, it)
		state, next, lastErr := store.OutboxSent, s.Now(), ""
		switch {
		case err == nil:
			res.Sent++
		case sender.IsPermanent(err) || it.Attempts >= maxAttempts:
			state, lastErr = store.OutboxFailed, err.Error()
			res.Failed++
			failures = append(failures, map[string]any{"id": it.ID, "channel": it.Channel, "error": lastErr})
		default:
			state, next, lastErr = store.OutboxPending, s.Now().Add(backoff(it.Attempts)), err.Error()
			res.Retried++
		}
		c := context.WithoutCancel(ctx)
		var held bool
		if err := s.db.Tx(c, func(tx store.Tx) error {
			var err error
			held, err = store.SettleOutbox(c, tx, it.ID, holder, state, lastErr, next, s.Now())
			return err
		}); err != nil {
			return res, err
		}
		if !held {
			res.Lost++
			s.cfg.Log.Warn("outbox claim expired during a send", "outbox", it.ID, "holder", holder)
		}
	}
	return res, s.db.Tx(context.WithoutCancel(ctx), func(tx store.Tx) error {
		return s.record(ctx, tx, authz.System, "outbox.deliver", "job", "outbox", "ok",
			map[string]any{"sent": res.Sent, "retried": res.Retried, "failed": res.Failed, "lost": res.Lost, "failures": failures})
	})
}

// send hands one item to its channel's sender, rendered in the
// recipient's language, with a bounded wait.
func (s *Service) send(ctx context.Context, it store.OutboxItem) error {
	snd, ok := s.senders[it.Channel]
	if !ok {
		return sender.Permanent(errors.New("sender: no sender for channel " + it.Channel))
	}
	var args map[string]any
	if err := json.Unmarshal([]byte(it.Args), &args); err != nil {
		return sender.Permanent(fmt.Errorf("sender: notice arguments: %w", err))
	}
	lang := it.Locale
	if lang == "" {
		lang = i18n.Default
	}
	to := sender.Recipient{AccountID: int64(it.AccountID), Account: it.AccountName, Name: it.DisplayName, PhoneMasked: it.PhoneMasked}
	if it.PhoneSealed != "" {
		sealed := it.PhoneSealed
		to.Phone = func() (string, error) {
			b, err := s.cfg.Keys.Open(sealed, personPhoneAAD)
			return string(b), err
		}
	}
	msgs, err := s.messages()
	if err != nil {
		return err
	}
	c, cancel := context.WithTimeout(ctx, outboxSendWait)
	defer cancel()
	return snd.Send(c, to, sender.Message{Kind: it.Kind, Text: msgs.For(lang).T(it.MsgID, args), Link: it.Link})
}

// enqueue queues a new notice for the outbox when its kind goes out.
func (s *Service) enqueue(ctx context.Context, tx store.Tx, acc domain.AccountID, n Notice, out OutboxSettings) error {
	if !out.Sends(n.Kind) {
		return nil
	}
	return store.EnqueueOutbox(ctx, tx, acc, n.Key, out.Channel, s.Now())
}
