package service_test

import (
	"strings"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/idcheck"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// devWorld is the conduct world (members 单雄信, 三甲 … placed in MB, home
// V) with a third host, H3, whose agreement A5 over M grants cultivation:
// "host3" cultivates; "host" (A1: feedback) and "host3" (A4: basic data
// and attendance) do not.
type devWorld struct {
	*conductWorld
	opinions map[domain.DevCaseID]map[int]bool
	seq      int
}

func newDevWorld(t *testing.T, db *store.DB) *devWorld {
	t.Helper()
	w := &devWorld{conductWorld: newConductWorld(t, db), opinions: map[domain.DevCaseID]map[int]bool{}}
	h3, err := w.svc.BootstrapOrg(ctx, service.NewOrg{Name: "组织H3", Side: domain.SideHost, Kind: domain.KindCommittee,
		FoundedOn: domain.NewDate(2005, 3, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if w.orgs["H3"], err = store.OrgByID(ctx, db.Read(), h3); err != nil {
		t.Fatal(err)
	}
	acc, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: "host3", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.BootstrapGrant(ctx, acc, authz.RoleHostOfficer, "组织H3"); err != nil {
		t.Fatal(err)
	}
	w.accounts["host3"] = acc
	a5, err := w.svc.BootstrapAgreement(ctx, service.NewAgreement{Title: "协议A5", OriginID: w.orgs["C"].ID,
		MobileIDs: []domain.OrgID{w.orgs["M"].ID}, HostIDs: []domain.OrgID{h3},
		Capabilities: []domain.Capability{domain.CapViewBasic, domain.CapCultivation},
		ValidFrom:    domain.NewDate(2026, 1, 1), ValidTo: domain.NewDate(2026, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SignAgreement(ctx, authz.System, a5, 0, domain.NewDate(2026, 1, 1)); err != nil {
		t.Fatal(err)
	}
	return w
}

// applicant registers a worker born on birth (no membership), origin V.
func (w *devWorld) applicant(t *testing.T, name string, birth string) domain.PersonID {
	t.Helper()
	w.seq++
	id, ok := idcheck.CompleteID("320724" + strings.ReplaceAll(birth, "-", "") + string(rune('0'+w.seq/100%10)) +
		string(rune('0'+w.seq/10%10)) + string(rune('0'+w.seq%10)))
	if !ok {
		t.Fatalf("no ID for %s", birth)
	}
	p, err := w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: name, IDNumber: id, OriginOrgID: w.orgs["V"].ID})
	if err != nil {
		t.Fatalf("person %s: %v", name, err)
	}
	w.people[name] = p
	return p
}

// devPlan is a case run on time, step by step.
var devPlan = map[int]string{
	1: "2023-03-01", 2: "2023-03-20", 3: "2023-05-10", 4: "2023-05-20", 5: "2023-06-01", 6: "2024-05-15",
	7: "2024-06-01", 8: "2024-06-10", 9: "2024-06-20", 10: "2024-07-10", 11: "2024-08-01", 12: "2024-09-01",
	13: "2024-09-10", 14: "2024-09-20", 15: "2024-10-01", 16: "2024-10-10", 17: "2024-11-20", 18: "2024-11-30",
	19: "2024-12-05", 20: "2024-12-20", 21: "2025-10-01", 22: "2025-10-05", 23: "2025-10-10", 24: "2025-11-15",
	25: "2025-12-01",
}

var (
	activistInspections  = []string{"2023-09-01", "2024-01-01", "2024-05-01"}
	probationInspections = []string{"2025-01-15", "2025-05-15", "2025-09-15"}
)

func date(s string) domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// devInput is a valid input for step n on the plan's date.
func (w *devWorld) devInput(n int) domain.StepInput {
	in := domain.StepInput{Step: n, On: date(devPlan[n]), Note: "按程序办理"}
	switch n {
	case 5:
		in.People = []domain.DevPerson{{PersonID: w.people["单雄信"]}}
	case 9:
		in.People = []domain.DevPerson{{PersonID: w.people["单雄信"], NotDisciplined: true}, {PersonID: w.people["三甲"], NotDisciplined: true}}
	case 11:
		in.Days = 3
	case 12:
		in.NoticeFrom, in.NoticeTo = date("2024-08-20"), date("2024-08-26")
	case 13:
		in.DocNo = "No.0001"
	case 15, 23:
		in.Entitled, in.Present, in.Yes = 20, 15, 14
		in.Outcome = domain.OutcomeConvert
	}
	return in
}

// open opens a case for person on the plan's application date, by the
// home secretary (a worker not yet in the Party's register is seen only
// from home).
func (w *devWorld) open(t *testing.T, person domain.PersonID) domain.DevCaseID {
	t.Helper()
	id, err := w.svc.OpenDevCase(ctx, w.actor(t, "home"), service.OpenInput{Person: person, MobileOrgID: w.orgs["MB"].ID,
		On: date(devPlan[1])})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return id
}

// run records steps from..to of a case on the plan, by the side that
// performs each (the mobile secretary for the host side, the home
// secretary otherwise), with the inspections and opinions they need.
func (w *devWorld) run(t *testing.T, id domain.DevCaseID, from, to int) {
	t.Helper()
	for n := from; n <= to; n++ {
		st, _ := domain.DevStepOf(n)
		switch n {
		case 6:
			w.inspect(t, id, activistInspections)
		case 21:
			w.inspect(t, id, probationInspections)
		}
		if g := st.Gate; g != 0 && !w.opinions[id][g] {
			w.opinion(t, "host3", id, g)
		}
		who := "home"
		if st.Side == domain.DevHost {
			who = "mobile"
		}
		if err := w.svc.RecordStep(ctx, w.actor(t, who), id, w.devInput(n), 0); err != nil {
			t.Fatalf("step %d by %s: %v", n, who, err)
		}
	}
}

func (w *devWorld) inspect(t *testing.T, id domain.DevCaseID, on []string) {
	t.Helper()
	for _, d := range on {
		if err := w.svc.AssessDev(ctx, w.actor(t, "host3"), id, service.AssessInput{On: date(d), Text: "表现良好，积极参加组织生活"}); err != nil {
			t.Fatalf("inspection %s: %v", d, err)
		}
	}
}

func (w *devWorld) opinion(t *testing.T, who string, id domain.DevCaseID, gate int) {
	t.Helper()
	st, _ := domain.DevStepOf(gate)
	on := date(devPlan[gate-1]).AddDays(1)
	if gate == domain.GateAdmission {
		on = date(devPlan[12]).AddDays(2)
	}
	if err := w.svc.GiveDevOpinion(ctx, w.actor(t, who), id, service.OpinionGiven{Gate: gate, On: on,
		Text: "驻地党组织意见：同意（" + st.Key + "）"}); err != nil {
		t.Fatalf("opinion %d: %v", gate, err)
	}
	if w.opinions[id] == nil {
		w.opinions[id] = map[int]bool{}
	}
	w.opinions[id][gate] = true
}

func (w *devWorld) devCase(t *testing.T, id domain.DevCaseID) domain.DevCase {
	t.Helper()
	c, err := store.DevCaseByID(ctx, w.db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *devWorld) membership(t *testing.T, id domain.PersonID) *domain.Membership {
	t.Helper()
	p, err := store.PersonByID(ctx, w.db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Membership
}

// A case from application to conversion: the person's status follows
// the steps, Party standing dates from the vote, the case is archived,
// both sides were told, and every step is audited.
func TestDevFullCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newDevWorld(t, db)
		p := w.applicant(t, "李明", "1998-04-02")
		id := w.open(t, p)
		if m := w.membership(t, p); m == nil || m.Status != domain.StatusApplicant || m.HomeOrgID != w.orgs["V"].ID ||
			m.MobileOrgID != w.orgs["MB"].ID {
			t.Fatalf("membership after application: %+v", m)
		}
		status := map[int]domain.MemberStatus{3: domain.StatusActivist, 7: domain.StatusTarget, 17: domain.StatusProbationary,
			24: domain.StatusFull}
		want := domain.StatusApplicant
		for n := 2; n <= 25; n++ {
			w.run(t, id, n, n)
			if s, ok := status[n]; ok {
				want = s
			}
			if m := w.membership(t, p); m.Status != want {
				t.Fatalf("after step %d: %s, want %s", n, m.Status, want)
			}
		}
		m := w.membership(t, p)
		if m.JoinedOn != date("2024-10-01") || m.FullOn != date("2025-10-01") {
			t.Fatalf("joined %s full %s", m.JoinedOn, m.FullOn)
		}
		c := w.devCase(t, id)
		if c.State != domain.DevCompleted || c.Step != 25 || c.ProbationEnd != date("2025-10-01") || c.ApprovedOn != date(devPlan[17]) {
			t.Fatalf("case %+v", c)
		}
		v, err := w.svc.DevCase(ctx, w.actor(t, "host3"), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Steps) != 25 || len(v.Assessments) != 6 || len(v.Opinions) != 3 || len(v.Timeline) != 34 || v.Next.N != 0 ||
			len(v.Mentors) != 1 || len(v.Introducers) != 2 {
			t.Fatalf("view: %d steps, %d inspections, %d opinions, %d lines, next %d, %d mentors, %d introducers", len(v.Steps),
				len(v.Assessments), len(v.Opinions), len(v.Timeline), v.Next.N, len(v.Mentors), len(v.Introducers))
		}
		if v.Steps[16].Side != domain.SideOrigin || v.Steps[2].Side != domain.SideMobile || v.Opinions[0].Side != domain.SideHost ||
			v.Opinions[0].OrgName != w.orgs["H3"].Name {
			t.Fatalf("sides: %+v / %+v / %+v", v.Steps[16], v.Steps[2], v.Opinions[0])
		}
		acts := strings.Join(auditActions(t, db), " ")
		for _, a := range []string{"development.open", "development.step", "development.opinion", "development.assess"} {
			if !strings.Contains(acts, a) {
				t.Errorf("no %s in the audit log", a)
			}
		}
		if in := strings.Join(w.inbox(t, "home"), " "); !strings.Contains(in, "development.notice.step") ||
			!strings.Contains(in, "development.notice.opinion") {
			t.Errorf("home inbox: %s", in)
		}
		if in := strings.Join(w.inbox(t, "mobile"), " "); !strings.Contains(in, "development.notice.opinion_wanted") {
			t.Errorf("mobile inbox: %s", in)
		}
	})
}

// refused checks a refusal's code and message, that the message reads in
// both languages, and that the case did not change.
func (w *devWorld) refused(t *testing.T, id domain.DevCaseID, err error, msgID string) {
	t.Helper()
	before := w.devCase(t, id)
	e := domain.AsError(err)
	if err == nil || e.MsgID != msgID {
		t.Fatalf("got %v, want %s", err, msgID)
	}
	b, berr := i18n.New()
	if berr != nil {
		t.Fatal(berr)
	}
	for _, lang := range i18n.Languages() {
		if txt := b.For(lang).Err(err); !b.For(lang).Has(msgID) || strings.Contains(txt, "<no value>") {
			t.Errorf("%s: %q", lang, txt)
		}
	}
	if after := w.devCase(t, id); after.Version != before.Version {
		t.Fatalf("the case changed: %+v", after)
	}
}

// Order, date and side refusals through the service, with the clock
// moved to show the date rule follows it; nothing changes on a refusal.
func TestDevRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newDevWorld(t, db)
		home, mobile, host, host3 := w.actor(t, "home"), w.actor(t, "mobile"), w.actor(t, "host"), w.actor(t, "host3")
		young := w.applicant(t, "小王", "2009-03-01")
		_, err := w.svc.OpenDevCase(ctx, mobile, service.OpenInput{Person: young, MobileOrgID: w.orgs["MB"].ID, On: date("2026-11-29")})
		wantCode(t, err, domain.CodeNotFound, "") // not yet seen from the mobile side
		_, err = w.svc.OpenDevCase(ctx, home, service.OpenInput{Person: young, MobileOrgID: w.orgs["MB"].ID, On: date("2026-11-29")})
		wantCode(t, err, domain.CodeRule, "development.rule.age")
		// On the 18th birthday the same application goes through.
		w.clock.Set(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		if _, err := w.svc.OpenDevCase(ctx, home, service.OpenInput{Person: young, MobileOrgID: w.orgs["MB"].ID,
			On: date("2027-03-01")}); err != nil {
			t.Fatalf("application at 18: %v", err)
		}
		w.clock.Set(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))
		_, err = w.svc.OpenDevCase(ctx, mobile, service.OpenInput{Person: young, MobileOrgID: w.orgs["MB"].ID, On: date("2026-11-01")})
		wantCode(t, err, domain.CodeConflict, "development.duplicate")
		_, err = w.svc.OpenDevCase(ctx, mobile, service.OpenInput{Person: w.people["单雄信"], On: date("2026-11-01")})
		wantCode(t, err, domain.CodeRule, "development.already_member")

		p := w.applicant(t, "李明", "1998-04-02")
		id := w.open(t, p)
		in := w.devInput(2)
		in.On = date("2023-04-02")
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, in, 0), "development.rule.talk_month")
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, w.devInput(3), 0), "development.not_host")
		w.refused(t, id, w.svc.RecordStep(ctx, host, id, w.devInput(3), 0), "development.no_capability")
		w.refused(t, id, w.svc.RecordStep(ctx, mobile, id, w.devInput(3), 0), "development.rule.order")
		w.run(t, id, 2, 2)
		// A date after today is refused until the clock reaches it.
		in = w.devInput(3)
		in.On = date("2026-11-30")
		w.refused(t, id, w.svc.RecordStep(ctx, mobile, id, in, 0), "development.date_future")
		w.clock.Advance(24 * time.Hour)
		if err := w.svc.RecordStep(ctx, mobile, id, in, 0); err != nil {
			t.Fatalf("the next day: %v", err)
		}
		w.clock.Set(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))

		q := w.applicant(t, "张强", "1995-06-06")
		id = w.open(t, q)
		w.run(t, id, 2, 5)
		w.refused(t, id, w.svc.RecordStep(ctx, mobile, id, w.devInput(6), 0), "development.rule.inspection_gap")
		w.inspect(t, id, activistInspections)
		in = w.devInput(6)
		in.On = date("2024-05-09")
		w.refused(t, id, w.svc.RecordStep(ctx, mobile, id, in, 0), "development.rule.activist_year")
		if err := w.svc.RecordStep(ctx, mobile, id, w.devInput(6), 0); err != nil {
			t.Fatal(err)
		}
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, w.devInput(7), 0), "development.rule.opinion_missing")
		w.refused(t, id, w.svc.GiveDevOpinion(ctx, home, id, service.OpinionGiven{Gate: 7, On: date("2024-05-20"), Text: "同意"}),
			"development.not_host")
		v, err := w.svc.DevCase(ctx, home, id)
		if err != nil || v.CanNext || !v.OpinionMissing || v.Next.N != 7 {
			t.Fatalf("approval offered before the opinion: %+v (%v)", v, err)
		}
		w.opinion(t, "host3", id, 7)
		w.refused(t, id, w.svc.RecordStep(ctx, host3, id, w.devInput(7), 0), "development.not_home")
		w.run(t, id, 7, 8)
		in = w.devInput(9)
		in.People = []domain.DevPerson{{PersonID: w.people["单雄信"], NotDisciplined: true}, {PersonID: w.people["张薇"], NotDisciplined: true}}
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, in, 0), "development.rule.introducer_not_full")
		in.People[1] = domain.DevPerson{PersonID: w.people["三甲"]}
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, in, 0), "development.rule.introducer_discipline")
		w.run(t, id, 9, 10)
		in = w.devInput(11)
		in.Days, in.Hours = 2, 16
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, in, 0), "development.rule.training")
		w.run(t, id, 11, 16)
		in = w.devInput(17)
		in.On = date("2025-01-02")
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, in, 0), "development.rule.approval_late")
		// The county sets a quota of zero approvals left this year.
		if err := w.svc.SetDevRules(ctx, w.actor(t, "county"), domain.DevRules{AnnualQuota: 1, HostProbation: true}); err != nil {
			t.Fatal(err)
		}
		w.run(t, id, 17, 20)
		in = w.devInput(21)
		in.On = date("2025-09-30")
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, in, 0), "development.rule.probation_year")
		other := w.open(t, w.applicant(t, "赵六", "1996-01-01"))
		w.run(t, other, 2, 16)
		w.refused(t, other, w.svc.RecordStep(ctx, home, other, w.devInput(17), 0), "development.rule.quota")
		if err := w.svc.SetDevRules(ctx, mobile, domain.DefaultDevRules()); domain.CodeOf(err) != domain.CodeForbidden {
			t.Fatalf("a secretary changed the county's rules: %v", err)
		}
	})
}

// An extension is approved once; the probation steps run again from 21;
// a second extension and a cancellation follow the rules.
func TestDevExtendAndCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newDevWorld(t, db)
		home := w.actor(t, "home")
		p := w.applicant(t, "李明", "1998-04-02")
		id := w.open(t, p)
		w.run(t, id, 2, 22)
		w.opinion(t, "host3", id, 24)
		in := w.devInput(23)
		in.Outcome, in.Months = domain.OutcomeExtend, 4
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, in, 0), "development.rule.extend_months")
		in.Months = 6
		if err := w.svc.RecordStep(ctx, home, id, in, 0); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RecordStep(ctx, home, id, w.devInput(24), 0); err != nil {
			t.Fatal(err)
		}
		c := w.devCase(t, id)
		if c.Extension != 6 || c.ProbationEnd != date("2026-04-01") || c.Step != 20 || c.State != domain.DevOpen {
			t.Fatalf("after the extension: %+v", c)
		}
		if m := w.membership(t, p); m.Status != domain.StatusProbationary {
			t.Fatalf("status after extension %s", m.Status)
		}
		v, _ := w.svc.DevCase(ctx, home, id)
		if v.Next.N != 21 || v.Earliest != date("2026-04-01") {
			t.Fatalf("next %d from %s", v.Next.N, v.Earliest)
		}
		for _, n := range []int{21, 22} {
			in := w.devInput(n)
			in.On = date("2026-04-0" + string(rune('1'+n-21)))
			if n == 21 {
				w.inspect(t, id, []string{"2025-12-01", "2026-03-15"})
			}
			if err := w.svc.RecordStep(ctx, home, id, in, 0); err != nil {
				t.Fatalf("step %d again: %v", n, err)
			}
		}
		in = w.devInput(23)
		in.On, in.Outcome, in.Months = date("2026-04-10"), domain.OutcomeExtend, 6
		w.refused(t, id, w.svc.RecordStep(ctx, home, id, in, 0), "development.rule.extend_once")
		in.Outcome = domain.OutcomeCancel
		if err := w.svc.RecordStep(ctx, home, id, in, 0); err != nil {
			t.Fatal(err)
		}
		in = w.devInput(24)
		in.On = date("2026-05-01")
		if err := w.svc.RecordStep(ctx, home, id, in, 0); err != nil {
			t.Fatal(err)
		}
		if c := w.devCase(t, id); c.State != domain.DevCancelled || c.ClosedAt == nil {
			t.Fatalf("after cancellation: %+v", c)
		}
		if m := w.membership(t, p); m != nil {
			t.Fatalf("still a member: %+v", m)
		}
		v, _ = w.svc.DevCase(ctx, home, id)
		if len(v.Steps) != 28 || !v.Steps[20].Superseded || v.Steps[24].Superseded {
			t.Fatalf("timeline keeps the superseded steps: %d", len(v.Steps))
		}
	})
}

// The deadline lists, for each side, and the daily check that tells
// both sides once.
func TestDevDeadlinesAndCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newDevWorld(t, db)
		// Due: probation from 2025-12-10 ends 2026-12-10, within 30 days of 2026-11-29.
		due := w.open(t, w.applicant(t, "预备甲", "1990-01-01"))
		w.run(t, due, 2, 14)
		for _, n := range []int{15, 16, 17, 18, 19, 20} {
			in := w.devInput(n)
			in.On = date(map[int]string{15: "2025-12-10", 16: "2025-12-12", 17: "2026-01-20", 18: "2026-01-25", 19: "2026-02-01",
				20: "2026-02-10"}[n])
			if n == 15 { // the review of 2024 stays valid: no limit
				if err := w.svc.SetDevRules(ctx, w.actor(t, "county"), domain.DevRules{NoticeDays: 5, HostProbation: true}); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.svc.RecordStep(ctx, w.actor(t, "home"), due, in, 0); err != nil {
				t.Fatalf("step %d: %v", n, err)
			}
		}
		// Late: voted 2026-07-01, not approved in three months.
		late := w.open(t, w.applicant(t, "迟批乙", "1991-01-01"))
		w.run(t, late, 2, 14)
		in := w.devInput(15)
		in.On = date("2026-07-01")
		if err := w.svc.RecordStep(ctx, w.actor(t, "home"), late, in, 0); err != nil {
			t.Fatal(err)
		}
		// Eligible: activist since 2023-05-10.
		eligible := w.open(t, w.applicant(t, "积极丙", "1992-01-01"))
		w.run(t, eligible, 2, 5)
		// Not yet: activist since 2026-06-01.
		fresh := w.open(t, w.applicant(t, "新人丁", "1993-01-01"))
		w.run(t, fresh, 2, 2)
		in = w.devInput(3)
		in.On = date("2026-06-01")
		if err := w.svc.RecordStep(ctx, w.actor(t, "mobile"), fresh, in, 0); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"home", "mobile", "host3", "county"} {
			for kind, want := range map[string]domain.DevCaseID{"conversion": due, "approval": late, "eligible": eligible} {
				list, err := w.svc.DevDeadlines(ctx, w.actor(t, who), kind)
				if err != nil || len(list) != 1 || list[0].ID != want {
					t.Errorf("%s %s: %+v (%v)", who, kind, list, err)
				}
			}
		}
		for _, who := range []string{"host", "cases", "auditor"} {
			if list, _ := w.svc.DevDeadlines(ctx, w.actor(t, who), "conversion"); len(list) != 0 {
				t.Errorf("%s sees %d", who, len(list))
			}
		}
		res, err := w.svc.CheckDevelopment(ctx, w.svc.Today())
		if err != nil || res.Conversion != 1 || res.Approval != 1 || res.Eligible != 1 {
			t.Fatalf("check: %+v (%v)", res, err)
		}
		count := func() int { return len(w.inbox(t, "home")) + len(w.inbox(t, "mobile")) }
		n := count()
		if _, err := w.svc.CheckDevelopment(ctx, w.svc.Today()); err != nil {
			t.Fatal(err)
		}
		if count() != n {
			t.Fatalf("notices repeated: %d then %d", n, count())
		}
		for _, k := range []string{"conversion", "approval", "eligible"} {
			if !strings.Contains(strings.Join(w.inbox(t, "home"), " "), "development.notice.deadline."+k) {
				t.Errorf("home not told of %s", k)
			}
		}
		rep, err := w.svc.DevelopmentReport(ctx, w.actor(t, "county"), date("2024-01-01"), date("2026-11-29"), 0)
		if err != nil || rep.Open != 4 || rep.Developed != 1 || rep.Activists != 2 || rep.ByStage[domain.StageProbation] != 1 ||
			rep.ByStage[domain.StageAdmission] != 1 || len(rep.ByOrg) != 1 || rep.StageCounts[domain.StageActivist] != 2 {
			t.Fatalf("report %+v (%v)", rep, err)
		}
	})
}
