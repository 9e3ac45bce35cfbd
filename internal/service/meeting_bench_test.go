package service_test

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/demo"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// BenchmarkCheckIn is QR check-in under 50 concurrent scanners
// (GONGJIAN_BENCH_SCANNERS, rounded up to a multiple of GOMAXPROCS): each
// operation checks a different member in (token check, the line, the
// contact, the audit entry — one small transaction). Members come from
// rehearsals of GONGJIAN_BENCH_MEMBERS (default 2,500) members, a new one
// whenever all have checked in. The clock stands still, so a code stays
// fresh. Besides ns/op (throughput with 50 in flight) it reports each
// check-in's latency percentiles.
func BenchmarkCheckIn(b *testing.B) {
	n, scanners := 2500, 50
	if v, err := strconv.Atoi(os.Getenv("GONGJIAN_BENCH_MEMBERS")); err == nil && v > 0 {
		n = v
	}
	if v, err := strconv.Atoi(os.Getenv("GONGJIAN_BENCH_SCANNERS")); err == nil && v > 0 {
		scanners = v
	}
	benchDBs(b, func(b *testing.B, db *store.DB) {
		if db == nil {
			b.Skip("no database")
		}
		keys, err := seal.New(seal.SuiteStd)
		if err != nil {
			b.Fatal(err)
		}
		svc, err := service.New(db, service.Config{Clock: clock.NewFake(time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)), Keys: keys,
			PasswordParams: auth.TestParams})
		if err != nil {
			b.Fatal(err)
		}
		var rehearsals []demo.Rehearsal
		var tokens []string
		for len(rehearsals)*n < b.N {
			r, err := demo.CheckinRehearsal(ctx, svc, n, goodPassword, auth.TestParams)
			if err != nil {
				b.Fatal(err)
			}
			code, err := svc.CheckinCode(ctx, authz.System, r.Meeting)
			if err != nil {
				b.Fatal(err)
			}
			rehearsals, tokens = append(rehearsals, r), append(tokens, code.Token)
		}
		lat := make([]time.Duration, b.N)
		var next atomic.Int64
		b.SetParallelism((scanners + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := int(next.Add(1) - 1)
				r := rehearsals[i/n]
				a := &authz.Actor{AccountID: r.Accounts[i%n], Name: r.Logins[i%n]}
				start := time.Now()
				if _, err := svc.CheckIn(ctx, a, 0, tokens[i/n], ""); err != nil {
					b.Error(err)
					return
				}
				lat[i] = time.Since(start)
			}
		})
		b.StopTimer()
		slices.Sort(lat)
		pct := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		b.ReportMetric(pct(.50), "p50-ms")
		b.ReportMetric(pct(.99), "p99-ms")
		b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		var present int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_attendance WHERE method = 'qr'`).Scan(&present); err != nil {
			b.Fatal(err)
		}
		if present != b.N {
			b.Fatalf("%d checked in, want %d", present, b.N)
		}
	})
}
