package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/web/assets"
)

func init() { moreSamples = append(moreSamples, conductSamples) }

// sampleConduct is a member's history with feedback in every state, a
// confirmed and a proposed evaluation, and an open follow-up.
func sampleConduct() (*service.ConductRecord, []domain.Feedback, []domain.Evaluation, []domain.FollowUp) {
	answered := at.Add(48 * 3600e9)
	fb := []domain.Feedback{
		{ID: 3, PersonID: 1, PersonName: "单雄信", IDNumber: "320724********123X", Quarter: "2026-Q4", WriterOrgID: 5,
			WriterOrgName: "拱墅区运河湾街道党工委", WriterSide: domain.SideHost, HomeOrgName: "新安镇东园村党支部",
			MobileOrgName: "灌南县驻杭州流动党委拱墅支部", Participation: domain.ParticipationAlways, Conduct: domain.ConductExemplary,
			Remarks: "带头参加<志愿服务>", State: domain.FeedbackSent, AuthorName: "gongshu", SentAt: at, Revision: 1},
		{ID: 2, PersonID: 1, PersonName: "单雄信", Quarter: "2026-Q3", WriterOrgName: "灌南县驻杭州流动党委拱墅支部",
			WriterSide: domain.SideMobile, Participation: domain.ParticipationRarely, Conduct: domain.ConductFair, Remarks: "两次缺席",
			State: domain.FeedbackReturned, Comment: "请写明缺席原因", AnsweredBy: "dongyuan", AnsweredAt: &answered, SentAt: at},
		{ID: 1, PersonID: 1, PersonName: "单雄信", Quarter: "2026-Q2", WriterOrgName: "拱墅区运河湾街道党工委", WriterSide: domain.SideHost,
			Participation: domain.ParticipationMostly, Conduct: domain.ConductGood, State: domain.FeedbackAcknowledged, SentAt: at},
	}
	ev := []domain.Evaluation{
		{ID: 8, PersonID: 1, PersonName: "单雄信", IDNumber: "320724********123X", Year: 2026, OrgName: "灌南县驻杭州流动党委拱墅支部",
			HomeOrgName: "新安镇东园村党支部", State: domain.EvaluationProposed, Proposed: domain.RatingExcellent, ProposedBy: "hangzhou",
			ProposedAt: at, ProposalNote: "带领工友参加志愿服务", HostOrgName: "拱墅区运河湾街道党工委", HostRating: domain.RatingExcellent,
			HostBy: "gongshu", HostAt: &answered},
		{ID: 7, PersonID: 1, PersonName: "单雄信", Year: 2025, OrgName: "灌南县驻杭州流动党委拱墅支部", HomeOrgName: "新安镇东园村党支部",
			State: domain.EvaluationConfirmed, Proposed: domain.RatingQualified, Rating: domain.RatingUnqualified, ChangeReason: "长期不参加组织生活",
			ConfirmedBy: "dongyuan", ConfirmedAt: &answered, FollowUpID: 4, FollowUpKind: domain.FollowUpCorrect, FollowUpDue: d2027},
	}
	fu := []domain.FollowUp{
		{ID: 4, EvaluationID: 7, Year: 2025, PersonName: "单雄信", IDNumber: "320724********123X", HomeOrgName: "新安镇东园村党支部",
			Kind: domain.FollowUpCorrect, DueOn: d2027, Note: "三个月内参加组织生活不少于三次", Open: true, OpenedBy: "dongyuan", OpenedAt: at},
		{ID: 3, EvaluationID: 6, Year: 2024, PersonName: "王五", Kind: domain.FollowUpPersuade, DueOn: d2026, Open: false,
			Outcome: domain.OutcomeWithdrawn, OutcomeNote: "本人申请退党", ClosedBy: "dongyuan", ClosedAt: &answered},
		{ID: 2, EvaluationID: 5, Year: 2024, PersonName: "李四", Kind: domain.FollowUpRemove, DueOn: d2026, Open: true},
	}
	rec := &service.ConductRecord{Person: 1, Feedback: fb, Evaluations: ev, FollowUps: fu[:1], Quarter: "2026-Q4", Year: 2026,
		CanWrite: true, CanPropose: true}
	return rec, fb, ev, fu
}

func conductSamples() map[string][]any {
	_, fb, ev, fu := sampleConduct()
	people := samplePeople()
	due := []dueRow{{people[0], "拱墅区运河湾街道党工委"}, {people[1], "新安镇东园村党支部"}}
	quarters := recentQuarters(d2027, 8)
	tabs := []listTab{{Key: "due", URL: "/feedback?tab=due", Current: true}, {Key: "waiting", URL: "/feedback?tab=waiting"},
		{Key: "all", URL: "/feedback?tab=all"}}
	etabs := []listTab{{Key: "due", URL: "/x"}, {Key: "confirm", URL: "/x"}, {Key: "all", URL: "/x"}, {Key: "followups", URL: "/x", Current: true}}
	scales := func(f *Form) feedbackFormData {
		return feedbackFormData{Person: people[0], Form: f, Quarters: quarters[:4], Participations: domain.Participations(),
			Conducts: domain.Conducts()}
	}
	bad := form(map[string]string{"quarter": "2026-Q4", "participation": "rarely", "conduct": "poor"},
		map[string]string{"remarks": "须写明具体情况"}, "")
	view := func(f domain.Feedback, answer, revise bool) service.FeedbackView {
		return service.FeedbackView{Feedback: f, CanAnswer: answer, CanRevise: revise, Events: []domain.FeedbackEvent{
			{Kind: "sent", Participation: f.Participation, Conduct: f.Conduct, Remarks: f.Remarks, ActorName: "gongshu", At: at},
			{Kind: "returned", Comment: "请补充", ActorName: "dongyuan", At: at}}}
	}
	page := func(v service.FeedbackView, answer, revise *Form, msg string) feedbackPageData {
		return feedbackPageData{FeedbackView: v, Answer: answer, Revise: revise, Error: msg, Participations: domain.Participations(),
			Conducts: domain.Conducts()}
	}
	dist := service.Distribution{Year: 2026, Num: 1, Den: 3, Rows: []domain.RatingCounts{
		{OrgID: 4, OrgName: "灌南县驻杭州流动党委拱墅支部", Confirmed: map[domain.Rating]int{domain.RatingExcellent: 5, domain.RatingQualified: 4}, Pending: 1},
		{OrgID: 9, OrgName: "新安镇东园村党支部", Confirmed: map[domain.Rating]int{domain.RatingQualified: 7, domain.RatingUnqualified: 1}}},
		Total: domain.RatingCounts{Confirmed: map[domain.Rating]int{domain.RatingExcellent: 5, domain.RatingQualified: 11, domain.RatingUnqualified: 1}, Pending: 1}}
	evPage := func(v service.EvaluationView, msg string, confirm *Form) evaluationPageData {
		return evaluationPageData{EvaluationView: v, Error: msg, Opinion: blankForm(), Confirm: confirm, Close: blankForm(),
			Ratings: domain.Ratings(), Kinds: domain.FollowUpKinds(), Outcomes: domain.FollowUpOutcomes(), Today: d2027}
	}
	return map[string][]any{
		"feedback_list": {
			feedbackListData{Tab: "due", Tabs: tabs, Quarter: "2026-Q4", Quarters: quarters, Due: due, NextURL: "/feedback?after=x",
				ExportURL: "/feedback/export.xlsx?list=due", States: domain.FeedbackStates()},
			feedbackListData{Tab: "all", Tabs: tabs, Quarters: quarters, State: "sent", States: domain.FeedbackStates(), Rows: fb,
				ExportURL: "/feedback/export.xlsx?list=all"},
			feedbackListData{Tab: "waiting", Tabs: tabs[1:], Quarter: "2026-Q4", Quarters: quarters, Error: "季度不对"},
		},
		"feedback_form": {scales(blankForm()), scales(bad), scales(form(nil, nil, "您所在驻地党组织与该流动党组织签订的协议未授予表现反馈权限"))},
		"feedback": {
			page(view(fb[0], true, false), blankForm(), blankForm(), ""),
			page(view(fb[1], false, true), blankForm(), form(map[string]string{"participation": "rarely"}, map[string]string{"remarks": "请写明"}, ""), ""),
			page(view(fb[2], false, false), form(nil, map[string]string{"comment": "请写明退回原因"}, ""), blankForm(), "不能签收自己填写的表现反馈"),
		},
		"evaluations": {
			evaluationsData{Distribution: dist, Years: recentYears(d2027, 5), Ratings: domain.Ratings(), CanPolicy: true,
				Policy:    form(map[string]string{"excellent_num": "1", "excellent_den": "3", "rate_probationary": "on"}, nil, ""),
				ExportURL: "/evaluations/distribution.xlsx?year=2026", ListURL: "/evaluations/list?year=2026"},
			evaluationsData{Distribution: service.Distribution{Year: 2025, Num: 1, Den: 3}, Years: recentYears(d2027, 5),
				Ratings: domain.Ratings(), Policy: blankForm(), Error: "年度不对"},
			evaluationsData{Distribution: dist, Years: recentYears(d2027, 5), Ratings: domain.Ratings(), CanPolicy: true,
				Policy: form(map[string]string{"excellent_num": "2", "excellent_den": "1"}, map[string]string{"excellent_num": "比例不对"}, "设置未保存")},
		},
		"evaluation_list": {
			evaluationListData{Tab: "due", Tabs: etabs, Year: 2026, Years: recentYears(d2027, 5), Due: due, NextURL: "/x"},
			evaluationListData{Tab: "confirm", Tabs: etabs, Year: 2026, Years: recentYears(d2027, 5), Rows: ev},
			evaluationListData{Tab: "followups", Tabs: etabs, Year: 2026, Years: recentYears(d2027, 5), FollowUps: fu, Today: d2027.AddDays(1)},
			evaluationListData{Tab: "all", Tabs: etabs, Year: 2026, Years: recentYears(d2027, 5), Error: "年度不对"},
		},
		"evaluation_form": {
			evaluationFormData{Person: people[0], Form: form(map[string]string{"year": "2026"}, nil, ""), Years: []int{2026, 2025, 2024}, Ratings: domain.Ratings()},
			evaluationFormData{Person: people[1], Form: form(map[string]string{"year": "2026", "rating": "excellent"},
				map[string]string{"rating": "请选择"}, "预备党员不评定等次"), Years: []int{2026}, Ratings: domain.Ratings()},
		},
		"evaluation": {
			evPage(service.EvaluationView{Evaluation: ev[0], CanOpinion: true, CanConfirm: true, CanPropose: true}, "",
				form(map[string]string{"rating": "excellent", "followup_kind": "correct"}, map[string]string{"reason": "须写明理由"}, "")),
			evPage(service.EvaluationView{Evaluation: ev[1], FollowUps: fu[:2], CanClose: true}, "只有流出地党组织可以确定", blankForm()),
		},
	}
}

// The sections this part adds to the person page and the member's own
// page render with their data, and not at all without it.
func TestConductSectionsOnSharedPages(t *testing.T) {
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
	rec, _, _, _ := sampleConduct()
	people := samplePeople()
	h := &Handler{pages: pages, log: discardLog()}
	for _, c := range []struct {
		page string
		data any
		want []string
	}{
		{"person", personPageData{P: people[0], Conduct: rec}, []string{"带头参加&lt;志愿服务&gt;", "/feedback/new?person=1&amp;quarter=2026-Q4",
			"/evaluations/new?person=1&amp;year=2026", "限期改正"}},
		{"person", personPageData{P: people[0]}, nil},
		{"me", meData{Name: "单雄信", Member: true, Person: &people[0], Conduct: rec}, []string{"2026-Q3", "两次缺席", "评议中", "三个月内参加组织生活不少于三次"}},
		{"me", meData{Name: "单雄信", Member: true, Person: &people[0]}, nil},
	} {
		for _, lang := range i18n.Languages() {
			l := &recorder{Localizer: bundle.For(lang)}
			w := httptest.NewRecorder()
			h.execute(w, 200, c.page, Page{L: l, Title: "nav.home", Account: &account, CSRF: "tok", Static: static, Path: "/x", Data: c.data,
				Nav: navFor(&authz.Actor{AccountID: 7}, "/")})
			out := w.Body.String()
			if w.Code != 200 || len(l.missing) > 0 {
				t.Fatalf("%s %s: %d, missing %v", c.page, lang, w.Code, l.missing)
			}
			checkOutput(t, out, lang)
			for _, s := range c.want {
				if lang == i18n.ZhCN && !strings.Contains(out, s) {
					t.Errorf("%s %s lacks %q", c.page, lang, s)
				}
			}
			if c.want == nil && strings.Contains(out, "conduct") {
				t.Errorf("%s %s shows the conduct section without data", c.page, lang)
			}
		}
	}
}
