package service_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// meeting writes a meeting of org straight into the tables (the meetings'
// own use cases live elsewhere; the rhythm only reads them), with one
// expected line per person and status.
func (w *world) meeting(t *testing.T, org string, kind domain.MeetingKind, on domain.Date, state domain.MeetingState,
	lines map[domain.PersonID]domain.AttendanceStatus) int64 {
	t.Helper()
	var id int64
	starts := time.Date(on.Time().Year(), on.Time().Month(), on.Time().Day(), 1, 30, 0, 0, time.UTC) // 09:30 in Beijing
	noErr(t, w.db.Tx(ctx, func(tx store.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO meetings (org_id, kind, state, starts_at, held_on, topic, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'test', $4, $4) RETURNING id`, w.orgs[org].ID, string(kind), string(state), starts, on,
			string(kind)+" "+on.String()).Scan(&id); err != nil {
			return err
		}
		for p, s := range lines {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, person_id, expected, status) VALUES ($1, $2, TRUE, $3)`,
				id, p, string(s)); err != nil {
				return err
			}
		}
		return nil
	}))
	return id
}

// held records a held meeting without attendance lines.
func (w *world) held(t *testing.T, org string, kind domain.MeetingKind, on domain.Date) {
	t.Helper()
	w.meeting(t, org, kind, on, domain.MeetingHeld, nil)
}

// at sets the clock to a Beijing morning.
func (w *world) at(d domain.Date) {
	w.clock.Set(time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 9, 0, 0, 0, domain.China))
}

// fullMembers places n full members in org.
func (w *world) fullMembers(t *testing.T, n int, org string) []domain.PersonID {
	t.Helper()
	var out []domain.PersonID
	stems := []rune("甲乙丙丁戊己庚辛壬癸")
	for i := range n {
		out = append(out, w.memberAt(t, org+"成员"+string(stems[i%10])+strings.Repeat("子", i/10), "V", org))
	}
	return out
}

func gapKeys(gaps []domain.Gap) []string {
	var out []string
	for _, g := range gaps {
		out = append(out, string(g.Meeting)+"@"+g.Span.Key)
	}
	slices.Sort(out)
	return out
}

// TestRhythmGapsForEachKindAndPeriod holds every kind's meetings through
// a year but one period each, and finds exactly those periods: monthly
// (theme day, committee from seven full members, group), quarterly
// (assembly, lecture) and yearly (life meeting, evaluation).
func TestRhythmGapsForEachKindAndPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		gid, err := w.svc.BootstrapOrg(ctx, service.NewOrg{Name: "组织G", Side: domain.SideMobile, Kind: domain.KindGroup,
			ParentID: w.orgs["MB"].ID, FoundedOn: domain.NewDate(2005, 3, 1)})
		noErr(t, err)
		w.orgs["G"], _ = store.OrgByID(ctx, db.Read(), gid)
		w.fullMembers(t, 7, "MB")
		skip := map[domain.MeetingKind]string{domain.MeetingThemeDay: "2026-10", domain.MeetingCommittee: "2026-09",
			domain.MeetingGroup: "2026-08", domain.MeetingAssembly: "2026-Q3", domain.MeetingLecture: "2026-Q2"}
		for m := domain.SpanOf(domain.Monthly, domain.NewDate(2025, 1, 1)); m.First.Before(domain.NewDate(2026, 12, 1)); m = m.Next() {
			day := m.First.AddDays(9)
			for _, x := range []struct {
				org  string
				kind domain.MeetingKind
			}{{"MB", domain.MeetingThemeDay}, {"MB", domain.MeetingCommittee}, {"G", domain.MeetingGroup}, {"M", domain.MeetingCommittee}} {
				if skip[x.kind] != m.Key || x.org == "M" {
					w.held(t, x.org, x.kind, day)
				}
			}
			if q := domain.SpanOf(domain.Quarterly, day); q.First == m.First {
				for _, k := range []domain.MeetingKind{domain.MeetingAssembly, domain.MeetingLecture} {
					if skip[k] != q.Key {
						w.held(t, "MB", k, day)
					}
				}
			}
		}
		// 2025's life meeting and evaluation were held; 2026's not yet,
		// and 29 November is within their 45 days' lead.
		w.held(t, "MB", domain.MeetingLifeMeeting, domain.NewDate(2025, 12, 20))
		w.held(t, "MB", domain.MeetingEvaluation, domain.NewDate(2025, 12, 20))
		// A cancelled and a planned theme day, and a sitting-in, count
		// for nothing.
		w.meeting(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 10, 20), domain.MeetingCancelled, nil)
		w.meeting(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 10, 21), domain.MeetingPlanned, nil)
		w.held(t, "MB", domain.MeetingSitIn, domain.NewDate(2026, 10, 22))
		county := w.actor(t, "county")

		r, err := w.svc.OrgRhythm(ctx, county, w.orgs["MB"].ID)
		noErr(t, err)
		want := []string{"assembly@2026-Q3", "committee@2026-09", "lecture@2026-Q2", "theme_day@2026-10"}
		if got := gapKeys(r.Gaps); !r.Applies || r.Full != 7 || !slices.Equal(got, want) {
			t.Fatalf("MB applies=%v full=%d gaps %v, want %v", r.Applies, r.Full, got, want)
		}
		if r.Gaps[0].Span.Key != "2026-10" || r.Gaps[len(r.Gaps)-1].Span.Key != "2026-Q2" {
			t.Errorf("gaps not newest first: %v", gapKeys(r.Gaps))
		}
		due := map[string]bool{}
		for _, c := range r.Current {
			due[string(c.Rule.Meeting)] = c.Due
			if c.Rule.Period == domain.Monthly && !c.Met {
				t.Errorf("current %s: met=%v held=%d", c.Rule.Meeting, c.Met, c.Held)
			}
		}
		if !due["life_meeting"] || !due["evaluation"] || due["assembly"] || len(r.Current) != 6 {
			t.Errorf("current periods %+v", r.Current)
		}
		g, err := w.svc.OrgRhythm(ctx, county, w.orgs["G"].ID)
		noErr(t, err)
		if got := gapKeys(g.Gaps); !slices.Equal(got, []string{"group@2026-08"}) {
			t.Errorf("G gaps %v", got)
		}
		// An origin organization is not checked.
		v, err := w.svc.OrgRhythm(ctx, county, w.orgs["V"].ID)
		noErr(t, err)
		if v.Applies {
			t.Error("the rhythm applies to an origin branch")
		}

		// The county's table, month by month, under M: MB's theme day and
		// committee, G's group meeting and M's committee (held every month).
		tab, err := w.svc.RhythmTable(ctx, county, service.RhythmQuery{Period: domain.Monthly, Org: w.orgs["M"].ID})
		noErr(t, err)
		cells := map[string]string{}
		for _, row := range tab.Rows {
			for _, c := range row.Cells {
				if c.State != service.CellMet {
					cells[strings.TrimPrefix(row.Org.Name, "组织")+" "+string(row.Meeting)+" "+c.Span.Key] = c.State
				}
			}
		}
		wantCells := map[string]string{"MB theme_day 2026-10": "gap", "MB committee 2026-09": "gap", "G group 2026-08": "gap"}
		if len(tab.Spans) != 12 || tab.Spans[0].Key != "2025-12" || len(tab.Rows) != 4 || tab.Orgs != 3 || tab.Gaps != 3 ||
			fmt.Sprint(cells) != fmt.Sprint(wantCells) {
			t.Fatalf("monthly table: %d spans from %s, %d rows over %d orgs, %d gaps, cells %v", len(tab.Spans), tab.Spans[0].Key,
				len(tab.Rows), tab.Orgs, tab.Gaps, cells)
		}
		// The whole county adds M2, which never held a theme day.
		tab, err = w.svc.RhythmTable(ctx, county, service.RhythmQuery{Period: domain.Monthly, Kind: domain.MeetingThemeDay, GapsOnly: true})
		noErr(t, err)
		if len(tab.Rows) != 2 || tab.Rows[0].Org.ID != w.orgs["MB"].ID || tab.Rows[0].Gaps != 1 || tab.Rows[1].Org.ID != w.orgs["M2"].ID ||
			tab.Rows[1].Gaps != 11 || tab.Due != 1 {
			t.Fatalf("theme days with gaps: %+v", tab.Rows)
		}
		tab, err = w.svc.RhythmTable(ctx, county, service.RhythmQuery{Period: domain.Quarterly, Org: w.orgs["MB"].ID})
		noErr(t, err)
		if len(tab.Spans) != 8 || len(tab.Rows) != 2 || tab.Gaps != 2 {
			t.Fatalf("quarterly table: %d spans, %d rows, %d gaps", len(tab.Spans), len(tab.Rows), tab.Gaps)
		}
		tab, err = w.svc.RhythmTable(ctx, county, service.RhythmQuery{Period: domain.Yearly, Org: w.orgs["MB"].ID})
		noErr(t, err)
		// 2024: before nothing was recorded, every yearly rule has a gap;
		// 2025 held; 2026 open and due.
		if len(tab.Spans) != 3 || len(tab.Rows) != 2 || tab.Gaps != 2 || tab.Due != 2 {
			t.Fatalf("yearly table: %d spans, %d rows, %d gaps, %d due", len(tab.Spans), len(tab.Rows), tab.Gaps, tab.Due)
		}
		for _, c := range tab.Rows[0].Cells {
			if want := map[string]string{"2024": "gap", "2025": "met", "2026": "due"}[c.Span.Key]; c.State != want {
				t.Errorf("%s %s: %s, want %s", tab.Rows[0].Meeting, c.Span.Key, c.State, want)
			}
		}
		_, err = w.svc.RhythmTable(ctx, county, service.RhythmQuery{Period: "week"})
		wantCode(t, err, domain.CodeInvalid, "rhythm.table.period_invalid")
		_, err = w.svc.RhythmTable(ctx, county, service.RhythmQuery{Kind: domain.MeetingSitIn})
		wantCode(t, err, domain.CodeInvalid, "rhythm.table.kind_invalid")
	})
}

// The committee rule binds a branch from seven full members: six are not
// enough, probationary ones do not count, and an organization founded in
// the middle of the window has no gap before its founding.
func TestCommitteeRuleCountsFullMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.fullMembers(t, 6, "MB")
		p := &domain.Membership{Status: domain.StatusProbationary, HomeOrgID: w.orgs["V"].ID, MobileOrgID: w.orgs["MB"].ID,
			JoinedOn: domain.NewDate(2026, 1, 5)}
		_, err := w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: "预备", OriginOrgID: w.orgs["V"].ID, Membership: p})
		noErr(t, err)
		county := w.actor(t, "county")
		r, err := w.svc.OrgRhythm(ctx, county, w.orgs["MB"].ID)
		noErr(t, err)
		for _, c := range r.Current {
			if c.Rule.Meeting == domain.MeetingCommittee {
				t.Fatal("the committee rule binds a branch of six full members")
			}
		}
		w.fullMembers(t, 1, "MB")
		r, err = w.svc.OrgRhythm(ctx, county, w.orgs["MB"].ID)
		noErr(t, err)
		if !slices.ContainsFunc(r.Current, func(c service.RuleStatus) bool { return c.Rule.Meeting == domain.MeetingCommittee }) {
			t.Fatal("the committee rule does not bind a branch of seven full members")
		}
		id, err := w.svc.BootstrapOrg(ctx, service.NewOrg{Name: "新支部", Side: domain.SideMobile, Kind: domain.KindBranch,
			ParentID: w.orgs["M"].ID, FoundedOn: domain.NewDate(2026, 9, 10)})
		noErr(t, err)
		r, err = w.svc.OrgRhythm(ctx, county, id)
		noErr(t, err)
		if got := gapKeys(r.Gaps); !slices.Equal(got, []string{"theme_day@2026-10"}) {
			t.Fatalf("a branch founded on 10 September has gaps %v", got)
		}
	})
}

// rhythmInbox lists an account's rhythm notices about org and kind.
func rhythmInbox(t *testing.T, w *world, name string, org string, kind domain.MeetingKind) []store.Notification {
	t.Helper()
	all, err := store.Notifications(ctx, w.db.Read(), w.accounts[name], 0, 100)
	noErr(t, err)
	var out []store.Notification
	prefix := fmt.Sprintf("rhythm:%d:%s:", w.orgs[org].ID, kind)
	for _, n := range all {
		if strings.HasPrefix(n.DedupeKey, prefix) {
			out = append(out, n)
		}
	}
	return out
}

// The reminder comes on the first day within the rule's lead (24 October
// for a theme day in October, seven days' lead), not the day before, once
// per organization, rule and period however often the check runs, and
// not at all for a period whose meeting is held.
func TestRhythmReminderLead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		check := func(d domain.Date) {
			t.Helper()
			w.at(d)
			_, err := w.svc.CheckRhythm(ctx, d)
			noErr(t, err)
		}
		check(domain.NewDate(2026, 10, 23))
		if n := rhythmInbox(t, w, "mobile", "MB", domain.MeetingThemeDay); len(n) != 0 {
			t.Fatalf("reminded eight days before the end: %+v", n)
		}
		check(domain.NewDate(2026, 10, 24))
		check(domain.NewDate(2026, 10, 25))
		check(domain.NewDate(2026, 10, 31))
		got := rhythmInbox(t, w, "mobile", "MB", domain.MeetingThemeDay)
		if len(got) != 1 || got[0].MsgID != "rhythm.notice.due.theme_day" || got[0].Link != fmt.Sprintf("/orgs/%d#rhythm", w.orgs["MB"].ID) ||
			!strings.Contains(got[0].Args, `"Span":"2026-10"`) || !strings.Contains(got[0].Args, `"Last":"2026-10-31"`) {
			t.Fatalf("October's reminders %+v", got)
		}
		// The nearest responsible account is the mobile secretary of M;
		// the county officer above it is not told.
		if n := rhythmInbox(t, w, "county", "MB", domain.MeetingThemeDay); len(n) != 0 {
			t.Fatal("the county officer was reminded too")
		}
		// November's theme day is held: no reminder in its lead.
		w.held(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 11, 3))
		check(domain.NewDate(2026, 11, 24))
		check(domain.NewDate(2026, 11, 30))
		if got := rhythmInbox(t, w, "mobile", "MB", domain.MeetingThemeDay); len(got) != 1 {
			t.Fatalf("reminded for a month whose theme day was held: %+v", got)
		}
		// December is not: a new period, a new reminder.
		check(domain.NewDate(2026, 12, 24))
		if got := rhythmInbox(t, w, "mobile", "MB", domain.MeetingThemeDay); len(got) != 2 || !strings.Contains(got[0].Args, "2026-12") {
			t.Fatalf("December's reminders %+v", got)
		}
		// The yearly rules remind 45 days ahead: by 24 December the life
		// meeting and the evaluation are due.
		if n := rhythmInbox(t, w, "mobile", "MB", domain.MeetingLifeMeeting); len(n) != 1 {
			t.Fatalf("life meeting reminders %+v", n)
		}
		// Every kind's reminder reads in both languages.
		b, err := i18n.New()
		noErr(t, err)
		for _, k := range domain.MeetingKinds() {
			if k == domain.MeetingSitIn {
				continue
			}
			for _, lang := range i18n.Languages() {
				if !b.For(lang).Has("rhythm.notice.due." + string(k)) {
					t.Errorf("no %s reminder for %s", lang, k)
				}
			}
		}
		acts := auditActions(t, db)
		if n := len(slices.DeleteFunc(slices.Clone(acts), func(s string) bool { return s != "rhythm.check" })); n != 7 {
			t.Errorf("%d rhythm.check entries for 7 runs", n)
		}
	})
}

// The rules are the county's: the county officer changes them, a
// secretary may not, a table that fails domain.CheckRhythm is refused,
// and the table in force changes what the check finds.
func TestRhythmRulesSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		rules, err := w.svc.RhythmRules(ctx)
		noErr(t, err)
		if len(rules) != len(domain.DefaultRhythm()) {
			t.Fatalf("default rules %v", rules)
		}
		for _, name := range []string{"mobile", "home", "host", "secofficer"} {
			err := w.svc.SetRhythmRules(ctx, w.actor(t, name), rules[:1])
			wantCode(t, err, domain.CodeForbidden, "")
		}
		bad := slices.Clone(rules)
		bad[0].Min = 0
		wantCode(t, w.svc.SetRhythmRules(ctx, w.actor(t, "county"), bad), domain.CodeInvalid, "rhythm.min_invalid")
		twice := append(slices.Clone(rules), rules[0])
		wantCode(t, w.svc.SetRhythmRules(ctx, w.actor(t, "county"), twice), domain.CodeInvalid, "rhythm.kinds_twice")
		// Theme days twice a month, lead of ten days.
		next := []domain.RhythmRule{{Meeting: domain.MeetingThemeDay, OrgKinds: []domain.OrgKind{domain.KindBranch}, Period: domain.Monthly,
			Min: 2, Lead: 10}}
		noErr(t, w.svc.SetRhythmRules(ctx, w.actor(t, "county"), next))
		w.held(t, "MB", domain.MeetingThemeDay, domain.NewDate(2026, 10, 5))
		w.at(domain.NewDate(2026, 11, 29))
		r, err := w.svc.OrgRhythm(ctx, w.actor(t, "county"), w.orgs["MB"].ID)
		noErr(t, err)
		if len(r.Current) != 1 || !r.Current[0].Due || len(r.Gaps) != 11 || r.Gaps[0].Held != 1 || r.Gaps[0].Span.Key != "2026-10" {
			t.Fatalf("with two theme days a month: %+v gaps %v", r.Current, gapKeys(r.Gaps))
		}
		acts := auditActions(t, db)
		if n := len(slices.DeleteFunc(slices.Clone(acts), func(s string) bool { return s != "rhythm.rules" })); n != 5 {
			t.Errorf("%d rhythm.rules entries (4 refusals, 1 change): %v", n, acts)
		}
	})
}
