package service_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/demo"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// A window's first instant on the world's day: codes rotate every 30
// seconds from the Unix epoch.
var windowStart = beijingAt(29, 17, 0) // 09:00:00 UTC, a multiple of 30 s

func checkinAudit(t *testing.T, db *store.DB) []store.AuditEntry {
	t.Helper()
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "meeting.checkin", Limit: 100})
	noErr(t, err)
	return entries
}

// The code rotates every 30 seconds and stays good one window more; an
// expired, forged or altered code, a code for a meeting the member is not
// expected at, a second check-in, a closed meeting and an unlinked account
// are refused with their message, audited, and change nothing.
func TestCheckinTokenRotationAndRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.clock.Set(windowStart)
		a := w.member(t, "甲", "MB", domain.StatusFull)
		b := w.member(t, "乙", "MB", domain.StatusFull)
		c := w.member(t, "丙", "M2", domain.StatusFull)
		jia, yi, bing := w.actor(t, w.linked(t, "dangyuan1", a)), w.actor(t, w.linked(t, "dangyuan2", b)), w.actor(t, w.linked(t, "dangyuan3", c))
		mobile := w.actor(t, "mobile")
		id := w.plan(t, "mobile", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(29, 16, 30)})
		other := w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["M2"].ID, StartsAt: beijingAt(29, 16, 30)})

		code, err := w.svc.CheckinCode(ctx, mobile, id)
		noErr(t, err)
		if !code.Until.Equal(windowStart.Add(30*time.Second)) || code.Count.Expected != 2 {
			t.Fatalf("code %+v", code)
		}
		w.clock.Advance(25 * time.Second)
		next, _ := w.svc.CheckinCode(ctx, mobile, id)
		if next.Token != code.Token {
			t.Fatal("the code changed within its window")
		}
		w.clock.Advance(5 * time.Second)
		next, _ = w.svc.CheckinCode(ctx, mobile, id)
		if next.Token == code.Token {
			t.Fatal("the code did not rotate after 30 seconds")
		}
		// Forged: a flipped bit, garbage, a code of another service's key.
		raw, _ := base64.RawURLEncoding.DecodeString(code.Token)
		raw[3] ^= 1
		for _, bad := range []string{base64.RawURLEncoding.EncodeToString(raw), "not-a-token", code.Token + "A"} {
			_, err := w.svc.CheckIn(ctx, jia, 0, bad, "")
			wantCode(t, err, domain.CodeInvalid, "meeting.checkin_forged")
		}
		// 59 seconds after its window began, the first code still works
		// (grace); at 60 it has expired.
		w.clock.Set(windowStart.Add(59 * time.Second))
		m, err := w.svc.CheckIn(ctx, jia, 0, code.Token, "")
		noErr(t, err)
		if m.ID != id {
			t.Fatalf("checked in to %d", m.ID)
		}
		_, err = w.svc.CheckIn(ctx, jia, 0, next.Token, "")
		wantCode(t, err, domain.CodeConflict, "meeting.checkin_twice")
		w.clock.Set(windowStart.Add(60 * time.Second))
		_, err = w.svc.CheckIn(ctx, yi, 0, code.Token, "")
		wantCode(t, err, domain.CodeRule, "meeting.checkin_expired")
		// The member of M2 is not expected at MB's meeting; MB's members
		// are not expected at M2's; the API's meeting must match the code.
		_, err = w.svc.CheckIn(ctx, bing, 0, next.Token, "")
		wantCode(t, err, domain.CodeRule, "meeting.checkin_not_expected")
		otherCode, err := w.svc.CheckinCode(ctx, w.actor(t, "county"), other)
		noErr(t, err)
		_, err = w.svc.CheckIn(ctx, yi, 0, otherCode.Token, "")
		wantCode(t, err, domain.CodeRule, "meeting.checkin_not_expected")
		_, err = w.svc.CheckIn(ctx, yi, other, next.Token, "")
		wantCode(t, err, domain.CodeInvalid, "meeting.checkin_other_meeting")
		// An account not linked to a person cannot check in.
		_, err = w.svc.CheckIn(ctx, w.actor(t, "member"), 0, next.Token, "")
		wantCode(t, err, domain.CodeRule, "meeting.account_not_linked")

		lines := w.lines(t, id)
		if lines[a].Status != domain.AttendPresent || lines[a].Method != domain.MethodQR || lines[a].CheckedInAt == nil {
			t.Fatalf("checked-in line %+v", lines[a])
		}
		if lines[b].Status != domain.AttendUnmarked {
			t.Fatalf("a refused scan changed %+v", lines[b])
		}
		contacts, _ := store.Contacts(ctx, db.Read(), a, 5)
		if len(contacts) != 1 || contacts[0].Channel != "checkin" || !contacts[0].Reached {
			t.Fatalf("contacts %+v", contacts)
		}
		if n, _ := store.Contacts(ctx, db.Read(), b, 5); len(n) != 0 {
			t.Fatalf("refused scan wrote contacts %+v", n)
		}
		audit := checkinAudit(t, db)
		ok, denied := 0, 0
		for _, e := range audit {
			switch e.Outcome {
			case "ok":
				ok++
			case "denied":
				denied++
			}
		}
		if ok != 1 || denied != 9 {
			t.Fatalf("check-in audit: %d ok, %d denied", ok, denied)
		}

		// A meeting tomorrow, and a cancelled one, are not open.
		tomorrow := w.plan(t, "mobile", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(30, 9, 0)})
		_, err = w.svc.CheckinCode(ctx, mobile, tomorrow)
		wantCode(t, err, domain.CodeRule, "meeting.checkin_closed")
		fresh, _ := w.svc.CheckinCode(ctx, mobile, id)
		noErr(t, w.svc.CancelMeeting(ctx, mobile, id, 0, "停电"))
		_, err = w.svc.CheckIn(ctx, yi, 0, fresh.Token, "")
		wantCode(t, err, domain.CodeRule, "meeting.checkin_closed")
	})
}

// twoMembersMeeting is a world at the start of a code's window with two
// members of MB, 甲 and 乙, their accounts' actors, and MB's meeting today.
func twoMembersMeeting(t *testing.T, db *store.DB) (w *world, a, b domain.PersonID, jia, yi *authz.Actor, id domain.MeetingID) {
	t.Helper()
	w = newWorld(t, db)
	w.clock.Set(windowStart)
	a = w.member(t, "甲", "MB", domain.StatusFull)
	b = w.member(t, "乙", "MB", domain.StatusFull)
	jia, yi = w.actor(t, w.linked(t, "dangyuan1", a)), w.actor(t, w.linked(t, "dangyuan2", b))
	id = w.plan(t, "mobile", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(29, 16, 30)})
	return w, a, b, jia, yi, id
}

// A member who must sign in first keeps the stamp of a fresh scan and is
// checked in within ten minutes; the stamp admits only its own code.
func TestCheckinAfterSigningIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, a, b, jia, yi, id := twoMembersMeeting(t, db)
		code, _ := w.svc.CheckinCode(ctx, w.actor(t, "mobile"), id)
		w.clock.Advance(10 * time.Second)
		seen, err := w.svc.SeeCheckin(ctx, nil, code.Token, "")
		noErr(t, err)
		if seen.Seen == "" || seen.Meeting.ID != 0 {
			t.Fatalf("an anonymous scan shows %+v", seen)
		}
		w.clock.Advance(25 * time.Second)
		next, _ := w.svc.CheckinCode(ctx, w.actor(t, "mobile"), id)
		w.clock.Set(windowStart.Add(4 * time.Minute))
		_, err = w.svc.CheckIn(ctx, jia, 0, code.Token, "")
		wantCode(t, err, domain.CodeRule, "meeting.checkin_expired")
		pv, err := w.svc.SeeCheckin(ctx, jia, code.Token, seen.Seen)
		noErr(t, err)
		if pv.Meeting.ID != id || pv.Line.PersonID != a || pv.Seen != seen.Seen {
			t.Fatalf("preview %+v", pv)
		}
		// A request for leave is overtaken by coming after all.
		noErr(t, w.svc.RequestLeave(ctx, jia, id, "可能加班"))
		_, err = w.svc.CheckIn(ctx, jia, 0, code.Token, seen.Seen)
		noErr(t, err)
		if l := w.lines(t, id)[a]; l.Status != domain.AttendPresent || l.LeaveState != domain.LeaveNone {
			t.Fatalf("checked in after asking for leave: %+v", l)
		}
		// The stamp admits only the code it was made for, untampered, and
		// only for ten minutes.
		_, err = w.svc.CheckIn(ctx, yi, 0, next.Token, seen.Seen)
		wantCode(t, err, domain.CodeRule, "meeting.checkin_expired")
		_, err = w.svc.CheckIn(ctx, yi, 0, code.Token, strings.Repeat("A", len(seen.Seen)))
		wantCode(t, err, domain.CodeRule, "meeting.checkin_expired")
		w.clock.Set(windowStart.Add(10*time.Minute + 11*time.Second))
		_, err = w.svc.CheckIn(ctx, yi, 0, code.Token, seen.Seen)
		wantCode(t, err, domain.CodeRule, "meeting.checkin_expired")
		if l := w.lines(t, id)[b]; l.Status != domain.AttendUnmarked {
			t.Fatalf("refused scans changed %+v", l)
		}
	})
}

// Forty members scanning at once (each twice) are checked in once each,
// in batches: every line, contact and audit entry is written and the
// audit chain still verifies.
func TestConcurrentCheckIns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.clock.Set(windowStart)
		r, err := demo.CheckinRehearsal(ctx, w.svc, 40, goodPassword, auth.TestParams)
		noErr(t, err)
		code, err := w.svc.CheckinCode(ctx, authz.System, r.Meeting)
		noErr(t, err)
		var wg sync.WaitGroup
		var ok, twice atomic.Int32
		for i := range 2 * len(r.Accounts) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := &authz.Actor{AccountID: r.Accounts[i/2], Name: r.Logins[i/2]}
				_, err := w.svc.CheckIn(ctx, a, 0, code.Token, "")
				switch domain.CodeOf(err) {
				case "":
					ok.Add(1)
				case domain.CodeConflict:
					twice.Add(1)
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 40 || twice.Load() != 40 {
			t.Fatalf("%d checked in, %d refused as second scans", ok.Load(), twice.Load())
		}
		var lines, contacts, entries int
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_attendance WHERE method = 'qr' AND status = 'present'`).Scan(&lines))
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM person_contacts WHERE channel = 'checkin' AND reached`).Scan(&contacts))
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'meeting.checkin'`).Scan(&entries))
		if lines != 40 || contacts != 40 || entries != 80 {
			t.Fatalf("%d lines, %d contacts, %d audit entries", lines, contacts, entries)
		}
		brk, _, err := w.svc.VerifyAuditChain(ctx)
		if err != nil || brk != nil {
			t.Fatalf("audit chain: %+v %v", brk, err)
		}
		var last int
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE last_contact_on = $1`, w.svc.Today()).Scan(&last))
		if last != 40 {
			t.Fatalf("%d members' last contact moved to today", last)
		}
	})
}

// The check-in's write checks as it writes and answers with the whole
// meeting (the API returns it); a scan it does not take reads the reason
// after, exactly: a member the secretary marked present between the page
// and the confirm hears "already checked in" at the sheet's time, and the
// line, the contacts and the audit are as they were.
func TestCheckinWriteAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, a, b, jia, yi, id := twoMembersMeeting(t, db)
		mobile := w.actor(t, "mobile")
		code, err := w.svc.CheckinCode(ctx, mobile, id)
		noErr(t, err)
		pv, err := w.svc.SeeCheckin(ctx, jia, code.Token, "")
		noErr(t, err)
		m, err := w.svc.CheckIn(ctx, jia, 0, code.Token, "")
		noErr(t, err)
		if m != pv.Meeting || m.Topic == "" || m.OrgName == "" {
			t.Fatalf("the check-in answered with %+v, the page showed %+v", m, pv.Meeting)
		}
		if c, _ := store.Contacts(ctx, db.Read(), a, 5); len(c) != 1 || c[0].On != m.HeldOn || c[0].Note != m.Topic ||
			c[0].ActorName != jia.Name {
			t.Fatalf("contacts %+v", c)
		}

		w.clock.Advance(5 * time.Minute)
		noErr(t, w.svc.MarkAttendance(ctx, mobile, id, []service.Mark{{Person: b, Status: domain.AttendPresent}}))
		w.clock.Advance(time.Minute)
		next, err := w.svc.CheckinCode(ctx, mobile, id)
		noErr(t, err)
		before := len(checkinAudit(t, db))
		m, err = w.svc.CheckIn(ctx, yi, 0, next.Token, "")
		wantCode(t, err, domain.CodeConflict, "meeting.checkin_twice")
		if e := domain.AsError(err); e.Args["When"] != windowStart.Add(5*time.Minute).In(domain.China).Format("15:04") {
			t.Fatalf("already in at %v", e.Args["When"])
		}
		if m.ID != id {
			t.Fatalf("the refusal shows meeting %d", m.ID)
		}
		if l := w.lines(t, id)[b]; l.Method == domain.MethodQR || l.CheckedInAt != nil {
			t.Fatalf("a refused scan changed %+v", l)
		}
		if c, _ := store.Contacts(ctx, db.Read(), b, 5); len(c) != 1 || c[0].Channel == "checkin" {
			t.Fatalf("contacts after the refusal %+v", c)
		}
		audit := checkinAudit(t, db)
		if len(audit) != before+1 || audit[0].Outcome != "denied" {
			t.Fatalf("audit after the refusal: %d entries, newest %+v", len(audit)-before, audit[0])
		}
	})
}

// On PostgreSQL the check-in's one statement locks the audit chain's head
// last, as every other writer does: while it waits for a member's
// membership row (a secretary's write holding it), every other audited
// write can still take the head.
func TestCheckinLocksAuditHeadLast(t *testing.T) {
	dsn, ok := storetest.NewPGSchema(t)
	if !ok {
		return
	}
	db, err := store.Open(ctx, dsn)
	noErr(t, err)
	t.Cleanup(func() { db.Close() })
	noErr(t, db.Migrate(ctx))
	raw, err := sql.Open("pgx", dsn) // transactions of other writers, beside the service's pool
	noErr(t, err)
	t.Cleanup(func() { raw.Close() })
	w, a, _, jia, _, id := twoMembersMeeting(t, db)
	code, err := w.svc.CheckinCode(ctx, w.actor(t, "mobile"), id)
	noErr(t, err)
	holder, err := raw.BeginTx(ctx, nil)
	noErr(t, err)
	defer holder.Rollback()
	_, err = holder.ExecContext(ctx, `UPDATE memberships SET status = status WHERE person_id = $1`, a)
	noErr(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := w.svc.CheckIn(ctx, jia, 0, code.Token, "")
		done <- err
	}()
	// Wait until the check-in waits for the membership row.
	for waiting := 0; waiting == 0; {
		noErr(t, raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
			AND application_name = current_setting('application_name') AND wait_event_type = 'Lock'
			AND query LIKE 'WITH took AS%'`).Scan(&waiting))
		select {
		case err := <-done:
			t.Fatalf("the check-in did not wait for the membership row: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	other, err := raw.BeginTx(ctx, nil)
	noErr(t, err)
	var one int
	err = other.QueryRowContext(ctx, `SELECT id FROM audit_head WHERE id = 1 FOR UPDATE NOWAIT`).Scan(&one)
	other.Rollback()
	if err != nil {
		t.Errorf("the audit head is locked while the check-in waits: %v", err)
	}
	noErr(t, holder.Rollback())
	noErr(t, <-done)
}

// On PostgreSQL a batch is two pipelined round trips (store.CheckInAudited):
// when the second fails — here an audit entry PostgreSQL refuses — the
// whole batch is rolled back, line, contact and head alike, the
// connection goes back to the pool outside any transaction, and the next
// check-in is written and chained as usual.
func TestCheckinPipelineRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("SQLite writes a batch in a DB.Tx")
		}
		w, a, _, jia, _, id := twoMembersMeeting(t, db)
		var seq int64
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq))
		now := w.svc.Now()
		_, err := store.CheckInAudited(ctx, db, nulChain{}, []store.Scan{{Meeting: id, Account: jia.AccountID, By: jia.Name}}, now,
			domain.Today(now), func(res []store.Scanned) []store.AuditEntry {
				return []store.AuditEntry{{At: now, ActorName: "x", Action: "meeting.checkin\x00", ObjectType: "meeting", ObjectID: "1",
					Outcome: "ok"}}
			})
		if err == nil {
			t.Fatal("an entry PostgreSQL refuses was written")
		}
		var after int64
		var contacts, open int
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&after))
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM person_contacts WHERE channel = 'checkin'`).Scan(&contacts))
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
			AND application_name = current_setting('application_name') AND state LIKE 'idle in transaction%'`).Scan(&open))
		if l := w.lines(t, id)[a]; l.Status == domain.AttendPresent || after != seq || contacts != 0 || open != 0 {
			t.Fatalf("after the failed batch: line %+v, head %d (was %d), %d contacts, %d connections in a transaction",
				l, after, seq, contacts, open)
		}
		code, err := w.svc.CheckinCode(ctx, w.actor(t, "mobile"), id)
		noErr(t, err)
		_, err = w.svc.CheckIn(ctx, jia, 0, code.Token, "")
		noErr(t, err)
		if l := w.lines(t, id)[a]; l.Status != domain.AttendPresent {
			t.Fatalf("the next check-in: %+v", l)
		}
		brk, _, err := w.svc.VerifyAuditChain(ctx)
		if err != nil || brk != nil {
			t.Fatalf("audit chain: %+v %v", brk, err)
		}
	})
}

// nulChain chains nothing: the entries it is given are never kept.
type nulChain struct{}

func (nulChain) ChainHash(prev, entry []byte) []byte { return []byte("x") }

// TestCheckinBatchOwnConnections writes a check-in batch while every
// connection of the shared pool is taken: on PostgreSQL the batches have
// connections of their own, so a burst of single reads does not hold back
// the batch that carries every scan. The deadline only turns a batch that
// waits into a failure.
func TestCheckinBatchOwnConnections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("SQLite writes a batch on its one writer")
		}
		w, a, _, jia, _, id := twoMembersMeeting(t, db)
		pool := db.Read().(*sql.DB)
		var held []*sql.Conn
		for range pool.Stats().MaxOpenConnections {
			c, err := pool.Conn(ctx)
			noErr(t, err)
			held = append(held, c)
		}
		wait, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		now := w.svc.Now()
		res, err := store.CheckInAudited(wait, db, nulChain{}, []store.Scan{{Meeting: id, Account: jia.AccountID, By: jia.Name}},
			now, domain.Today(now), func(res []store.Scanned) []store.AuditEntry {
				return []store.AuditEntry{{At: now, ActorName: jia.Name, Action: "meeting.checkin", ObjectType: "meeting",
					ObjectID: fmt.Sprint(id), Outcome: "ok"}}
			})
		for _, c := range held {
			c.Close()
		}
		noErr(t, err)
		if !res[0].Took || w.lines(t, id)[a].Status != domain.AttendPresent {
			t.Fatalf("the batch with the shared pool taken: %+v", res)
		}
	})
}
