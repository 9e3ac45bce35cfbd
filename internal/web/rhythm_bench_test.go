package web

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/demo"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
	"gongjian/internal/web/assets"
)

// The rhythm and attendance reports over three years of organizational
// life at the county's scale (issue #5's benchmarks): the Guannan demo
// with GONGJIAN_BENCH_PEOPLE people (else 20,000; the figures in
// docs/benchmarks.md use 200,000) and three years of its mobile
// organizations' meetings with their attendance sheets.

func benchPeople() int {
	if n, err := strconv.Atoi(os.Getenv("GONGJIAN_BENCH_PEOPLE")); err == nil && n >= 0 {
		return n
	}
	return 20_000
}

// benchSite is one loaded database and what the benchmarks ask of it.
type benchSite struct {
	svc     *service.Service
	mux     *http.ServeMux
	visit   *Visit
	county  *authz.Actor
	root    domain.OrgID // the county committee: the whole county's attendance
	branch  domain.OrgID // a mobile branch
	member  domain.PersonID
	lines   int
	flagged int
}

func newBenchSite(b *testing.B, db *store.DB) *benchSite {
	b.Helper()
	ctx := context.Background()
	keys, err := seal.New(seal.SuiteStd)
	if err != nil {
		b.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC))
	svc, err := service.New(db, service.Config{Clock: clk, Keys: keys, PasswordParams: auth.TestParams})
	if err != nil {
		b.Fatal(err)
	}
	sc := demo.Guannan()
	sc.People = benchPeople()
	start := time.Now()
	if _, err := sc.Load(ctx, svc); err != nil {
		b.Fatal(err)
	}
	s := &benchSite{svc: svc}
	loaded := time.Since(start)
	start = time.Now()
	meetings := s.threeYears(b, db, svc.Today())
	b.Logf("%d people loaded in %s; %d meetings with %d attendance lines written in %s", sc.People, loaded.Round(time.Second),
		meetings, s.lines, time.Since(start).Round(time.Second))
	acc, err := store.AccountByName(ctx, db.Read(), "county")
	if err != nil {
		b.Fatal(err)
	}
	if s.county, err = svc.ActorFor(ctx, acc.ID); err != nil {
		b.Fatal(err)
	}
	roots, err := store.RootOrgs(ctx, db.Read(), domain.SideOrigin)
	if err != nil || len(roots) == 0 {
		b.Fatal("no county", err)
	}
	s.root = roots[0].ID
	bundle, err := i18n.New()
	if err != nil {
		b.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(Config{Service: svc, I18n: bundle, Static: static, Log: discardLog()})
	if err != nil {
		b.Fatal(err)
	}
	s.mux = http.NewServeMux()
	h.Register(s.mux)
	s.visit = &Visit{Principal: &service.Principal{Actor: s.county, Account: acc.Account, Stage: service.StageFull},
		L: bundle.For(i18n.ZhCN), CSRF: "bench"}
	return s
}

// pick is a deterministic draw in [0, 100) for a key.
func pick(parts ...any) int {
	h := fnv.New32a()
	fmt.Fprint(h, parts...)
	return int(h.Sum32() % 100)
}

// threeYears writes the held meetings of January 2024 to today for every
// active mobile Party organization, by the default rules (about one in
// twenty periods skipped), each with one line per member placed there:
// mostly present, some on leave or excused, a few absent, and one member
// in fifty drifting away — absent without reason from every meeting since
// March 2026.
func (s *benchSite) threeYears(b *testing.B, db *store.DB, today domain.Date) int {
	b.Helper()
	ctx := context.Background()
	orgs, err := store.ListOrgs(ctx, db.Read(), store.OrgQuery{Read: authz.OrgFilter{Prefixes: []string{"/"}}, Side: domain.SideMobile,
		Status: domain.StatusActive})
	if err != nil {
		b.Fatal(err)
	}
	full, err := store.FullPlaced(ctx, db.Read())
	if err != nil {
		b.Fatal(err)
	}
	placed := map[domain.OrgID][]domain.PersonID{}
	rows, err := db.Read().QueryContext(ctx, `SELECT person_id, mobile_org_id FROM memberships
		WHERE mobile_org_id IS NOT NULL AND status IN ('probationary', 'full') ORDER BY person_id`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var p domain.PersonID
		var o domain.OrgID
		if err := rows.Scan(&p, &o); err != nil {
			b.Fatal(err)
		}
		placed[o] = append(placed[o], p)
	}
	rows.Close()
	drift := domain.NewDate(2026, 3, 1)
	count := 0
	var values []string
	flush := func(tx store.Tx) error {
		if len(values) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, person_id, expected, status) VALUES `+strings.Join(values, ", "))
		values = values[:0]
		return err
	}
	err = db.Tx(ctx, func(tx store.Tx) error {
		add := func(o domain.Org, kind domain.MeetingKind, on domain.Date, who []domain.PersonID) error {
			var id int64
			at := on.Time().Add(time.Hour)
			if err := tx.QueryRowContext(ctx, `INSERT INTO meetings (org_id, kind, state, starts_at, held_on, topic, created_by, created_at, updated_at)
				VALUES ($1, $2, 'held', $3, $4, '学习党章', 'bench', $3, $3) RETURNING id`, o.ID, string(kind), at, on).Scan(&id); err != nil {
				return err
			}
			count++
			for _, p := range who {
				status := "present"
				switch r := pick(p, id); {
				case pick(p) < 2 && !on.Before(drift):
					status = "absent"
					if s.member == 0 {
						s.member = p
					}
				case r < 6:
					status = "leave"
				case r < 9:
					status = "excused"
				case r < 14:
					status = "absent"
				}
				if s.member == 0 && o.ID == s.branch {
					s.member = p
				}
				values = append(values, fmt.Sprintf("(%d, %d, TRUE, '%s')", id, p, status))
				s.lines++
			}
			if len(values) >= 500 {
				return flush(tx)
			}
			return nil
		}
		for _, o := range orgs {
			who := placed[o.ID]
			if o.Kind == domain.KindBranch && (s.branch == 0 || len(who) > len(placed[s.branch])) {
				s.branch = o.ID
			}
			i := 0
			for m := domain.SpanOf(domain.Monthly, domain.NewDate(2024, 1, 1)); !m.First.After(today); m, i = m.Next(), i+1 {
				day := m.First.AddDays(int(o.ID) % 25)
				if day.After(today) || pick(o.ID, i) < 5 {
					continue
				}
				month := m.First.Time().Month()
				var kinds []domain.MeetingKind
				switch o.Kind {
				case domain.KindBranch:
					kinds = append(kinds, domain.MeetingThemeDay)
					if full[o.ID] >= 7 {
						kinds = append(kinds, domain.MeetingCommittee)
					}
					if month%3 == 2 {
						kinds = append(kinds, domain.MeetingAssembly, domain.MeetingLecture)
					}
					if month == time.December {
						kinds = append(kinds, domain.MeetingLifeMeeting, domain.MeetingEvaluation)
					}
				case domain.KindCommittee, domain.KindGeneralBranch:
					kinds = append(kinds, domain.MeetingCommittee)
				case domain.KindGroup:
					kinds = append(kinds, domain.MeetingGroup)
				}
				for _, k := range kinds {
					expected := who
					if k == domain.MeetingCommittee {
						expected = who[:min(len(who), 5)]
					}
					if err := add(o, k, day, expected); err != nil {
						return err
					}
				}
			}
		}
		return flush(tx)
	})
	if err != nil {
		b.Fatal(err)
	}
	return count
}

func (s *benchSite) page(b *testing.B, path string) {
	r := httptest.NewRequest(http.MethodGet, path, nil).WithContext(WithVisit(context.Background(), s.visit))
	w := httptest.NewRecorder()
	s.mux.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		b.Fatalf("%s: %d\n%s", path, w.Code, w.Body.String())
	}
}

// BenchmarkRhythmReports measures, on both databases: the county's rhythm
// table rendered as the county officer's page (every kind, by month and
// by quarter) and read alone; an organization's page section; the whole
// county's attendance over three years with every member's line; the
// absence list; and one member's attendance with the absence check.
func BenchmarkRhythmReports(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var db *store.DB
			if dialect == "sqlite" {
				db = storetest.SQLite(b)
			} else {
				db = storetest.Postgres(b)
			}
			s := newBenchSite(b, db)
			ctx := context.Background()
			three := service.AttendanceRange{From: domain.NewDate(2024, 1, 1), To: domain.NewDate(2026, 11, 29)}
			b.Run("table-page-month", func(b *testing.B) {
				start := cpuTime()
				defer reportCPU(b, start)
				for b.Loop() {
					s.page(b, "/rhythm")
				}
			})
			b.Run("table-page-quarter", func(b *testing.B) {
				start := cpuTime()
				defer reportCPU(b, start)
				for b.Loop() {
					s.page(b, "/rhythm?period=quarter")
				}
			})
			b.Run("table-service", func(b *testing.B) {
				start := cpuTime()
				defer reportCPU(b, start)
				for b.Loop() {
					if _, err := s.svc.RhythmTable(ctx, s.county, service.RhythmQuery{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("org-page-section", func(b *testing.B) {
				start := cpuTime()
				defer reportCPU(b, start)
				for b.Loop() {
					if _, err := s.svc.OrgRhythm(ctx, s.county, s.branch); err != nil {
						b.Fatal(err)
					}
					if _, err := s.svc.OrgAttendance(ctx, s.county, s.branch, service.AttendanceRange{}, false); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("county-attendance-3y-members", func(b *testing.B) {
				var n int
				start := cpuTime()
				defer reportCPU(b, start)
				for b.Loop() {
					r, err := s.svc.OrgAttendance(ctx, s.county, s.root, three, true)
					if err != nil {
						b.Fatal(err)
					}
					n = len(r.Members)
				}
				b.ReportMetric(float64(n), "members")
			})
			b.Run("absence-list", func(b *testing.B) {
				start := cpuTime()
				defer reportCPU(b, start)
				for b.Loop() {
					p, err := s.svc.AbsenceFlags(ctx, s.county, service.AbsenceSearch{})
					if err != nil {
						b.Fatal(err)
					}
					s.flagged = p.Total
				}
				b.ReportMetric(float64(s.flagged), "flagged")
			})
			b.Run("person-attendance", func(b *testing.B) {
				start := cpuTime()
				defer reportCPU(b, start)
				for b.Loop() {
					if _, err := s.svc.PersonAttendance(ctx, s.county, s.member, service.AttendanceRange{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("daily-check", func(b *testing.B) {
				start := cpuTime()
				defer reportCPU(b, start)
				for b.Loop() {
					if _, err := s.svc.CheckRhythm(ctx, s.svc.Today()); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
