package demo_test

import (
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/demo"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store/storetest"
)

// BenchmarkGuannanLoad loads the scenario into a fresh SQLite database
// with production password hashing, as `gongjian demo` does; the accounts'
// hashes dominate. It reports the accounts' share.
func BenchmarkGuannanLoad(b *testing.B) {
	keys, err := seal.New("std")
	if err != nil {
		b.Fatal(err)
	}
	var accounts time.Duration
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
			if err := st.Run(ctx, &demo.Loader{Service: svc, DB: db}); err != nil {
				b.Fatal(err)
			}
			if st.Name == "accounts" {
				accounts += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(accounts.Milliseconds())/float64(b.N), "accounts-ms/op")
}
