package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/region"
)

var scenarioDay = domain.NewDate(2026, 11, 29)

// Person i is a function of i: two generators give the same first and
// last people, and a generator for another number of people gives the
// same identities (only who is a member depends on the number).
func TestPeopleAreDeterministic(t *testing.T) {
	a, b := newPeople(5000, scenarioDay, "孙小军"), newPeople(5000, scenarioDay, "孙小军")
	for _, i := range []int{0, 1, 2500, 4999} {
		if pa, pb := a.person(i), b.person(i); !reflect.DeepEqual(pa, pb) {
			t.Errorf("person %d differs between runs:\n%+v\n%+v", i, pa, pb)
		}
	}
	big := newPeople(200_000, scenarioDay, "孙小军")
	for _, i := range []int{0, 4999} {
		pa, pb := a.person(i), big.person(i)
		if pa.Name != pb.Name || pa.IDNumber != pb.IDNumber || pa.Phone != pb.Phone || pa.Origin != pb.Origin {
			t.Errorf("person %d: %s %s in 5,000, %s %s in 200,000", i, pa.Name, pa.IDNumber, pb.Name, pb.IDNumber)
		}
	}
	if got := a.person(42).IDNumber; got != DemoIDNumber(42) {
		t.Errorf("person 42 has %s, DemoIDNumber says %s", got, DemoIDNumber(42))
	}
}

// The identities pass the checks the registry applies, with no warning:
// ID numbers of Guannan with the right check character, a birth date
// making the person 18 to 60 in 2026 and a sex matching the name's pool;
// allocated phone prefixes; credit codes of a host district; hometowns
// that are Guannan's townships; workplaces in real districts. ID numbers
// and phones are unique.
func TestPeopleIdentities(t *testing.T) {
	const n = 20_000
	g := newPeople(n, scenarioDay, "孙小军")
	today := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	ids, phones := map[string]bool{}, map[string]bool{}
	var men, dotted, beyond, hui int
	for i := range n {
		p := g.person(i)
		id, err := idcheck.ParseID(p.IDNumber, today)
		if err != nil || len(id.Warnings) > 0 && !slices.Equal(id.Warnings, []string{idcheck.WarnIDTrailingZeros}) {
			t.Fatalf("person %d: ID %s: %v %v", i, p.IDNumber, err, id.Warnings)
		}
		if id.Region != "320724" || ids[id.Number] {
			t.Fatalf("person %d: ID %s repeated or not Guannan's", i, p.IDNumber)
		}
		ids[id.Number] = true
		if age := idcheck.Age(id, today); age < 18 || age > 60 {
			t.Errorf("person %d is %d", i, age)
		}
		if id.Male {
			men++
		}
		if p.Phone != "" {
			ph, err := idcheck.ParsePhone(p.Phone)
			if err != nil || !ph.Strict || phones[ph.Number] {
				t.Fatalf("person %d: phone %s %+v %v (repeated %v)", i, p.Phone, ph, err, phones[ph.Number])
			}
			phones[ph.Number] = true
		}
		if u, err := idcheck.ParseUSCC(p.EmployerUSCC); err != nil || len(u.Warnings) > 0 || u.Region != p.DistrictCode {
			t.Fatalf("person %d: credit code %s of %s: %+v %v", i, p.EmployerUSCC, p.Employer, u, err)
		}
		name, warns, err := idcheck.NormalizeName(p.Name)
		if err != nil || name != p.Name || len(warns) > 0 {
			t.Fatalf("person %d: name %q %v %v", i, p.Name, warns, err)
		}
		switch {
		case strings.Contains(p.Name, "·"):
			dotted++
			if p.Ethnicity != "05" && p.Ethnicity != "17" {
				t.Errorf("%s has ethnicity %s", p.Name, p.Ethnicity)
			}
		case idcheck.BeyondGBK(p.Name):
			beyond++
		}
		if p.Ethnicity == "03" {
			hui++
		}
		if r, ok := region.Lookup(p.HometownCode); !ok || r.Level != region.Township || r.Parent != "320724" || r.Historical {
			t.Fatalf("person %d: hometown %s %+v", i, p.HometownCode, r)
		}
		checkWorkplace(t, p.CityCode, p.DistrictCode)
		if p.LeftHomeOn.Before(domain.DateIn(id.Birth.AddDate(16, 0, 0), time.UTC)) || p.LeftHomeOn.After(scenarioDay) {
			t.Errorf("person %d born %s left home on %s", i, id.Birth.Format(time.DateOnly), p.LeftHomeOn)
		}
	}
	if share := men * 100 / n; share < 60 || share > 70 {
		t.Errorf("%d %% men, want about 65", share)
	}
	if dotted == 0 || beyond == 0 || hui == 0 || dotted > n/500 || beyond > n/500 {
		t.Errorf("%d minority names with a dot, %d beyond GBK, %d Hui in %d", dotted, beyond, hui, n)
	}
}

// checkWorkplace requires a current district whose city is the person's.
func checkWorkplace(t *testing.T, city, district string) {
	t.Helper()
	r, ok := region.Lookup(district)
	if !ok || r.Historical || r.Level != region.County {
		t.Fatalf("district %s: %+v", district, r)
	}
	if r.Parent != city {
		t.Fatalf("district %s lies in %s, not in the city %s", district, r.Parent, city)
	}
}

// Surnames follow their national frequency: 李, 王 and 张 lead with about
// 7 % each, and the ten commonest cover about 44 %.
func TestSurnameDistribution(t *testing.T) {
	const n = 50_000
	g := newPeople(n, scenarioDay, "")
	count := map[string]int{}
	for i := range n {
		name := g.person(i).Name
		for _, s := range []string{"欧阳", "司马", "诸葛", "上官"} {
			if strings.HasPrefix(name, s) {
				count[s]++
				name = ""
			}
		}
		if name != "" && !strings.Contains(name, "·") {
			count[string([]rune(name)[0])]++
		}
	}
	top10 := 0
	for _, s := range topSurnames[:10] {
		top10 += count[s.name]
	}
	for _, c := range []struct {
		what      string
		got, want int // per ten thousand
	}{
		{"李", count["李"] * 10000 / n, 794}, {"王", count["王"] * 10000 / n, 741}, {"张", count["张"] * 10000 / n, 707},
		{"the ten commonest", top10 * 10000 / n, 4410},
	} {
		if d := c.got - c.want; d < -c.want/8 || d > c.want/8 {
			t.Errorf("%s: %d in 10,000, want about %d", c.what, c.got, c.want)
		}
	}
	all := surnames()
	seen, sum := map[string]bool{}, 0
	for _, s := range all {
		if seen[s.name] {
			t.Errorf("surname %s listed twice", s.name)
		}
		seen[s.name] = true
		sum += s.share
	}
	if len(all) != 283 || sum != 10000 {
		t.Errorf("%d surnames with shares summing to %d, want 283 and 10,000", len(all), sum)
	}
}

// The quotas: 1.28 % of the people are members; of those 2 % lost, 4 %
// at risk, 8 % unplaced and the rest placed in the mobile organization of
// the district they work in; mostly full members. Lost members have one
// or two failed attempts after their last contact; the dates keep their
// order.
func TestMemberQuotas(t *testing.T) {
	for _, c := range []struct{ n, members int }{{0, 0}, {2000, 26}, {199_999, 2560}, {200_000, 2560}, {150_000, 1920}} {
		if got := MembersFor(c.n); got != c.members {
			t.Errorf("MembersFor(%d) = %d, want %d", c.n, got, c.members)
		}
	}
	const n = 200_000
	g := newPeople(n, scenarioDay, "孙小军")
	orgs := map[string]Org{}
	for _, o := range guannanOrgs(scenarioDay) {
		orgs[o.Name] = o
	}
	states := map[domain.ContactState]int{}
	statuses := map[domain.MemberStatus]int{}
	members, placed, certified := 0, 0, 0
	for i := range n {
		p := g.person(i)
		m := p.Membership
		if m == nil {
			if p.Mobile != "" || len(p.Attempts) > 0 {
				t.Fatalf("worker %d: %+v", i, p)
			}
			continue
		}
		members++
		states[m.ContactState]++
		statuses[m.Status]++
		if origin, ok := orgs[p.Origin]; !ok || origin.Side != domain.SideOrigin || origin.RegionCode != p.HometownCode {
			t.Fatalf("member %d: home %s (%+v) for hometown %s", i, p.Origin, origin, p.HometownCode)
		}
		if p.Mobile != "" {
			placed++
			checkPlacement(t, orgs, p)
		}
		if m.CertificateNo != "" {
			certified++
			if m.CertificateFrom.Before(m.JoinedOn) || m.CertificateTo != m.CertificateFrom.AddYears(3).AddDays(-1) {
				t.Errorf("member %d: certificate %s–%s, joined %s", i, m.CertificateFrom, m.CertificateTo, m.JoinedOn)
			}
		}
		checkContact(t, i, p)
		if m.Status == domain.StatusFull && (m.JoinedOn.IsZero() || m.FullOn != m.JoinedOn.AddYears(1) || m.FullOn.After(scenarioDay)) {
			t.Errorf("full member %d joined %s, full %s", i, m.JoinedOn, m.FullOn)
		}
	}
	if members != 2560 || states[domain.ContactLost] != 51 || states[domain.ContactAtRisk] != 103 || placed != 2560-358+154 {
		t.Errorf("%d members, %d placed, contact %v; want 2,560, 2,356, 51 lost and 103 at risk", members, placed, states)
	}
	if statuses[domain.StatusFull] < 2560*90/100 || statuses[domain.StatusProbationary] < 100 || statuses[domain.StatusActivist] < 30 ||
		statuses[domain.StatusApplicant] < 20 || certified < 2560*80/100 {
		t.Errorf("statuses %v, %d with a certificate", statuses, certified)
	}
	linked := g.person(g.linked)
	if linked.Name != "孙小军" || linked.Mobile != orgHZGongshu || linked.Membership.CertificateNo == "" ||
		linked.Membership.Status != domain.StatusFull || linked.Membership.ContactState != domain.ContactOK {
		t.Errorf("the member account's person %+v %+v", linked, linked.Membership)
	}
}

// checkPlacement requires a placed member to work in a district of the
// mobile branch or group they are placed in.
func checkPlacement(t *testing.T, orgs map[string]Org, p genPerson) {
	t.Helper()
	o, ok := orgs[p.Mobile]
	if !ok || o.Side != domain.SideMobile || (o.Kind != domain.KindBranch && o.Kind != domain.KindGroup) {
		t.Fatalf("placed in %s: %+v", p.Mobile, o)
	}
	i := slices.IndexFunc(placements, func(pl placement) bool { return pl.org == p.Mobile })
	if !slices.Contains(placements[i].districts, p.DistrictCode) {
		t.Fatalf("placed in %s but works in %s", p.Mobile, p.DistrictCode)
	}
	if o.RegionCode[:4] != p.DistrictCode[:4] && o.RegionCode[:2] != "31" {
		t.Fatalf("%s (%s) far from %s", p.Mobile, o.RegionCode, p.DistrictCode)
	}
}

// checkContact checks the order of a member's dates: the state began when
// its threshold passed, attempts came after the last contact, nothing
// lies ahead of today.
func checkContact(t *testing.T, i int, p genPerson) {
	t.Helper()
	m := p.Membership
	age := int(scenarioDay.Time().Sub(m.LastContactOn.Time()).Hours() / 24)
	switch m.ContactState {
	case domain.ContactOK:
		if age > 90 || !m.ContactStateOn.IsZero() || len(p.Attempts) > 0 {
			t.Errorf("member %d in contact: last %s, state on %s, %d attempts", i, m.LastContactOn, m.ContactStateOn, len(p.Attempts))
		}
	case domain.ContactAtRisk:
		if age < 92 || age > 183 || m.ContactStateOn != addMonths(m.LastContactOn, 3) {
			t.Errorf("member %d at risk: last %s, state on %s", i, m.LastContactOn, m.ContactStateOn)
		}
	case domain.ContactLost:
		if age < 183 || m.ContactStateOn != addMonths(m.LastContactOn, 6) || len(p.Attempts) < 1 || len(p.Attempts) > 2 {
			t.Errorf("member %d lost: last %s, state on %s, %d attempts", i, m.LastContactOn, m.ContactStateOn, len(p.Attempts))
		}
		for _, a := range p.Attempts {
			if a.Reached || !a.On.After(m.LastContactOn) || a.On.After(scenarioDay) || a.Note == "" ||
				(a.Channel != "phone" && a.Channel != "visit") {
				t.Errorf("member %d: attempt %+v after the last contact on %s", i, a, m.LastContactOn)
			}
		}
	}
	if m.JoinedOn.After(m.LastContactOn) && m.ContactState != domain.ContactOK {
		t.Errorf("member %d out of contact since %s joined on %s", i, m.LastContactOn, m.JoinedOn)
	}
}

// Every work city and placement names real, current districts; every
// placement a mobile organization of the scenario.
func TestWorkplacesAreReal(t *testing.T) {
	for _, c := range workCities {
		for _, d := range c.districts {
			checkWorkplace(t, c.code, d.code)
		}
	}
	orgs := map[string]Org{}
	for _, o := range guannanOrgs(scenarioDay) {
		orgs[o.Name] = o
	}
	for _, pl := range placements {
		if _, ok := orgs[pl.org]; !ok {
			t.Errorf("placement in %s, which the scenario does not have", pl.org)
		}
	}
	employers, _ := newEmployers(peopleSeed)
	names := map[string]bool{}
	for _, e := range employers {
		if names[e.name] {
			t.Errorf("two employers named %s", e.name)
		}
		names[e.name] = true
	}
	if len(employers) < 3900 {
		t.Errorf("%d employers", len(employers))
	}
}
