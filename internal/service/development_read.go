package service

import (
	"context"
	"slices"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// The development case page, the case list, the deadline lists and the
// reports. Both sides read the whole timeline; what each may do next is
// said by the view, so the pages and the API offer exactly the actions
// the service would accept (an approval before the host opinion is not
// offered).

// DevDoc is one line of a case's documents checklist: the document a
// step produces and the files attached to it.
type DevDoc struct {
	Step  domain.DevStep
	Done  bool
	Files []domain.DevFile
}

// DevEntry is one line of a case's timeline: a step, an inspection or an
// opinion, in date order.
type DevEntry struct {
	On         domain.Date
	Kind       string // step, assessment, opinion
	Step       domain.DevStep
	Record     *domain.DevRecord
	Assessment *domain.DevAssessment
	Opinion    *domain.DevOpinion
	Files      []domain.DevFile
}

// DevCaseView is a case with everything its page shows and what the
// actor may do now.
type DevCaseView struct {
	domain.DevCase
	Steps       []domain.DevRecord
	Timeline    []DevEntry
	Mentors     []store.DevPersonRow
	Introducers []store.DevPersonRow
	Assessments []domain.DevAssessment
	Opinions    []domain.DevOpinion
	Files       []domain.DevFile
	Checklist   []DevDoc
	Rules       domain.DevRules
	// Next is the next step (N zero when none), with the earliest and
	// latest dates the rules allow for it.
	Next             domain.DevStep
	Earliest, Latest domain.Date
	// NextSide is the side that performs it; CanNext says the actor may,
	// and OpinionMissing says it waits for the host opinion first.
	NextSide       domain.DevSide
	CanNext        bool
	OpinionMissing bool
	// The actor's sides on this case, and the gates it may still give an
	// opinion for (host side).
	Host, Home    bool
	OpinionGates  []int
	CanAssess     bool
	AssessStage   domain.DevStage
	CanClose      bool
	ProbationDays int // days to the end of probation (negative: past), when in probation
}

// DevCase reads one case for an actor on either side.
func (s *Service) DevCase(ctx context.Context, a *authz.Actor, id domain.DevCaseID) (DevCaseView, error) {
	q := s.db.Read()
	c, r, err := s.devCaseFor(ctx, q, a, id)
	if err != nil {
		return DevCaseView{}, err
	}
	v := DevCaseView{DevCase: c, Host: r.Host, Home: r.Home}
	if v.Rules, err = s.DevRules(ctx); err != nil {
		return v, err
	}
	if v.Steps, err = store.DevSteps(ctx, q, id); err != nil {
		return v, err
	}
	if v.Assessments, err = store.DevAssessments(ctx, q, id); err != nil {
		return v, err
	}
	if v.Opinions, err = store.DevOpinions(ctx, q, id); err != nil {
		return v, err
	}
	if v.Files, err = store.DevFiles(ctx, q, id); err != nil {
		return v, err
	}
	people, err := store.DevPeople(ctx, q, id)
	if err != nil {
		return v, err
	}
	for _, p := range people {
		if p.Role == "mentor" {
			v.Mentors = append(v.Mentors, p)
		} else {
			v.Introducers = append(v.Introducers, p)
		}
	}
	track := domain.NewTrack(c, v.Steps, v.Assessments, v.Opinions)
	v.timeline()
	v.checklist(track)
	if c.State != domain.DevOpen {
		return v, nil
	}
	if n := track.Next(); n != 0 {
		v.Next, _ = domain.DevStepOf(n)
		v.Earliest, v.Latest = track.Window(n)
		v.NextSide = stepSide(v.Next, v.Rules)
		v.OpinionMissing = v.Next.Gate != 0 && !track.Opinions[v.Next.Gate]
		switch v.NextSide {
		case domain.DevHost:
			v.CanNext = r.Host
		case domain.DevHome:
			v.CanNext = r.Home
		default:
			v.CanNext = r.Reads()
		}
		v.CanNext = v.CanNext && !v.OpinionMissing
	}
	if r.Host {
		for _, g := range domain.DevGates() {
			if !track.Opinions[g] && c.Step < g {
				v.OpinionGates = append(v.OpinionGates, g)
			}
		}
		switch {
		case c.Step >= 3 && c.Step < 6:
			v.CanAssess, v.AssessStage = true, domain.StageActivist
		case c.Step >= 15 && c.Step < 21:
			v.CanAssess, v.AssessStage = true, domain.StageProbation
		}
	}
	v.CanClose = r.Home && c.Step < 17
	if !c.ProbationEnd.IsZero() {
		v.ProbationDays = s.Today().DaysUntil(c.ProbationEnd)
	}
	return v, nil
}

// timeline merges steps, inspections and opinions by date (then by the
// order recorded).
func (v *DevCaseView) timeline() {
	files := map[int][]domain.DevFile{}
	for _, f := range v.Files {
		files[f.Step] = append(files[f.Step], f)
	}
	for i := range v.Steps {
		r := &v.Steps[i]
		st, _ := domain.DevStepOf(r.Step)
		v.Timeline = append(v.Timeline, DevEntry{On: r.On, Kind: "step", Step: st, Record: r, Files: files[r.Step]})
	}
	for i := range v.Assessments {
		x := &v.Assessments[i]
		v.Timeline = append(v.Timeline, DevEntry{On: x.On, Kind: "assessment", Assessment: x})
	}
	for i := range v.Opinions {
		o := &v.Opinions[i]
		st, _ := domain.DevStepOf(o.Gate)
		v.Timeline = append(v.Timeline, DevEntry{On: o.On, Kind: "opinion", Step: st, Opinion: o})
	}
	slices.SortStableFunc(v.Timeline, func(x, y DevEntry) int { return x.On.Time().Compare(y.On.Time()) })
}

// checklist lists every step's document with its files.
func (v *DevCaseView) checklist(t domain.DevTrack) {
	for _, st := range domain.DevSteps() {
		if st.Doc == "" {
			continue
		}
		_, done := t.Done[st.N]
		d := DevDoc{Step: st, Done: done}
		for _, f := range v.Files {
			if f.Step == st.N {
				d.Files = append(d.Files, f)
			}
		}
		v.Checklist = append(v.Checklist, d)
	}
}

// DevSearch filters the case list.
type DevSearch struct {
	State  domain.DevCaseState
	Stage  domain.DevStage
	Org    domain.OrgID
	Name   string
	Before domain.DevCaseID
	Limit  int
}

// DevPage is one page of cases.
type DevPage struct {
	Cases []domain.DevCase
	Total int
	Next  domain.DevCaseID
}

// devScope is the actor's case scope, with an organization narrowing it
// (one the actor may see).
func (s *Service) devScope(ctx context.Context, a *authz.Actor, org domain.OrgID) (authz.OrgFilter, authz.OrgFilter, string, error) {
	home, mobile := a.DevelopmentFilter()
	if org == 0 {
		return home, mobile, "", nil
	}
	o, err := store.OrgByID(ctx, s.db.Read(), org)
	if err != nil {
		return home, mobile, "", err
	}
	if !a.CanAt(authz.OrgRead, target(o)).Allowed {
		return home, mobile, "", notFound()
	}
	return home, mobile, o.Path, nil
}

// ListDevCases lists the cases the actor may see, newest first.
func (s *Service) ListDevCases(ctx context.Context, a *authz.Actor, f DevSearch) (DevPage, error) {
	home, mobile, org, err := s.devScope(ctx, a, f.Org)
	if err != nil {
		return DevPage{}, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	qf := store.DevCaseQuery{Home: home, Mobile: mobile, State: f.State, Stage: f.Stage, Org: org, Name: f.Name, Before: f.Before,
		Limit: f.Limit + 1}
	var p DevPage
	if p.Cases, err = store.ListDevCases(ctx, s.db.Read(), qf); err != nil {
		return p, err
	}
	if len(p.Cases) > f.Limit {
		p.Cases = p.Cases[:f.Limit]
		p.Next = p.Cases[f.Limit-1].ID
	}
	p.Total, err = store.CountDevCases(ctx, s.db.Read(), qf)
	return p, err
}

// DevDeadlineKinds are the deadline lists, in the order the page shows
// them.
var DevDeadlineKinds = []string{store.DeadlineConversion, store.DeadlineApproval, store.DeadlineEligible}

// DevDeadline is one case on a deadline list with the day it is due.
type DevDeadline struct {
	domain.DevCase
	Kind string
	Due  domain.Date
	Days int // from today to Due (negative: overdue)
}

// DevDeadlines lists one deadline kind for the actor's side: probations
// ending within 30 days without a conversion request yet; approvals
// waiting past three months after their vote; activists of a year or
// more not yet made development targets.
func (s *Service) DevDeadlines(ctx context.Context, a *authz.Actor, kind string) ([]DevDeadline, error) {
	if !slices.Contains(DevDeadlineKinds, kind) {
		return nil, domain.Invalid("kind", "development.deadline_kind", nil)
	}
	home, mobile := a.DevelopmentFilter()
	return s.devDeadlines(ctx, s.db.Read(), home, mobile, kind, s.Today())
}

func (s *Service) devDeadlines(ctx context.Context, q store.Q, home, mobile authz.OrgFilter, kind string, today domain.Date) ([]DevDeadline, error) {
	cs, err := store.DevDeadlines(ctx, q, store.DevDeadlineQuery{Home: home, Mobile: mobile, Kind: kind, Today: today,
		Within: domain.DevEligibleNoticeDays})
	if err != nil {
		return nil, err
	}
	out := make([]DevDeadline, 0, len(cs))
	for _, c := range cs {
		d := DevDeadline{DevCase: c, Kind: kind}
		switch kind {
		case store.DeadlineConversion:
			d.Due = c.ProbationEnd
		case store.DeadlineApproval:
			if c.Step == 23 {
				recs, err := store.DevSteps(ctx, q, c.ID)
				if err != nil {
					return nil, err
				}
				t := domain.NewTrack(c, recs, nil, nil)
				_, d.Due = t.Window(24)
			} else {
				d.Due = c.AdmittedOn.AddMonths(domain.DevApprovalMonths)
			}
		case store.DeadlineEligible:
			d.Due = c.ActivistOn.AddYears(domain.DevActivistYears)
		}
		d.Days = today.DaysUntil(d.Due)
		out = append(out, d)
	}
	return out, nil
}

// DevReport is the development report over the actor's scope: open
// cases per stage and per organization, members developed (approved as
// probationary) in the period, activists on record, and the average days
// spent in each stage by the cases that left it.
type DevReport struct {
	From, To    domain.Date
	ByStage     [6]int // index: stage (1–5); open cases
	ByOrg       []DevOrgRow
	Developed   int // approvals (step 17) in [From, To]
	Converted   int // full members (conversion) in [From, To]
	Activists   int // open cases in the activist stage
	Open        int
	StageDays   [6]int // average whole days spent in each stage
	StageCounts [6]int // cases that completed each stage (behind StageDays)
}

// DevOrgRow is one mobile organization's open cases per stage and its
// members developed in the period.
type DevOrgRow struct {
	OrgID     domain.OrgID
	OrgName   string
	ByStage   [6]int
	Developed int
}

// DevelopmentReport counts over the actor's scope (an organization
// narrows it) for the period [from, to] (zero: the last three years to
// today).
func (s *Service) DevelopmentReport(ctx context.Context, a *authz.Actor, from, to domain.Date, org domain.OrgID) (DevReport, error) {
	today := s.Today()
	if to.IsZero() {
		to = today
	}
	if from.IsZero() {
		from = to.AddYears(-3).AddDays(1)
	}
	if to.Before(from) {
		return DevReport{}, domain.Invalid("to", "development.period_invalid", nil)
	}
	home, mobile, path, err := s.devScope(ctx, a, org)
	if err != nil {
		return DevReport{}, err
	}
	cases, dates, err := store.DevReportRows(ctx, s.db.Read(), home, mobile, path)
	if err != nil {
		return DevReport{}, err
	}
	rep := DevReport{From: from, To: to}
	rows := map[domain.OrgID]*DevOrgRow{}
	in := func(d domain.Date) bool { return !d.IsZero() && !d.Before(from) && !d.After(to) }
	for _, c := range cases {
		row := rows[c.MobileOrgID]
		if row == nil {
			row = &DevOrgRow{OrgID: c.MobileOrgID, OrgName: c.MobileOrgName}
			rows[c.MobileOrgID] = row
		}
		if c.State == domain.DevOpen {
			rep.Open++
			rep.ByStage[c.Stage]++
			row.ByStage[c.Stage]++
			if c.Stage == domain.StageActivist {
				rep.Activists++
			}
		}
		if in(c.ApprovedOn) {
			rep.Developed++
			row.Developed++
		}
		if in(c.FullOn) {
			rep.Converted++
		}
	}
	// Time in stage: from the first step of a stage to the first step of
	// the next (the archive ends the fifth).
	bounds := map[domain.DevCaseID]map[int]domain.Date{}
	for _, d := range dates {
		if bounds[d.CaseID] == nil {
			bounds[d.CaseID] = map[int]domain.Date{}
		}
		bounds[d.CaseID][d.Step] = d.On
	}
	var sum [6]int
	ends := [...]int{0, 3, 7, 12, 19, 25}
	for _, b := range bounds {
		for _, st := range domain.DevStages() {
			start, end := b[domain.StageFirst(st)], b[ends[st]]
			if start.IsZero() || end.IsZero() {
				continue
			}
			sum[st] += start.DaysUntil(end)
			rep.StageCounts[st]++
		}
	}
	for st := range sum {
		if rep.StageCounts[st] > 0 {
			rep.StageDays[st] = sum[st] / rep.StageCounts[st]
		}
	}
	for _, r := range rows {
		rep.ByOrg = append(rep.ByOrg, *r)
	}
	slices.SortFunc(rep.ByOrg, func(x, y DevOrgRow) int { return int(x.OrgID - y.OrgID) })
	return rep, nil
}

// ExportDevelopmentReport is the report for a spreadsheet, audited (no
// personal data: organizations and counts).
func (s *Service) ExportDevelopmentReport(ctx context.Context, a *authz.Actor, from, to domain.Date, org domain.OrgID) (DevReport, error) {
	rep, err := s.DevelopmentReport(ctx, a, from, to, org)
	if err != nil {
		return rep, err
	}
	s.recordAlone(ctx, a, "development.export", "development_case", "", "ok", map[string]any{"from": rep.From, "to": rep.To,
		"org": org, "rows": len(rep.ByOrg)})
	return rep, nil
}

// DevSides says which sides of member development an actor works on
// anywhere, for the navigation and the list's tabs.
type DevSides struct{ Host, Home bool }

// DevelopmentSides reads the actor's sides from its reach.
func DevelopmentSides(a *authz.Actor) DevSides {
	home, mobile := a.DevelopmentFilter()
	return DevSides{Host: !mobile.Empty(), Home: !home.Empty()}
}

// DevCandidates lists the full members the actor may see in the case's
// mobile organization and its home organization, in pinyin order, for
// naming mentors and introducers (at most 200 of each).
func (s *Service) DevCandidates(ctx context.Context, a *authz.Actor, c domain.DevCase) ([]domain.Person, error) {
	var out []domain.Person
	seen := map[domain.PersonID]bool{c.PersonID: true}
	for _, path := range []string{c.MobileOrgPath, c.HomeOrgPath} {
		rows, err := store.ListPersons(ctx, s.db.Read(), store.PersonQuery{Scope: a.Filter(authz.PersonRead), Org: path,
			Status: domain.StatusFull, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, p := range rows {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, p.Person)
			}
		}
	}
	return out, nil
}

// MobileOrgs lists the active mobile organizations an actor working on
// member development may choose from: all of them for the home side
// (which places an applicant in one it cannot otherwise see: the names
// are no secret), those it sees for anyone else.
func (s *Service) MobileOrgs(ctx context.Context, a *authz.Actor) ([]domain.Org, error) {
	q := store.OrgQuery{Side: domain.SideMobile, Status: domain.StatusActive}
	if DevelopmentSides(a).Home {
		q.Read = everywhere
		return store.ListOrgs(ctx, s.db.Read(), q)
	}
	return store.ListOrgs(ctx, s.db.Read(), s.orgQuery(a, q))
}

// PersonDevelopment is a person's development cases the actor may see,
// newest first, and whether the actor may open one now (no open case, not
// a member, the actor on a side of member development).
type PersonDevelopment struct {
	Cases   []domain.DevCase
	CanOpen bool
}

// DevelopmentOf reads the person's development for the person page; nil
// when the actor works on no side of member development.
func (s *Service) DevelopmentOf(ctx context.Context, a *authz.Actor, p domain.Person) (*PersonDevelopment, error) {
	sides := DevelopmentSides(a)
	if !sides.Host && !sides.Home {
		return nil, nil
	}
	all, err := store.DevCasesOf(ctx, s.db.Read(), p.ID)
	if err != nil {
		return nil, err
	}
	out := &PersonDevelopment{CanOpen: sides.Home && (p.Membership == nil || !p.Membership.Status.IsMember())}
	for _, c := range all {
		if a.Development(devTargets(c)).Reads() {
			out.Cases = append(out.Cases, c)
		}
		if c.State == domain.DevOpen {
			out.CanOpen = false
		}
	}
	return out, nil
}
