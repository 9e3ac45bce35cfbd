package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// Three years of organizational life for the mobile organizations (issue
// #5 item 8): the meetings the rhythm rules require, with a few gaps on
// purpose (lifeGaps), joint theme days with the host organizations of the
// agreements in force, the secretaries' sitting in at host committees,
// attendance sheets from where members were placed, quarterly host
// feedback, yearly evaluations and dues. The life is a pure function of
// what the people step stored and of today: every draw is a hash of
// (person, day …) under lifeSeed, so tests can count on its shapes. It is
// written with service.RecordLifeInBulk in one transaction; the meetings
// still to come are planned through the service (with their notices).

const lifeSeed = 0x6c696665 // "life"

// LifeMonths is how many months of life the demo records, up to today's.
const LifeMonths = 36

// lifeGap is a period in which an organization holds no meeting of a kind
// on purpose: Back periods before today's (0: the current one, still
// open, so the secretary is reminded when it comes due).
type lifeGap struct {
	Org  string
	Kind domain.MeetingKind
	Back int
}

// lifeGaps are the gaps the county's rhythm table shows. Every other
// required meeting is held.
var lifeGaps = []lifeGap{
	{"中共灌南县驻江阴流动党支部", domain.MeetingThemeDay, 2},
	{"中共灌南县驻江阴流动党支部", domain.MeetingThemeDay, 5},
	{"中共灌南县驻张家港流动党支部", domain.MeetingThemeDay, 1},
	{"中共灌南县驻张家港流动党支部", domain.MeetingThemeDay, 0},
	{"中共灌南县驻青岛城阳流动党支部", domain.MeetingThemeDay, 0},
	{"中共灌南县驻青岛城阳流动党支部", domain.MeetingLecture, 1},
	{"中共灌南县驻上海松江流动党支部", domain.MeetingAssembly, 1},
	{"中共灌南县驻苏州流动党总支甪直支部", domain.MeetingThemeDay, 14},
	{orgXinwu, domain.MeetingCommittee, 3},
}

// LifeGap is a gap the demo leaves on purpose, for tests: the
// organization, the kind and the period.
type LifeGap struct {
	Org  string
	Kind domain.MeetingKind
	Span domain.Span
}

// LifeGaps lists the intended gaps as of today under rules (the gaps of
// rules that bind no organization of that name are left out by the
// caller's count of full members).
func LifeGaps(today domain.Date, rules []domain.RhythmRule) []LifeGap {
	var out []LifeGap
	for _, g := range lifeGaps {
		for _, r := range rules {
			if r.Meeting != g.Kind {
				continue
			}
			sp := domain.SpanOf(r.Period, today)
			for range g.Back {
				sp = domain.SpanOf(r.Period, sp.First.AddDays(-1))
			}
			out = append(out, LifeGap{Org: g.Org, Kind: g.Kind, Span: sp})
			break
		}
	}
	return out
}

// mix is a SplitMix64 hash of the parts under lifeSeed: the demo's draws.
func mix(parts ...int64) uint64 {
	x := uint64(lifeSeed)
	for _, p := range parts {
		x ^= uint64(p) + 0x9e3779b97f4a7c15 + (x << 6) + (x >> 2)
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		x = z ^ (z >> 31)
	}
	return x
}

// draw is mix in [0, n).
func draw(n int, parts ...int64) int { return int(mix(parts...) % uint64(n)) }

func dayKey(d domain.Date) int64 { return d.Time().Unix() / 86400 }

// nameKey is a stable number for a name (FNV-1a), so that draws keyed by
// an organization or agreement do not depend on the order of creation.
func nameKey(s string) int64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return int64(h.Sum64() >> 1)
}

// lifeOrg is a mobile Party organization the life is generated for.
type lifeOrg struct {
	domain.Org
	key       int64 // nameKey of its name: the draws do not depend on ids
	spec      Org   // the scenario's record (officers)
	under     []int // indexes into life.members of the members placed in its subtree
	themeDay  int   // the day of the month of its theme Party day
	december  bool  // holds its organizational life meeting in December (else November)
	full      int
	secretary string
	officers  []string
}

// life is one generation.
type life struct {
	l        *Loader
	today    domain.Date
	now      time.Time
	first    domain.Date // the first day of the first month
	rules    []domain.RhythmRule
	orgs     []*lifeOrg
	byID     map[domain.OrgID]*lifeOrg
	members  []store.LifeMember
	agrees   []domain.Agreement
	accounts map[string]domain.AccountID
	names    map[string]string // account name → display name
	out      service.LifeRecords
	// month tallies of each member (index into members): present and
	// expected lines per month offset from first
	present, expected [][LifeMonths]uint8
	planned           []service.NewMeeting
	dongyuan          domain.OrgID // the home branch whose secretary has a demo account
}

// EnsureLife records the scenario's organizational life unless held
// meetings are already stored, then plans the meetings to come unless
// some are planned: the bulk is one transaction, and a load cut short
// after it resumes with the planning.
func (l *Loader) EnsureLife(ctx context.Context) error {
	held, err := store.CountMeetings(ctx, l.DB.Read(), domain.MeetingHeld)
	if err != nil {
		return err
	}
	planned, err := store.CountMeetings(ctx, l.DB.Read(), domain.MeetingPlanned)
	if err != nil || held > 0 && planned > 0 {
		return err
	}
	g, err := newLife(ctx, l)
	if err != nil {
		return err
	}
	g.meetings()
	if held == 0 {
		g.conduct()
		if err := g.dues(ctx); err != nil {
			return err
		}
		if err := l.Service.RecordLifeInBulk(ctx, authz.System, g.out); err != nil {
			return err
		}
	}
	if planned > 0 {
		return nil
	}
	for _, m := range g.planned {
		if _, err := l.Service.PlanMeeting(ctx, authz.System, m); err != nil {
			return fmt.Errorf("plan %s: %w", m.Topic, err)
		}
	}
	return nil
}

func newLife(ctx context.Context, l *Loader) (*life, error) {
	g := &life{l: l, today: l.Service.Today(), now: l.Service.Now(), byID: map[domain.OrgID]*lifeOrg{},
		accounts: map[string]domain.AccountID{}, names: map[string]string{}}
	g.first = domain.SpanOf(domain.Monthly, g.today).First.AddMonths(-(LifeMonths - 1))
	var err error
	if g.rules, err = l.Service.RhythmRules(ctx); err != nil {
		return nil, err
	}
	q := l.DB.Read()
	full, err := store.FullPlaced(ctx, q)
	if err != nil {
		return nil, err
	}
	orgs, err := store.ListOrgs(ctx, q, store.OrgQuery{Read: everything, Side: domain.SideMobile, Status: domain.StatusActive})
	if err != nil {
		return nil, err
	}
	specs := map[string]Org{}
	for _, o := range guannanOrgs(g.today) {
		specs[o.Name] = o
	}
	for _, o := range orgs {
		if !service.CanHoldMeetings(o) {
			continue
		}
		key := nameKey(o.Name)
		lo := &lifeOrg{Org: o, key: key, spec: specs[o.Name], full: full[o.ID], themeDay: 6 + draw(16, key, 1),
			december: draw(3, key, 2) > 0}
		for _, f := range lo.spec.Officers {
			if f.To.IsZero() {
				if f.Position == posSecretary || f.Position == posLeader {
					lo.secretary = f.Name
				}
				lo.officers = append(lo.officers, f.Name)
			}
		}
		g.orgs = append(g.orgs, lo)
		g.byID[o.ID] = lo
	}
	if g.members, err = store.LifeMembers(ctx, q); err != nil {
		return nil, err
	}
	g.present, g.expected = make([][LifeMonths]uint8, len(g.members)), make([][LifeMonths]uint8, len(g.members))
	for i, m := range g.members {
		if m.MobileOrgID == 0 {
			continue
		}
		placed, ok := g.byID[m.MobileOrgID]
		if !ok {
			continue
		}
		for _, o := range g.orgs {
			if strings.HasPrefix(placed.Path, o.Path) {
				o.under = append(o.under, i)
			}
		}
	}
	if dy, err := store.FindOrg(ctx, q, orgDongyuan); err == nil {
		g.dongyuan = dy.ID
	}
	if g.agrees, err = store.ListAgreements(ctx, q, store.AgreementQuery{Scope: everything}); err != nil {
		return nil, err
	}
	for _, a := range guannanAccounts() {
		row, err := store.AccountByName(ctx, q, a.Name)
		if err != nil {
			return nil, fmt.Errorf("life: account %s: %w", a.Name, err)
		}
		g.accounts[a.Name], g.names[a.Name] = row.ID, row.DisplayName
	}
	return g, nil
}

// at is a Beijing wall-clock instant on day d.
func at(d domain.Date, hour, minute int) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, domain.China).UTC()
}

// offset is the month index of d from the first month, or -1 outside.
func (g *life) offset(d domain.Date) int {
	t, f := d.Time(), g.first.Time()
	n := (t.Year()-f.Year())*12 + int(t.Month()) - int(f.Month())
	if n < 0 || n >= LifeMonths {
		return -1
	}
	return n
}

// gap reports whether o leaves the period sp of kind k without a meeting
// on purpose.
func (g *life) gap(o *lifeOrg, k domain.MeetingKind, sp domain.Span) bool {
	for _, x := range LifeGaps(g.today, g.rules) {
		if x.Org == o.Name && x.Kind == k && x.Span.First == sp.First {
			return true
		}
	}
	return false
}

// meetings generates every organization's meetings over the months.
func (g *life) meetings() {
	for _, o := range g.orgs {
		for _, r := range g.rules {
			if !r.AppliesTo(o.Kind, o.full) {
				continue
			}
			for _, sp := range domain.Spans(r.Period, g.first, g.today) {
				if g.gap(o, r.Meeting, sp) {
					continue
				}
				day := g.dayIn(o, r.Meeting, sp)
				for j := range max(r.Min, 1) {
					d := day.AddDays(7 * j)
					if d.Before(g.first) || !sp.Holds(d) {
						continue
					}
					g.meeting(o, r.Meeting, d, j)
				}
			}
		}
		g.sitIns(o)
	}
}

// dayIn is the day in sp on which o holds a meeting of kind k: its theme
// day each month (the quarter's assembly and lecture on the theme day of
// its middle month), the committee three days before, groups four days
// after, the yearly meetings in November or December.
func (g *life) dayIn(o *lifeOrg, k domain.MeetingKind, sp domain.Span) domain.Date {
	month := sp.First
	switch sp.Period {
	case domain.Quarterly:
		month = sp.First.AddMonths(1)
	case domain.Yearly:
		month = domain.NewDate(sp.First.Time().Year(), time.November, 1)
		if o.december {
			month = month.AddMonths(1)
		}
	}
	day := o.themeDay
	switch k {
	case domain.MeetingCommittee:
		day -= 3
	case domain.MeetingGroup:
		day += 4
	case domain.MeetingLifeMeeting, domain.MeetingEvaluation:
		day += 2
	}
	return month.AddDays(day - 1)
}

// slot is when a meeting of kind k begins and how long it lasts.
func slot(k domain.MeetingKind) (hour, minute int, length time.Duration) {
	switch k {
	case domain.MeetingAssembly, domain.MeetingEvaluation:
		return 14, 30, 90 * time.Minute
	case domain.MeetingLecture:
		return 16, 10, time.Hour
	case domain.MeetingCommittee:
		return 19, 30, 90 * time.Minute
	case domain.MeetingGroup:
		return 19, 0, time.Hour
	case domain.MeetingSitIn:
		return 9, 30, 2 * time.Hour
	}
	return 9, 0, 150 * time.Minute
}

// meeting records o's meeting of kind k on day d (the j-th of its
// period), or plans it when it is still to come.
func (g *life) meeting(o *lifeOrg, k domain.MeetingKind, d domain.Date, j int) {
	h, mi, length := slot(k)
	m := domain.Meeting{OrgID: o.ID, Kind: k, StartsAt: at(d, h, mi), HeldOn: d, Organizer: o.secretary,
		CreatedBy: authz.System.Name, State: domain.MeetingHeld}
	m.EndsAt = m.StartsAt.Add(length)
	m.Topic = topic(o, k, d, j)
	m.Place = g.place(o, k, d)
	if k == domain.MeetingThemeDay && jointMonth(d) {
		if host := g.jointHost(o, d); host.ID != 0 {
			m.CoOrgID = host.ID
			m.CoOrgName = host.Name
			m.Topic = jointTopic(d, j)
			m.Place = shortHost(host.Name) + "党群服务中心"
		}
	}
	if m.StartsAt.After(g.now) {
		// To come: planned through the service, which fixes who is
		// expected and tells them.
		g.planned = append(g.planned, service.NewMeeting{OrgID: o.ID, Kind: k, StartsAt: m.StartsAt, EndsAt: m.EndsAt,
			Place: m.Place, Topic: m.Topic, Organizer: m.Organizer, CoOrgID: m.CoOrgID})
		return
	}
	hm := service.HeldMeeting{Meeting: m}
	var c service.AttendanceCount
	if !service.ExpectsNobody(k) {
		hm.Lines, c = g.sheet(o, m)
	}
	if m.CoOrgID != 0 {
		hm.Hosts = hostSide(o, m, m.CoOrgName)
	}
	m.Minutes, m.Decisions = minutes(o, m, c)
	hm.Meeting = m
	g.out.Meetings = append(g.out.Meetings, hm)
}

// jointMonth: a theme day is held with the host organization in the last
// month of each quarter and in July.
func jointMonth(d domain.Date) bool {
	mo := d.Time().Month()
	return mo%3 == 0 || mo == time.July
}

// jointHost is the host party of an agreement in force on d that covers
// o (the service's own test, store.CoOrganizerAgreed); zero when none.
func (g *life) jointHost(o *lifeOrg, d domain.Date) domain.OrgRef {
	for _, a := range g.agrees {
		if a.State != domain.AgreementInForce || d.Before(a.ValidFrom) || d.After(a.ValidTo) {
			continue
		}
		for _, mo := range a.Mobile {
			mob, ok := g.byID[mo.ID]
			if !ok || !strings.HasPrefix(o.Path, mob.Path) || len(a.Host) == 0 {
				continue
			}
			return a.Host[0]
		}
	}
	return domain.OrgRef{}
}

// sitIns are the secretary's sitting in at the host committee's meetings
// (列席), once a quarter where an agreement in force provides for it.
func (g *life) sitIns(o *lifeOrg) {
	for _, a := range g.agrees {
		if !a.SitsIn || a.State != domain.AgreementInForce || !slices.ContainsFunc(a.Mobile, func(r domain.OrgRef) bool { return r.ID == o.ID }) {
			continue
		}
		for _, sp := range domain.Spans(domain.Quarterly, g.first, g.today) {
			d := sp.First.AddDays(20 + draw(20, o.key, dayKey(sp.First)))
			if d.Before(a.ValidFrom) || d.After(a.ValidTo) || d.After(g.today) || d.Before(g.first) {
				continue
			}
			h, mi, length := slot(domain.MeetingSitIn)
			m := domain.Meeting{OrgID: o.ID, Kind: domain.MeetingSitIn, StartsAt: at(d, h, mi), HeldOn: d, Organizer: o.secretary,
				CoOrgID: a.Host[0].ID, Place: shortHost(a.Host[0].Name) + "会议室", CreatedBy: authz.System.Name, State: domain.MeetingHeld,
				Topic: sitInTopic(a.Host[0].Name, d)}
			m.EndsAt = m.StartsAt.Add(length)
			if m.StartsAt.After(g.now) {
				continue
			}
			m.Minutes = fmt.Sprintf("%s列席%s会议，汇报本季度流动党员教育管理情况，会议研究了共建共管协议落实事项。", o.secretary, a.Host[0].Name)
			g.out.Meetings = append(g.out.Meetings, service.HeldMeeting{Meeting: m})
		}
	}
}

// leaveReasons and excuseReasons are what a secretary writes on the sheet.
var (
	leaveReasons = []string{"项目工地赶工期，无法离岗", "工厂夜班轮岗", "回老家探亲", "身体不适，已就医", "家中老人住院陪护", "外地出差",
		"孩子学校家长会", "随施工队临时转场"}
	excuseReasons = []string{"年老体弱，经支部同意免于参加", "因病住院治疗", "在外省短期务工，已书面说明"}
)

// sheet is the meeting's lines: one per member expected that day (placed
// in its subtree and admitted by then), and the counts for the minutes.
// A member out of contact is absent without reason from every meeting
// after the last contact: those are the six-month absences of §2.4.
func (g *life) sheet(o *lifeOrg, m domain.Meeting) ([]domain.Attendance, service.AttendanceCount) {
	var lines []domain.Attendance
	off := g.offset(m.HeldOn)
	recent := m.HeldOn.After(g.today.AddMonths(-18))
	done := m.EndsAt
	for _, i := range o.under {
		mb := g.members[i]
		if !mb.JoinedOn.IsZero() && mb.JoinedOn.After(m.HeldOn) {
			continue
		}
		l := domain.Attendance{PersonID: mb.Person, Expected: true, Status: domain.AttendPresent, RecordedBy: authz.System.Name,
			RecordedAt: &done}
		p := int64(mb.Person)
		x, reliability := draw(1000, p, dayKey(m.HeldOn)), draw(100, p)
		absent := 15
		if reliability < 10 {
			absent = 80
		}
		switch {
		case mb.ContactState != domain.ContactOK && m.HeldOn.After(mb.LastContactOn):
			l.Status = domain.AttendAbsent
		case x < 45:
			l.Status, l.LeaveState = domain.AttendLeave, domain.LeaveApproved
			l.LeaveReason = leaveReasons[draw(len(leaveReasons), p, dayKey(m.HeldOn), 1)]
		case x < 60:
			l.Status, l.LeaveReason = domain.AttendExcused, excuseReasons[draw(len(excuseReasons), p, 2)]
		case x < 60+absent:
			l.Status = domain.AttendAbsent
		}
		if l.Status == domain.AttendPresent {
			l.Method = domain.MethodSheet
			if recent && draw(10, p, dayKey(m.HeldOn), 3) < 6 {
				in := m.StartsAt.Add(time.Duration(draw(900, p, dayKey(m.HeldOn), 4)-600) * time.Second)
				l.Method, l.CheckedInAt, l.RecordedAt = domain.MethodQR, &in, &in
			}
			if off >= 0 {
				g.present[i][off]++
			}
		}
		if off >= 0 {
			g.expected[i][off]++
		}
		lines = append(lines, l)
	}
	return lines, service.CountLines(lines)
}
