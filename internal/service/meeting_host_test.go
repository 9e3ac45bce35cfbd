package service_test

import (
	"fmt"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The host side of joint meetings: who may record it (the access matrix
// by hand, as in meeting_access_test.go), what is refused, and what is
// audited and shown.

// hostWorld adds to the world an agreement of M with H2 in force (basic
// data and feedback, no attendance) and an officer host2 at H2, so MB
// holds joint meetings with H (whose officer keeps attendance through A1)
// and with H2. It returns a begun meeting of MB alone, one with H and one
// with H2.
func hostWorld(t *testing.T, db *store.DB) (*world, map[string]domain.MeetingID) {
	t.Helper()
	w := newWorld(t, db)
	w.withHost2(t)
	begun := beijingAt(29, 9, 0)
	return w, map[string]domain.MeetingID{
		"MB":      w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: begun}),
		"jointH":  w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: begun, CoOrgID: w.orgs["H"].ID}),
		"jointH2": w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: begun, CoOrgID: w.orgs["H2"].ID}),
	}
}

// withHost2 signs an agreement of M with H2 in force over 2026 (basic
// data and feedback, no attendance) and makes host2 an officer at H2.
func (w *world) withHost2(t *testing.T) {
	t.Helper()
	id, err := w.svc.BootstrapAgreement(ctx, service.NewAgreement{Title: "平江协议", OriginID: w.orgs["C"].ID,
		MobileIDs: []domain.OrgID{w.orgs["M"].ID}, HostIDs: []domain.OrgID{w.orgs["H2"].ID},
		Capabilities: []domain.Capability{domain.CapViewBasic, domain.CapFeedback},
		ValidFrom:    domain.NewDate(2026, 1, 1), ValidTo: domain.NewDate(2026, 12, 31)})
	noErr(t, err)
	noErr(t, w.svc.SignAgreement(ctx, authz.System, id, 0, domain.NewDate(2026, 1, 1)))
	acc, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: "host2", Password: goodPassword})
	noErr(t, err)
	noErr(t, w.svc.BootstrapGrant(ctx, acc, authz.RoleHostOfficer, w.orgs["H2"].Name))
	w.accounts["host2"] = acc
}

func yes() *bool { b := true; return &b }

// TestHostAttendeeAccess: the secretary and the county record the host
// side of any joint meeting they see; a host officer holding attendance
// through its agreement only that of a joint meeting its own
// organization co-organizes (canRecord), not one of another host, nor a
// meeting without a host; a host officer without the capability sees no
// meeting. "rule" is a permitted call refused for the meeting (no host
// side to record).
func TestHostAttendeeAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, ms := hostWorld(t, db)
		keys := []string{"MB", "jointH", "jointH2"}
		want := map[string][3]string{
			"county": {"rule", "ok", "ok"}, "mobile": {"rule", "ok", "ok"},
			"host": {"403", "ok", "403"}, "host2": {"404", "404", "404"},
			"home": {"404", "404", "404"}, "member": {"404", "404", "404"},
			"cases": {"404", "404", "404"}, "auditor": {"404", "404", "404"},
		}
		added := 0
		for role, cells := range want {
			a := w.actor(t, role)
			for i, key := range keys {
				_, err := w.svc.AddHostAttendee(ctx, a, ms[key], service.HostAttendeeInput{Name: "钱" + role, Post: "街道党工委 组织委员"})
				got := meetingOutcome(err)
				if e := domain.AsError(err); err != nil && e.Code == domain.CodeRule {
					got = "rule"
				}
				if got != cells[i] {
					t.Errorf("%s adds to %s: %s (%v), want %s", role, key, got, err, cells[i])
				}
				if err == nil {
					added++
				}
			}
		}
		var n int
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_hosts`).Scan(&n))
		if n != added || added != 5 {
			t.Fatalf("%d lines stored, %d added, want 5", n, added)
		}
		// The host officer refused at H2's meeting is audited as denied.
		denied := false
		entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "meeting.host_add", Limit: 100})
		noErr(t, err)
		for _, x := range entries {
			denied = denied || (x.Outcome == "denied" && x.ActorName == "host" && x.ObjectID == fmt.Sprint(ms["jointH2"]))
		}
		if !denied {
			t.Fatalf("no denied entry for host at H2's meeting: %+v", entries)
		}
		// Removing follows the same rule.
		v, err := w.svc.Meeting(ctx, w.actor(t, "county"), ms["jointH2"])
		noErr(t, err)
		line := v.Hosts[0].ID
		if err := w.svc.RemoveHostAttendee(ctx, w.actor(t, "host"), ms["jointH2"], line); domain.CodeOf(err) != domain.CodeForbidden {
			t.Fatalf("host removes at H2's meeting: %v", err)
		}
		if err := w.svc.RemoveHostAttendee(ctx, w.actor(t, "host"), ms["jointH"], line); domain.CodeOf(err) != domain.CodeNotFound {
			t.Fatalf("a line of another meeting: %v", err)
		}
		noErr(t, w.svc.RemoveHostAttendee(ctx, w.actor(t, "mobile"), ms["jointH2"], line))
		_, d := lastAudit(t, db, "meeting.host_remove")
		if before, _ := d["before"].(map[string]any); before["name"] == "" || before["line"] != float64(line) {
			t.Fatalf("remove audit %v", d)
		}
	})
}

// TestHostAttendeeInput: the named people and headcounts are shown and
// counted apart from the members' sheet; bad input is refused by field
// and changes nothing.
func TestHostAttendeeInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, ms := hostWorld(t, db)
		w.member(t, "杨过", "MB", domain.StatusFull)
		id := w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(29, 10, 0), CoOrgID: w.orgs["H"].ID})
		host := w.actor(t, "host")
		no := false
		for _, in := range []service.HostAttendeeInput{
			{Name: " 钱志文 ", Post: "拱墅区米市巷街道党工委 组织委员", PartyMember: yes()},
			{Name: "方晓燕", PartyMember: &no},
			{Name: "叶建华"},
			{Post: "辖区党员和居民", Headcount: 12},
		} {
			_, err := w.svc.AddHostAttendee(ctx, host, id, in)
			noErr(t, err)
		}
		v, err := w.svc.Meeting(ctx, host, id)
		noErr(t, err)
		if got := v.HostCount; got != (domain.HostCount{Named: 3, Unnamed: 12, Total: 15, PartyMembers: 1}) {
			t.Fatalf("host count %+v", got)
		}
		if v.Hosts[0].Name != "钱志文" || v.Hosts[3].Named() || v.Hosts[3].Headcount != 12 || v.Hosts[1].PartyMember == nil ||
			*v.Hosts[1].PartyMember || v.Hosts[2].PartyMember != nil {
			t.Fatalf("hosts %+v", v.Hosts)
		}
		if v.Count.Expected != 1 || v.Count.Guests != 0 {
			t.Fatalf("the members' count moved: %+v", v.Count)
		}
		before := auditCount(t, db)
		cases := []struct {
			id   domain.MeetingID
			in   service.HostAttendeeInput
			code domain.Code
			msg  string
		}{
			{id, service.HostAttendeeInput{Post: "街道"}, domain.CodeInvalid, "meeting.host_name_required"},
			{id, service.HostAttendeeInput{Name: "钱某", Headcount: 3}, domain.CodeInvalid, "meeting.host_named_one"},
			{id, service.HostAttendeeInput{Post: "居民", Headcount: 10000}, domain.CodeInvalid, "meeting.host_headcount_invalid"},
			{id, service.HostAttendeeInput{Name: "钱某 330102199001011234"}, domain.CodeInvalid, "meeting.host_no_numbers"},
			{id, service.HostAttendeeInput{Name: "钱某", Post: "电话 13812345678"}, domain.CodeInvalid, "meeting.host_no_numbers"},
			{id, service.HostAttendeeInput{Name: string(make([]rune, 51))}, domain.CodeInvalid, "meeting.host_name_too_long"},
			{id, service.HostAttendeeInput{Name: "钱志文", Post: "拱墅区米市巷街道党工委 组织委员"}, domain.CodeConflict, "meeting.host_duplicate"},
			{ms["MB"], service.HostAttendeeInput{Name: "钱某"}, domain.CodeRule, "meeting.host_not_joint"},
		}
		for _, c := range cases {
			_, err := w.svc.AddHostAttendee(ctx, w.actor(t, "mobile"), c.id, c.in)
			if e := domain.AsError(err); e.Code != c.code || e.MsgID != c.msg {
				t.Errorf("%+v: %v, want %s %s", c.in, err, c.code, c.msg)
			}
		}
		later := w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(30, 9, 0), CoOrgID: w.orgs["H"].ID})
		if _, err := w.svc.AddHostAttendee(ctx, host, later, service.HostAttendeeInput{Name: "钱某"}); domain.AsError(err).MsgID != "meeting.host_before_start" {
			t.Errorf("before the start: %v", err)
		}
		noErr(t, w.svc.CancelMeeting(ctx, w.actor(t, "mobile"), later, 0, "下雨"))
		if _, err := w.svc.AddHostAttendee(ctx, host, later, service.HostAttendeeInput{Name: "钱某"}); domain.AsError(err).MsgID != "meeting.cancelled" {
			t.Errorf("cancelled: %v", err)
		}
		var n int
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_hosts`).Scan(&n))
		if n != 4 || auditCount(t, db) != before+2 { // the plan and the cancellation
			t.Fatalf("refusals changed something: %d lines, %d audit entries after %d", n, auditCount(t, db), before)
		}
		_, d := lastAudit(t, db, "meeting.host_add")
		if after, _ := d["after"].(map[string]any); after["headcount"] != float64(12) {
			t.Fatalf("add audit %v", d)
		}
	})
}
