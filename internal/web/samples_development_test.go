package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/i18n"
	"gongjian/internal/web/assets"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The member development pages: the list, a new case, the case page in
// the host side's and the home side's views and at steps with extra
// values, the deadlines, the report and the rules.
func init() { moreSamples = append(moreSamples, developmentSamples) }

func developmentSamples() map[string][]any {
	at := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	d := func(s string) domain.Date {
		v, _ := domain.ParseDate(s)
		return v
	}
	c := domain.DevCase{ID: 4, PersonID: 9, PersonName: "李明<script>", IDNumber: "320724********1233", HomeOrgName: "新安镇党委",
		MobileOrgName: "驻杭州第三支部", State: domain.DevOpen, Step: 6, Stage: domain.StageActivist, AppliedOn: d("2023-03-01"),
		ActivistOn: d("2023-05-10"), Version: 8}
	rec := func(n int, on string, side domain.Side) domain.DevRecord {
		return domain.DevRecord{ID: int64(n), CaseID: 4, StepInput: domain.StepInput{Step: n, On: d(on), Note: "按程序办理"}, Side: side,
			OrgName: "新安镇党委", ActorName: "xinan", At: at}
	}
	steps := []domain.DevRecord{rec(1, "2023-03-01", domain.SideOrigin), rec(2, "2023-03-20", domain.SideMobile),
		rec(3, "2023-05-10", domain.SideMobile), rec(4, "2023-05-20", domain.SideOrigin), rec(5, "2023-06-01", domain.SideMobile),
		rec(6, "2024-05-15", domain.SideHost)}
	steps[5].Superseded, steps[5].Outcome = true, domain.OutcomeExtend
	as := []domain.DevAssessment{{ID: 1, CaseID: 4, On: d("2023-09-01"), Stage: domain.StageActivist, Text: "表现良好", Side: domain.SideHost,
		OrgName: "杭州市西湖区北山街道党工委", ActorName: "beishan", At: at}}
	ops := []domain.DevOpinion{{ID: 1, CaseID: 4, Gate: 7, On: d("2024-05-20"), Text: "同意列为发展对象", Side: domain.SideHost,
		OrgName: "杭州市西湖区北山街道党工委", ActorName: "beishan", At: at}}
	files := []domain.DevFile{{ID: 3, CaseID: 4, Step: 1, Name: "入党申请书.pdf", ContentType: "application/pdf", Size: 1024, UploadedAt: at}}
	view := service.DevCaseView{DevCase: c, Steps: steps, Assessments: as, Opinions: ops, Files: files,
		Mentors:  []store.DevPersonRow{{Role: "mentor", PersonID: 1, Name: "单雄信", Since: d("2023-06-01")}},
		Rules:    domain.DefaultDevRules(),
		NextSide: domain.DevHome, OpinionMissing: true, Host: true, OpinionGates: []int{7, 17, 24}, CanAssess: true,
		AssessStage: domain.StageActivist}
	view.Next, _ = domain.DevStepOf(7)
	view.Earliest = d("2024-05-15")
	view.Timeline = []service.DevEntry{{On: steps[0].On, Kind: "step", Record: &steps[0], Files: files},
		{On: as[0].On, Kind: "assessment", Assessment: &as[0]}, {On: ops[0].On, Kind: "opinion", Opinion: &ops[0]},
		{On: steps[5].On, Kind: "step", Record: &steps[5]}}
	for _, st := range domain.DevSteps() {
		if st.Doc != "" {
			view.Checklist = append(view.Checklist, service.DevDoc{Step: st, Done: st.N <= 6})
		}
	}
	view.Checklist[0].Files = files
	gates := func(ns ...int) []domain.DevStep {
		var out []domain.DevStep
		for _, n := range ns {
			st, _ := domain.DevStepOf(n)
			out = append(out, st)
		}
		return out
	}
	blank := func() *Form { return form(map[string]string{"on": "2026-11-29"}, nil, "") }
	hostPage := devCaseData{DevCaseView: view, Step: blank(), Opinion: form(map[string]string{"gate": "7"},
		map[string]string{"text": "请填写书面意见。"}, ""), Assess: blank(), Close: blank(), Attach: blank(), Gates: gates(7, 17, 24),
		Outcomes: domain.DevOutcomes(), Today: d("2026-11-29")}

	homeView := view
	homeView.Host, homeView.Home, homeView.OpinionMissing, homeView.CanNext, homeView.CanClose = false, true, false, true, true
	homeView.OpinionGates, homeView.CanAssess = nil, false
	people := []domain.Person{{ID: 1, Name: "单雄信", Membership: &domain.Membership{MobileOrgName: "驻杭州第三支部"}}, {ID: 2, Name: "三甲"}}
	withStep := func(n int, values map[string]string, errs map[string]string, msg string) devCaseData {
		v := homeView
		v.Next, _ = domain.DevStepOf(n)
		v.Latest = d("2026-12-31")
		return devCaseData{DevCaseView: v, Step: form(values, errs, msg), Opinion: blank(), Assess: blank(), Close: blank(),
			Attach: blank(), Candidates: people, Outcomes: domain.DevOutcomes(), Today: d("2026-11-29"),
			Error: msg}
	}
	done := homeView
	done.DevCase.State, done.DevCase.Step, done.DevCase.Stage, done.CanNext, done.CanClose = domain.DevCompleted, 25, domain.StageProbation,
		false, false
	done.Next = domain.DevStep{}
	done.AdmittedOn, done.ProbationEnd, done.FullOn, done.Extension = d("2024-10-01"), d("2025-10-01"), d("2025-10-01"), 6
	done.Introducers = []store.DevPersonRow{{Role: "introducer", PersonID: 1, Name: "单雄信"}, {Role: "introducer", PersonID: 2, Name: "三甲"}}
	done.CloseReason = "本人申请<b>"

	list := devListData{Form: form(map[string]string{"state": "open", "stage": "2", "org": "3", "name": "李"}, nil, ""),
		Page: service.DevPage{Cases: []domain.DevCase{c, {ID: 5, PersonName: "王芳", Stage: domain.StageApplication, State: domain.DevClosed}},
			Total: 2, Next: 5},
		States: []domain.DevCaseState{domain.DevOpen, domain.DevClosed}, Stages: domain.DevStages(),
		Orgs: []domain.Org{{ID: 3, Name: "驻杭州第三支部"}}, NextURL: "/development?before=5", CanRules: true}

	dl := service.DevDeadline{DevCase: c, Kind: "conversion", Due: d("2026-12-10"), Days: 11}
	late := dl
	late.Kind, late.Days = "approval", -20
	deadlines := devDeadlinesData{Lists: []devDeadlineList{{Kind: "conversion", Rows: []service.DevDeadline{dl}},
		{Kind: "approval", Rows: []service.DevDeadline{late}}, {Kind: "eligible"}}}

	rep := service.DevReport{From: d("2023-11-30"), To: d("2026-11-29"), Developed: 216, Converted: 180, Activists: 812, Open: 1100}
	rep.ByStage = [6]int{0, 120, 812, 90, 30, 48}
	rep.StageDays = [6]int{0, 70, 420, 150, 80, 380}
	rep.StageCounts = [6]int{0, 900, 300, 250, 216, 180}
	rep.ByOrg = []service.DevOrgRow{{OrgID: 3, OrgName: "驻杭州流动党委<b>", ByStage: [6]int{0, 10, 60, 8, 2, 4}, Developed: 18}}
	report := devReportData{Form: form(map[string]string{"from": "2023-11-30", "to": "2026-11-29"}, map[string]string{"to": "结束日期不对"}, ""),
		Report: rep, Stages: domain.DevStages(), Orgs: []domain.Org{{ID: 3, Name: "驻杭州流动党委"}}, ExportURL: "/development/report.xlsx"}

	return map[string][]any{
		"development_list": {list, devListData{Form: blankForm(), Error: "找不到"}},
		"development_new": {devNewData{Person: domain.Person{ID: 9, Name: "李明", IDNumber: "320724********1233", BirthOn: d("1998-04-02")},
			Form: form(map[string]string{"person": "9", "on": "2026-11-29", "mobile_org": "3"}, map[string]string{"on": "日期不能晚于今天。"}, ""),
			Orgs: []domain.Org{{ID: 3, Name: "驻杭州第三支部"}}}},
		"development_case": {hostPage,
			withStep(5, map[string]string{"on": "2023-06-01", "person_1": "1"}, map[string]string{"mentor": "须是正式党员"}, ""),
			withStep(9, map[string]string{"on": "2024-06-20", "person_1": "1", "person_2": "2", "not_disciplined": "on"}, nil, ""),
			withStep(11, map[string]string{"days": "2", "hours": "16"}, map[string]string{"days": "不少于3天"}, ""),
			withStep(12, map[string]string{"notice_from": "2024-08-20"}, map[string]string{"notice_from": "请填写公示"}, ""),
			withStep(13, map[string]string{"leaving": "on", "doc_no": "No.1"}, nil, "第13步：…"),
			withStep(15, map[string]string{"entitled": "20", "present": "9"}, map[string]string{"entitled": "人数不对"}, ""),
			withStep(17, map[string]string{"reason": "换届"}, nil, ""),
			withStep(23, map[string]string{"outcome": "extend", "months": "6"}, nil, ""),
			devCaseData{DevCaseView: done, Step: blank(), Opinion: blank(), Assess: blank(), Close: blank(), Attach: blank(), Today: d("2026-11-29")}},
		"development_deadlines": {deadlines, devDeadlinesData{}},
		"development_report":    {report},
		"development_rules": {devRulesData{Form: form(map[string]string{"notice_days": "5", "review_months": "12", "host_probation": "on"},
			map[string]string{"annual_quota": "太大"}, ""), CanEdit: true}, devRulesData{Form: blankForm()}},
	}
}

// The person page's development section: the cases with their stage and
// a way to open one for the home side; none without the section.
func TestPersonDevelopmentSection(t *testing.T) {
	h, bundle, static := pageKit(t)
	rows := samplePeople()
	dev := &service.PersonDevelopment{Cases: []domain.DevCase{{ID: 4, Stage: domain.StageActivist, Step: 5, State: domain.DevOpen}},
		CanOpen: true}
	for _, c := range []struct {
		data personPageData
		want []string
	}{
		{personPageData{P: rows[0], Development: dev}, []string{`href="/development/4"`, `href="/development/new?person=1"`}},
		{personPageData{P: rows[0]}, nil},
	} {
		for _, lang := range i18n.Languages() {
			l := &recorder{Localizer: bundle.For(lang)}
			w := httptest.NewRecorder()
			h.execute(w, 200, "person", Page{L: l, Title: "web.development.title", Account: &account, CSRF: "tok", Static: static,
				Path: "/x", Data: c.data, Nav: navFor(&authz.Actor{AccountID: 7}, "/x")})
			out := w.Body.String()
			if w.Code != 200 || len(l.missing) > 0 {
				t.Fatalf("%s: status %d, missing %v", lang, w.Code, l.missing)
			}
			checkOutput(t, out, lang)
			for _, s := range c.want {
				if !strings.Contains(out, s) {
					t.Errorf("%s: lacks %q", lang, s)
				}
			}
			if has := strings.Contains(out, `id="development"`); has != (c.want != nil) {
				t.Errorf("%s: section shown=%v", lang, has)
			}
		}
	}
}

// pageKit is a handler with every page parsed, the catalogues and the
// static files, for tests that render pages themselves.
func pageKit(t *testing.T) (*Handler, *i18n.Bundle, *assets.Static) {
	t.Helper()
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(assets.Templates())
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	return &Handler{pages: pages, log: discardLog()}, bundle, static
}
