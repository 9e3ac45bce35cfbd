package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Member development in the Guannan demo (issue #6): every member of the
// register placed in a mobile organization who is on the way in
// (applicant, activist, probationary) gets the case that brought them
// there, the probationary members approved within the last year among
// the "members developed in three years"; full members make up the rest
// of those, with cases archived; at the county's scale (100,000 people or
// more) workers in the register become activists until there are about
// 800, some of them already development targets, some waiting for the
// host side's opinion. Every date keeps the rules of domain.DevTrack,
// so a case continued in the browser is accepted. Cases, steps,
// inspections and opinions are written many rows to a statement in one
// transaction.

// The county's figures (PRODUCT.md): 216 developed in three years, 800+
// activists, at 200,000 people.
const (
	demoDeveloped = 216
	demoActivists = 900 // a tenth become development targets
	// demoWorkersFrom is the scale from which workers are made activists:
	// below it the register's memberships stay as the people step drew
	// them.
	demoWorkersFrom = 100_000
)

// developmentStep is the scenario's step.
func developmentStep() Step {
	return Step{Name: "development", Run: func(ctx context.Context, l *Loader) error { return l.EnsureDevelopment(ctx) }}
}

// devOffsets are the days from the application to each step on a case
// run without delay (stretched per case by up to 30 %): they keep the
// talk within a month, a year as activist, approvals within three
// months, a year of probation.
var devOffsets = [26]int{0, 0, 19, 70, 80, 92, 440, 450, 460, 470, 490, 510, 540, 545, 555, 565, 575, 610, 620, 625, 640,
	932, 937, 942, 972, 982}

// devInspections are the inspections' days after the activist decision
// (stage 2) and after the assembly vote (stage 5).
var devInspections = map[domain.DevStage][]int{domain.StageActivist: {110, 230, 360}, domain.StageProbation: {85, 235, 355}}

// EnsureDevelopment gives the register its development cases, once.
func (l *Loader) EnsureDevelopment(ctx context.Context) error {
	q := l.DB.Read()
	if n, err := store.CountDevCases(ctx, q, store.DevCaseQuery{Home: everything, Mobile: everything}); err != nil || n > 0 {
		return err
	}
	today := l.Service.Today()
	cands, err := store.DevCandidates(ctx, q)
	if err != nil {
		return err
	}
	g := devGen{r: rand.New(rand.NewPCG(6, 2026)), today: today, full: map[domain.OrgID][]domain.DevPerson{}}
	for _, c := range cands {
		if c.Status == domain.StatusFull {
			g.full[c.MobileOrgID] = append(g.full[c.MobileOrgID], domain.DevPerson{PersonID: c.PersonID, Name: c.Name})
		}
	}
	var cases []store.DevBulkCase
	developed, activists := 0, 0
	for i, c := range cands {
		switch c.Status {
		case domain.StatusProbationary:
			// One in eight ends probation within the month: the
			// conversions due.
			joined, due := c.JoinedOn, i%8 == 0
			if due {
				joined = today.AddDays(-340 - g.r.IntN(24))
			}
			if x := g.admitted(c, joined); !joined.Before(today.AddYears(-1)) && x.Case.AdmittedOn == joined {
				if due {
					x.MembershipDates, x.JoinedOn = true, joined
				}
				cases = append(cases, x)
				if !x.Case.ApprovedOn.IsZero() {
					developed++
				}
			}
		case domain.StatusActivist:
			cases = append(cases, g.activist(c, false))
			activists++
		case domain.StatusApplicant:
			cases = append(cases, g.applicant(c))
		}
	}
	// Full members placed in a mobile organization, developed within
	// three years, make up the county's figure (the linked member
	// account's person keeps its own dates).
	want := demoDeveloped * l.People / DefaultPeople
	for _, c := range cands {
		if developed >= want {
			break
		}
		if c.Status == domain.StatusFull && !c.Linked && c.PersonID%3 == 0 {
			if x := g.converted(c); x.Case.State == domain.DevCompleted {
				cases = append(cases, x)
				developed++
			}
		}
	}
	if l.People >= demoWorkersFrom {
		mobiles := make([]domain.OrgID, 0, len(g.full))
		for id := range g.full {
			mobiles = append(mobiles, id)
		}
		slicesSortIDs(mobiles)
		need := demoActivists*l.People/DefaultPeople - activists
		workers, err := store.DevWorkers(ctx, q, need, today.AddYears(-20))
		if err != nil {
			return err
		}
		for i, w := range workers {
			w.MobileOrgID = mobiles[i%len(mobiles)]
			// One in ten is already a development target, one in twenty
			// waits for the host side's opinion on becoming one.
			var x store.DevBulkCase
			switch {
			case i%10 == 9:
				x = g.target(w)
			default:
				x = g.activist(w, i%20 == 3)
			}
			x.NewMembership = domain.MemberStatus(statusOf(x.Case.Step))
			cases = append(cases, x)
		}
	}
	return l.DB.Tx(ctx, func(tx store.Tx) error {
		return store.InsertDevCasesBulk(ctx, tx, cases, authz.System.Name, l.Service.Now())
	})
}

// slicesSortIDs sorts organization ids (a stable order for the rounds).
func slicesSortIDs(ids []domain.OrgID) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}

// statusOf is the status a case's last step gives.
func statusOf(step int) domain.MemberStatus {
	s := domain.StatusApplicant
	for n := 1; n <= step; n++ {
		if to := domain.StatusAfter(n, domain.OutcomeConvert); to != "" {
			s = to
		}
	}
	return s
}

// devGen draws the cases.
type devGen struct {
	r     *rand.Rand
	today domain.Date
	full  map[domain.OrgID][]domain.DevPerson // full members by mobile organization
}

// plan is a case's dates: the application on applied, each step's day
// stretched by s.
type plan struct {
	applied domain.Date
	s       float64
}

func (p plan) on(step int) domain.Date {
	return p.applied.AddDays(int(float64(devOffsets[step]) * p.s))
}

func (p plan) inspections(st domain.DevStage, from domain.Date) []domain.Date {
	var out []domain.Date
	for _, d := range devInspections[st] {
		out = append(out, from.AddDays(int(float64(d)*p.s)))
	}
	return out
}

// build records steps 1..last of plan p (those on or before today), with
// the inspections and opinions they need; the case stands at the last
// step recorded.
func (g *devGen) build(c store.DevCandidate, p plan, last int, waitOpinion bool) store.DevBulkCase {
	if adult := c.BirthOn.AddYears(domain.DevMinAge); p.applied.Before(adult) {
		p.applied = adult
	}
	x := store.DevBulkCase{Case: domain.DevCase{PersonID: c.PersonID, HomeOrgID: c.HomeOrgID, MobileOrgID: c.MobileOrgID,
		State: domain.DevOpen, AppliedOn: p.applied}}
	host := domain.SideMobile
	for n := 1; n <= last; n++ {
		on := p.on(n)
		if on.After(g.today) {
			break
		}
		st, _ := domain.DevStepOf(n)
		if st.Gate != 0 && !(n == 17 && hasOpinion(x, domain.GateAdmission)) {
			if waitOpinion && n == 7 {
				break
			}
			x.Opinions = append(x.Opinions, domain.DevOpinion{Gate: st.Gate, On: p.on(n - 1),
				Text: "该同志在驻地务工期间表现良好，同意", Side: host})
		}
		switch n {
		case 6:
			for _, d := range p.inspections(domain.StageActivist, x.Case.ActivistOn) {
				x.Assessments = append(x.Assessments, domain.DevAssessment{On: d, Stage: domain.StageActivist,
					Text: "按时参加组织生活，工作积极", Side: host})
			}
		case 21:
			for _, d := range p.inspections(domain.StageProbation, x.Case.AdmittedOn) {
				x.Assessments = append(x.Assessments, domain.DevAssessment{On: d, Stage: domain.StageProbation,
					Text: "履行党员义务，发挥先锋模范作用", Side: host})
			}
		}
		side := domain.SideOrigin
		if st.Side == domain.DevHost || st.Side == domain.DevProbation {
			side = host
		}
		rec := domain.DevRecord{StepInput: domain.StepInput{Step: n, On: on}, Side: side}
		switch n {
		case 3:
			x.Case.ActivistOn = on
		case 5:
			x.Mentors = g.people(c, 1+g.r.IntN(2))
		case 7:
			x.Case.TargetOn = on
		case 9:
			x.Introducers = g.people(c, 2)
		case 11:
			rec.Days = 3
		case 12:
			rec.NoticeFrom, rec.NoticeTo = on.AddDays(-12), on.AddDays(-6)
		case 13:
			rec.DocNo = fmt.Sprintf("GN%d-%06d", on.Time().Year(), c.PersonID)
		case 15, 23:
			rec.Entitled = 15 + g.r.IntN(30)
			rec.Present = rec.Entitled*3/4 + 1
			rec.Yes = rec.Present
			if n == 23 {
				rec.Outcome = domain.OutcomeConvert
			} else {
				x.Case.AdmittedOn = on
				x.Case.ProbationEnd = on.AddYears(domain.DevProbationYears)
			}
		case 17:
			x.Case.ApprovedOn = on
		case 24:
			x.Case.FullOn = x.Case.ProbationEnd
		case 25:
			x.Case.State = domain.DevCompleted
			closed := on.Time().Add(2 * time.Hour)
			x.Case.ClosedAt = &closed
		}
		x.Steps = append(x.Steps, rec)
		x.Case.Step, x.Case.Stage = n, st.Stage
	}
	// An activist or a probationary member still in the stage has the
	// inspections due so far.
	var st domain.DevStage
	var from domain.Date
	switch {
	case x.Case.Step >= 3 && x.Case.Step < 6:
		st, from = domain.StageActivist, x.Case.ActivistOn
	case x.Case.Step >= 15 && x.Case.Step < 21:
		st, from = domain.StageProbation, x.Case.AdmittedOn
	}
	for _, d := range p.inspections(st, from) {
		if !d.After(g.today) {
			x.Assessments = append(x.Assessments, domain.DevAssessment{On: d, Stage: st, Text: "按时参加组织生活，表现良好", Side: host})
		}
	}
	return x
}

func hasOpinion(x store.DevBulkCase, gate int) bool {
	for _, o := range x.Opinions {
		if o.Gate == gate {
			return true
		}
	}
	return false
}

// people are n full members of the person's mobile organization (fewer
// when it has fewer), never the person.
func (g *devGen) people(c store.DevCandidate, n int) []domain.DevPerson {
	pool := g.full[c.MobileOrgID]
	var out []domain.DevPerson
	for i := 0; i < len(pool) && len(out) < n; i++ {
		p := pool[(int(c.PersonID)+i)%len(pool)]
		if p.PersonID != c.PersonID {
			out = append(out, p)
		}
	}
	return out
}

// stretch is a case's pace: 1 to 1.3 times the plan.
func (g *devGen) stretch() float64 { return 1 + g.r.Float64()*0.3 }

// applicant applied 1 to 8 months ago (talked to when a month has passed).
func (g *devGen) applicant(c store.DevCandidate) store.DevBulkCase {
	return g.build(c, plan{applied: g.today.AddDays(-20 - g.r.IntN(220)), s: g.stretch()}, 2, false)
}

// activist became one 1 to 24 months ago; one waiting for the opinion
// finished cultivation over a year ago.
func (g *devGen) activist(c store.DevCandidate, waitOpinion bool) store.DevBulkCase {
	p := plan{s: g.stretch()}
	days := 30 + g.r.IntN(700)
	last := 5
	if waitOpinion {
		days, last = 480+g.r.IntN(60), 7
	}
	p.applied = g.today.AddDays(-days - int(float64(devOffsets[3])*p.s))
	return g.build(c, p, last, waitOpinion)
}

// target became a development target and is in the candidate stage.
func (g *devGen) target(c store.DevCandidate) store.DevBulkCase {
	p := plan{s: 1}
	p.applied = g.today.AddDays(-devOffsets[7] - 10 - g.r.IntN(60))
	return g.build(c, p, 11, false)
}

// admitted became probationary on joined (the assembly vote): the
// approval and the probation steps that are due by today.
func (g *devGen) admitted(c store.DevCandidate, joined domain.Date) store.DevBulkCase {
	p := plan{applied: joined.AddDays(-devOffsets[15]), s: 1}
	return g.build(c, p, 22, false)
}

// converted is a full member developed within three years: the case
// archived, the membership's dates those of the case.
func (g *devGen) converted(c store.DevCandidate) store.DevBulkCase {
	p := plan{applied: g.today.AddDays(-devOffsets[25] - 10 - g.r.IntN(700)), s: 1}
	x := g.build(c, p, 25, false)
	x.MembershipDates, x.JoinedOn, x.FullOn = true, x.Case.AdmittedOn, x.Case.FullOn
	return x
}
