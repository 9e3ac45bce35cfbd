package demo

import (
	"context"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The demo's development cases, with the workers' path forced on at the
// tests' scale (People says 200,000 on a register of 2,000): every case
// keeps every date and order rule when its steps are replayed through
// domain.DevTrack.Check, each person's status is the one its case gives,
// activists, developed members and cases waiting for the host opinion
// are there, and a second run adds nothing.
func TestDemoDevelopmentKeepsTheRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := testService(t, db)
		sc := Guannan()
		sc.People = testPeople
		sc.Steps = sc.Steps[:len(sc.Steps)-1] // all but the development step
		if _, err := sc.Load(ctx, svc); err != nil {
			t.Fatal(err)
		}
		l := &Loader{Service: svc, DB: db, People: DefaultPeople}
		if err := l.EnsureDevelopment(ctx); err != nil {
			t.Fatal(err)
		}
		if err := l.EnsureDevelopment(ctx); err != nil {
			t.Fatal(err)
		}
		q := db.Read()
		var cases []domain.DevCase
		for before := domain.DevCaseID(0); ; {
			page, err := store.ListDevCases(ctx, q, store.DevCaseQuery{Home: everything, Mobile: everything, Before: before, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			cases = append(cases, page...)
			if len(page) < 500 {
				break
			}
			before = page[len(page)-1].ID
		}
		n, _ := store.CountDevCases(ctx, q, store.DevCaseQuery{Home: everything, Mobile: everything})
		if n < demoActivists || len(cases) != n {
			t.Fatalf("%d cases", n)
		}
		today := svc.Today()
		waiting, completed := 0, 0
		for _, c := range cases {
			recs, err := store.DevSteps(ctx, q, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			as, _ := store.DevAssessments(ctx, q, c.ID)
			ops, _ := store.DevOpinions(ctx, q, c.ID)
			empty := c
			empty.Extension = 0
			track := domain.NewTrack(empty, nil, as, ops)
			for _, r := range recs {
				in := r.StepInput
				st, _ := domain.DevStepOf(in.Step)
				if st.Has(domain.FieldMentors) || st.Has(domain.FieldIntroducer) {
					in.People = []domain.DevPerson{{PersonID: 1, Status: domain.StatusFull, NotDisciplined: true}}
					if st.Has(domain.FieldIntroducer) {
						in.People = append(in.People, domain.DevPerson{PersonID: 2, Status: domain.StatusFull, NotDisciplined: true})
					}
				}
				if err := track.Check(in, domain.DefaultDevRules(), today); err != nil {
					t.Fatalf("case %d (%s) step %d: %v", c.ID, c.PersonName, r.Step, err)
				}
				track.Done[r.Step] = r
			}
			if c.Step != len(recs) {
				t.Fatalf("case %d stands at %d with %d steps", c.ID, c.Step, len(recs))
			}
			p, err := store.PersonByID(ctx, q, c.PersonID)
			if err != nil || p.Membership == nil {
				t.Fatalf("case %d: person %v", c.ID, err)
			}
			if want := statusOf(c.Step); p.Membership.Status != want && !(want == domain.StatusApplicant && c.Step < 3) {
				t.Errorf("case %d at step %d: status %s, want %s", c.ID, c.Step, p.Membership.Status, want)
			}
			if c.Step == 6 && track.Next() == 7 && !track.Opinions[domain.GateCandidate] {
				waiting++
			}
			if c.State == domain.DevCompleted {
				completed++
			}
		}
		t.Logf("%d cases, %d waiting for the host opinion, %d completed", n, waiting, completed)
		var activists int
		q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dev_cases WHERE state = 'open' AND stage = 2`).Scan(&activists)
		if activists < 700 || activists > 900 || waiting == 0 || completed == 0 {
			t.Errorf("%d activists, %d waiting", activists, waiting)
		}
	})
}
