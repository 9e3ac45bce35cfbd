package store_test

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// BenchmarkListPage reads organization and status list pages of 50 (the
// API's summaries, with their totals) from a database the people
// benchmark loaded: GONGJIAN_BENCH_DB=PATH.db, say bench/people.sh's
// people-200000.db. Besides the wall time it reports the process's CPU
// time per page, which other work on a small machine disturbs less.
func BenchmarkListPage(b *testing.B) {
	path := os.Getenv("GONGJIAN_BENCH_DB")
	if path == "" {
		b.Skip("GONGJIAN_BENCH_DB is not set")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var paths []string
	rows, err := db.Read().QueryContext(ctx, `SELECT path FROM orgs WHERE status = 'active' AND side <> 'host' ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var p string
		rows.Scan(&p)
		paths = append(paths, p)
	}
	rows.Close()
	names := store.NewOrgNames()
	r := rand.New(rand.NewPCG(1, 2))
	statuses := []domain.MemberStatus{"", domain.StatusFull, domain.StatusProbationary}
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		q := store.PersonQuery{Scope: authz.OrgFilter{Prefixes: []string{paths[0]}}, Org: paths[r.IntN(len(paths))],
			Status: statuses[r.IntN(len(statuses))], Limit: 50, Names: names, Summary: true}
		if _, _, _, err := store.ListCountPersons(ctx, db.Read(), q, 1000); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

func cpuTime() time.Duration {
	runtime.GC()
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
