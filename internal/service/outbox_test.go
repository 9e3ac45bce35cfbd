package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/domain"
	"gongjian/internal/sender"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// counting is a sender that counts what it was given and fails as told;
// pause makes each send take a while, as a gateway's answer does.
type counting struct {
	channel string
	pause   time.Duration
	mu      sync.Mutex
	sent    map[string]int // account name + text → sends
	calls   int
	fail    func(call int) error
}

func (c *counting) Channel() string { return c.channel }

func (c *counting) Send(ctx context.Context, to sender.Recipient, msg sender.Message) error {
	time.Sleep(c.pause)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.fail != nil {
		if err := c.fail(c.calls); err != nil {
			return err
		}
	}
	if c.sent == nil {
		c.sent = map[string]int{}
	}
	c.sent[to.Account+"|"+msg.Text]++
	return nil
}

// server is a second service on the same database, as another server
// would be, with its own senders.
func (w *world) server(t *testing.T, senders ...sender.Sender) *service.Service {
	t.Helper()
	return w.serverBatch(t, 0, senders...)
}

func (w *world) serverBatch(t *testing.T, batch int, senders ...sender.Sender) *service.Service {
	t.Helper()
	svc, err := service.New(w.db, service.Config{Clock: w.clock, Keys: w.keys, PasswordParams: auth.TestParams, DataDir: t.TempDir(),
		Senders: senders, OutboxBatch: batch, Log: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))})
	noErr(t, err)
	return svc
}

// queue puts a notice of kind in an account's inbox and in the outbox for
// channel, as notify does.
func (w *world) queue(t *testing.T, name, kind, channel string, i int) {
	t.Helper()
	key := fmt.Sprintf("test:%d", i)
	noErr(t, w.db.Tx(ctx, func(tx store.Tx) error {
		if _, err := store.AddNotification(ctx, tx, store.Notification{AccountID: w.accounts[name], Kind: kind,
			MsgID: "rhythm.notice.due.theme_day", Args: fmt.Sprintf(`{"Org":"组织%d","Span":"2026-11","Last":"2026-11-30","Held":0,"Min":1}`, i),
			DedupeKey: key, CreatedAt: w.clock.Now()}); err != nil {
			return err
		}
		return store.EnqueueOutbox(ctx, tx, w.accounts[name], key, channel, w.clock.Now())
	}))
}

func outboxStates(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	c, err := store.OutboxCounts(ctx, db.Read())
	noErr(t, err)
	return c
}

// Two servers deliver the same outbox at once, in small batches, so
// that each reaches for rows the other is claiming: every notice goes out
// exactly once.
func TestOutboxTwoServersDeliverOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		names := []string{"county", "home", "mobile", "host"}
		for i := range 60 {
			w.queue(t, names[i%4], "rhythm", "log", i)
		}
		a, b := &counting{channel: "log", pause: time.Millisecond}, &counting{channel: "log", pause: time.Millisecond}
		servers := []*service.Service{w.serverBatch(t, 4, a), w.serverBatch(t, 4, b)}
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		start := make(chan struct{})
		for i, s := range servers {
			wg.Go(func() {
				<-start
				for idle := 0; idle < 3; {
					r, err := s.DeliverOutbox(ctx, fmt.Sprintf("server-%d", i))
					if err != nil {
						errs <- err
						return
					}
					if r.Sent == 0 {
						idle++
					}
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		total := map[string]int{}
		for _, c := range []*counting{a, b} {
			for k, n := range c.sent {
				total[k] += n
			}
		}
		if len(total) != 60 {
			t.Fatalf("%d distinct notices went out, want 60", len(total))
		}
		for k, n := range total {
			if n != 1 {
				t.Errorf("%q went out %d times", k, n)
			}
		}
		if s := outboxStates(t, db); s["sent"] != 60 || len(s) != 1 {
			t.Fatalf("states %v", s)
		}
		t.Logf("server 0 sent %d, server 1 sent %d", a.calls, b.calls)
	})
}

func outboxRow(t *testing.T, db *store.DB) store.OutboxRow {
	t.Helper()
	rows, err := store.RecentOutbox(ctx, db.Read(), "", 1)
	noErr(t, err)
	if len(rows) != 1 {
		t.Fatal("no outbox row")
	}
	return rows[0]
}

// A temporary failure is tried again after a growing wait, not before;
// a refusal fails at once; too many failures fail for good.
func TestOutboxRetryAndFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		flaky := &counting{channel: "log", fail: func(n int) error {
			if n <= 2 {
				return errors.New("gateway busy")
			}
			return nil
		}}
		s := w.server(t, flaky)
		w.queue(t, "mobile", "rhythm", "log", 1)
		deliver := func() service.DeliveryResult {
			t.Helper()
			r, err := s.DeliverOutbox(ctx, "one")
			noErr(t, err)
			return r
		}
		if r := deliver(); r.Retried != 1 {
			t.Fatalf("first attempt %+v", r)
		}
		row := outboxRow(t, db)
		if row.State != "pending" || row.Attempts != 1 || row.LastError != "gateway busy" || !row.NextAt.Equal(w.clock.Now().Add(time.Minute)) {
			t.Fatalf("after one failure %+v", row)
		}
		if r := deliver(); r != (service.DeliveryResult{}) {
			t.Fatalf("tried again before its time: %+v", r)
		}
		w.clock.Advance(time.Minute)
		if r := deliver(); r.Retried != 1 || !outboxRow(t, db).NextAt.Equal(w.clock.Now().Add(2*time.Minute)) {
			t.Fatalf("second attempt %+v, next %v", r, outboxRow(t, db).NextAt)
		}
		w.clock.Advance(2 * time.Minute)
		if r := deliver(); r.Sent != 1 {
			t.Fatalf("third attempt %+v", r)
		}
		if row := outboxRow(t, db); row.State != "sent" || row.Attempts != 3 || row.SentAt == nil || row.LastError != "" {
			t.Fatalf("sent row %+v", row)
		}

		// SMS without a gateway, and a channel no sender serves: refused.
		sms := w.server(t, sender.Log{}, sender.SMS{})
		w.queue(t, "mobile", "rhythm", "sms", 2)
		r, err := sms.DeliverOutbox(ctx, "two")
		noErr(t, err)
		if row := outboxRow(t, db); r.Failed != 1 || row.State != "failed" || row.Attempts != 1 || !strings.Contains(row.LastError, "not configured") {
			t.Fatalf("sms unconfigured: %+v %+v", r, row)
		}
		w.queue(t, "mobile", "rhythm", "fax", 3)
		if r, _ := sms.DeliverOutbox(ctx, "two"); r.Failed != 1 || !strings.Contains(outboxRow(t, db).LastError, "no sender") {
			t.Fatalf("unknown channel: %+v", outboxRow(t, db))
		}

		// A sender that always fails gives up after eight attempts.
		down := w.server(t, &counting{channel: "log", fail: func(int) error { return errors.New("down") }})
		w.queue(t, "mobile", "rhythm", "log", 4)
		for i := 1; i <= 8; i++ {
			r, err := down.DeliverOutbox(ctx, "three")
			noErr(t, err)
			row := outboxRow(t, db)
			if row.Attempts != i || (i < 8) != (row.State == "pending") || (i == 8) != (r.Failed == 1) {
				t.Fatalf("attempt %d: %+v %+v", i, r, row)
			}
			w.clock.Advance(time.Hour)
		}
		acts := auditActions(t, db)
		n := 0
		for _, a := range acts {
			if a == "outbox.deliver" {
				n++
			}
		}
		if n != 3+2+8 {
			t.Errorf("%d outbox.deliver entries, want one per run that did something (13)", n)
		}
	})
}

// A server that dies holding a claim delays the notice until the claim
// expires; then another sends it, and the dead one's late report changes
// nothing.
func TestOutboxExpiredClaimIsRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.queue(t, "home", "rhythm", "log", 1)
		now := w.clock.Now()
		var claimed []store.OutboxItem
		noErr(t, db.Tx(ctx, func(tx store.Tx) error {
			var err error
			claimed, err = store.ClaimOutbox(ctx, tx, "dead", now, now.Add(5*time.Minute), 10)
			return err
		}))
		if len(claimed) != 1 || claimed[0].Attempts != 1 || claimed[0].AccountName != "home" {
			t.Fatalf("claimed %+v", claimed)
		}
		alive := &counting{channel: "log"}
		s := w.server(t, alive)
		w.clock.Advance(4 * time.Minute)
		if r, err := s.DeliverOutbox(ctx, "alive"); err != nil || r.Sent != 0 {
			t.Fatalf("took a held claim: %+v %v", r, err)
		}
		w.clock.Advance(2 * time.Minute)
		if r, err := s.DeliverOutbox(ctx, "alive"); err != nil || r.Sent != 1 {
			t.Fatalf("did not take an expired claim: %+v %v", r, err)
		}
		var held bool
		noErr(t, db.Tx(ctx, func(tx store.Tx) error {
			var err error
			held, err = store.SettleOutbox(ctx, tx, claimed[0].ID, "dead", store.OutboxFailed, "late", now, now)
			return err
		}))
		if row := outboxRow(t, db); held || row.State != "sent" || row.Attempts != 2 {
			t.Fatalf("the dead server's late report: held=%v %+v", held, row)
		}
	})
}

// The log sender writes the member's masked phone, never the clear one;
// the SMS sender gets the clear number, opened only there.
func TestOutboxMasksThePhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		pid, err := w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: "王二", Phone: "13812345678",
			OriginOrgID: w.orgs["V"].ID, Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID,
				MobileOrgID: w.orgs["MB"].ID, JoinedOn: domain.NewDate(2010, 7, 1)}})
		noErr(t, err)
		noErr(t, db.Tx(ctx, func(tx store.Tx) error { return store.SetAccountPerson(ctx, tx, w.accounts["member"], pid) }))
		var buf bytes.Buffer
		s := w.server(t, sender.Log{Log: slog.New(slog.NewTextHandler(&buf, nil))})
		w.queue(t, "member", "meeting", "log", 1)
		r, err := s.DeliverOutbox(ctx, "one")
		noErr(t, err)
		out := buf.String()
		if r.Sent != 1 || strings.Contains(out, "13812345678") || !strings.Contains(out, "138****5678") || !strings.Contains(out, "组织1") {
			t.Fatalf("log sender wrote %q (%+v)", out, r)
		}
		var got []string
		phone := &phoneSender{got: &got}
		w.queue(t, "member", "meeting", "sms", 2)
		if r, err := w.server(t, phone).DeliverOutbox(ctx, "two"); err != nil || r.Sent != 1 || len(got) != 1 || got[0] != "13812345678" {
			t.Fatalf("sms sender got %v (%+v, %v)", got, r, err)
		}
		// Nothing in the audit log names the number either.
		entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 100})
		noErr(t, err)
		for _, e := range entries {
			if strings.Contains(e.Detail, "13812345678") {
				t.Fatalf("audit %s holds the clear phone", e.Action)
			}
		}
	})
}

// phoneSender opens the recipient's phone, as an SMS sender must.
type phoneSender struct{ got *[]string }

func (phoneSender) Channel() string { return "sms" }

func (p phoneSender) Send(ctx context.Context, to sender.Recipient, msg sender.Message) error {
	if to.Phone == nil {
		return sender.ErrNoAddress
	}
	n, err := to.Phone()
	*p.got = append(*p.got, n)
	return err
}

// Notices of the kinds the settings name are queued with them, others
// only in the inbox; the security officer changes the settings, nobody
// else, and only to a channel a sender serves.
func TestOutboxQueuesConfiguredKinds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.at(domain.NewDate(2026, 10, 24))
		_, err := w.svc.CheckRhythm(ctx, w.svc.Today())
		noErr(t, err)
		rows, err := store.RecentOutbox(ctx, db.Read(), "pending", 100)
		noErr(t, err)
		var notices int
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE kind = 'rhythm'`).Scan(&notices))
		if len(rows) == 0 || len(rows) != notices || rows[0].Kind != "rhythm" || rows[0].Channel != "log" {
			t.Fatalf("%d queued for %d notices: %+v", len(rows), notices, rows)
		}
		// Lost-contact warnings stay in the inbox unless the settings say.
		w.reached(t, w.memberAt(t, "久未联系", "V", "MB"), domain.NewDate(2026, 1, 5))
		_, err = w.svc.CheckContacts(ctx, w.svc.Today())
		noErr(t, err)
		if after, _ := store.RecentOutbox(ctx, db.Read(), "", 100); len(after) != len(rows) {
			t.Fatal("a lost-contact notice was queued by default")
		}
		for _, name := range []string{"county", "sysadmin", "auditor"} {
			wantCode(t, w.svc.SetOutboxSettings(ctx, w.actor(t, name), service.OutboxSettings{Channel: "log"}), domain.CodeForbidden, "")
		}
		sec := w.actor(t, "secofficer")
		wantCode(t, w.svc.SetOutboxSettings(ctx, sec, service.OutboxSettings{Channel: "sms"}), domain.CodeInvalid, "notify.channel_invalid")
		wantCode(t, w.svc.SetOutboxSettings(ctx, sec, service.OutboxSettings{Channel: "log", Kinds: []string{"spam"}}), domain.CodeInvalid,
			"notify.kind_invalid")
		noErr(t, w.svc.SetOutboxSettings(ctx, sec, service.OutboxSettings{Channel: "log", Kinds: []string{"lost_contact", "rhythm"}}))
		got, err := w.svc.OutboxSettings(ctx)
		noErr(t, err)
		if strings.Join(got.Kinds, ",") != "rhythm,lost_contact" {
			t.Fatalf("stored kinds %v", got.Kinds)
		}
		w.reached(t, w.memberAt(t, "半年未联系", "V", "MB"), domain.NewDate(2026, 4, 20))
		w.at(domain.NewDate(2026, 10, 25))
		_, err = w.svc.CheckContacts(ctx, w.svc.Today())
		noErr(t, err)
		after, err := store.RecentOutbox(ctx, db.Read(), "", 100)
		noErr(t, err)
		if len(after) <= len(rows) || after[0].Kind != "lost_contact" {
			t.Fatalf("lost-contact notices not queued once the settings name them: %+v", after[0])
		}
		view, err := w.svc.Outbox(ctx, w.actor(t, "sysadmin"), "")
		noErr(t, err)
		if view.CanEdit || view.Counts["pending"] != len(after) {
			t.Fatalf("sysadmin's view %+v", view.Counts)
		}
		_, err = w.svc.Outbox(ctx, w.actor(t, "county"), "")
		wantCode(t, err, domain.CodeForbidden, "")
		if !service.CanSeeOutbox(w.actor(t, "secofficer")) || service.CanSeeOutbox(w.actor(t, "auditor")) {
			t.Fatal("outbox page access")
		}
	})
}
