package service_test

import (
	"sync/atomic"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// A signed-in request costs one statement before its page's own: the
// session, read with the access epoch, the password policy and the unread
// count; the actor comes from the cache, which the sign-in fills. Nothing
// is served stale for that: what another server changes on the same
// database — the policy, a notice, a grant, a session ended — shows at
// the next request.
func TestSessionRequestInOneStatement(t *testing.T) {
	storetest.EachPair(t, func(t *testing.T, db, otherDB *store.DB) {
		var n atomic.Int64
		keys := newEnv(t, db).keys
		e := newEnvWithKeys(t, db.Counted(&n), keys, clock.NewFake(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)))
		other := newEnvWithKeys(t, otherDB, keys, e.clock)
		acc := e.account(t, "member1", authz.RoleMember)
		sec, err := other.svc.ActorFor(ctx, other.account(t, "sec", authz.RoleSecOfficer))
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(40 * 24 * time.Hour) // the password is 40 days old: good for the default 90
		tok, _ := e.login(t, "member1", goodPassword)
		request := func(what string) (service.Principal, int) {
			t.Helper()
			n.Store(0)
			p, err := e.svc.Authenticate(ctx, tok, "a")
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			unread, err := e.svc.UnreadFor(ctx, &p)
			if err != nil || n.Load() != 1 {
				t.Errorf("%s: %d statements (%v), want 1", what, n.Load(), err)
			}
			return p, unread
		}
		if p, unread := request("the first request after the sign-in"); p.Stage != service.StageFull || unread != 0 ||
			p.Actor.Can(authz.PersonWrite).Allowed {
			t.Fatalf("stage %s, %d unread, grants %v", p.Stage, unread, p.Actor.Grants)
		}

		policy := auth.DefaultPolicy()
		policy.MaxAgeDays = 30
		if err := other.svc.SetPasswordPolicy(ctx, sec, policy); err != nil {
			t.Fatal(err)
		}
		if p, _ := request("after a policy change"); p.Stage != service.StagePassword {
			t.Errorf("stage %s after another server shortened the password's life to 30 days, want password", p.Stage)
		}
		policy.MaxAgeDays = 0
		if err := other.svc.SetPasswordPolicy(ctx, sec, policy); err != nil {
			t.Fatal(err)
		}
		if p, _ := request("after the policy is relaxed"); p.Stage != service.StageFull {
			t.Errorf("stage %s once passwords never expire", p.Stage)
		}

		if err := otherDB.Tx(ctx, func(tx store.Tx) error {
			_, err := store.AddNotification(ctx, tx, store.Notification{AccountID: acc, Kind: "test", MsgID: "m", Args: "{}",
				DedupeKey: "one", CreatedAt: e.clock.Now()})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, unread := request("after a notice"); unread != 1 {
			t.Errorf("%d unread after another server's notice, want 1", unread)
		}
		// A principal not read with its session counts afresh.
		if unread, err := e.svc.UnreadFor(ctx, &service.Principal{Actor: &authz.Actor{AccountID: acc}}); err != nil || unread != 1 {
			t.Errorf("counted afresh: %d (%v), want 1", unread, err)
		}

		if err := other.svc.BootstrapGrant(ctx, acc, authz.RoleHomeSecretary, "组织-member1"); err != nil {
			t.Fatal(err)
		}
		n.Store(0)
		p, err := e.svc.Authenticate(ctx, tok, "a")
		if err != nil || !p.Actor.Can(authz.PersonWrite).Allowed {
			t.Errorf("a grant by another server not seen at the next request: %v (%v)", p.Actor.Grants, err)
		}
		// The epoch moved: the session, then the account and its grants
		// with their organizations read afresh.
		if n.Load() != 3 {
			t.Errorf("%d statements after the epoch moved, want 3", n.Load())
		}

		op, err := other.svc.Authenticate(ctx, tok, "b")
		if err != nil {
			t.Fatal(err)
		}
		if err := other.svc.Logout(ctx, op); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Authenticate(ctx, tok, "a")
		wantCode(t, err, domain.CodeUnauthorized, "session.expired")
	})
}

// A scan — the page after it and the check-in — costs three statements
// before the batched write: the session for each request (the unread count
// comes with it) and the check-in view for the page (with the meeting);
// the check-in reads no view, its write checks as it writes. The write is
// one transaction that reads nothing for the people index.
func TestCheckinScanStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var n atomic.Int64
		w := newWorld(t, db.Counted(&n))
		w.clock.Set(windowStart)
		login := w.linked(t, "dangyuan1", w.member(t, "甲", "MB", domain.StatusFull))
		id := w.plan(t, "mobile", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(29, 16, 30)})
		code, err := w.svc.CheckinCode(ctx, w.actor(t, "mobile"), id)
		noErr(t, err)
		tok, _ := w.login(t, login, goodPassword)

		n.Store(0)
		p, err := w.svc.Authenticate(ctx, tok, "a")
		noErr(t, err)
		pv, err := w.svc.SeeCheckin(ctx, p.Actor, code.Token, "")
		noErr(t, err)
		_, err = w.svc.UnreadFor(ctx, &p)
		noErr(t, err)
		if n.Load() != 2 || pv.Meeting.Place != "工地会议室" || pv.Meeting.StartsAt.IsZero() || pv.Line.Name != "甲" {
			t.Errorf("the page after the scan: %d statements, want 2; meeting %+v, line %+v", n.Load(), pv.Meeting, pv.Line)
		}
		n.Store(0)
		p, err = w.svc.Authenticate(ctx, tok, "a")
		noErr(t, err)
		_, err = w.svc.CheckIn(ctx, p.Actor, 0, code.Token, "")
		noErr(t, err)
		// The session and a batch of one: begin, the candidates, the line,
		// the contact, the member's last contact, the audit head, the entry
		// and the head's hash, commit. PostgreSQL checks and writes the
		// line, the contact and the last contact and moves the audit head
		// on in one statement, sent with the begin, and writes the entry
		// with the head's hash in one more, sent with the commit: two round
		// trips.
		want := int64(1 + 9)
		if db.Dialect() == store.Postgres {
			want = 1 + 2
		}
		if n.Load() != want {
			t.Errorf("the check-in: %d statements, want %d", n.Load(), want)
		}
	})
}
