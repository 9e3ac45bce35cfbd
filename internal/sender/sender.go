// Package sender delivers notices outside the site: the outbox hands each
// notice whose kind goes out to the sender of its channel. The log sender
// is the default and always works; the SMS and e-mail senders refuse until
// they are configured, and refuse a recipient without an address for
// their channel. A refusal is permanent (trying again cannot help); any
// other error is temporary and the outbox tries again later.
//
// A recipient's phone is sealed in the database; the outbox passes a
// function that opens it, and only a sender that must dial the number
// calls it. Nothing here writes a clear phone to the log.
package sender

import (
	"context"
	"errors"
	"log/slog"
)

// Recipient is whom a message is for.
type Recipient struct {
	AccountID   int64
	Account     string // the account's sign-in name
	Name        string // the name to greet
	PhoneMasked string // 138****5678, for logs and pages; empty: no phone
	Email       string // empty: none (accounts keep no e-mail address yet)
	// Phone opens the sealed phone; nil when the account is nobody's own
	// or its person has no phone.
	Phone func() (string, error)
}

// Message is one notice, rendered in the recipient's language.
type Message struct {
	Kind string // the notice's kind: meeting, rhythm, absence …
	Text string
	Link string // a path inside the site
}

// Sender delivers messages over one channel.
type Sender interface {
	Channel() string
	Send(ctx context.Context, to Recipient, msg Message) error
}

// permanent marks an error that trying again cannot cure.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent marks err as final: the outbox records the failure and stops.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err (or one it wraps) was marked permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// The refusals every sender shares.
var (
	ErrNotConfigured = Permanent(errors.New("sender: channel not configured"))
	ErrNoAddress     = Permanent(errors.New("sender: the recipient has no address on this channel"))
)

// Log writes each message to the log, with the masked phone only: the
// default sender, so that an installation without a gateway still shows
// what would have gone out.
type Log struct {
	Log *slog.Logger
}

// Channel is "log".
func (Log) Channel() string { return "log" }

// Send logs the message.
func (l Log) Send(ctx context.Context, to Recipient, msg Message) error {
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "notice sent", "channel", "log", "account", to.Account, "phone", to.PhoneMasked, "kind", msg.Kind,
		"text", msg.Text, "link", msg.Link)
	return nil
}
