package web

import (
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The rhythm, attendance, absence and outbox pages, and the organization
// and person pages with their rhythm and attendance sections: this file's
// name sorts after org_pages_test.go and samples_contact_test.go, so its
// variants are added to theirs.
func init() { moreSamples = append(moreSamples, rhythmSamples) }

func rhythmSamples() map[string][]any {
	today := domain.NewDate(2026, 11, 29)
	months := domain.Spans(domain.Monthly, domain.NewDate(2025, 12, 1), today)
	hz := domain.Org{ID: 3, Name: "中共灌南县驻杭州流动党员委员会<b>", Kind: domain.KindCommittee, Side: domain.SideMobile}
	br := domain.Org{ID: 9, Name: "驻杭州第三支部", Kind: domain.KindBranch, Side: domain.SideMobile}
	cells := func(states ...string) []service.RhythmCell {
		out := make([]service.RhythmCell, len(months))
		for i, sp := range months {
			out[i] = service.RhythmCell{Span: sp, Held: 1, State: service.CellMet}
			if i < len(states) {
				out[i].State = states[i]
				if states[i] != service.CellMet {
					out[i].Held = 0
				}
			}
		}
		return out
	}
	table := service.RhythmTable{Query: service.RhythmQuery{Period: domain.Monthly}, Spans: months, Today: today, Orgs: 2, Gaps: 2, Due: 1,
		Rows: []service.RhythmRow{
			{Org: hz, Meeting: domain.MeetingCommittee, Min: 1, Cells: cells(service.CellBefore, service.CellGap)},
			{Org: br, Meeting: domain.MeetingThemeDay, Min: 2, Gaps: 1,
				Cells: append(cells()[:10], service.RhythmCell{Span: months[10], State: service.CellGap},
					service.RhythmCell{Span: months[11], State: service.CellDue})},
		}}
	rhythmPage := rhythmPageData{Form: form(map[string]string{"period": "month", "kind": "theme_day", "org": "3", "gaps": "1"}, nil, ""),
		Table: table, Kinds: rhythmKinds(), Periods: []domain.Period{domain.Monthly, domain.Quarterly, domain.Yearly},
		Orgs: []orgOption{{ID: 3, Label: hz.Name, Side: domain.SideMobile, Group: true, Closes: true}}, CanRules: true,
		ExportURL: "/rhythm/export.xlsx?period=month"}
	rhythmPage.Texts = [][]string{{"2025年12月：组织成立前", "2026年1月：未开展支委会<b>"}}
	rhythmPage.Words = []rhythmWords{{OrgID: 9, Org: br.Name, Text: "2026年10月：未开展主题党日"},
		{OrgID: 9, Org: br.Name, Text: "2026年11月：尚未开展主题党日，2026-11-30 截止<b>", Due: true}}

	rules := newRulesData(rowsOfRules(domain.DefaultRhythm()))
	bad := newRulesData(append(rowsOfRules(domain.DefaultRhythm()[:1]), ruleRow{Index: 1, Meeting: "lecture", Period: "quarter",
		Min: "x", Full: "0", Lead: "7", Kinds: map[domain.OrgKind]bool{}}))
	bad.Error = "第 2 条：请选择适用的组织类型。"

	tally := domain.Tally{Expected: 24, Present: 18, Leave: 3, Excused: 1, Absent: 2}
	rng := service.AttendanceRange{From: domain.NewDate(2025, 11, 30), To: today}
	orgAtt := orgAttendanceData{Form: form(map[string]string{"from": "2026-01-01", "to": "2025-01-01"},
		map[string]string{"from": "开始日期不能晚于结束日期。"}, ""),
		Report: service.OrgAttendance{AttendanceRange: rng, Org: br, Tally: tally, CanMembers: true,
			Members: []store.MemberTally{{PersonID: 1, Name: "单雄信<script>", Tally: tally}, {PersonID: 2, Name: "阿依古丽·买买提"}}},
		ExportURL: "/orgs/9/attendance.xlsx?from=2025-11-30&to=2026-11-29"}
	orgHidden := orgAttendanceData{Form: blankForm(), Report: service.OrgAttendance{AttendanceRange: rng, Org: br}}

	flag := store.AbsenceFlag{PersonID: 1, Name: "单雄信", Status: domain.StatusFull, HomeOrgName: "新安镇党委", MobileOrgName: "驻杭州第三支部",
		Since: domain.NewDate(2026, 4, 15), LastAbsent: domain.NewDate(2026, 11, 15), Missed: 8}
	absence := absenceListData{Form: form(map[string]string{"org": "3"}, nil, ""),
		Rule: form(map[string]string{"months": "0"}, map[string]string{"months": "请填写 1 到 24 之间的整月数。"}, ""),
		Page: service.AbsencePage{Rows: []store.AbsenceFlag{flag, {PersonID: 2, Name: "李四", Status: domain.StatusProbationary,
			HomeOrgName: "新安镇党委", Since: domain.NewDate(2026, 5, 2), LastAbsent: domain.NewDate(2026, 11, 2), Missed: 6}},
			Total: 2, Page: 1, Pages: 2, Rule: domain.DefaultAbsenceRule(), Cutoff: domain.NewDate(2026, 5, 29), Today: today},
		Orgs: []orgOption{{ID: 3, Label: hz.Name, Side: domain.SideMobile, Group: true, Closes: true}}, NextURL: "/people/absence?page=2",
		ExportURL: "/people/absence/export.xlsx"}

	sent := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	outboxView := service.OutboxView{Settings: service.DefaultOutboxSettings(), Channels: []string{"log", "sms", "email"},
		Counts: map[string]int{"pending": 1, "sent": 12, "failed": 1}, CanEdit: true,
		Recent: []store.OutboxRow{{ID: 3, Kind: "rhythm", Channel: "sms", State: "failed", Attempts: 1, LastError: "sender: channel not configured",
			AccountName: "hangzhou", CreatedAt: sent, NextAt: sent},
			{ID: 2, Kind: "absence", Channel: "log", State: "sent", Attempts: 1, AccountName: "dongyuan", CreatedAt: sent, NextAt: sent, SentAt: &sent},
			{ID: 1, Kind: "meeting", Channel: "log", State: "pending", Attempts: 2, LastError: "timeout<script>", AccountName: "member",
				CreatedAt: sent, NextAt: sent}}}
	outboxForm := form(map[string]string{"channel": "sms", "kind_rhythm": "1"}, map[string]string{"channel": "请选择已配置的发送渠道。"}, "")
	readOnly := outboxView
	readOnly.CanEdit, readOnly.Settings = false, service.OutboxSettings{Channel: "log"}

	gaps := []domain.Gap{{Meeting: domain.MeetingThemeDay, Span: months[10], Min: 1},
		{Meeting: domain.MeetingLecture, Span: domain.SpanOf(domain.Quarterly, domain.NewDate(2026, 8, 1)), Held: 1, Min: 2}}
	section := &orgRhythmView{OrgID: 9, Rhythm: service.OrgRhythm{Applies: true, Full: 8, Gaps: gaps, From: months[0].First, Today: today,
		Current: []service.RuleStatus{
			{Rule: domain.DefaultRhythm()[0], Span: months[11], Held: 0, Due: true},
			{Rule: domain.DefaultRhythm()[1], Span: domain.SpanOf(domain.Quarterly, today), Held: 1, Met: true},
			{Rule: domain.DefaultRhythm()[6], Span: domain.SpanOf(domain.Yearly, today)}}},
		Attendance: service.OrgAttendance{AttendanceRange: rng, Tally: tally}}
	notBound := &orgRhythmView{OrgID: 1, Attendance: service.OrgAttendance{AttendanceRange: rng}}
	orgs := orgSamples()["org"]
	withRhythm := orgs[0].(orgPageData)
	withRhythm.Rhythm = section
	other := orgs[1].(orgPageData)
	other.Rhythm = notBound

	people := contactSamples()["person"]
	flagged := people[0].(personPageData)
	flagged.Attendance = &attendanceView{PersonID: 1, Form: form(map[string]string{"from": "2025-11-30", "to": "2026-11-29"}, nil, ""),
		Report: service.PersonAttendance{AttendanceRange: rng, Tally: tally, Flag: &flag, Rule: domain.DefaultAbsenceRule()}}
	quiet := people[1].(personPageData)
	quiet.Attendance = &attendanceView{PersonID: 2, Form: form(map[string]string{"from": "x"}, map[string]string{"from": "日期格式不对"}, ""),
		Report: service.PersonAttendance{AttendanceRange: rng, Rule: domain.DefaultAbsenceRule()}}

	return map[string][]any{
		"rhythm":         {rhythmPage, rhythmPageData{Form: blankForm(), Table: service.RhythmTable{Spans: months}, ExportURL: "/rhythm/export.xlsx"}},
		"rhythm_rules":   {rules, bad},
		"org_attendance": {orgAtt, orgHidden},
		"absence_list":   {absence, absenceListData{Form: blankForm(), Page: service.AbsencePage{Page: 1, Pages: 1}}},
		"outbox": {outboxData{View: outboxView, Kinds: service.NoticeKinds, States: outboxStates, Form: outboxForm},
			outboxData{View: readOnly, Kinds: service.NoticeKinds, States: outboxStates, State: "failed", Form: blankForm()}},
		"org":    append(orgs, withRhythm, other),
		"person": append(people, flagged, quiet),
	}
}
