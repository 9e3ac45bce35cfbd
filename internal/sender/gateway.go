package sender

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/smtp"
	"strings"
	"time"
)

// SMS posts each message as JSON ({"to": phone, "text": …}) to the
// county's SMS gateway, the adapter in front of whichever carrier
// platform it uses. Without a gateway it refuses.
type SMS struct {
	Gateway string // URL; empty: not configured
	Token   string // sent as a bearer token when set
	Client  *http.Client
}

// Channel is "sms".
func (SMS) Channel() string { return "sms" }

// Send posts the message. A 4xx answer is permanent (the gateway will
// never take it), anything else that is not 2xx is tried again.
func (s SMS) Send(ctx context.Context, to Recipient, msg Message) error {
	if s.Gateway == "" {
		return ErrNotConfigured
	}
	if to.Phone == nil {
		return ErrNoAddress
	}
	phone, err := to.Phone()
	if err != nil {
		return fmt.Errorf("sender: open phone: %w", err)
	}
	if phone == "" {
		return ErrNoAddress
	}
	body, _ := json.Marshal(map[string]string{"to": phone, "text": msg.Text})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Gateway, bytes.NewReader(body))
	if err != nil {
		return Permanent(fmt.Errorf("sender: sms gateway: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	c := s.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		// The error names the URL, never the number (it is in the body).
		return fmt.Errorf("sender: sms gateway: %w", err)
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode/100 == 4:
		return Permanent(fmt.Errorf("sender: sms gateway answered %s", resp.Status))
	}
	return fmt.Errorf("sender: sms gateway answered %s", resp.Status)
}

// Mail sends each message by SMTP from From through Addr. Accounts keep no
// e-mail address yet (docs/decisions/0013), so until they do it refuses
// every recipient; it is here so that adding the address is the only step
// left.
type Mail struct {
	Addr string // host:port of the relay; empty: not configured
	From string
}

// Channel is "email".
func (Mail) Channel() string { return "email" }

// Send mails the message.
func (m Mail) Send(ctx context.Context, to Recipient, msg Message) error {
	if m.Addr == "" || m.From == "" {
		return ErrNotConfigured
	}
	if to.Email == "" {
		return ErrNoAddress
	}
	if strings.ContainsAny(to.Email+m.From, "\r\n") {
		return Permanent(fmt.Errorf("sender: malformed address"))
	}
	body := "From: " + m.From + "\r\nTo: " + to.Email + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", firstLine(msg.Text)) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + msg.Text + "\r\n"
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(m.Addr, nil, m.From, []string{to.Email}, []byte(body)) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("sender: mail: %w", err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// firstLine is the text up to its first line break, at most 60
// characters: the subject.
func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}
