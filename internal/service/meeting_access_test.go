package service_test

import (
	"context"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The meeting actions in the access matrix: every role of the world
// against a meeting of MB, a joint meeting of MB co-organized by H, and a
// meeting of M2, with the answers written out by hand. host2 is a host
// officer at H2, whose agreement over M grants basic data and feedback
// but not attendance: it sees no meeting at all.
//
// "ok" means the policy let the call through (it may still be refused on
// its input: the probes send input that changes nothing), "403" is
// forbidden on a meeting the role sees, "404" a meeting (or organization)
// it does not see.

var meetingTargets = []string{"MB", "joint", "M2"}

var meetingMatrix = map[string]map[string][3]string{
	"read": { // Meeting
		"county": {"ok", "ok", "ok"}, "home": {"404", "404", "404"}, "mobile": {"ok", "ok", "404"},
		"host": {"ok", "ok", "404"}, "host2": {"404", "404", "404"}, "member": {"404", "404", "404"},
		"cases": {"404", "404", "404"}, "auditor": {"404", "404", "404"},
	},
	"list": { // ListMeetings over everything the role may read: "ok" = the meeting is listed
		"county": {"ok", "ok", "ok"}, "home": {"404", "404", "404"}, "mobile": {"ok", "ok", "404"},
		"host": {"ok", "ok", "404"}, "host2": {"404", "404", "404"}, "member": {"404", "404", "404"},
		"cases": {"404", "404", "404"}, "auditor": {"404", "404", "404"},
	},
	"plan": { // PlanMeeting at the meeting's organization
		"county": {"ok", "ok", "ok"}, "home": {"404", "404", "404"}, "mobile": {"ok", "ok", "404"},
		"host": {"403", "403", "404"}, "host2": {"403", "403", "404"}, "member": {"404", "404", "404"},
		"cases": {"403", "403", "404"}, "auditor": {"404", "404", "404"},
	},
	"hold": { // RecordHeld (and cancel, files: org:write)
		"county": {"ok", "ok", "ok"}, "home": {"404", "404", "404"}, "mobile": {"ok", "ok", "404"},
		"host": {"403", "403", "404"}, "host2": {"404", "404", "404"}, "member": {"404", "404", "404"},
		"cases": {"404", "404", "404"}, "auditor": {"404", "404", "404"},
	},
	"sheet": { // MarkAttendance (and guests, leave decisions, the QR code)
		"county": {"ok", "ok", "ok"}, "home": {"404", "404", "404"}, "mobile": {"ok", "ok", "404"},
		"host": {"403", "ok", "404"}, "host2": {"404", "404", "404"}, "member": {"404", "404", "404"},
		"cases": {"404", "404", "404"}, "auditor": {"404", "404", "404"},
	},
	"code": { // CheckinCode
		"county": {"ok", "ok", "ok"}, "home": {"404", "404", "404"}, "mobile": {"ok", "ok", "404"},
		"host": {"403", "ok", "404"}, "host2": {"404", "404", "404"}, "member": {"404", "404", "404"},
		"cases": {"404", "404", "404"}, "auditor": {"404", "404", "404"},
	},
}

func meetingOutcome(err error) string {
	e := domain.AsError(err)
	switch {
	case err == nil:
		return "ok"
	case e.Code == domain.CodeForbidden:
		return "403"
	case e.Code == domain.CodeNotFound || e.MsgID == "meeting.org_invalid":
		return "404"
	case e.Code == domain.CodeInvalid || e.Code == domain.CodeRule:
		return "ok"
	}
	return "error " + err.Error()
}

func TestMeetingAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.withHost2(t)

		started := beijingAt(29, 16, 0)
		meetings := map[string]domain.MeetingID{
			"MB":    w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: started}),
			"joint": w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: started, CoOrgID: w.orgs["H"].ID}),
			"M2":    w.plan(t, "county", service.NewMeeting{OrgID: w.orgs["M2"].ID, StartsAt: started}),
		}
		orgOf := map[string]domain.OrgID{"MB": w.orgs["MB"].ID, "joint": w.orgs["MB"].ID, "M2": w.orgs["M2"].ID}
		probe := map[string]func(a *authz.Actor, key string) error{
			"read": func(a *authz.Actor, key string) error { _, err := w.svc.Meeting(ctx, a, meetings[key]); return err },
			"list": func(a *authz.Actor, key string) error {
				rows, err := w.svc.ListMeetings(ctx, a, service.MeetingFilter{})
				for _, r := range rows {
					if r.ID == meetings[key] {
						return err
					}
				}
				return domain.ErrNotFound
			},
			"plan": func(a *authz.Actor, key string) error {
				// H2 has no agreement over M2 and none in force over M for
				// joint meetings: refused on the input once permitted.
				_, err := w.svc.PlanMeeting(context.Background(), a, service.NewMeeting{OrgID: orgOf[key], Kind: domain.MeetingThemeDay,
					Topic: "探针", Place: "无", StartsAt: started, CoOrgID: w.orgs["H2"].ID})
				return err
			},
			"hold":  func(a *authz.Actor, key string) error { return w.svc.RecordHeld(ctx, a, meetings[key], 0, "", "") },
			"sheet": func(a *authz.Actor, key string) error { return w.svc.MarkAttendance(ctx, a, meetings[key], nil) },
			"code":  func(a *authz.Actor, key string) error { _, err := w.svc.CheckinCode(ctx, a, meetings[key]); return err },
		}
		cells := 0
		for action, roles := range meetingMatrix {
			for role, want := range roles {
				a := w.actor(t, role)
				for i, key := range meetingTargets {
					if got := meetingOutcome(probe[action](a, key)); got != want[i] {
						t.Errorf("%s %s on %s: %s, want %s", role, action, key, got, want[i])
					}
					cells++
				}
			}
		}
		var n int
		noErr(t, db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings WHERE state <> 'planned'`).Scan(&n))
		if n != 0 || cells != len(meetingMatrix)*8*len(meetingTargets) {
			t.Fatalf("probes changed %d meetings; %d cells", n, cells)
		}
		t.Logf("meeting access matrix: %d actions × 8 roles × %d meetings = %d cells", len(meetingMatrix), len(meetingTargets), cells)
	})
}
