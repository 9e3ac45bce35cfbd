package service_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// lastAudit is the newest audit entry of an action, with its detail
// decoded.
func lastAudit(t *testing.T, db *store.DB, action string) (store.AuditEntry, map[string]any) {
	t.Helper()
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: action, Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("no %s entry: %v", action, err)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(entries[0].Detail), &d); err != nil {
		t.Fatalf("%s detail %q: %v", action, entries[0].Detail, err)
	}
	return entries[0], d
}

func auditCount(t *testing.T, db *store.DB) int {
	t.Helper()
	return len(auditActions(t, db))
}

func TestDuesVoidPayment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.duesMember(t, "单雄信", domain.StatusFull, domain.NewDate(2001, 7, 1))
		w.standard(t, "mobile", p, 202601, domain.DuesWage, 800000) // ¥120.00 a month
		mobile := w.actor(t, "mobile")
		wrong := pay(202610)
		wrong.Amount, wrong.Channel, wrong.Note = money(13000), domain.PayCash, "多记了十元"
		if _, err := w.svc.RecordDues(ctx, mobile, p, wrong); err != nil {
			t.Fatal(err)
		}
		contacts, _ := store.Contacts(ctx, db.Read(), p, 20)

		// Refused before anything is read: no reason, too long a reason,
		// a month that is not one.
		for _, c := range []struct {
			m      domain.Month
			reason string
			msgID  string
		}{
			{202610, "  ", "dues.reason_required"},
			{202610, strings.Repeat("错", 201), "dues.note_long"},
			{202613, "记错了", "dues.month_invalid"},
		} {
			_, err := w.svc.VoidDuesPayment(ctx, mobile, p, c.m, c.reason)
			wantCode(t, err, domain.CodeInvalid, c.msgID)
		}
		_, err := w.svc.VoidDuesPayment(ctx, mobile, p, 202608, "记错了")
		wantCode(t, err, domain.CodeNotFound, "dues.payment_not_found")

		// Out of reach: the host sees the member but not their dues, a
		// member sees neither; the home secretary reads the dues but did
		// not collect this payment, which is refused and audited.
		for _, who := range []string{"host", "member"} {
			_, err := w.svc.VoidDuesPayment(ctx, w.actor(t, who), p, 202610, "记错了")
			wantCode(t, err, domain.CodeNotFound, "")
		}
		_, err = w.svc.VoidDuesPayment(ctx, w.actor(t, "home"), p, 202610, "记错了")
		wantCode(t, err, domain.CodeForbidden, "")
		if e, _ := lastAudit(t, db, "dues.void"); e.Outcome != "denied" {
			t.Fatalf("refusal audited as %+v", e)
		}
		d, _ := w.svc.MemberDues(ctx, w.actor(t, "home"), p)
		if len(d.Payments) != 1 || len(d.Voidable) != 0 {
			t.Fatalf("home: payments %d voidable %v", len(d.Payments), d.Voidable)
		}
		d, _ = w.svc.MemberDues(ctx, mobile, p)
		if !d.Voidable[202610] {
			t.Fatalf("mobile voidable %v", d.Voidable)
		}

		// Voided, the month is owed again and is recorded anew; the audit
		// entry holds every value of the row removed and the reason.
		removed, err := w.svc.VoidDuesPayment(ctx, mobile, p, 202610, "  金额记错，应为120元  ")
		if err != nil || removed.Amount != 13000 {
			t.Fatalf("void: %+v %v", removed, err)
		}
		e, det := lastAudit(t, db, "dues.void")
		want := map[string]any{"month": "2026-10", "amount": 13000.0, "standard": 12000.0, "retained": 6500.0, "channel": "cash",
			"paid_on": "2026-11-20", "org": float64(w.orgs["MB"].ID), "org_name": w.orgs["MB"].Name, "side": "mobile", "note": "多记了十元",
			"recorded_by": "mobile", "reason": "金额记错，应为120元"}
		for k, v := range want {
			if det[k] != v {
				t.Errorf("audit %s = %v, want %v", k, det[k], v)
			}
		}
		if e.Outcome != "ok" || e.ObjectID != itoa(p) || det["recorded_at"] == nil {
			t.Fatalf("audit entry %+v %v", e, det)
		}
		d, _ = w.svc.MemberDues(ctx, mobile, p)
		if len(d.Payments) != 0 || len(d.Unpaid) != 11 {
			t.Fatalf("after void: payments %d unpaid %d", len(d.Payments), len(d.Unpaid))
		}
		if got, err := w.svc.RecordDues(ctx, mobile, p, pay(202610)); err != nil || got[0].Amount != 12000 {
			t.Fatalf("recorded again: %+v %v", got, err)
		}
		// The contact of the first payment stays (the member was reached);
		// the new payment adds its own.
		if after, _ := store.Contacts(ctx, db.Read(), p, 20); len(after) != len(contacts)+1 {
			t.Fatalf("contacts %d then %d", len(contacts), len(after))
		}

		// A month closed above the collecting branch cannot be voided,
		// and nothing changes.
		if err := w.svc.CloseDuesMonth(ctx, mobile, w.orgs["M"].ID, 202610); err != nil {
			t.Fatal(err)
		}
		n := auditCount(t, db)
		_, err = w.svc.VoidDuesPayment(ctx, mobile, p, 202610, "记错了")
		wantCode(t, err, domain.CodeRule, "dues.void_closed")
		if e := domain.AsError(err); e.Args["Org"] != w.orgs["M"].Name || e.Args["Month"] != "2026-10" {
			t.Fatalf("message args %v", e.Args)
		}
		d, _ = w.svc.MemberDues(ctx, mobile, p)
		if len(d.Payments) != 1 || d.Voidable[202610] || d.ClosedBy[202610] != w.orgs["M"].Name || auditCount(t, db) != n {
			t.Fatalf("after a refused void: payments %d voidable %v audit %d→%d", len(d.Payments), d.Voidable, n, auditCount(t, db))
		}
	})
}

func TestDuesReopenMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, p, mobile := duesWorld(t, db)
		m := w.orgs["M"].ID
		if err := w.svc.CloseDuesMonth(ctx, mobile, m, 202609); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.RecordDues(ctx, mobile, p, pay(202609))
		wantCode(t, err, domain.CodeRule, "dues.month_closed")

		wantCode(t, w.svc.ReopenDuesMonth(ctx, mobile, m, 202609, ""), domain.CodeInvalid, "dues.reason_required")
		wantCode(t, w.svc.ReopenDuesMonth(ctx, mobile, m, 202600, "误关"), domain.CodeInvalid, "dues.month_invalid")
		// The branch under M did not close September: M did, and says so.
		err = w.svc.ReopenDuesMonth(ctx, mobile, w.orgs["MB"].ID, 202609, "误关")
		wantCode(t, err, domain.CodeRule, "dues.reopen_above")
		if e := domain.AsError(err); e.Args["Org"] != w.orgs["M"].Name {
			t.Fatalf("reopen above names %v", e.Args)
		}
		wantCode(t, w.svc.ReopenDuesMonth(ctx, mobile, m, 202608, "误关"), domain.CodeConflict, "dues.reopen_not_closed")
		// The host sees M but collects nothing there (refused, audited);
		// the home secretary does not see M.
		wantCode(t, w.svc.ReopenDuesMonth(ctx, w.actor(t, "host"), m, 202609, "误关"), domain.CodeForbidden, "")
		if e, _ := lastAudit(t, db, "dues.reopen"); e.Outcome != "denied" {
			t.Fatalf("refusal audited as %+v", e)
		}
		wantCode(t, w.svc.ReopenDuesMonth(ctx, w.actor(t, "home"), m, 202609, "误关"), domain.CodeNotFound, "")

		od, err := w.svc.OrgDues(ctx, mobile, m, service.OrgDuesQuery{})
		if err != nil || len(od.Closings) != 1 || od.Closings[0].Month != 202609 || od.Closings[0].ClosedBy != "mobile" {
			t.Fatalf("closings %+v %v", od.Closings, err)
		}
		if od, _ := w.svc.OrgDues(ctx, mobile, w.orgs["MB"].ID, service.OrgDuesQuery{}); len(od.Closings) != 0 || od.Columns[8].Closed == "" {
			t.Fatalf("MB lists M's closing as its own: %+v", od.Closings)
		}

		if err := w.svc.ReopenDuesMonth(ctx, mobile, m, 202609, " 误关，还有三人未登记 "); err != nil {
			t.Fatal(err)
		}
		e, det := lastAudit(t, db, "dues.reopen")
		if e.Outcome != "ok" || e.ObjectID != fmt.Sprint(m) || det["month"] != "2026-09" || det["closed_by"] != "mobile" ||
			det["closed_at"] == nil || det["reason"] != "误关，还有三人未登记" {
			t.Fatalf("audit %+v %v", e, det)
		}
		if got, err := w.svc.RecordDues(ctx, mobile, p, pay(202609)); err != nil || len(got) != 1 {
			t.Fatalf("recorded after reopening: %v", err)
		}
		if od, _ := w.svc.OrgDues(ctx, mobile, m, service.OrgDuesQuery{}); len(od.Closings) != 0 || od.Columns[8].Closed != "" {
			t.Fatalf("still closed: %+v", od.Closings)
		}
		// Closed again, the month may be reopened again.
		if err := w.svc.CloseDuesMonth(ctx, mobile, m, 202609); err != nil {
			t.Fatalf("close again: %v", err)
		}
		if err := w.svc.ReopenDuesMonth(ctx, mobile, m, 202609, "再次误关"); err != nil {
			t.Fatalf("reopen again: %v", err)
		}
	})
}
