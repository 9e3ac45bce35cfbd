package store_test

import (
	"context"
	"testing"
	"time"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// BenchmarkAuditAppend measures one audited write: a transaction that
// appends one chained entry, the cost every business write pays on top of
// its own.
func BenchmarkAuditAppend(b *testing.B) {
	for _, c := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}} {
		b.Run(c.name, func(b *testing.B) {
			db := c.open(b)
			ctx := context.Background()
			e := store.AuditEntry{ActorName: "bench", Address: "127.0.0.1", Action: "bench.write",
				ObjectType: "thing", ObjectID: "1", Outcome: "ok", Detail: `{"after":{"n":1}}`}
			b.ResetTimer()
			for b.Loop() {
				e.At = time.Now()
				if err := db.Tx(ctx, func(tx store.Tx) error {
					_, err := store.AppendAudit(ctx, tx, chain, e)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
