package service_test

import (
	"fmt"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// conductActors are the matrix's columns: the host whose agreement (A1)
// grants feedback, the host whose agreement (A4) does not, the home
// secretary, the mobile secretary, the county, the member, and two
// outsiders (a case handler of M, the auditor).
var conductActors = []string{"host", "host2", "home", "mobile", "county", "member", "cases", "auditor"}

// conductMatrix is the expected outcome of each action on the members of
// MB (home V) for each actor: "ok", "not_found", or the refusal's message.
// Written out by hand, not computed by the policy under test.
var conductMatrix = map[string]map[string]string{
	"feedback.write": {"host": "ok", "host2": "feedback.no_capability", "home": "feedback.not_writer", "mobile": "ok",
		"county": "feedback.not_writer"},
	"feedback.read": {"host": "ok", "host2": "feedback.no_capability", "home": "ok", "mobile": "ok", "county": "ok"},
	"feedback.acknowledge": {"host": "feedback.not_home", "host2": "feedback.no_capability", "home": "ok", "mobile": "feedback.not_home",
		"county": "ok"},
	"feedback.revise": {"host": "ok", "host2": "feedback.no_capability", "home": "feedback.not_writer", "mobile": "feedback.not_writer",
		"county": "feedback.not_writer"},
	"evaluation.propose": {"host": "evaluation.host_gives_opinion", "host2": "evaluation.no_capability", "home": "evaluation.not_proposer",
		"mobile": "ok", "county": "evaluation.not_proposer"},
	"evaluation.read": {"host": "ok", "host2": "evaluation.no_capability", "home": "ok", "mobile": "ok", "county": "ok"},
	"evaluation.opinion": {"host": "ok", "host2": "evaluation.no_capability", "home": "evaluation.not_host", "mobile": "evaluation.not_host",
		"county": "evaluation.not_host"},
	"evaluation.confirm": {"host": "evaluation.not_home", "host2": "evaluation.no_capability", "home": "ok", "mobile": "evaluation.not_home",
		"county": "ok"},
	"followup.close": {"host": "followup.not_home", "host2": "evaluation.no_capability", "home": "ok", "mobile": "followup.not_home",
		"county": "ok"},
}

func outcome(err error) string {
	switch domain.CodeOf(err) {
	case "":
		return "ok"
	case domain.CodeNotFound:
		return "not_found"
	}
	return domain.AsError(err).MsgID
}

// Every actor tries every action on its own records (a quarter and a year
// of its own, so one actor's success does not change another's cell).
func TestConductAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		home := w.actor(t, "home")
		type slot struct {
			quarter             string
			year                int
			read, ack, returned domain.FeedbackID
			eval, unqualified   domain.EvaluationID
		}
		slots := map[string]*slot{}
		for i, who := range conductActors {
			s := &slot{quarter: fmt.Sprintf("%d-Q%d", 2025+i/4, i%4+1), year: 2019 + i}
			s.read = w.write(t, "host", "三甲", s.quarter)
			s.ack = w.write(t, "host", "三乙", s.quarter)
			s.returned = w.write(t, "host", "三丙", s.quarter)
			if err := w.svc.ReturnFeedback(ctx, home, s.returned, "请补充"); err != nil {
				t.Fatal(err)
			}
			s.eval = w.propose(t, "mobile", "三甲", s.year, domain.RatingQualified).ID
			s.unqualified = w.propose(t, "mobile", "三乙", s.year, domain.RatingUnqualified).ID
			if err := w.svc.ConfirmEvaluation(ctx, home, s.unqualified, service.ConfirmInput{FollowUp: domain.FollowUpCorrect,
				FollowUpDue: w.svc.Today().AddDays(60)}); err != nil {
				t.Fatal(err)
			}
			slots[who] = s
		}
		actions := []struct {
			name string
			do   func(who string, s *slot) error
		}{
			{"feedback.write", func(who string, s *slot) error {
				_, err := w.svc.WriteFeedback(ctx, w.actor(t, who), service.FeedbackInput{Person: w.people["单雄信"], Quarter: s.quarter,
					Participation: domain.ParticipationAlways, Conduct: domain.ConductGood})
				return err
			}},
			{"feedback.read", func(who string, s *slot) error {
				_, err := w.svc.Feedback(ctx, w.actor(t, who), s.read)
				return err
			}},
			{"feedback.acknowledge", func(who string, s *slot) error {
				return w.svc.AcknowledgeFeedback(ctx, w.actor(t, who), s.ack, "")
			}},
			{"feedback.revise", func(who string, s *slot) error {
				return w.svc.ReviseFeedback(ctx, w.actor(t, who), s.returned, service.FeedbackInput{Participation: domain.ParticipationMostly,
					Conduct: domain.ConductGood})
			}},
			{"evaluation.propose", func(who string, s *slot) error {
				_, err := w.svc.ProposeEvaluation(ctx, w.actor(t, who), service.ProposalInput{Person: w.people["单雄信"], Year: s.year,
					Rating: domain.RatingQualified})
				return err
			}},
			{"evaluation.read", func(who string, s *slot) error {
				_, err := w.svc.Evaluation(ctx, w.actor(t, who), s.eval)
				return err
			}},
			{"evaluation.opinion", func(who string, s *slot) error {
				return w.svc.RecordHostOpinion(ctx, w.actor(t, who), s.eval, service.OpinionInput{Rating: domain.RatingQualified})
			}},
			{"evaluation.confirm", func(who string, s *slot) error {
				return w.svc.ConfirmEvaluation(ctx, w.actor(t, who), s.eval, service.ConfirmInput{})
			}},
			{"followup.close", func(who string, s *slot) error {
				v, err := store.EvaluationByID(ctx, db.Read(), s.unqualified)
				if err != nil {
					t.Fatal(err)
				}
				return w.svc.CloseFollowUp(ctx, w.actor(t, who), v.FollowUpID, service.CloseInput{Outcome: domain.OutcomeCorrected,
					Note: "已改正"})
			}},
		}
		cells := 0
		for _, act := range actions {
			for _, who := range conductActors {
				want := conductMatrix[act.name][who]
				if want == "" {
					want = "not_found"
				}
				if got := outcome(act.do(who, slots[who])); got != want {
					t.Errorf("%s by %s: %s, want %s", act.name, who, got, want)
				}
				cells++
			}
		}
		if cells != len(conductMatrix)*len(conductActors) {
			t.Fatalf("%d cells for %d actions", cells, len(conductMatrix))
		}
		t.Logf("conduct matrix: %d actions × %d actors = %d cells", len(conductMatrix), len(conductActors), cells)
	})
}
