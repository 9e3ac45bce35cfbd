package service_test

import (
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The access matrix of the rhythm, attendance, absence and outbox
// actions: every role of the world against MB (a branch under M, which A1
// covers for the host with basic data, attendance and feedback) and a
// member placed there whose home is V, written out by hand. "404" is not
// found (out of reach), "403" refused on something the role may see;
// "rows"/"none" whether a list shows MB or the member, "members"/"rate"
// whether an organization's attendance comes with its members' own lines.
var rhythmActions = []string{"rhythm.org", "rhythm.table", "rhythm.rules", "attendance.person", "attendance.org", "attendance.export",
	"absence.list", "absence.rule", "outbox.view", "outbox.settings"}

var rhythmMatrix = map[string][]string{
	//             org    table   rules  person org        export absence rule   outbox settings
	"county":     {"ok", "rows", "ok", "ok", "members", "ok", "rows", "ok", "403", "403"},
	"home":       {"404", "none", "403", "ok", "404", "404", "rows", "403", "403", "403"},
	"mobile":     {"ok", "rows", "403", "ok", "members", "ok", "rows", "403", "403", "403"},
	"host":       {"ok", "rows", "403", "ok", "members", "ok", "rows", "403", "403", "403"},
	"member":     {"404", "none", "403", "404", "404", "404", "none", "403", "403", "403"},
	"cases":      {"ok", "rows", "403", "404", "rate", "403", "none", "403", "403", "403"},
	"auditor":    {"404", "none", "403", "404", "404", "404", "none", "403", "403", "403"},
	"sysadmin":   {"404", "none", "403", "404", "404", "404", "none", "403", "ok", "403"},
	"secofficer": {"404", "none", "403", "404", "404", "404", "none", "403", "ok", "ok"},
}

func rhythmOutcome(err error) string {
	switch domain.CodeOf(err) {
	case "":
		return "ok"
	case domain.CodeNotFound:
		return "404"
	case domain.CodeForbidden:
		return "403"
	}
	return err.Error()
}

func listed(n int, err error) string {
	if err != nil {
		return rhythmOutcome(err)
	}
	if n > 0 {
		return "rows"
	}
	return "none"
}

func TestRhythmAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.memberAt(t, "驻杭", "V", "MB")
		w.monthlyAbsences(t, p, domain.NewDate(2026, 3, 15), domain.NewDate(2026, 11, 15),
			func(domain.Date) domain.AttendanceStatus { return domain.AttendAbsent })
		mb := w.orgs["MB"].ID
		actions := map[string]func(a *authz.Actor) string{
			"rhythm.org": func(a *authz.Actor) string { _, err := w.svc.OrgRhythm(ctx, a, mb); return rhythmOutcome(err) },
			"rhythm.table": func(a *authz.Actor) string {
				tab, err := w.svc.RhythmTable(ctx, a, service.RhythmQuery{})
				n := 0
				for _, r := range tab.Rows {
					if r.Org.ID == mb {
						n++
					}
				}
				return listed(n, err)
			},
			"rhythm.rules": func(a *authz.Actor) string {
				return rhythmOutcome(w.svc.SetRhythmRules(ctx, a, domain.DefaultRhythm()))
			},
			"attendance.person": func(a *authz.Actor) string {
				_, err := w.svc.PersonAttendance(ctx, a, p, service.AttendanceRange{})
				return rhythmOutcome(err)
			},
			"attendance.org": func(a *authz.Actor) string {
				r, err := w.svc.OrgAttendance(ctx, a, mb, service.AttendanceRange{}, true)
				switch {
				case err != nil:
					return rhythmOutcome(err)
				case r.CanMembers && len(r.Members) == 1:
					return "members"
				case !r.CanMembers && r.Members == nil && r.Tally.Expected > 0:
					return "rate"
				}
				return "wrong"
			},
			"attendance.export": func(a *authz.Actor) string {
				_, err := w.svc.ExportOrgAttendance(ctx, a, mb, service.AttendanceRange{})
				return rhythmOutcome(err)
			},
			"absence.list": func(a *authz.Actor) string {
				page, err := w.svc.AbsenceFlags(ctx, a, service.AbsenceSearch{})
				return listed(len(page.Rows), err)
			},
			"absence.rule": func(a *authz.Actor) string {
				return rhythmOutcome(w.svc.SetAbsenceRule(ctx, a, domain.DefaultAbsenceRule()))
			},
			"outbox.view": func(a *authz.Actor) string { _, err := w.svc.Outbox(ctx, a, ""); return rhythmOutcome(err) },
			"outbox.settings": func(a *authz.Actor) string {
				return rhythmOutcome(w.svc.SetOutboxSettings(ctx, a, service.DefaultOutboxSettings()))
			},
		}
		cells := 0
		for role, want := range rhythmMatrix {
			a := w.actor(t, role)
			for i, name := range rhythmActions {
				if got := actions[name](a); got != want[i] {
					t.Errorf("%s %s: %s, want %s", role, name, got, want[i])
				}
				cells++
			}
		}
		if cells != len(expected)*len(rhythmActions) || len(actions) != len(rhythmActions) {
			t.Fatalf("matrix has %d cells", cells)
		}
		t.Logf("rhythm access matrix: %d roles × %d actions = %d cells", len(rhythmMatrix), len(rhythmActions), cells)
	})
}
