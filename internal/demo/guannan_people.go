package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/region"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The Guannan scenario's people: the county's outgoing workers, 200,000
// by its reports, and the 2,560 members among them. Every person is a
// pure function of its index: person i is drawn from a PCG seeded with
// (peopleSeed, i), and its ID number and phone from bijections of i, so
// they are unique without a look at the others. A load cut short
// therefore resumes at the count already stored and writes the very
// people an uninterrupted load would have.
//
// Who a person is (name, ID number, birth, sex, phone, hometown,
// employer) depends on the index alone; the member's dates that must stay
// meaningful (probation, certificate validity, last contact) follow the
// service clock's today, like the officers' terms.

// DefaultPeople is what `gongjian demo` loads unless told otherwise.
const DefaultPeople = 200_000

// MaxPeople bounds the scale knob: the ID-number plan has room for about
// eight million people, and a demo needs no more than a large county.
const MaxPeople = 2_000_000

// peopleSeed seeds every person's generator.
const peopleSeed = 320724

// MembersFor is how many of n people are members: 1.28 % (the county's
// 2,560 in 200,000), and at least 2,500 once n reaches 200,000.
func MembersFor(n int) int {
	m := (n*128 + 5000) / 10000
	if n >= 200_000 {
		m = max(m, 2500)
	}
	return m
}

// Birth dates run over fixed years, so that an ID number does not depend
// on the day the demo is loaded: the people are 18 to 60 in 2026, the
// year the scenario was written, and age with the calendar after.
var (
	bornFrom = time.Date(1966, 1, 1, 0, 0, 0, 0, time.UTC)
	bornTo   = time.Date(2007, 12, 31, 0, 0, 0, 0, time.UTC)
)

const scenarioYear = 2026

// idPlan maps person indexes one-to-one onto (birth date, sequence
// number) pairs. Each day of birth has room for a number of people that
// follows the age profile of migrant workers (most between 25 and 45),
// 65 % of it men (odd sequence numbers, GB 11643) and the rest women
// (even ones); a multiplicative permutation of the index picks the slot,
// so neighbours in the index are born years apart.
type idPlan struct {
	cum        []int // cum[d]: the room of the days before day d
	total      int
	mult, add  int
	maleShares int // per cent of each day's room for men
}

// ageRoom is the room per day of birth by age in the scenario year.
func ageRoom(age int) int {
	switch {
	case age < 25:
		return 500
	case age < 45:
		return 700
	case age < 55:
		return 560
	}
	return 320
}

var idPlanOnce = sync.OnceValue(func() *idPlan {
	p := &idPlan{maleShares: 65}
	days := int(bornTo.Sub(bornFrom).Hours()/24) + 1
	p.cum = make([]int, days+1)
	for d := range days {
		p.cum[d+1] = p.cum[d] + ageRoom(scenarioYear-bornFrom.AddDate(0, 0, d).Year())
	}
	p.total = p.cum[days]
	p.mult, p.add = coprime(p.total*618/1000, p.total), p.total/7
	return p
})

// coprime is the first number from a up that shares no factor with n.
func coprime(a, n int) int {
	for gcd(a, n) != 1 {
		a++
	}
	return a
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// slot is the birth date and sequence number of person i.
func (p *idPlan) slot(i int) (time.Time, int) {
	s := (i%p.total*p.mult + p.add) % p.total
	lo, hi := 0, len(p.cum)-1 // the day d with cum[d] <= s < cum[d+1]
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if p.cum[mid] <= s {
			lo = mid
		} else {
			hi = mid
		}
	}
	o, room := s-p.cum[lo], p.cum[lo+1]-p.cum[lo]
	men := room * p.maleShares / 100
	seq := 2*o + 1
	if o >= men {
		seq = 2*(o-men) + 2
	}
	return bornFrom.AddDate(0, 0, lo), seq
}

// DemoIDNumber is the clear ID number of the i-th person the demo
// generates (0-based, i < MaxPeople): registered at Guannan County
// (320724), with the person's birth date, a sequence number whose parity
// is the person's sex, and the GB 11643 check character. Benchmarks and
// tools use it to look people up by exact ID number; the numbers are
// public demonstration data.
func DemoIDNumber(i int) string {
	birth, seq := idPlanOnce().slot(i)
	n, _ := idcheck.CompleteID(guannanCode + birth.Format("20060102") + fmt.Sprintf("%03d", seq))
	return n
}

// phonePrefixes are allocated mobile prefixes (idcheck's table) of the
// three large operators.
var phonePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
	"155", "156", "157", "158", "159", "177", "180", "181", "182", "183", "186", "187", "188", "189", "198", "199"}

// demoPhone is person i's mobile number: a prefix and eight digits that a
// permutation of i makes unique (the multiplier is prime to 10⁸).
func demoPhone(i int) string {
	const space = 100_000_000
	return phonePrefixes[i*7%len(phonePrefixes)] + fmt.Sprintf("%08d", (i*61_803_399+37_194_571)%space)
}

// genPerson is one generated person: the registration as the service
// takes it, with the organizations by name, and for a member out of
// contact the failed attempts to reach them.
type genPerson struct {
	service.NewPerson
	Origin, Mobile string
	Attempts       []store.Contact
}

// memberKind is where a member stands: placed and in contact, or one of
// the situations the demo shows work for.
type memberKind int

const (
	placedOK memberKind = iota
	unplaced            // ~8 %: placement suggestions have work
	atRisk              // ~4 %: 3–6 months without contact
	lost                // ~2 %: more than 6 months, 失联
)

// people generates the scenario's people for one load: n of them, as of
// today. linkedName is the display name of the member account, given to
// the member it is linked to.
type people struct {
	n, members int
	today      domain.Date
	linkedName string
	linked     int // index of the member linked to the member account; -1 when none

	names     *nameTable
	employers []employer
	byCity    map[string][]int // employer indexes, largest first
	byDist    map[string][]int
	zipf      map[string][]int // cumulative weights of byCity / byDist lists by key
	cityCum   []int
	hostCum   []int
	beyondCum []int
	placeCum  []int
	townCum   []int
	townCodes []string
	places    map[string]string // district code → its name, for addresses
	cityOf    map[string]string // district code → city code

	kindPerm, statusPerm perm
}

// perm is a permutation of 0..n-1, k → (k·mult + add) mod n, that lays
// quotas (2 % lost, 5 % probationary …) over the members without
// clustering them in the index.
type perm struct{ n, mult, add int }

func newPerm(n, mult, add int) perm {
	if n == 0 {
		return perm{}
	}
	return perm{n: n, mult: coprime(mult%n+1, n), add: add % n}
}

func (p perm) of(k int) int { return (k*p.mult + p.add) % p.n }

// share is n·pct/1000 rounded: the size of a quota.
func share(n, perMille int) int { return (n*perMille + 500) / 1000 }

func newPeople(n int, today domain.Date, linkedName string) *people {
	g := &people{n: n, members: MembersFor(n), today: today, linkedName: linkedName, linked: -1, names: newNameTable(),
		zipf: map[string][]int{}, places: map[string]string{}, cityOf: map[string]string{}}
	g.employers, g.byCity = newEmployers(peopleSeed)
	g.byDist = map[string][]int{}
	for i, e := range g.employers {
		g.byDist[e.district] = append(g.byDist[e.district], i)
	}
	for key, list := range g.byCity {
		g.zipf["c"+key] = zipfCum(len(list))
	}
	for key, list := range g.byDist {
		g.zipf["d"+key] = zipfCum(len(list))
	}
	g.cityCum = cumulative(len(workCities), func(i int) int { return workCities[i].share })
	g.hostCum = cumulative(hostCities, func(i int) int { return workCities[i].share })
	beyond := workCities[hostCities:]
	g.beyondCum = cumulative(len(beyond), func(i int) int { return beyond[i].share })
	g.placeCum = cumulative(len(placements), func(i int) int { return placements[i].weight })
	g.townCum = cumulative(len(guannanTowns), func(i int) int { return townWeights[i] })
	for _, t := range guannanTowns {
		g.townCodes = append(g.townCodes, townCode(t.Name))
	}
	for _, c := range workCities {
		for _, d := range c.districts {
			r, _ := region.Lookup(d.code)
			g.places[d.code], g.cityOf[d.code] = r.Name, c.code
		}
	}
	g.kindPerm, g.statusPerm = newPerm(g.members, g.members*618/1000, 7), newPerm(g.members, g.members*382/1000, 3)
	g.linked = g.findLinked()
	return g
}

// zipfCum weighs a city's companies by rank, 1/(rank+20): a few employ
// several hundred of the county's people, most a handful.
func zipfCum(n int) []int {
	return cumulative(n, func(i int) int { return 1_000_000 / (i + 20) })
}

// townWeights share the workers among guannanTowns: the county seat
// (新安镇) is the largest.
var townWeights = []int{18, 8, 8, 8, 9, 8, 8, 9, 9, 8, 8}

// member reports whether person i is a member and its ordinal among the
// members: the members are spread evenly over the indexes.
func (g *people) member(i int) (int, bool) {
	if g.n == 0 {
		return 0, false
	}
	k, next := i*g.members/g.n, (i+1)*g.members/g.n
	return k, next > k
}

// kind lays the quotas over the members: the first 2 % of the permuted
// ordinals are lost, the next 4 % at risk, the next 8 % unplaced.
func (g *people) kind(k int) memberKind {
	q, m := g.kindPerm.of(k), g.members
	switch {
	case q < share(m, 20):
		return lost
	case q < share(m, 60):
		return atRisk
	case q < share(m, 140):
		return unplaced
	}
	return placedOK
}

// status lays the statuses: 5 % probationary, 1.5 % activists, 1 %
// applicants, the rest full members (a member too young for the dates of
// a status drops to the next, see memberDates).
func (g *people) status(k int) domain.MemberStatus {
	q, m := g.statusPerm.of(k), g.members
	switch {
	case q < share(m, 50):
		return domain.StatusProbationary
	case q < share(m, 65):
		return domain.StatusActivist
	case q < share(m, 75):
		return domain.StatusApplicant
	}
	return domain.StatusFull
}

// findLinked is the first man of 25 or more who is a full member, placed
// and in contact: the person behind the member account.
func (g *people) findLinked() int {
	if g.linkedName == "" {
		return -1
	}
	for i := range g.n {
		k, ok := g.member(i)
		if !ok || g.kind(k) != placedOK || g.status(k) != domain.StatusFull {
			continue
		}
		birth, seq := idPlanOnce().slot(i)
		if seq%2 == 1 && scenarioYear-birth.Year() >= 25 {
			return i
		}
	}
	return -1
}

// person generates person i.
func (g *people) person(i int) genPerson {
	r := rand.New(rand.NewPCG(peopleSeed, uint64(i)))
	birth, seq := idPlanOnce().slot(i)
	female := seq%2 == 0
	var p genPerson
	p.IDNumber = DemoIDNumber(i)
	p.Name, p.Ethnicity = g.names.draw(r, female, birth.Year())
	for i != g.linked && p.Name == g.linkedName {
		p.Name, p.Ethnicity = g.names.draw(r, female, birth.Year())
	}
	if p.Ethnicity == "" {
		p.Ethnicity = "01"
		if r.IntN(1000) < 3 {
			p.Ethnicity = "03" // Hui, with a Han name
		}
	}
	ti := pick(g.townCum, r)
	t := guannanTowns[ti]
	village := t.Villages[r.IntN(2)]
	p.Origin = "中共灌南县" + t.Name + village + "支部委员会"
	p.HometownCode, p.HometownVillage = g.townCodes[ti], village
	p.Education = education(r, birth.Year())
	p.LeftHomeOn = g.leftHome(r, birth)
	k, isMember := g.member(i)
	if isMember || r.IntN(100) < 97 {
		p.Phone = demoPhone(i)
	}
	kind := unplaced
	if isMember {
		kind = g.kind(k)
	}
	var district string
	if isMember && kind != unplaced {
		pl := placements[pick(g.placeCum, r)]
		if i == g.linked {
			pl = placements[0]
		}
		p.Mobile, district = pl.org, pl.districts[r.IntN(len(pl.districts))]
	}
	g.work(r, &p.NewPerson, district, isMember)
	if isMember {
		if i == g.linked {
			p.Name, p.Ethnicity = g.linkedName, "01"
		}
		g.membership(r, &p, k, kind, birth, i == g.linked)
	}
	return p
}

// work places the person with an employer: in the district given (a
// placed member's), or in a city drawn by the workers' shares (for an
// unplaced member, half in a host city and half beyond).
func (g *people) work(r *rand.Rand, p *service.NewPerson, district string, member bool) {
	var list []int
	var key string
	switch {
	case district != "" && len(g.byDist[district]) > 0:
		list, key = g.byDist[district], "d"+district
	case member:
		c := workCities[pick(g.hostCum, r)]
		if r.IntN(2) == 0 {
			c = workCities[hostCities+pick(g.beyondCum, r)]
		}
		list, key = g.byCity[c.code], "c"+c.code
	default:
		c := workCities[pick(g.cityCum, r)]
		list, key = g.byCity[c.code], "c"+c.code
	}
	e := g.employers[list[pick(g.zipf[key], r)]]
	tr := trades[e.trade]
	p.CityCode, p.DistrictCode, p.Employer, p.EmployerUSCC = e.city, e.district, e.name, e.uscc
	p.Industry, p.Occupation = e.section, tr.jobs[r.IntN(len(tr.jobs))]
	if r.IntN(10) < 7 {
		p.Address = g.places[e.district] + roads[r.IntN(len(roads))] + strconv.Itoa(1+r.IntN(600)) + "号"
	}
}

// roads are invented street names for addresses.
var roads = []string{"人民路", "解放路", "建设路", "中山路", "新华路", "长江路", "黄河路", "工业园路", "东风路", "和平路", "学府路", "文化路",
	"创业路", "科技大道", "滨河路", "春晖路"}

// education draws the highest schooling, by generation: older migrant
// workers mostly finished junior middle school, younger ones more often
// vocational school or college.
func education(r *rand.Rand, born int) string {
	levels := []string{"小学", "初中", "高中", "中专", "大专", "本科", "硕士研究生"}
	var w []int
	switch {
	case born < 1975:
		w = []int{25, 55, 15, 5, 0, 0, 0}
	case born < 1990:
		w = []int{8, 52, 20, 10, 7, 3, 0}
	default:
		w = []int{0, 35, 20, 15, 20, 9, 1}
	}
	return levels[pick(cumulative(len(w), func(i int) int { return w[i] }), r)]
}

// leftHome is the day the person first left to work: after the 16th
// birthday (and not before 1990), before the middle of the scenario year.
func (g *people) leftHome(r *rand.Rand, birth time.Time) domain.Date {
	from := birth.AddDate(16, 0, 0)
	if earliest := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC); from.Before(earliest) {
		from = earliest
	}
	to := time.Date(scenarioYear, 6, 30, 0, 0, 0, 0, time.UTC)
	if t := g.today.Time().AddDate(0, 0, -30); t.Before(to) {
		to = t
	}
	days := int(to.Sub(from).Hours() / 24)
	if days <= 0 {
		return domain.DateIn(to, time.UTC)
	}
	return domain.DateIn(from.AddDate(0, 0, r.IntN(days)), time.UTC)
}

// membership fills in the member's status, Party dates, certificate and
// contact, as of today. The linked member (the member account's own)
// always has a certificate.
func (g *people) membership(r *rand.Rand, p *genPerson, k int, kind memberKind, birth time.Time, linked bool) {
	m := &domain.Membership{Status: g.status(k), ContactState: domain.ContactOK, LastContactOn: g.today.AddDays(-r.IntN(80))}
	switch kind {
	case atRisk:
		m.LastContactOn, m.ContactState = g.today.AddDays(-95-r.IntN(80)), domain.ContactAtRisk
		m.ContactStateOn = addMonths(m.LastContactOn, 3)
	case lost:
		m.LastContactOn, m.ContactState = g.today.AddDays(-190-r.IntN(230)), domain.ContactLost
		m.ContactStateOn = addMonths(m.LastContactOn, 6)
		p.Attempts = g.attempts(r, m)
	}
	// Nothing happened to a member out of contact after the last contact:
	// the Party dates and the certificate come before it.
	horizon := m.LastContactOn
	if kind == placedOK || kind == unplaced {
		horizon = g.today
	}
	g.memberDates(r, m, birth, horizon)
	if (m.Status == domain.StatusFull || m.Status == domain.StatusProbationary) && (r.IntN(10) < 9 || linked) {
		from := horizon.AddDays(-r.IntN(1200))
		if from.Before(m.JoinedOn) {
			from = m.JoinedOn.AddDays(30)
		}
		if !from.After(horizon) {
			m.CertificateNo = fmt.Sprintf("GN%d-%05d", from.Time().Year(), k+1)
			m.CertificateFrom, m.CertificateTo = from, from.AddYears(3).AddDays(-1)
		}
	}
	p.Membership = m
}

// memberDates sets the day the member joined (became probationary) and
// became full, before horizon. A member too young for the status drawn
// drops to the next one: a full member joined at 18 at the earliest and
// has served a year of probation; a probationary one joined within the
// year before horizon.
func (g *people) memberDates(r *rand.Rand, m *domain.Membership, birth time.Time, horizon domain.Date) {
	adult := domain.DateIn(birth.AddDate(18, 0, 0), time.UTC)
	if m.Status == domain.StatusFull {
		joined := domain.DateIn(birth.AddDate(20+r.IntN(21), 0, r.IntN(365)), time.UTC)
		if latest := horizon.AddDays(-400); joined.After(latest) {
			joined = latest.AddDays(-r.IntN(200))
		}
		if joined.Before(adult) {
			m.Status = domain.StatusProbationary
		} else {
			m.JoinedOn, m.FullOn = joined, joined.AddYears(1)
			return
		}
	}
	if m.Status == domain.StatusProbationary {
		joined := horizon.AddDays(-30 - r.IntN(300))
		if joined.Before(adult) {
			m.Status = domain.StatusActivist
		} else {
			m.JoinedOn = joined
		}
	}
}

// attemptNotes say how a failed attempt went.
var attemptNotes = []struct{ channel, note string }{
	{"phone", "电话无人接听"}, {"phone", "电话已停机"}, {"phone", "所留号码为空号"},
	{"visit", "到工作单位走访，单位称其已离职，去向不明"}, {"visit", "到暂住地走访，房东称其已搬走"},
	{"phone", "委托老家村党支部联系家属，家属称也联系不上"},
}

// attempts are one or two failed attempts to reach a lost member: one
// while the member was at risk, and often one after.
func (g *people) attempts(r *rand.Rand, m *domain.Membership) []store.Contact {
	first := attemptNotes[r.IntN(len(attemptNotes))]
	out := []store.Contact{{On: m.ContactStateOn.AddDays(-10 - r.IntN(60)), Channel: first.channel, Note: first.note}}
	if second := m.ContactStateOn.AddDays(5 + r.IntN(40)); r.IntN(3) > 0 && !second.After(g.today) {
		a := attemptNotes[r.IntN(len(attemptNotes))]
		out = append(out, store.Contact{On: second, Channel: a.channel, Note: a.note})
	}
	return out
}

// addMonths is the same day n months later (31 January + 1 month is
// 3 March, as time.AddDate counts).
func addMonths(d domain.Date, n int) domain.Date {
	return domain.DateIn(d.Time().AddDate(0, n, 0), time.UTC)
}
