package service_test

import (
	"slices"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// conductWorld is the access tests' world (today 2026-11-29, in 2026-Q4)
// with an agreement A4 between M and the second street H2 that grants
// basic data and attendance but not feedback, a host officer "host2" at
// H2, an account "dual" that is both the mobile secretary of M and the
// home secretary of V, and these people (home branch V):
//
//	单雄信 full member placed in MB       张薇 probationary member in MB
//	李四   full member placed in M2       王五 full member, not placed
//	王芳   activist placed in MB          三甲/三乙/三丙 full members in MB
type conductWorld struct {
	*world
	people map[string]domain.PersonID
}

func newConductWorld(t *testing.T, db *store.DB) *conductWorld {
	t.Helper()
	w := &conductWorld{world: newWorld(t, db), people: map[string]domain.PersonID{}}
	a4, err := w.svc.BootstrapAgreement(ctx, service.NewAgreement{Title: "协议A4", OriginID: w.orgs["C"].ID,
		MobileIDs: []domain.OrgID{w.orgs["M"].ID}, HostIDs: []domain.OrgID{w.orgs["H2"].ID},
		Capabilities: []domain.Capability{domain.CapViewBasic, domain.CapAttendance},
		ValidFrom:    domain.NewDate(2026, 1, 1), ValidTo: domain.NewDate(2026, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SignAgreement(ctx, authz.System, a4, 0, domain.NewDate(2026, 1, 1)); err != nil {
		t.Fatal(err)
	}
	for name, grants := range map[string][][2]string{
		"host2": {{authz.RoleHostOfficer, "H2"}},
		"dual":  {{authz.RoleMobileSecretary, "M"}, {authz.RoleHomeSecretary, "V"}},
	} {
		id, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: name, Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range grants {
			if err := w.svc.BootstrapGrant(ctx, id, g[0], w.orgs[g[1]].Name); err != nil {
				t.Fatal(err)
			}
		}
		w.accounts[name] = id
	}
	county := w.actor(t, "county")
	for _, p := range []struct {
		name   string
		status domain.MemberStatus
		mobile string
	}{
		{"单雄信", domain.StatusFull, "MB"}, {"张薇", domain.StatusProbationary, "MB"}, {"李四", domain.StatusFull, "M2"},
		{"王五", domain.StatusFull, ""}, {"王芳", domain.StatusActivist, "MB"},
		{"三甲", domain.StatusFull, "MB"}, {"三乙", domain.StatusFull, "MB"}, {"三丙", domain.StatusFull, "MB"},
	} {
		m := &domain.Membership{Status: p.status, HomeOrgID: w.orgs["V"].ID, JoinedOn: domain.NewDate(2015, 7, 1)}
		if p.mobile != "" {
			m.MobileOrgID = w.orgs[p.mobile].ID
		}
		id, err := w.svc.CreatePerson(ctx, county, service.NewPerson{Name: p.name, OriginOrgID: w.orgs["V"].ID, Membership: m})
		if err != nil {
			t.Fatalf("person %s: %v", p.name, err)
		}
		w.people[p.name] = id
	}
	return w
}

// inbox is the account's notices by message ID.
func (w *conductWorld) inbox(t *testing.T, name string) []string {
	t.Helper()
	ns, err := store.Notifications(ctx, w.db.Read(), w.accounts[name], 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(ns) - 1; i >= 0; i-- {
		out = append(out, ns[i].MsgID)
	}
	return out
}

// events is the person's history kinds, oldest first.
func (w *conductWorld) events(t *testing.T, id domain.PersonID) []string {
	t.Helper()
	es, err := store.PersonEvents(ctx, w.db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Kind != "registered" {
			out = append(out, es[i].Kind)
		}
	}
	return out
}

func (w *conductWorld) write(t *testing.T, who, person, quarter string) domain.FeedbackID {
	t.Helper()
	id, err := w.svc.WriteFeedback(ctx, w.actor(t, who), service.FeedbackInput{Person: w.people[person], Quarter: quarter,
		Participation: domain.ParticipationAlways, Conduct: domain.ConductGood, Remarks: "按时参加主题党日"})
	if err != nil {
		t.Fatalf("%s writes for %s %s: %v", who, person, quarter, err)
	}
	return id
}

func (w *conductWorld) feedback(t *testing.T, id domain.FeedbackID) domain.Feedback {
	t.Helper()
	f, err := store.FeedbackByID(ctx, w.db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFeedbackSentReturnedRevisedAcknowledged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		host, home := w.actor(t, "host"), w.actor(t, "home")
		id := w.write(t, "host", "单雄信", "2026-Q4")
		f := w.feedback(t, id)
		if f.State != domain.FeedbackSent || f.WriterOrgID != w.orgs["H"].ID || f.WriterSide != domain.SideHost ||
			f.HomeOrgID != w.orgs["V"].ID || f.MobileOrgID != w.orgs["MB"].ID || f.Revision != 1 || f.Agreement != w.a1 {
			t.Fatalf("sent %+v", f)
		}
		waiting, err := w.svc.FeedbackWaiting(ctx, home, service.FeedbackSearch{})
		if err != nil || len(waiting.Feedback) != 1 || waiting.Feedback[0].ID != id {
			t.Fatalf("home waits for %+v (%v)", waiting, err)
		}
		if err := w.svc.ReturnFeedback(ctx, home, id, "   "); err == nil {
			t.Fatal("returned without a comment")
		} else {
			wantCode(t, err, domain.CodeInvalid, "feedback.comment_required")
		}
		if err := w.svc.ReturnFeedback(ctx, home, id, "请补充参加志愿服务的情况"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.svc.AcknowledgeFeedback(ctx, home, id, ""), domain.CodeRule, "feedback.not_sent")
		in := service.FeedbackInput{Participation: domain.ParticipationMostly, Conduct: domain.ConductExemplary, Remarks: "参加了三次志愿服务"}
		if err := w.svc.ReviseFeedback(ctx, host, id, in); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.svc.ReviseFeedback(ctx, host, id, in), domain.CodeRule, "feedback.not_returned")
		if err := w.svc.AcknowledgeFeedback(ctx, home, id, "已阅"); err != nil {
			t.Fatal(err)
		}
		v, err := w.svc.Feedback(ctx, home, id)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range v.Events {
			kinds = append(kinds, e.Kind)
		}
		if !slices.Equal(kinds, []string{"sent", "returned", "revised", "acknowledged"}) || v.State != domain.FeedbackAcknowledged ||
			v.Revision != 2 || v.Participation != domain.ParticipationMostly || v.Events[0].Remarks != "按时参加主题党日" ||
			v.Events[1].Comment != "请补充参加志愿服务的情况" || v.CanAnswer || v.CanRevise {
			t.Fatalf("history %v, view %+v", kinds, v.Feedback)
		}
		// Each step told the other side once: home for each sending, the
		// host for each answer.
		if got := w.inbox(t, "home"); !slices.Equal(got, []string{"feedback.notice.sent", "feedback.notice.sent"}) {
			t.Errorf("home inbox %v", got)
		}
		if got := w.inbox(t, "host"); !slices.Equal(got, []string{"feedback.notice.returned", "feedback.notice.acknowledged"}) {
			t.Errorf("host inbox %v", got)
		}
		if got := w.events(t, w.people["单雄信"]); !slices.Equal(got, []string{"feedback_sent", "feedback_returned", "feedback_revised",
			"feedback_acknowledged"}) {
			t.Errorf("person history %v", got)
		}
		acts := auditActions(t, db)
		for _, want := range []string{"feedback.write", "feedback.return", "feedback.revise", "feedback.acknowledge"} {
			if !slices.Contains(acts, want) {
				t.Errorf("no audit entry %s in %v", want, acts)
			}
		}
		// The mobile organization writes its own feedback for the quarter.
		mid := w.write(t, "mobile", "单雄信", "2026-Q4")
		if f := w.feedback(t, mid); f.WriterOrgID != w.orgs["MB"].ID || f.WriterSide != domain.SideMobile {
			t.Fatalf("mobile feedback %+v", f)
		}
	})
}

func TestFeedbackRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		ok := service.FeedbackInput{Person: w.people["单雄信"], Quarter: "2026-Q4", Participation: domain.ParticipationAlways,
			Conduct: domain.ConductGood}
		with := func(f func(*service.FeedbackInput)) service.FeedbackInput {
			in := ok
			f(&in)
			return in
		}
		for _, c := range []struct {
			who   string
			in    service.FeedbackInput
			code  domain.Code
			msgID string
		}{
			{"host2", ok, domain.CodeForbidden, "feedback.no_capability"},
			{"county", ok, domain.CodeForbidden, "feedback.not_writer"},
			{"home", ok, domain.CodeForbidden, "feedback.not_writer"},
			{"member", ok, domain.CodeNotFound, ""},
			{"cases", ok, domain.CodeNotFound, ""},
			{"host", with(func(in *service.FeedbackInput) { in.Person = w.people["李四"] }), domain.CodeNotFound, ""},
			{"host", with(func(in *service.FeedbackInput) { in.Quarter = "2027-Q1" }), domain.CodeInvalid, "feedback.quarter_future"},
			{"host", with(func(in *service.FeedbackInput) { in.Quarter = "2026Q4" }), domain.CodeInvalid, "feedback.quarter_invalid"},
			{"host", with(func(in *service.FeedbackInput) { in.Conduct = "great" }), domain.CodeInvalid, "feedback.conduct_invalid"},
			{"host", with(func(in *service.FeedbackInput) { in.Participation = "" }), domain.CodeInvalid, "feedback.participation_invalid"},
			{"host", with(func(in *service.FeedbackInput) { in.Conduct = domain.ConductPoor }), domain.CodeInvalid, "feedback.remarks_required"},
			{"home", with(func(in *service.FeedbackInput) { in.Person = w.people["王五"] }), domain.CodeRule, "feedback.unplaced"},
			{"mobile", with(func(in *service.FeedbackInput) { in.Person = w.people["王芳"] }), domain.CodeRule, "feedback.not_member"},
		} {
			_, err := w.svc.WriteFeedback(ctx, w.actor(t, c.who), c.in)
			if e := domain.AsError(err); err == nil || e.Code != c.code || (c.msgID != "" && e.MsgID != c.msgID) {
				t.Errorf("%s writes %+v: %v, want %s %s", c.who, c.in, err, c.code, c.msgID)
			}
		}
		var n int
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d feedback stored by refused writes", n)
		}
		// The refusal for want of the capability is audited.
		denied, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "feedback.write", Limit: 10})
		if len(denied) != 3 || denied[0].Outcome != "denied" {
			t.Fatalf("audited refusals %+v", denied)
		}
		w.write(t, "host", "单雄信", "2026-Q4")
		_, err := w.svc.WriteFeedback(ctx, w.actor(t, "host"), ok)
		wantCode(t, err, domain.CodeConflict, "feedback.duplicate")

		// The account that is both sides cannot answer what it wrote.
		id := w.write(t, "dual", "三甲", "2026-Q4")
		wantCode(t, w.svc.AcknowledgeFeedback(ctx, w.actor(t, "dual"), id, ""), domain.CodeForbidden, "feedback.own")
		wantCode(t, w.svc.AcknowledgeFeedback(ctx, w.actor(t, "mobile"), id, ""), domain.CodeForbidden, "feedback.not_home")
		wantCode(t, w.svc.AcknowledgeFeedback(ctx, w.actor(t, "host2"), id, ""), domain.CodeForbidden, "feedback.no_capability")
		wantCode(t, w.svc.AcknowledgeFeedback(ctx, w.actor(t, "cases"), id, ""), domain.CodeNotFound, "")
		if err := w.svc.AcknowledgeFeedback(ctx, w.actor(t, "county"), id, ""); err != nil {
			t.Fatalf("county acknowledges: %v", err)
		}
		if f := w.feedback(t, id); f.State != domain.FeedbackAcknowledged || f.AnsweredBy != "county" {
			t.Fatalf("after refusals %+v", f)
		}
	})
}

func TestFeedbackListsAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		due := func(who string) []string {
			t.Helper()
			page, err := w.svc.FeedbackDue(ctx, w.actor(t, who), "", "", 0)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range page.Members {
				out = append(out, m.Person.Name+"@"+m.WriterOrg)
			}
			return out
		}
		mb, h := w.orgs["MB"].Name, w.orgs["H"].Name
		if got := due("host"); !slices.Equal(got, []string{"三丙@" + h, "三甲@" + h, "三乙@" + h, "单雄信@" + h, "张薇@" + h}) {
			t.Fatalf("host owes %v", got)
		}
		if got := due("mobile"); len(got) != 5 || got[3] != "单雄信@"+mb {
			t.Fatalf("mobile owes %v", got)
		}
		for _, who := range []string{"host2", "home", "county", "member"} {
			if got := due(who); len(got) != 0 {
				t.Errorf("%s owes %v", who, got)
			}
		}
		w.write(t, "host", "单雄信", "2026-Q4")
		w.write(t, "host", "张薇", "2026-Q3")
		if got := due("host"); len(got) != 4 || slices.Contains(got, "单雄信@"+h) {
			t.Fatalf("host still owes %v", got)
		}
		if got := due("mobile"); len(got) != 5 {
			t.Fatalf("the host's feedback discharged the mobile's: %v", got)
		}
		page, err := w.svc.FeedbackDue(ctx, w.actor(t, "host"), "", "", 2)
		next, _ := w.svc.FeedbackDue(ctx, w.actor(t, "host"), "", page.Next, 2)
		if err != nil || len(page.Members) != 2 || page.Next == "" || len(next.Members) != 2 || next.Members[0].Person.Name != "三乙" {
			t.Fatalf("pages %+v then %+v (%v)", page, next, err)
		}
		list := func(who string, f service.FeedbackSearch) int {
			t.Helper()
			p, err := w.svc.ListFeedback(ctx, w.actor(t, who), f)
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Feedback)
		}
		for who, want := range map[string]int{"host": 2, "home": 2, "mobile": 2, "county": 2, "dual": 2, "host2": 0, "member": 0, "cases": 0} {
			if got := list(who, service.FeedbackSearch{}); got != want {
				t.Errorf("%s sees %d feedback, want %d", who, got, want)
			}
		}
		if got := list("home", service.FeedbackSearch{Quarter: "2026-Q3"}); got != 1 {
			t.Errorf("home sees %d in 2026-Q3", got)
		}
		_, err = w.svc.FeedbackDue(ctx, w.actor(t, "host"), "2027-Q1", "", 0)
		wantCode(t, err, domain.CodeInvalid, "feedback.quarter_future")

		// The host's reach, and with it the feedback, ends with the
		// agreement.
		id := w.write(t, "host", "三甲", "2026-Q4")
		w.clock.Set(time.Date(2027, 1, 1, 0, 0, 1, 0, domain.China))
		if got := list("host", service.FeedbackSearch{}); got != 0 {
			t.Errorf("host sees %d after the agreement ended", got)
		}
		_, err = w.svc.Feedback(ctx, w.actor(t, "host"), id)
		wantCode(t, err, domain.CodeNotFound, "")
		if got := list("home", service.FeedbackSearch{}); got != 3 {
			t.Errorf("home sees %d after the agreement ended", got)
		}
	})
}

func TestFeedbackExportAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		w.write(t, "host", "单雄信", "2026-Q4")
		due, rows, err := w.svc.ExportFeedback(ctx, w.actor(t, "host"), service.ListDue, service.FeedbackSearch{})
		if err != nil || len(due.Members) != 4 || rows != nil {
			t.Fatalf("due export %d %v %v", len(due.Members), rows, err)
		}
		_, rows, err = w.svc.ExportFeedback(ctx, w.actor(t, "home"), service.ListWaiting, service.FeedbackSearch{})
		if err != nil || len(rows) != 1 || rows[0].IDNumber != "" && rows[0].IDNumber[3] != '*' {
			t.Fatalf("waiting export %+v %v", rows, err)
		}
		got, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "feedback.export", Limit: 10})
		if len(got) != 2 {
			t.Fatalf("export audit %+v", got)
		}
	})
}
