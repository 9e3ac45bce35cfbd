package service_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/pinyin"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// The people queries of issue #4, one sub-benchmark per kind, each as an
// officer with that scope asks it through the service (scope resolution
// included, HTTP not): the county (everything) and a mobile committee's
// secretary (its subtree, a few per cent of the register).
//
//	go test -run XXX -bench People -benchtime 2s ./internal/service/
//	GONGJIAN_BENCH_PEOPLE=200000 sets the register's size (default 5000).
//
// The HTTP figures with 16 clients come from bench/people.sh.

func benchPeople() int {
	if n, err := strconv.Atoi(os.Getenv("GONGJIAN_BENCH_PEOPLE")); err == nil && n > 0 {
		return n
	}
	return 5000
}

// peopleWorld is a county of 12 townships with 5 villages each and 4
// mobile committees with 3 branches each, n people from the villages, a
// third of them members, half of those placed in a mobile organization.
type peopleWorld struct {
	svc      *service.Service
	keys     *seal.Keyring
	county   *authz.Actor
	mobile   *authz.Actor
	tokens   map[string]string
	people   []benchPerson
	villages []domain.Org
	mobiles  []domain.Org
}

type benchPerson struct {
	id       domain.PersonID
	name     string
	initials string
	idNumber string
	mobile   bool // placed under the first mobile committee
}

func newPeopleWorld(b *testing.B, db *store.DB, n int) *peopleWorld {
	keys, err := seal.New(seal.SuiteStd)
	if err != nil {
		b.Fatal(err)
	}
	off, _ := throttle.Parse("off") // a load test, not a scraper
	svc, err := service.New(db, service.Config{Clock: clock.System{}, Keys: keys, PasswordParams: auth.TestParams, Limits: off})
	if err != nil {
		b.Fatal(err)
	}
	w := &peopleWorld{svc: svc, keys: keys, tokens: map[string]string{}}
	now := time.Now()
	var county, firstMobile domain.Org
	if err := db.Tx(ctx, func(tx store.Tx) error {
		mk := func(name string, parent domain.OrgID, side domain.Side, kind domain.OrgKind) (domain.Org, error) {
			id, err := store.CreateOrg(ctx, tx, domain.Org{Name: name, ParentID: parent, Side: side, Kind: kind}, now)
			if err != nil {
				return domain.Org{}, err
			}
			return store.OrgByID(ctx, tx, id)
		}
		if county, err = mk("县委", 0, domain.SideOrigin, domain.KindCommittee); err != nil {
			return err
		}
		for t := range 12 {
			town, err := mk(fmt.Sprintf("镇%d", t), county.ID, domain.SideOrigin, domain.KindCommittee)
			if err != nil {
				return err
			}
			for v := range 5 {
				village, err := mk(fmt.Sprintf("镇%d村%d", t, v), town.ID, domain.SideOrigin, domain.KindBranch)
				if err != nil {
					return err
				}
				w.villages = append(w.villages, village)
			}
		}
		for m := range 4 {
			committee, err := mk(fmt.Sprintf("流动党委%d", m), county.ID, domain.SideMobile, domain.KindCommittee)
			if err != nil {
				return err
			}
			if m == 0 {
				firstMobile = committee
			}
			w.mobiles = append(w.mobiles, committee)
			for k := range 3 {
				branch, err := mk(fmt.Sprintf("流动党委%d支部%d", m, k), committee.ID, domain.SideMobile, domain.KindBranch)
				if err != nil {
					return err
				}
				w.mobiles = append(w.mobiles, branch)
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	w.seed(b, db, n)
	for name, grant := range map[string][2]string{"county": {authz.RoleCountyOfficer, county.Name},
		"mobile": {authz.RoleMobileSecretary, firstMobile.Name}} {
		id, err := svc.BootstrapAccount(ctx, service.NewAccount{Name: name, Password: goodPassword})
		if err != nil {
			b.Fatal(err)
		}
		if err := svc.BootstrapGrant(ctx, id, grant[0], grant[1]); err != nil {
			b.Fatal(err)
		}
		if w.tokens[name], _, err = svc.BootstrapAPIToken(ctx, id, "bench", 0); err != nil {
			b.Fatal(err)
		}
	}
	if w.county, err = svc.ActorFor(ctx, mustAccount(b, db, "county")); err != nil {
		b.Fatal(err)
	}
	if w.mobile, err = svc.ActorFor(ctx, mustAccount(b, db, "mobile")); err != nil {
		b.Fatal(err)
	}
	return w
}

func mustAccount(b *testing.B, db *store.DB, name string) domain.AccountID {
	row, err := store.AccountByName(ctx, db.Read(), name)
	if err != nil {
		b.Fatal(err)
	}
	return row.ID
}

var benchSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆")

const benchGiven = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅建国文辉鹏飞斌波宇浩凯健俊帆帅旭宁龙林春海燕雪琳晶婷颖玲"

// seed registers n people through the bulk insert, the import's path.
func (w *peopleWorld) seed(b *testing.B, db *store.DB, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	given := []rune(benchGiven)
	statuses := []domain.MemberStatus{domain.StatusFull, domain.StatusFull, domain.StatusFull, domain.StatusProbationary,
		domain.StatusActivist, domain.StatusApplicant}
	cities := []string{"330100", "320500", "370200", "320200", "310000", "320100"}
	keys := w.keys
	for start := 0; start < n; start += 20000 {
		var rows []store.PersonRow
		for i := start; i < min(n, start+20000); i++ {
			// Common surnames come up far more often than rare ones.
			s := benchSurnames[min(r.IntN(len(benchSurnames)), r.IntN(len(benchSurnames)))]
			name := string(s) + string(given[r.IntN(len(given))])
			if r.IntN(10) < 7 {
				name += string(given[r.IntN(len(given))])
			}
			py := pinyin.Of(name)
			id := benchIDNumber(i)
			p := store.PersonRow{SortKey: py.Sort, IDIndex: keys.BlindIndex("id_number", id)}
			p.Name, p.Pinyin, p.Initials, p.IDNumber = name, py.Full, py.Initials, domain.Masked(id[:6]+"********"+id[14:])
			village := w.villages[r.IntN(len(w.villages))]
			p.OriginOrgID, p.CityCode = village.ID, cities[r.IntN(len(cities))]
			bp := benchPerson{name: name, initials: py.Initials, idNumber: id}
			if r.IntN(3) == 0 {
				p.Membership = &domain.Membership{Status: statuses[r.IntN(len(statuses))], HomeOrgID: village.ID}
				if r.IntN(2) == 0 {
					m := r.IntN(len(w.mobiles))
					p.Membership.MobileOrgID = w.mobiles[m].ID
					bp.mobile = m < 4
				}
			}
			rows = append(rows, p)
			w.people = append(w.people, bp)
		}
		var ids []domain.PersonID
		if err := db.Tx(ctx, func(tx store.Tx) error {
			var err error
			ids, err = store.InsertPersons(ctx, tx, rows, "imported", "{}", "bench", domain.Today(time.Now()), time.Now())
			return err
		}); err != nil {
			b.Fatal(err)
		}
		for i, id := range ids {
			w.people[start+i].id = id
		}
	}
}

// benchIDNumber is a valid ID number, distinct for every i below 16
// million.
func benchIDNumber(i int) string {
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%16000)
	return idNumber("320724", birth.Format("20060102"), 101+(i/16000)*10+i%2)
}

func BenchmarkPeople(b *testing.B) {
	n := benchPeople()
	benchDBs(b, func(b *testing.B, db *store.DB) {
		w := newPeopleWorld(b, db, n)
		for _, scope := range []string{"county", "mobile"} {
			a := w.county
			if scope == "mobile" {
				a = w.mobile
			}
			// Queries the scope can answer: the mobile secretary gets its
			// own people and organizations.
			var own []benchPerson
			for _, p := range w.people {
				if scope == "county" || p.mobile {
					own = append(own, p)
				}
			}
			orgs := w.villages
			if scope == "mobile" {
				orgs = w.mobiles[:4]
			}
			r := rand.New(rand.NewPCG(3, 4))
			pick := func() benchPerson { return own[r.IntN(len(own))] }
			search := func(f service.PersonSearch) func(b *testing.B) {
				return func(b *testing.B) {
					if _, err := w.svc.SearchPersons(ctx, a, f); err != nil {
						b.Fatal(err)
					}
				}
			}
			kinds := []struct {
				name string
				run  func(b *testing.B)
			}{
				{"get", func(b *testing.B) {
					if _, err := w.svc.Person(ctx, a, pick().id); err != nil {
						b.Fatal(err)
					}
				}},
				{"list", func(b *testing.B) {
					st := []domain.MemberStatus{"", domain.StatusFull, domain.StatusProbationary}[r.IntN(3)]
					search(service.PersonSearch{Org: orgs[r.IntN(len(orgs))].ID, Status: st})(b)
				}},
				{"surname", func(b *testing.B) { search(service.PersonSearch{Text: string([]rune(pick().name)[0])})(b) }},
				{"name", func(b *testing.B) { search(service.PersonSearch{Text: string([]rune(pick().name)[1:])})(b) }},
				{"initials", func(b *testing.B) { search(service.PersonSearch{Text: pick().initials})(b) }},
				{"idnumber", func(b *testing.B) { search(service.PersonSearch{Text: pick().idNumber})(b) }},
				{"counts-org", func(b *testing.B) {
					if _, err := w.svc.CountPersons(ctx, a, service.CountByOrg, service.PersonSearch{}); err != nil {
						b.Fatal(err)
					}
				}},
				{"counts-city", func(b *testing.B) {
					if _, err := w.svc.CountPersons(ctx, a, service.CountByCity, service.PersonSearch{}); err != nil {
						b.Fatal(err)
					}
				}},
				{"authenticate", func(b *testing.B) {
					if _, err := w.svc.AuthenticateAPIToken(ctx, w.tokens[scope], "127.0.0.1"); err != nil {
						b.Fatal(err)
					}
				}},
			}
			for _, k := range kinds {
				b.Run(scope+"/"+k.name, func(b *testing.B) {
					for b.Loop() {
						k.run(b)
					}
				})
			}
		}
	})
}
