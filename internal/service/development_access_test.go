package service_test

import (
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// devActors are the matrix's columns: three hosts reaching the mobile
// committee M (host through A1: feedback; host2 through A4: basic data
// and attendance; host3 through A5: cultivation), the home secretary of
// V, the mobile secretary of M, the county, the member, and two
// outsiders (a case handler of M, the auditor).
var devActors = []string{"host", "host2", "host3", "home", "mobile", "county", "member", "cases", "auditor"}

// devMatrix is the expected outcome of each pipeline action on a case of
// a person of V placed in MB: "ok", "not_found" (the default), or the
// refusal's message. Written out by hand, not computed by the policy
// under test (decision 0014).
var devMatrix = map[string]map[string]string{
	"development.read": {"host": "development.no_capability", "host2": "development.no_capability", "host3": "ok", "home": "ok",
		"mobile": "ok", "county": "ok"},
	// A worker not yet in the Party's register is seen from home only.
	"development.open": {"home": "ok", "county": "ok"},
	"development.host_step": {"host": "development.no_capability", "host2": "development.no_capability", "host3": "ok",
		"home": "development.not_host", "mobile": "ok", "county": "development.not_host"},
	"development.home_step": {"host": "development.no_capability", "host2": "development.no_capability", "host3": "development.not_home",
		"home": "ok", "mobile": "development.not_home", "county": "ok"},
	"development.opinion": {"host": "development.no_capability", "host2": "development.no_capability", "host3": "ok",
		"home": "development.not_host", "mobile": "ok", "county": "development.not_host"},
	"development.assess": {"host": "development.no_capability", "host2": "development.no_capability", "host3": "ok",
		"home": "development.not_host", "mobile": "ok", "county": "development.not_host"},
	"development.approve": {"host": "development.no_capability", "host2": "development.no_capability", "host3": "development.not_home",
		"home": "ok", "mobile": "development.not_home", "county": "ok"},
	"development.close": {"host": "development.no_capability", "host2": "development.no_capability", "host3": "development.not_home",
		"home": "ok", "mobile": "development.not_home", "county": "ok"},
	"development.rules": {"host": "error.forbidden", "host2": "error.forbidden", "host3": "error.forbidden", "home": "error.forbidden",
		"mobile": "error.forbidden", "county": "ok", "member": "error.forbidden", "cases": "error.forbidden",
		"auditor": "error.forbidden"},
}

// Every actor tries every action on cases of its own (so one actor's
// success does not change another's cell): A at step 2, B at step 3, C
// at step 6 with the host opinion for step 7 on record.
func TestDevelopmentAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newDevWorld(t, db)
		type slot struct {
			worker  domain.PersonID
			a, b, c domain.DevCaseID
		}
		slots := map[string]*slot{}
		for i, who := range devActors {
			n := string([]rune("一二三四五六七八九")[i])
			s := &slot{worker: w.applicant(t, "申"+n, "1995-05-05")}
			s.a = w.open(t, w.applicant(t, "甲"+n, "1996-01-01"))
			w.run(t, s.a, 2, 2)
			s.b = w.open(t, w.applicant(t, "乙"+n, "1997-01-01"))
			w.run(t, s.b, 2, 3)
			s.c = w.open(t, w.applicant(t, "丙"+n, "1998-01-01"))
			w.run(t, s.c, 2, 6)
			w.opinion(t, "host3", s.c, domain.GateCandidate)
			slots[who] = s
		}
		actions := []struct {
			name string
			do   func(who string, s *slot) error
		}{
			{"development.read", func(who string, s *slot) error {
				_, err := w.svc.DevCase(ctx, w.actor(t, who), s.a)
				return err
			}},
			{"development.open", func(who string, s *slot) error {
				_, err := w.svc.OpenDevCase(ctx, w.actor(t, who), service.OpenInput{Person: s.worker, MobileOrgID: w.orgs["MB"].ID,
					On: date("2026-10-01")})
				return err
			}},
			{"development.host_step", func(who string, s *slot) error {
				return w.svc.RecordStep(ctx, w.actor(t, who), s.a, w.devInput(3), 0)
			}},
			{"development.home_step", func(who string, s *slot) error {
				return w.svc.RecordStep(ctx, w.actor(t, who), s.b, w.devInput(4), 0)
			}},
			{"development.opinion", func(who string, s *slot) error {
				return w.svc.GiveDevOpinion(ctx, w.actor(t, who), s.c, service.OpinionGiven{Gate: domain.GateAdmission,
					On: date("2026-10-01"), Text: "同意"})
			}},
			{"development.assess", func(who string, s *slot) error {
				return w.svc.AssessDev(ctx, w.actor(t, who), s.b, service.AssessInput{On: date("2023-09-01"), Text: "表现良好"})
			}},
			{"development.approve", func(who string, s *slot) error {
				return w.svc.RecordStep(ctx, w.actor(t, who), s.c, w.devInput(7), 0)
			}},
			{"development.close", func(who string, s *slot) error {
				return w.svc.CloseDevCase(ctx, w.actor(t, who), s.a, "本人申请暂缓")
			}},
			{"development.rules", func(who string, s *slot) error {
				return w.svc.SetDevRules(ctx, w.actor(t, who), domain.DefaultDevRules())
			}},
		}
		cells := 0
		for _, act := range actions {
			for _, who := range devActors {
				want := devMatrix[act.name][who]
				if want == "" {
					want = "not_found"
				}
				if got := outcome(act.do(who, slots[who])); got != want {
					t.Errorf("%s by %s: %s, want %s", act.name, who, got, want)
				}
				cells++
			}
		}
		if len(actions) != len(devMatrix) {
			t.Fatalf("%d actions for %d matrix rows", len(actions), len(devMatrix))
		}
		t.Logf("development matrix: %d actions × %d actors = %d cells", len(devMatrix), len(devActors), cells)
		// Refusals of who asks are audited.
		denied, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range denied {
			if e.Outcome == "denied" && len(e.Action) > 12 && e.Action[:12] == "development." {
				n++
			}
		}
		if n < 20 {
			t.Errorf("only %d development refusals audited", n)
		}
	})
}
