package demo_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/demo"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store/storetest"
)

// benchPeople is the scale of BenchmarkGuannanLoad:
// GONGJIAN_BENCH_PEOPLE, else 20,000 (`gongjian demo` loads 200,000;
// docs/benchmarks.md has the figures of the command itself).
func benchPeople() int {
	if n, err := strconv.Atoi(os.Getenv("GONGJIAN_BENCH_PEOPLE")); err == nil && n >= 0 {
		return n
	}
	return 20_000
}

// BenchmarkGuannanLoad loads the scenario into a fresh SQLite database
// with production password hashing, as `gongjian demo` does. It reports
// the accounts' share (their password hashes) and the people registered
// per second.
func BenchmarkGuannanLoad(b *testing.B) {
	keys, err := seal.New("std")
	if err != nil {
		b.Fatal(err)
	}
	var accounts, people time.Duration
	for b.Loop() {
		b.StopTimer()
		db := storetest.SQLite(b)
		svc, err := service.New(db, service.Config{Keys: keys, PasswordParams: auth.DefaultParams})
		if err != nil {
			b.Fatal(err)
		}
		sc := demo.Guannan()
		b.StartTimer()
		for _, st := range sc.Steps {
			start := time.Now()
			if err := st.Run(ctx, &demo.Loader{Service: svc, DB: db, People: benchPeople()}); err != nil {
				b.Fatal(err)
			}
			switch st.Name {
			case "accounts":
				accounts += time.Since(start)
			case "people":
				people += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(accounts.Milliseconds())/float64(b.N), "accounts-ms/op")
	if people > 0 {
		b.ReportMetric(float64(benchPeople()*b.N)/people.Seconds(), "people/s")
	}
}
