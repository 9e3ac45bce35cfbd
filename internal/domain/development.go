package domain

import (
	"slices"
	"time"
)

// Member development (发展党员, party-rules.md §4): five stages, 25 steps,
// run jointly by the host side (the branch where the person takes part:
// a host organization through an agreement granting cultivation, or the
// mobile organization) and the home side (the organization holding the
// relationship and the committee with approval power). Each step is a
// typed record below; DevTrack.Check refuses a step that breaks a rule,
// naming it.

// DevCaseID identifies a development case.
type DevCaseID int64

// DevStage is one of the five stages.
type DevStage int

// The stages.
const (
	StageApplication DevStage = 1 // 入党申请
	StageActivist    DevStage = 2 // 入党积极分子的确定和培养教育
	StageCandidate   DevStage = 3 // 发展对象的确定和考察
	StageAdmission   DevStage = 4 // 预备党员的接收
	StageProbation   DevStage = 5 // 预备党员的教育考察和转正
)

// DevStages lists the stages in order.
func DevStages() []DevStage {
	return []DevStage{StageApplication, StageActivist, StageCandidate, StageAdmission, StageProbation}
}

// DevSide is the side that performs a step.
type DevSide string

// The sides of a step. Either: whichever side the person applied to or
// the step happens at; Probation: the host side too when the
// development rules allow probation inspection there (unverified), else
// home only.
const (
	DevHost      DevSide = "host"
	DevHome      DevSide = "home"
	DevEither    DevSide = "either"
	DevProbation DevSide = "probation"
)

// DevField names an extra value a step records.
type DevField string

// The extra values.
const (
	FieldMentors    DevField = "mentors"     // 1–2 full members (step 5)
	FieldIntroducer DevField = "introducers" // two full members (step 9)
	FieldTraining   DevField = "training"    // days and hours (step 11)
	FieldNotice     DevField = "notice"      // public notice from/to (step 12)
	FieldLeaving    DevField = "leaving"     // leaving the unit soon (step 13)
	FieldFormNo     DevField = "form_no"     // volunteer form number (step 13)
	FieldVote       DevField = "vote"        // entitled, present, yes (steps 15, 23)
	FieldReason     DevField = "reason"      // a late approval's reason (steps 17, 24)
	FieldOutcome    DevField = "outcome"     // convert, extend, cancel (step 23)
)

// DevStep is one of the 25 steps as data: its stage, the side that acts,
// the steps it needs first, the host opinion that must be on record before
// it (Gate: the approval it belongs to), the document it produces, the
// extra values it records and the status the person takes.
type DevStep struct {
	N        int
	Key      string
	Stage    DevStage
	Side     DevSide
	Requires []int
	Gate     int
	Doc      string
	Fields   []DevField
	Status   MemberStatus
}

// The opinion gates: the home side's approvals, each needing the host
// side's written opinion first.
const (
	GateCandidate  = 7  // the candidate decision (step 7)
	GateAdmission  = 17 // pre-review (13) and approval (17)
	GateConversion = 24 // conversion approval (24)
)

// DevGates lists the gates in order.
func DevGates() []int { return []int{GateCandidate, GateAdmission, GateConversion} }

var devSteps = []DevStep{
	{N: 1, Key: "application", Stage: StageApplication, Side: DevEither, Doc: "application", Status: StatusApplicant},
	{N: 2, Key: "talk", Stage: StageApplication, Side: DevEither, Requires: []int{1}, Doc: "talk_record"},
	{N: 3, Key: "activist", Stage: StageActivist, Side: DevHost, Requires: []int{2}, Doc: "activist_minutes", Status: StatusActivist},
	{N: 4, Key: "activist_filed", Stage: StageActivist, Side: DevHome, Requires: []int{3}, Doc: "activist_filing"},
	{N: 5, Key: "mentors", Stage: StageActivist, Side: DevHost, Requires: []int{4}, Doc: "mentor_record", Fields: []DevField{FieldMentors}},
	{N: 6, Key: "cultivation", Stage: StageActivist, Side: DevHost, Requires: []int{5}, Doc: "inspection_register"},
	{N: 7, Key: "candidate", Stage: StageCandidate, Side: DevHome, Requires: []int{6}, Gate: GateCandidate, Doc: "candidate_minutes",
		Status: StatusTarget},
	{N: 8, Key: "candidate_filed", Stage: StageCandidate, Side: DevHome, Requires: []int{7}, Doc: "candidate_filing"},
	{N: 9, Key: "introducers", Stage: StageCandidate, Side: DevEither, Requires: []int{8}, Doc: "introducer_record",
		Fields: []DevField{FieldIntroducer}},
	{N: 10, Key: "review", Stage: StageCandidate, Side: DevHome, Requires: []int{9}, Doc: "review_conclusion"},
	{N: 11, Key: "training", Stage: StageCandidate, Side: DevEither, Requires: []int{10}, Doc: "training_certificate",
		Fields: []DevField{FieldTraining}},
	{N: 12, Key: "committee_review", Stage: StageAdmission, Side: DevHome, Requires: []int{11}, Doc: "committee_opinion",
		Fields: []DevField{FieldNotice}},
	{N: 13, Key: "pre_review", Stage: StageAdmission, Side: DevHome, Requires: []int{12}, Gate: GateAdmission, Doc: "pre_review_result",
		Fields: []DevField{FieldFormNo, FieldLeaving}},
	{N: 14, Key: "form", Stage: StageAdmission, Side: DevEither, Requires: []int{13}, Doc: "volunteer_form"},
	{N: 15, Key: "assembly", Stage: StageAdmission, Side: DevHome, Requires: []int{14}, Doc: "assembly_resolution",
		Fields: []DevField{FieldVote}},
	{N: 16, Key: "admission_talk", Stage: StageAdmission, Side: DevHome, Requires: []int{15}, Doc: "talk_opinion"},
	{N: 17, Key: "approval", Stage: StageAdmission, Side: DevHome, Requires: []int{16}, Gate: GateAdmission, Doc: "approval",
		Fields: []DevField{FieldReason}, Status: StatusProbationary},
	{N: 18, Key: "approval_filed", Stage: StageAdmission, Side: DevHome, Requires: []int{17}, Doc: "approval_filing"},
	{N: 19, Key: "placed", Stage: StageProbation, Side: DevProbation, Requires: []int{18}},
	{N: 20, Key: "oath", Stage: StageProbation, Side: DevProbation, Requires: []int{19}, Doc: "oath_record"},
	{N: 21, Key: "probation", Stage: StageProbation, Side: DevProbation, Requires: []int{20}, Doc: "probation_records"},
	{N: 22, Key: "conversion_request", Stage: StageProbation, Side: DevProbation, Requires: []int{21}, Doc: "conversion_request"},
	{N: 23, Key: "conversion_vote", Stage: StageProbation, Side: DevHome, Requires: []int{22}, Doc: "conversion_resolution",
		Fields: []DevField{FieldVote, FieldOutcome}},
	{N: 24, Key: "conversion_approval", Stage: StageProbation, Side: DevHome, Requires: []int{23}, Gate: GateConversion,
		Doc: "conversion_approval", Fields: []DevField{FieldReason}},
	{N: 25, Key: "archive", Stage: StageProbation, Side: DevHome, Requires: []int{24}, Doc: "archive"},
}

// DevSteps lists the 25 steps in order.
func DevSteps() []DevStep { return slices.Clone(devSteps) }

// DevStepOf returns step n (1–25).
func DevStepOf(n int) (DevStep, bool) {
	if n < 1 || n > len(devSteps) {
		return DevStep{}, false
	}
	return devSteps[n-1], true
}

// Has reports whether the step records the extra value f.
func (s DevStep) Has(f DevField) bool { return slices.Contains(s.Fields, f) }

// StageFirst is the first step of each stage: a stage begins on that
// step's date.
func StageFirst(st DevStage) int { return [...]int{0, 1, 3, 7, 12, 19}[st] }

// DevCaseState is where a case stands.
type DevCaseState string

// The case states.
const (
	DevOpen      DevCaseState = "open"
	DevCompleted DevCaseState = "completed" // converted and archived
	DevCancelled DevCaseState = "cancelled" // probation cancelled
	DevClosed    DevCaseState = "closed"    // withdrawn or not admitted
)

// Conversion outcomes of step 23, approved at step 24.
const (
	OutcomeConvert = "convert"
	OutcomeExtend  = "extend"
	OutcomeCancel  = "cancel"
)

// DevOutcomes lists the conversion outcomes.
func DevOutcomes() []string { return []string{OutcomeConvert, OutcomeExtend, OutcomeCancel} }

// DevRules are the rules party-rules.md marks unverified, kept as a
// setting the county officer may change rather than as constants.
type DevRules struct {
	// NoticeDays is the public notice (公示) before pre-review, in days;
	// zero: no notice required.
	NoticeDays int `json:"notice_days"`
	// ReviewMonths is how long a political review stays valid for the
	// assembly vote; zero: no limit.
	ReviewMonths int `json:"review_months"`
	// LeavingMonths refuses pre-review of a person leaving the unit
	// within so many months; zero: not checked.
	LeavingMonths int `json:"leaving_months"`
	// AnnualQuota bounds approvals (step 17) per calendar year over the
	// county; zero: no quota.
	AnnualQuota int `json:"annual_quota"`
	// HostProbation lets the host side record the probation steps
	// (placement, oath, inspection, the request: 19–22).
	HostProbation bool `json:"host_probation"`
}

// DefaultDevRules are common practice: five days' notice, a review valid
// one year, leaving within three months refused, no quota, probation
// inspection possible on the host side.
func DefaultDevRules() DevRules {
	return DevRules{NoticeDays: 5, ReviewMonths: 12, LeavingMonths: 3, HostProbation: true}
}

// CheckDevRules validates a rules setting.
func CheckDevRules(r DevRules) error {
	switch {
	case r.NoticeDays < 0 || r.NoticeDays > 30:
		return Invalid("notice_days", "development.rules.notice_days", map[string]any{"Max": 30})
	case r.ReviewMonths < 0 || r.ReviewMonths > 36:
		return Invalid("review_months", "development.rules.review_months", map[string]any{"Max": 36})
	case r.LeavingMonths < 0 || r.LeavingMonths > 12:
		return Invalid("leaving_months", "development.rules.leaving_months", map[string]any{"Max": 12})
	case r.AnnualQuota < 0 || r.AnnualQuota > 100000:
		return Invalid("annual_quota", "development.rules.annual_quota", map[string]any{"Max": 100000})
	}
	return nil
}

// The fixed rules' figures (party-rules.md §4).
const (
	DevMinAge             = 18 // step 1
	DevTalkMonths         = 1  // step 2 after step 1
	DevActivistYears      = 1  // step 7 after step 3
	DevInspectionMonths   = 6  // between inspections (steps 6, 21)
	DevTrainingDays       = 3  // step 11: at least 3 days …
	DevTrainingHours      = 24 // … or 24 hours
	DevApprovalMonths     = 3  // steps 17, 24: within 3 months …
	DevApprovalMaxMonths  = 6  // … at most 6 with a reason (step 17)
	DevProbationYears     = 1  // from the step-15 date
	DevExtendMinMonths    = 6  // extension of probation: at least 6 months …
	DevExtendMaxMonths    = 12 // … at most a year, once
	DevIntroducers        = 2  // step 9
	DevMaxMentors         = 2  // step 5
	DevEligibleNoticeDays = 30 // probations due within this many days are listed
)

// DevPerson is a mentor (培养联系人) or an introducer (入党介绍人) as a
// step sees them: a person of the register with their status, and for an
// introducer the recorder's confirmation that no probation-in-Party
// discipline applies (the register keeps no discipline records).
type DevPerson struct {
	PersonID       PersonID
	Name           string
	Status         MemberStatus // empty: not a member
	NotDisciplined bool
}

// StepInput is a step as its recorder enters it.
type StepInput struct {
	Step       int
	On         Date
	Note       string
	DocNo      string
	People     []DevPerson // mentors (5) or introducers (9)
	Days       int         // training (11)
	Hours      int
	NoticeFrom Date // public notice (12)
	NoticeTo   Date
	Leaving    bool // leaves the unit soon (13)
	Entitled   int  // vote (15, 23): full members entitled to vote …
	Present    int  // … present (with written opinions counted) …
	Yes        int  // … and voting yes
	Outcome    string
	Months     int    // extension (23)
	Reason     string // a late approval (17)
}

// DevRecord is a step as recorded.
type DevRecord struct {
	ID     int64
	CaseID DevCaseID
	StepInput
	Side      Side // the side the recorder acted for
	OrgID     OrgID
	OrgName   string
	ActorName string
	At        time.Time
	// Superseded marks probation steps (21–24) undone by an approved
	// extension; they stay on the timeline.
	Superseded bool
}

// DevAssessment is one inspection (考察) of an activist or a
// probationary member by the host side: quarterly or half-yearly.
type DevAssessment struct {
	ID        int64
	CaseID    DevCaseID
	On        Date
	Stage     DevStage // activist (2) or probation (5)
	Text      string
	Side      Side
	OrgName   string
	ActorName string
	At        time.Time
}

// DevOpinion is the host side's written opinion before an approval.
type DevOpinion struct {
	ID        int64
	CaseID    DevCaseID
	Gate      int
	On        Date
	Text      string
	Side      Side
	OrgName   string
	ActorName string
	At        time.Time
}

// DevFile is a document attached to a step.
type DevFile struct {
	ID          int64
	CaseID      DevCaseID
	Step        int
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	UploadedBy  string
	UploadedAt  time.Time
}

// DevCase is a person's development case.
type DevCase struct {
	ID            DevCaseID
	PersonID      PersonID
	PersonName    string
	IDNumber      Masked
	BirthOn       Date
	HomeOrgID     OrgID
	HomeOrgName   string
	HomeOrgPath   string
	MobileOrgID   OrgID
	MobileOrgName string
	MobileOrgPath string
	State         DevCaseState
	Step          int // the last step done (0: none)
	Stage         DevStage
	AppliedOn     Date
	ActivistOn    Date
	TargetOn      Date
	AdmittedOn    Date // the step-15 date: Party standing
	ApprovedOn    Date
	ProbationEnd  Date
	FullOn        Date
	Extension     int // months of the approved extension of probation
	CloseReason   string
	OpenedAt      time.Time
	ClosedAt      *time.Time
	Version       int64
}

// DevTrack is what the rules look at: the current record of each step
// done, the inspections, the opinions on record, the applicant's birth
// date, and for step 17 the approvals already given in its year.
type DevTrack struct {
	Birth       Date
	Done        map[int]DevRecord
	Assessments []DevAssessment
	Opinions    map[int]bool
	// Extension is the months of an approved extension of probation
	// (zero: none); it may be granted once.
	Extension int
	// ApprovedInYear counts approvals (step 17) over the county in the
	// calendar year of the step being checked; the service fills it.
	ApprovedInYear int
}

// NewTrack builds a track from a case's records (superseded ones are
// skipped), inspections and opinions.
func NewTrack(c DevCase, recs []DevRecord, as []DevAssessment, ops []DevOpinion) DevTrack {
	t := DevTrack{Birth: c.BirthOn, Done: map[int]DevRecord{}, Assessments: as, Opinions: map[int]bool{}, Extension: c.Extension}
	for _, r := range recs {
		if !r.Superseded {
			t.Done[r.Step] = r
		}
	}
	for _, o := range ops {
		t.Opinions[o.Gate] = true
	}
	return t
}

// on is the date step n was done (zero when not done).
func (t DevTrack) on(n int) Date { return t.Done[n].On }

// ProbationEnd is the day probation ends: one year from the assembly
// vote (step 15), plus an approved extension; zero before step 15.
func (t DevTrack) ProbationEnd() Date {
	if t.on(15).IsZero() {
		return Date{}
	}
	return t.on(15).AddYears(DevProbationYears).AddMonths(t.Extension)
}

// Next is the next step to record, 0 when all 25 are done.
func (t DevTrack) Next() int {
	for _, s := range devSteps {
		if _, ok := t.Done[s.N]; !ok {
			return s.N
		}
	}
	return 0
}

// Window is the earliest and latest date the rules allow for step n given
// what is done (zero where no bound applies).
func (t DevTrack) Window(n int) (earliest, latest Date) {
	st, _ := DevStepOf(n)
	for _, r := range st.Requires {
		if d := t.on(r); earliest.IsZero() || d.After(earliest) {
			earliest = d
		}
	}
	later := func(d Date) {
		if d.After(earliest) {
			earliest = d
		}
	}
	switch n {
	case 1:
		if !t.Birth.IsZero() {
			later(t.Birth.AddYears(DevMinAge))
		}
	case 2:
		latest = t.on(1).AddMonths(DevTalkMonths)
	case 6, 7:
		later(t.on(3).AddYears(DevActivistYears))
	case 17:
		latest = t.on(15).AddMonths(DevApprovalMonths)
	case 21:
		later(t.ProbationEnd())
	case 24:
		latest = t.on(23).AddMonths(DevApprovalMonths)
	}
	return earliest, latest
}

// Check decides whether step in.Step may be recorded on in.On with its
// values, given the rules in force and today's date. It returns the first rule broken, by its
// catalogue ID, with the figures in its arguments.
func (t DevTrack) Check(in StepInput, rules DevRules, today Date) error {
	st, ok := DevStepOf(in.Step)
	if !ok {
		return Invalid("step", "development.step_unknown", map[string]any{"Step": in.Step})
	}
	args := func(kv ...any) map[string]any {
		m := map[string]any{"Step": st.N}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	if _, done := t.Done[st.N]; done {
		return Rule("development.rule.step_done", args())
	}
	for _, r := range st.Requires {
		if _, ok := t.Done[r]; !ok {
			return Rule("development.rule.order", args("Needs", r))
		}
	}
	switch {
	case in.On.IsZero():
		return Invalid("on", "development.date_required", args())
	case in.On.After(today):
		return Invalid("on", "development.date_future", args())
	}
	for _, r := range st.Requires {
		if in.On.Before(t.on(r)) {
			return Rule("development.rule.date_order", args("Needs", r, "Date", t.on(r).String()))
		}
	}
	if st.Gate != 0 && !t.Opinions[st.Gate] {
		return Rule("development.rule.opinion_missing", args("Gate", st.Gate))
	}
	return t.checkStep(st, in, rules, args)
}

// checkStep applies the rules of one step.
func (t DevTrack) checkStep(st DevStep, in StepInput, rules DevRules, args func(...any) map[string]any) error {
	switch st.N {
	case 1:
		if t.Birth.IsZero() {
			return Rule("development.rule.age_unknown", args())
		}
		if in.On.Before(t.Birth.AddYears(DevMinAge)) {
			return Rule("development.rule.age", args("Birth", t.Birth.String(), "Earliest", t.Birth.AddYears(DevMinAge).String()))
		}
	case 2:
		if latest := t.on(1).AddMonths(DevTalkMonths); in.On.After(latest) {
			return Rule("development.rule.talk_month", args("Latest", latest.String()))
		}
	case 5:
		return checkPeople(in.People, 1, DevMaxMentors, "mentor", false, args)
	case 6:
		if err := t.checkInspections(StageActivist, t.on(3), in.On, args); err != nil {
			return err
		}
		if earliest := t.on(3).AddYears(DevActivistYears); in.On.Before(earliest) {
			return Rule("development.rule.activist_year", args("Earliest", earliest.String()))
		}
	case 7:
		if earliest := t.on(3).AddYears(DevActivistYears); in.On.Before(earliest) {
			return Rule("development.rule.activist_year", args("Earliest", earliest.String()))
		}
	case 9:
		return checkPeople(in.People, DevIntroducers, DevIntroducers, "introducer", true, args)
	case 11:
		if in.Days < DevTrainingDays && in.Hours < DevTrainingHours {
			return Rule("development.rule.training", args("Days", in.Days, "Hours", in.Hours))
		}
	case 12:
		if rules.NoticeDays > 0 {
			if in.NoticeFrom.IsZero() || in.NoticeTo.IsZero() || in.NoticeTo.Before(in.NoticeFrom) {
				return Invalid("notice_from", "development.notice_required", args("Days", rules.NoticeDays))
			}
			if days := in.NoticeFrom.DaysUntil(in.NoticeTo) + 1; days < rules.NoticeDays {
				return Rule("development.rule.notice", args("Days", days, "Need", rules.NoticeDays))
			}
			if in.NoticeTo.After(in.On) {
				return Rule("development.rule.notice_open", args("To", in.NoticeTo.String()))
			}
		}
	case 13:
		if in.Leaving && rules.LeavingMonths > 0 {
			return Rule("development.rule.leaving", args("Months", rules.LeavingMonths))
		}
	case 15:
		if err := checkVote(in, args); err != nil {
			return err
		}
		if rules.ReviewMonths > 0 {
			if valid := t.on(10).AddMonths(rules.ReviewMonths); in.On.After(valid) {
				return Rule("development.rule.review_expired", args("Review", t.on(10).String(), "Months", rules.ReviewMonths))
			}
		}
	case 17:
		if err := checkApproval(t.on(15), in, DevApprovalMaxMonths, args); err != nil {
			return err
		}
		if rules.AnnualQuota > 0 && t.ApprovedInYear >= rules.AnnualQuota {
			return Rule("development.rule.quota", args("Quota", rules.AnnualQuota, "Year", in.On.Time().Year()))
		}
	case 21:
		if end := t.ProbationEnd(); in.On.Before(end) {
			return Rule("development.rule.probation_year", args("End", end.String()))
		}
		return t.checkInspections(StageProbation, t.on(15), in.On, args)
	case 23:
		if err := checkVote(in, args); err != nil {
			return err
		}
		switch in.Outcome {
		case OutcomeConvert, OutcomeCancel:
		case OutcomeExtend:
			if t.Extension > 0 {
				return Rule("development.rule.extend_once", args())
			}
			if in.Months < DevExtendMinMonths || in.Months > DevExtendMaxMonths {
				return Rule("development.rule.extend_months", args("Min", DevExtendMinMonths, "Max", DevExtendMaxMonths))
			}
		default:
			return Invalid("outcome", "development.outcome_invalid", args())
		}
	case 24:
		return checkApproval(t.on(23), in, DevApprovalMonths, args)
	}
	return nil
}

// checkApproval bounds an approval after the vote it approves: within
// three months; up to max months with a stated reason.
func checkApproval(vote Date, in StepInput, max int, args func(...any) map[string]any) error {
	normal, limit := vote.AddMonths(DevApprovalMonths), vote.AddMonths(max)
	switch {
	case in.On.After(limit):
		return Rule("development.rule.approval_limit", args("Vote", vote.String(), "Months", max))
	case in.On.After(normal) && in.Reason == "":
		return Rule("development.rule.approval_late", args("Vote", vote.String(), "Latest", normal.String()))
	}
	return nil
}

// checkVote applies the assembly's quorum (party-rules.md §3): more than
// half of the members entitled present, and yes from more than half of
// them.
func checkVote(in StepInput, args func(...any) map[string]any) error {
	switch {
	case in.Entitled <= 0 || in.Present < 0 || in.Yes < 0 || in.Present > in.Entitled || in.Yes > in.Present:
		return Invalid("entitled", "development.vote_invalid", args())
	case in.Present*2 <= in.Entitled:
		return Rule("development.rule.quorum", args("Present", in.Present, "Entitled", in.Entitled))
	case in.Yes*2 <= in.Entitled:
		return Rule("development.rule.majority", args("Yes", in.Yes, "Entitled", in.Entitled))
	}
	return nil
}

// checkPeople checks the mentors or introducers named: how many, no one
// twice, every one a full member, and for introducers no discipline.
func checkPeople(ps []DevPerson, lo, hi int, role string, discipline bool, args func(...any) map[string]any) error {
	if len(ps) < lo || len(ps) > hi {
		return Rule("development.rule."+role+"_count", args("Min", lo, "Max", hi))
	}
	seen := map[PersonID]bool{}
	for _, p := range ps {
		if seen[p.PersonID] {
			return Invalid(role, "development.person_twice", args("Name", p.Name))
		}
		seen[p.PersonID] = true
		if p.Status != StatusFull {
			return Rule("development.rule."+role+"_not_full", args("Name", p.Name))
		}
		if discipline && !p.NotDisciplined {
			return Rule("development.rule.introducer_discipline", args("Name", p.Name))
		}
	}
	return nil
}

// checkInspections requires an inspection at least every six months of
// the stage from its start to on: no gap longer than that between the
// start, the inspections and on.
func (t DevTrack) checkInspections(stage DevStage, from, to Date, args func(...any) map[string]any) error {
	var ds []Date
	for _, a := range t.Assessments {
		if a.Stage == stage && !a.On.Before(from) && !a.On.After(to) {
			ds = append(ds, a.On)
		}
	}
	slices.SortFunc(ds, func(x, y Date) int { return x.Time().Compare(y.Time()) })
	prev := from
	for _, d := range append(ds, to) {
		if d.After(prev.AddMonths(DevInspectionMonths)) {
			return Rule("development.rule.inspection_gap", args("From", prev.String(), "To", d.String()))
		}
		prev = d
	}
	return nil
}

// StatusAfter is the membership status a person holds once step n is
// done (empty: unchanged). Step 24 makes a full member only on conversion.
func StatusAfter(n int, outcome string) MemberStatus {
	if n == 24 {
		if outcome == OutcomeConvert {
			return StatusFull
		}
		return ""
	}
	st, _ := DevStepOf(n)
	return st.Status
}
