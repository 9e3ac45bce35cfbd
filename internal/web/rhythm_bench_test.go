package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
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
// docs/benchmarks.md use 200,000), whose life step writes three years of
// the mobile organizations' meetings with their attendance sheets.

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
	var meetings int
	if err := db.Read().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM meetings), (SELECT COUNT(*) FROM meeting_attendance)`).
		Scan(&meetings, &s.lines); err != nil {
		b.Fatal(err)
	}
	// The branch with the most lines, and one of its members.
	if err := db.Read().QueryRowContext(ctx, `SELECT m.org_id, MIN(a.person_id) FROM meetings m
		JOIN meeting_attendance a ON a.meeting_id = m.id JOIN orgs o ON o.id = m.org_id WHERE o.kind = 'branch'
		GROUP BY m.org_id ORDER BY COUNT(*) DESC, m.org_id LIMIT 1`).Scan(&s.branch, &s.member); err != nil {
		b.Fatal(err)
	}
	b.Logf("the demo with %d people and %d meetings with %d attendance lines loaded in %s", sc.People, meetings, s.lines,
		time.Since(start).Round(time.Second))
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
			three := service.AttendanceRange{From: s.svc.Today().AddMonths(-demo.LifeMonths).AddDays(1), To: s.svc.Today()}
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
