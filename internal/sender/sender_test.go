package sender

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var ctx = context.Background()

func recipient(opened *int) Recipient {
	return Recipient{AccountID: 7, Account: "member", Name: "王二", PhoneMasked: "138****5678",
		Phone: func() (string, error) { *opened++; return "13812345678", nil }}
}

// The log sender writes the masked phone, never the clear one, and does
// not even open it.
func TestLogSenderMasks(t *testing.T) {
	var buf bytes.Buffer
	opened := 0
	s := Log{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := s.Send(ctx, recipient(&opened), Message{Kind: "rhythm", Text: "十月尚未开展主题党日", Link: "/orgs/3"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "13812345678") || !strings.Contains(out, "138****5678") || !strings.Contains(out, "十月尚未开展主题党日") {
		t.Fatalf("log line %q", out)
	}
	if opened != 0 {
		t.Fatal("the log sender opened the sealed phone")
	}
}

func TestUnconfiguredSendersRefuse(t *testing.T) {
	opened := 0
	for _, s := range []Sender{SMS{}, Mail{}, Mail{Addr: "127.0.0.1:25"}} {
		err := s.Send(ctx, recipient(&opened), Message{Text: "x"})
		if !errors.Is(err, ErrNotConfigured) || !IsPermanent(err) {
			t.Errorf("%s: %v", s.Channel(), err)
		}
	}
	if opened != 0 {
		t.Fatal("an unconfigured sender opened the phone")
	}
	// Configured, but the recipient has no address on the channel.
	if err := (SMS{Gateway: "http://127.0.0.1:1"}).Send(ctx, Recipient{Account: "x"}, Message{}); !errors.Is(err, ErrNoAddress) {
		t.Errorf("sms without phone: %v", err)
	}
	if err := (Mail{Addr: "127.0.0.1:25", From: "a@b"}).Send(ctx, Recipient{Account: "x"}, Message{}); !errors.Is(err, ErrNoAddress) {
		t.Errorf("mail without address: %v", err)
	}
}

// The SMS sender posts the clear number to the gateway only; a 4xx is
// final, a 5xx is tried again.
func TestSMSGateway(t *testing.T) {
	status := http.StatusOK
	var got map[string]string
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		json.NewDecoder(r.Body).Decode(&got)
		w.WriteHeader(status)
	}))
	defer srv.Close()
	opened := 0
	s := SMS{Gateway: srv.URL, Token: "t0k"}
	if err := s.Send(ctx, recipient(&opened), Message{Text: "你好"}); err != nil {
		t.Fatal(err)
	}
	if got["to"] != "13812345678" || got["text"] != "你好" || auth != "Bearer t0k" || opened != 1 {
		t.Fatalf("gateway got %v %q (opened %d)", got, auth, opened)
	}
	status = http.StatusBadRequest
	if err := s.Send(ctx, recipient(&opened), Message{}); err == nil || !IsPermanent(err) || strings.Contains(err.Error(), "13812345678") {
		t.Fatalf("4xx: %v", err)
	}
	status = http.StatusBadGateway
	if err := s.Send(ctx, recipient(&opened), Message{}); err == nil || IsPermanent(err) {
		t.Fatalf("5xx: %v", err)
	}
}
