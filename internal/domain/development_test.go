package domain

import (
	"errors"
	"testing"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// devPlan is a case run on time: each step's date, the activist's
// inspections every four months, and every opinion on record.
var devPlan = map[int]string{
	1: "2022-03-01", 2: "2022-03-20", 3: "2022-05-10", 4: "2022-05-20", 5: "2022-06-01", 6: "2023-05-15",
	7: "2023-06-01", 8: "2023-06-10", 9: "2023-06-20", 10: "2023-07-10", 11: "2023-08-01", 12: "2023-09-01",
	13: "2023-09-10", 14: "2023-09-20", 15: "2023-10-01", 16: "2023-10-10", 17: "2023-11-20", 18: "2023-11-30",
	19: "2023-12-05", 20: "2023-12-20", 21: "2024-10-01", 22: "2024-10-05", 23: "2024-10-10", 24: "2024-11-15",
	25: "2024-12-01",
}

// trackUpTo is a track with steps 1..n-1 done on the plan's dates.
func trackUpTo(n int) DevTrack {
	t := DevTrack{Birth: d("1998-04-02"), Done: map[int]DevRecord{}, Opinions: map[int]bool{7: true, 17: true, 24: true}}
	for i := 1; i < n; i++ {
		t.Done[i] = DevRecord{StepInput: StepInput{Step: i, On: d(devPlan[i])}}
	}
	for _, on := range []string{"2022-09-01", "2023-01-01", "2023-05-01"} {
		t.Assessments = append(t.Assessments, DevAssessment{On: d(on), Stage: StageActivist})
	}
	for _, on := range []string{"2024-01-15", "2024-05-15", "2024-09-15"} {
		t.Assessments = append(t.Assessments, DevAssessment{On: d(on), Stage: StageProbation})
	}
	return t
}

var full = []DevPerson{{PersonID: 1, Name: "甲", Status: StatusFull, NotDisciplined: true},
	{PersonID: 2, Name: "乙", Status: StatusFull, NotDisciplined: true}}

// good is a valid input for step n on the plan's date.
func good(n int) StepInput {
	in := StepInput{Step: n, On: d(devPlan[n])}
	switch n {
	case 5:
		in.People = full[:1]
	case 9:
		in.People = full
	case 11:
		in.Days = 3
	case 12:
		in.NoticeFrom, in.NoticeTo = d("2023-08-20"), d("2023-08-26")
	case 15, 23:
		in.Entitled, in.Present, in.Yes = 20, 15, 14
		in.Outcome = OutcomeConvert
	}
	return in
}

var today = d("2026-11-29")

// The whole plan passes, step after step.
func TestDevPlanPasses(t *testing.T) {
	for n := 1; n <= 25; n++ {
		if err := trackUpTo(n).Check(good(n), DefaultDevRules(), today); err != nil {
			t.Errorf("step %d: %v", n, err)
		}
	}
	if got := trackUpTo(26).Next(); got != 0 {
		t.Errorf("next after all: %d", got)
	}
	if got := trackUpTo(8).Next(); got != 8 {
		t.Errorf("next: %d", got)
	}
}

// Every rule that refuses a step, with the message it names.
func TestDevRulesRefuse(t *testing.T) {
	rules := DefaultDevRules()
	cases := []struct {
		name  string
		step  int
		track func(*DevTrack)
		input func(*StepInput)
		rules func(*DevRules)
		want  string
	}{
		{name: "step done twice", step: 4, track: func(t *DevTrack) { t.Done[4] = t.Done[3] }, want: "development.rule.step_done"},
		{name: "out of order", step: 5, track: func(t *DevTrack) { delete(t.Done, 4) }, want: "development.rule.order"},
		{name: "date in the future", step: 3, input: func(in *StepInput) { in.On = today.AddDays(1) }, want: "development.date_future"},
		{name: "no date", step: 3, input: func(in *StepInput) { in.On = Date{} }, want: "development.date_required"},
		{name: "before the step it follows", step: 3, input: func(in *StepInput) { in.On = d("2022-03-10") },
			want: "development.rule.date_order"},
		{name: "under 18", step: 1, track: func(t *DevTrack) { t.Birth = d("2004-03-02") }, want: "development.rule.age"},
		{name: "18 today passes", step: 1, track: func(t *DevTrack) { t.Birth = d("2004-03-01") }},
		{name: "birth unknown", step: 1, track: func(t *DevTrack) { t.Birth = Date{} }, want: "development.rule.age_unknown"},
		{name: "talk after a month", step: 2, input: func(in *StepInput) { in.On = d("2022-04-02") }, want: "development.rule.talk_month"},
		{name: "talk on the last day", step: 2, input: func(in *StepInput) { in.On = d("2022-04-01") }},
		{name: "no mentor", step: 5, input: func(in *StepInput) { in.People = nil }, want: "development.rule.mentor_count"},
		{name: "three mentors", step: 5, input: func(in *StepInput) { in.People = append(full, DevPerson{PersonID: 3, Status: StatusFull}) },
			want: "development.rule.mentor_count"},
		{name: "mentor on probation", step: 5, input: func(in *StepInput) {
			in.People = []DevPerson{{PersonID: 3, Name: "丙", Status: StatusProbationary}}
		}, want: "development.rule.mentor_not_full"},
		{name: "inspection gap", step: 6, track: func(t *DevTrack) { t.Assessments = t.Assessments[1:] },
			want: "development.rule.inspection_gap"},
		{name: "cultivation under a year", step: 6, input: func(in *StepInput) { in.On = d("2023-05-09") },
			want: "development.rule.activist_year"},
		{name: "candidate under a year", step: 7, track: func(t *DevTrack) { t.Done[6] = DevRecord{StepInput: StepInput{Step: 6, On: d("2023-01-01")}} },
			input: func(in *StepInput) { in.On = d("2023-05-09") }, want: "development.rule.activist_year"},
		{name: "candidate without the host opinion", step: 7, track: func(t *DevTrack) { delete(t.Opinions, GateCandidate) },
			want: "development.rule.opinion_missing"},
		{name: "one introducer", step: 9, input: func(in *StepInput) { in.People = full[:1] }, want: "development.rule.introducer_count"},
		{name: "introducer not full", step: 9, input: func(in *StepInput) {
			in.People = []DevPerson{full[0], {PersonID: 3, Name: "丙", Status: StatusActivist, NotDisciplined: true}}
		}, want: "development.rule.introducer_not_full"},
		{name: "introducer under discipline", step: 9, input: func(in *StepInput) {
			in.People = []DevPerson{full[0], {PersonID: 3, Name: "丙", Status: StatusFull}}
		}, want: "development.rule.introducer_discipline"},
		{name: "same introducer twice", step: 9, input: func(in *StepInput) { in.People = []DevPerson{full[0], full[0]} },
			want: "development.person_twice"},
		{name: "training too short", step: 11, input: func(in *StepInput) { in.Days, in.Hours = 2, 20 }, want: "development.rule.training"},
		{name: "24 hours suffice", step: 11, input: func(in *StepInput) { in.Days, in.Hours = 2, 24 }},
		{name: "notice too short", step: 12, input: func(in *StepInput) { in.NoticeTo = d("2023-08-23") }, want: "development.rule.notice"},
		{name: "notice still open", step: 12, input: func(in *StepInput) { in.NoticeFrom, in.NoticeTo = d("2023-08-30"), d("2023-09-05") },
			want: "development.rule.notice_open"},
		{name: "no notice", step: 12, input: func(in *StepInput) { in.NoticeFrom = Date{} }, want: "development.notice_required"},
		{name: "no notice needed when the setting says so", step: 12, input: func(in *StepInput) { in.NoticeFrom = Date{} },
			rules: func(r *DevRules) { r.NoticeDays = 0 }},
		{name: "pre-review without the opinion", step: 13, track: func(t *DevTrack) { delete(t.Opinions, GateAdmission) },
			want: "development.rule.opinion_missing"},
		{name: "leaving soon", step: 13, input: func(in *StepInput) { in.Leaving = true }, want: "development.rule.leaving"},
		{name: "leaving not checked", step: 13, input: func(in *StepInput) { in.Leaving = true }, rules: func(r *DevRules) { r.LeavingMonths = 0 }},
		{name: "no quorum", step: 15, input: func(in *StepInput) { in.Present, in.Yes = 10, 10 }, want: "development.rule.quorum"},
		{name: "no majority", step: 15, input: func(in *StepInput) { in.Yes = 10 }, want: "development.rule.majority"},
		{name: "vote garbled", step: 15, input: func(in *StepInput) { in.Yes = 16 }, want: "development.vote_invalid"},
		{name: "review expired", step: 15, input: func(in *StepInput) { in.On = d("2024-07-11") },
			track: func(t *DevTrack) {
				for i := 11; i <= 14; i++ {
					t.Done[i] = DevRecord{StepInput: StepInput{Step: i, On: d("2024-07-01")}}
				}
			}, want: "development.rule.review_expired"},
		{name: "approval late without reason", step: 17, input: func(in *StepInput) { in.On = d("2024-01-02") },
			want: "development.rule.approval_late"},
		{name: "approval late with reason", step: 17, input: func(in *StepInput) { in.On, in.Reason = d("2024-01-02"), "上级党委换届" }},
		{name: "approval past six months", step: 17, input: func(in *StepInput) { in.On, in.Reason = d("2024-04-02"), "上级党委换届" },
			want: "development.rule.approval_limit"},
		{name: "approval without the opinion", step: 17, track: func(t *DevTrack) { delete(t.Opinions, GateAdmission) },
			want: "development.rule.opinion_missing"},
		{name: "quota reached", step: 17, track: func(t *DevTrack) { t.ApprovedInYear = 3 }, rules: func(r *DevRules) { r.AnnualQuota = 3 },
			want: "development.rule.quota"},
		{name: "probation not over", step: 21, input: func(in *StepInput) { in.On = d("2024-09-30") }, want: "development.rule.probation_year"},
		{name: "probation inspection gap", step: 21, track: func(t *DevTrack) { t.Assessments = t.Assessments[:4] },
			want: "development.rule.inspection_gap"},
		{name: "extension too short", step: 23, input: func(in *StepInput) { in.Outcome, in.Months = OutcomeExtend, 5 },
			want: "development.rule.extend_months"},
		{name: "extension too long", step: 23, input: func(in *StepInput) { in.Outcome, in.Months = OutcomeExtend, 13 },
			want: "development.rule.extend_months"},
		{name: "second extension", step: 23, input: func(in *StepInput) { in.Outcome, in.Months = OutcomeExtend, 6 },
			track: func(t *DevTrack) { t.Extension = 6 }, want: "development.rule.extend_once"},
		{name: "outcome missing", step: 23, input: func(in *StepInput) { in.Outcome = "" }, want: "development.outcome_invalid"},
		{name: "conversion vote without quorum", step: 23, input: func(in *StepInput) { in.Present, in.Yes = 9, 9 }, want: "development.rule.quorum"},
		{name: "conversion approval past three months", step: 24, input: func(in *StepInput) { in.On, in.Reason = d("2025-01-11"), "换届" },
			want: "development.rule.approval_limit"},
		{name: "conversion approval without the opinion", step: 24, track: func(t *DevTrack) { delete(t.Opinions, GateConversion) },
			want: "development.rule.opinion_missing"},
		{name: "unknown step", step: 26, want: "development.step_unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := trackUpTo(min(c.step, 25))
			in := good(min(c.step, 25))
			in.Step = c.step
			r := rules
			if c.track != nil {
				c.track(&tr)
			}
			if c.input != nil {
				c.input(&in)
			}
			if c.rules != nil {
				c.rules(&r)
			}
			err := tr.Check(in, r, today)
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.MsgID != c.want {
				t.Fatalf("got %v, want %s", err, c.want)
			}
			if e.Args["Step"] != c.step && c.step <= 25 {
				t.Errorf("the message does not name step %d: %v", c.step, e.Args)
			}
		})
	}
}

// The windows shown for the next step follow the same rules.
func TestDevWindows(t *testing.T) {
	tr := trackUpTo(26)
	for _, c := range []struct {
		step             int
		earliest, latest string
	}{
		{2, "2022-03-01", "2022-04-01"},
		{7, "2023-05-15", ""},
		{17, "2023-10-10", "2024-01-01"},
		{21, "2024-10-01", ""},
		{24, "2024-10-10", "2025-01-10"},
	} {
		e, l := tr.Window(c.step)
		if e.String() != c.earliest || (c.latest != "" && l.String() != c.latest) || (c.latest == "" && !l.IsZero()) {
			t.Errorf("step %d: %s–%s, want %s–%s", c.step, e, l, c.earliest, c.latest)
		}
	}
	tr.Extension = 6
	if got := tr.ProbationEnd().String(); got != "2025-04-01" {
		t.Errorf("probation end with 6 months' extension: %s", got)
	}
	if StatusAfter(24, OutcomeExtend) != "" || StatusAfter(24, OutcomeConvert) != StatusFull || StatusAfter(3, "") != StatusActivist {
		t.Error("status after")
	}
	if err := CheckDevRules(DevRules{NoticeDays: -1}); err == nil {
		t.Error("negative notice accepted")
	}
}
