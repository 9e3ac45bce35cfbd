package service_test

import (
	"slices"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func (w *conductWorld) propose(t *testing.T, who, person string, year int, r domain.Rating) service.Proposal {
	t.Helper()
	p, err := w.svc.ProposeEvaluation(ctx, w.actor(t, who), service.ProposalInput{Person: w.people[person], Year: year, Rating: r})
	if err != nil {
		t.Fatalf("%s proposes %s %d: %v", who, person, year, err)
	}
	return p
}

func (w *conductWorld) evaluation(t *testing.T, id domain.EvaluationID) domain.Evaluation {
	t.Helper()
	e, err := store.EvaluationByID(ctx, w.db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEvaluationProposedOpinionConfirmed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		// One excellent out of one proposed is over a third: reported, not
		// refused, on proposal.
		p := w.propose(t, "mobile", "三甲", 2026, domain.RatingExcellent)
		wantCode(t, p.Warning, domain.CodeRule, "evaluation.excellent_share")
		if p2 := w.propose(t, "mobile", "三乙", 2026, domain.RatingQualified); p2.Warning == nil {
			t.Fatal("1 of 2 excellent not reported")
		}
		if p3 := w.propose(t, "mobile", "三丙", 2026, domain.RatingUnqualified); p3.Warning != nil {
			t.Fatalf("1 of 3 excellent reported: %v", p3.Warning)
		}
		e := w.evaluation(t, p.ID)
		if e.OrgID != w.orgs["MB"].ID || e.HomeOrgID != w.orgs["V"].ID || e.State != domain.EvaluationProposed || e.Proposed != domain.RatingExcellent {
			t.Fatalf("proposal %+v", e)
		}
		if err := w.svc.RecordHostOpinion(ctx, w.actor(t, "host"), p.ID, service.OpinionInput{Rating: domain.RatingExcellent,
			Note: "在社区志愿服务中表现突出"}); err != nil {
			t.Fatal(err)
		}
		if e := w.evaluation(t, p.ID); e.HostOrgID != w.orgs["H"].ID || e.HostRating != domain.RatingExcellent || e.HostAt == nil {
			t.Fatalf("opinion %+v", e)
		}
		home := w.actor(t, "home")
		if err := w.svc.ConfirmEvaluation(ctx, home, p.ID, service.ConfirmInput{}); err != nil {
			t.Fatal(err)
		}
		// Changing 三乙 to excellent would make two of three: refused.
		p2, _ := store.EvaluationOf(ctx, db.Read(), w.people["三乙"], 2026)
		wantCode(t, w.svc.ConfirmEvaluation(ctx, home, p2.ID, service.ConfirmInput{Rating: domain.RatingExcellent}),
			domain.CodeInvalid, "evaluation.reason_required")
		wantCode(t, w.svc.ConfirmEvaluation(ctx, home, p2.ID, service.ConfirmInput{Rating: domain.RatingExcellent, Reason: "表现突出"}),
			domain.CodeRule, "evaluation.excellent_share")
		if err := w.svc.ConfirmEvaluation(ctx, home, p2.ID, service.ConfirmInput{Rating: domain.RatingBasic, Reason: "多次无故缺席"}); err != nil {
			t.Fatal(err)
		}
		if e := w.evaluation(t, p2.ID); e.Rating != domain.RatingBasic || e.Proposed != domain.RatingQualified || e.ChangeReason != "多次无故缺席" {
			t.Fatalf("changed %+v", e)
		}
		wantCode(t, w.svc.ConfirmEvaluation(ctx, home, p2.ID, service.ConfirmInput{}), domain.CodeConflict, "evaluation.confirmed_already")
		_, err := w.svc.ProposeEvaluation(ctx, w.actor(t, "mobile"), service.ProposalInput{Person: w.people["三乙"], Year: 2026,
			Rating: domain.RatingExcellent})
		wantCode(t, err, domain.CodeConflict, "evaluation.confirmed_already")

		// Unqualified needs its disposal, and opens a task tracked until
		// closed; escalation opens the next one.
		p3, _ := store.EvaluationOf(ctx, db.Read(), w.people["三丙"], 2026)
		wantCode(t, w.svc.ConfirmEvaluation(ctx, home, p3.ID, service.ConfirmInput{}), domain.CodeInvalid, "evaluation.followup_kind_invalid")
		wantCode(t, w.svc.ConfirmEvaluation(ctx, home, p3.ID, service.ConfirmInput{FollowUp: domain.FollowUpCorrect,
			FollowUpDue: w.svc.Today()}), domain.CodeInvalid, "evaluation.followup_due_invalid")
		due := w.svc.Today().AddDays(90)
		if err := w.svc.ConfirmEvaluation(ctx, home, p3.ID, service.ConfirmInput{FollowUp: domain.FollowUpCorrect, FollowUpDue: due,
			FollowUpNote: "三个月内参加组织生活不少于三次"}); err != nil {
			t.Fatal(err)
		}
		open := true
		tasks, err := w.svc.ListFollowUps(ctx, home, service.FollowUpSearch{Open: &open})
		if err != nil || len(tasks.FollowUps) != 1 || tasks.FollowUps[0].Kind != domain.FollowUpCorrect || tasks.FollowUps[0].DueOn != due {
			t.Fatalf("tasks %+v (%v)", tasks, err)
		}
		task := tasks.FollowUps[0]
		if task.Overdue(w.svc.Today()) || !task.Overdue(due.AddDays(1)) {
			t.Fatal("overdue")
		}
		wantCode(t, w.svc.CloseFollowUp(ctx, home, task.ID, service.CloseInput{Outcome: domain.OutcomeCorrected}),
			domain.CodeInvalid, "followup.note_required")
		wantCode(t, w.svc.CloseFollowUp(ctx, home, task.ID, service.CloseInput{Outcome: domain.OutcomeEscalated, Note: "逾期未改",
			NextKind: domain.FollowUpCorrect, NextDue: due}), domain.CodeInvalid, "followup.escalate_milder")
		wantCode(t, w.svc.CloseFollowUp(ctx, w.actor(t, "mobile"), task.ID, service.CloseInput{Outcome: domain.OutcomeCorrected, Note: "x"}),
			domain.CodeForbidden, "followup.not_home")
		if err := w.svc.CloseFollowUp(ctx, home, task.ID, service.CloseInput{Outcome: domain.OutcomeEscalated, Note: "逾期未改",
			NextKind: domain.FollowUpPersuade, NextDue: due.AddDays(30)}); err != nil {
			t.Fatal(err)
		}
		v, err := w.svc.Evaluation(ctx, home, p3.ID)
		if err != nil || len(v.FollowUps) != 2 || v.FollowUpKind != domain.FollowUpPersuade || v.FollowUpClosed || !v.CanClose ||
			v.FollowUps[1].Outcome != domain.OutcomeEscalated {
			t.Fatalf("evaluation view %+v (%v)", v, err)
		}
		wantCode(t, w.svc.CloseFollowUp(ctx, home, task.ID, service.CloseInput{Outcome: domain.OutcomeCorrected, Note: "x"}),
			domain.CodeConflict, "followup.closed_already")
		if got := w.events(t, w.people["三丙"]); !slices.Equal(got, []string{"evaluation_proposed", "evaluation_confirmed",
			"followup_opened", "followup_closed", "followup_opened"}) {
			t.Errorf("history %v", got)
		}

		// Notices: home once per proposal, the host asked once per
		// evaluation, the proposer told of each confirmation.
		count := func(name, msg string) int {
			n := 0
			for _, m := range w.inbox(t, name) {
				if m == msg {
					n++
				}
			}
			return n
		}
		if n := count("home", "evaluation.notice.proposed"); n != 3 {
			t.Errorf("home told of %d proposals", n)
		}
		if n := count("home", "evaluation.notice.opinion"); n != 1 {
			t.Errorf("home told of %d opinions", n)
		}
		if n := count("host", "evaluation.notice.opinion_asked"); n != 3 {
			t.Errorf("host asked %d times", n)
		}
		if n := count("host2", "evaluation.notice.opinion_asked"); n != 0 {
			t.Errorf("host2 (no feedback capability) asked %d times", n)
		}
		if n := count("mobile", "evaluation.notice.confirmed"); n != 3 {
			t.Errorf("mobile told of %d confirmations", n)
		}
	})
}

func TestEvaluationRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		propose := func(who, person string, year int) error {
			_, err := w.svc.ProposeEvaluation(ctx, w.actor(t, who), service.ProposalInput{Person: w.people[person], Year: year,
				Rating: domain.RatingQualified})
			return err
		}
		wantCode(t, propose("mobile", "张薇", 2026), domain.CodeRule, "evaluation.probationary_not_rated")
		wantCode(t, propose("mobile", "王芳", 2026), domain.CodeRule, "evaluation.not_member")
		wantCode(t, propose("mobile", "单雄信", 2027), domain.CodeInvalid, "evaluation.year_future")
		wantCode(t, propose("host", "单雄信", 2026), domain.CodeForbidden, "evaluation.host_gives_opinion")
		wantCode(t, propose("host2", "单雄信", 2026), domain.CodeForbidden, "evaluation.no_capability")
		wantCode(t, propose("county", "单雄信", 2026), domain.CodeForbidden, "evaluation.not_proposer")
		wantCode(t, propose("member", "单雄信", 2026), domain.CodeNotFound, "")
		// A member not placed is proposed by the home branch.
		if err := propose("home", "王五", 2026); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.ProposeEvaluation(ctx, w.actor(t, "mobile"), service.ProposalInput{Person: w.people["单雄信"], Year: 2026, Rating: "good"})
		wantCode(t, err, domain.CodeInvalid, "evaluation.rating_invalid")

		// The probationary rule is a setting the county changes.
		wantCode(t, w.svc.SetEvaluationPolicy(ctx, w.actor(t, "home"), domain.EvaluationPolicy{RateProbationary: true, ExcellentNum: 1,
			ExcellentDen: 3}), domain.CodeForbidden, "")
		wantCode(t, w.svc.SetEvaluationPolicy(ctx, w.actor(t, "county"), domain.EvaluationPolicy{ExcellentNum: 2, ExcellentDen: 1}),
			domain.CodeInvalid, "evaluation.policy_share_invalid")
		if err := w.svc.SetEvaluationPolicy(ctx, w.actor(t, "county"), domain.EvaluationPolicy{RateProbationary: true, ExcellentNum: 1,
			ExcellentDen: 3}); err != nil {
			t.Fatal(err)
		}
		if err := propose("mobile", "张薇", 2026); err != nil {
			t.Fatal(err)
		}

		// A rating from an account without the capability is refused
		// with a clear message, audited, and changes nothing.
		p := w.propose(t, "mobile", "单雄信", 2026, domain.RatingQualified)
		before := w.evaluation(t, p.ID)
		wantCode(t, w.svc.RecordHostOpinion(ctx, w.actor(t, "host2"), p.ID, service.OpinionInput{Rating: domain.RatingExcellent}),
			domain.CodeForbidden, "evaluation.no_capability")
		wantCode(t, w.svc.RecordHostOpinion(ctx, w.actor(t, "mobile"), p.ID, service.OpinionInput{Rating: domain.RatingExcellent}),
			domain.CodeForbidden, "evaluation.not_host")
		wantCode(t, w.svc.ConfirmEvaluation(ctx, w.actor(t, "host"), p.ID, service.ConfirmInput{}), domain.CodeForbidden, "evaluation.not_home")
		wantCode(t, w.svc.ConfirmEvaluation(ctx, w.actor(t, "cases"), p.ID, service.ConfirmInput{}), domain.CodeNotFound, "")
		if after := w.evaluation(t, p.ID); after != before {
			t.Fatalf("refusals changed the evaluation:\n%+v\n%+v", before, after)
		}
		denied, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "evaluation.", Limit: 50})
		n := 0
		for _, e := range denied {
			if e.Outcome == "denied" {
				n++
			}
		}
		if n != 7 {
			t.Errorf("%d refusals audited, want 7", n)
		}
	})
}

func TestEvaluationListsAndDistribution(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		due := func(who string) int {
			t.Helper()
			p, err := w.svc.EvaluationsDue(ctx, w.actor(t, who), 0, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Members)
		}
		// Mobile: the four full members placed in MB; home: 王五, who is
		// not placed; the county proposes nobody placed, and the unplaced.
		for who, want := range map[string]int{"mobile": 4, "home": 1, "county": 1, "host": 0, "host2": 0, "member": 0} {
			if got := due(who); got != want {
				t.Errorf("%s has %d to propose, want %d", who, got, want)
			}
		}
		a := w.propose(t, "mobile", "三甲", 2026, domain.RatingExcellent)
		w.propose(t, "mobile", "三乙", 2026, domain.RatingQualified)
		w.propose(t, "mobile", "三丙", 2026, domain.RatingQualified)
		w.propose(t, "home", "王五", 2026, domain.RatingBasic)
		w.propose(t, "mobile", "单雄信", 2025, domain.RatingQualified)
		if got := due("mobile"); got != 1 {
			t.Errorf("mobile still has %d to propose", got)
		}
		home := w.actor(t, "home")
		toConfirm, err := w.svc.EvaluationsToConfirm(ctx, home, service.EvaluationSearch{Year: 2026})
		if err != nil || len(toConfirm.Evaluations) != 4 {
			t.Fatalf("home confirms %d (%v)", len(toConfirm.Evaluations), err)
		}
		if err := w.svc.ConfirmEvaluation(ctx, home, a.ID, service.ConfirmInput{}); err != nil {
			t.Fatal(err)
		}
		d, err := w.svc.EvaluationDistribution(ctx, w.actor(t, "county"), 2026)
		if err != nil || len(d.Rows) != 2 {
			t.Fatalf("distribution %+v (%v)", d, err)
		}
		// In tree order: V (王五) before MB.
		v, mb := d.Rows[0], d.Rows[1]
		if v.OrgID != w.orgs["V"].ID || v.Pending != 1 || mb.OrgID != w.orgs["MB"].ID || mb.Count(domain.RatingExcellent) != 1 ||
			mb.Pending != 2 || mb.Total() != 3 || d.Total.Total() != 4 || d.Total.Count(domain.RatingExcellent) != 1 || d.Den != 3 {
			t.Fatalf("rows %+v total %+v", d.Rows, d.Total)
		}
		for who, want := range map[string]int{"host": 3, "host2": 0, "mobile": 3, "home": 4, "member": 0} {
			d, err := w.svc.EvaluationDistribution(ctx, w.actor(t, who), 2026)
			if err != nil || d.Total.Total() != want {
				t.Errorf("%s counts %d (%v), want %d", who, d.Total.Total(), err, want)
			}
		}
		all, _ := w.svc.ListEvaluations(ctx, w.actor(t, "mobile"), service.EvaluationSearch{})
		if len(all.Evaluations) != 4 {
			t.Errorf("mobile lists %d evaluations", len(all.Evaluations))
		}
		ex, err := w.svc.ExportEvaluations(ctx, w.actor(t, "county"), service.EvalAll, service.EvaluationSearch{Year: 2026})
		if err != nil || len(ex.Evaluations) != 4 {
			t.Fatalf("export %+v (%v)", ex, err)
		}
		if _, err := w.svc.ExportDistribution(ctx, w.actor(t, "county"), 2026); err != nil {
			t.Fatal(err)
		}
		got, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "evaluation.export", Limit: 10})
		if len(got) != 2 {
			t.Errorf("export audit %d", len(got))
		}
	})
}

func TestConductRecordOnPersonAndOwnPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		id := w.write(t, "host", "单雄信", "2026-Q4")
		if err := w.svc.ReturnFeedback(ctx, w.actor(t, "home"), id, "请写明具体表现"); err != nil {
			t.Fatal(err)
		}
		w.write(t, "mobile", "单雄信", "2026-Q3")
		p := w.propose(t, "mobile", "单雄信", 2025, domain.RatingQualified)
		w.propose(t, "mobile", "单雄信", 2026, domain.RatingExcellent)
		if err := w.svc.ConfirmEvaluation(ctx, w.actor(t, "county"), p.ID, service.ConfirmInput{}); err != nil {
			t.Fatal(err)
		}
		r, err := w.svc.MemberConduct(ctx, w.actor(t, "home"), w.people["单雄信"])
		if err != nil || r == nil || len(r.Feedback) != 2 || len(r.Evaluations) != 2 || r.CanWrite || r.CanPropose {
			t.Fatalf("home reads %+v (%v)", r, err)
		}
		if r, _ := w.svc.MemberConduct(ctx, w.actor(t, "mobile"), w.people["单雄信"]); r == nil || !r.CanWrite || !r.CanPropose {
			t.Fatalf("mobile reads %+v", r)
		}
		// Once written for the quarter, the page no longer offers to.
		w.write(t, "mobile", "单雄信", "2026-Q4")
		if r, _ := w.svc.MemberConduct(ctx, w.actor(t, "mobile"), w.people["单雄信"]); r == nil || r.CanWrite || len(r.Feedback) != 3 ||
			r.Feedback[0].Quarter != "2026-Q4" || r.Evaluations[0].Year != 2026 {
			t.Fatalf("mobile reads after writing %+v", r)
		}
		for _, who := range []string{"host2", "cases"} {
			if r, _ := w.svc.MemberConduct(ctx, w.actor(t, who), w.people["单雄信"]); r != nil {
				t.Errorf("%s reads %+v", who, r)
			}
		}
		// The member's own page: the account's display name is the name.
		acc, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: "shan", DisplayName: "单雄信", Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.BootstrapGrant(ctx, acc, "member", w.orgs["MB"].Name); err != nil {
			t.Fatal(err)
		}
		w.accounts["shan"] = acc
		own, err := w.svc.OwnConduct(ctx, w.actor(t, "shan"))
		if err != nil || own == nil || len(own.Feedback) != 3 || len(own.Evaluations) != 2 {
			t.Fatalf("own %+v (%v)", own, err)
		}
		for _, f := range own.Feedback {
			if f.Comment != "" || f.AuthorName != "" {
				t.Errorf("own feedback shows %q by %q", f.Comment, f.AuthorName)
			}
		}
		for _, e := range own.Evaluations {
			if e.State == domain.EvaluationProposed && e.Proposed != "" || e.State == domain.EvaluationConfirmed && e.Rating != domain.RatingQualified {
				t.Errorf("own evaluation %+v", e)
			}
		}
		if own, _ := w.svc.OwnConduct(ctx, w.actor(t, "member")); own != nil {
			t.Errorf("unmatched member reads %+v", own)
		}
	})
}
