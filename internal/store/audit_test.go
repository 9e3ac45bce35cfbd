package store_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

type hmacChain []byte

func (k hmacChain) ChainHash(prev, entry []byte) []byte {
	m := hmac.New(sha256.New, k)
	m.Write(prev)
	m.Write(entry)
	return m.Sum(nil)
}

var chain = hmacChain("test-key")

func appendN(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.AppendAudit(ctx, tx, chain, store.AuditEntry{At: time.Now(), ActorName: "alice",
				Address: "127.0.0.1", Action: "test.write", ObjectType: "thing", ObjectID: fmt.Sprint(i), Outcome: "ok",
				Detail: fmt.Sprintf(`{"after":{"n":%d}}`, i)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// tamper runs SQL as someone with direct database access would, first
// removing the append-only triggers.
func tamper(t *testing.T, db *store.DB, sql string) {
	t.Helper()
	ctx := context.Background()
	err := db.Tx(ctx, func(tx store.Tx) error {
		drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
		if tx.Dialect() == store.Postgres {
			drop = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
		}
		for _, s := range append(drop, strings.Split(sql, ";")...) {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAuditChain(t *testing.T) {
	cases := []struct {
		name   string
		sql    string
		seq    int64
		reason string
	}{
		{"intact", "", 0, ""},
		{"altered detail", `UPDATE audit_log SET detail = '{"after":{"n":99}}' WHERE seq = 3`, 3, "altered"},
		{"altered actor", `UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 1`, 1, "altered"},
		{"deleted middle", `DELETE FROM audit_log WHERE seq = 2`, 2, "missing"},
		{"deleted last", `DELETE FROM audit_log WHERE seq = 5`, 5, "truncated"},
		{"swapped", `UPDATE audit_log SET seq = -seq WHERE seq IN (2, 4);UPDATE audit_log SET seq = 6 + seq WHERE seq < 0`, 2, "reordered"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				appendN(t, db, 5)
				if c.sql != "" {
					tamper(t, db, c.sql)
				}
				brk, n, err := store.VerifyAudit(context.Background(), db.Read(), chain)
				if err != nil {
					t.Fatal(err)
				}
				if c.reason == "" {
					if brk != nil || n != 5 {
						t.Fatalf("intact chain: break %+v after %d", brk, n)
					}
					return
				}
				if brk == nil || brk.Seq != c.seq || brk.Reason != c.reason {
					t.Fatalf("got break %+v, want seq %d %s", brk, c.seq, c.reason)
				}
			})
		})
	}
}

func TestAuditAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		appendN(t, db, 1)
		ctx := context.Background()
		for _, s := range []string{`UPDATE audit_log SET actor_name = 'x'`, `DELETE FROM audit_log`} {
			err := db.Tx(ctx, func(tx store.Tx) error { _, err := tx.ExecContext(ctx, s); return err })
			if err == nil {
				t.Errorf("%s succeeded on the append-only log", s)
			}
		}
	})
}

func TestAuditConcurrentAppendsKeepOneChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() { defer wg.Done(); appendN(t, db, 10) }()
		}
		wg.Wait()
		brk, n, err := store.VerifyAudit(context.Background(), db.Read(), chain)
		if err != nil || brk != nil || n != 40 {
			t.Fatalf("break %+v, %d entries, %v", brk, n, err)
		}
	})
}

func TestListAuditFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		appendN(t, db, 3)
		ctx := context.Background()
		got, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Actor: "alice", Action: "test.", Limit: 2})
		if err != nil || len(got) != 2 || got[0].Seq != 3 {
			t.Fatalf("got %d entries (%v)", len(got), err)
		}
		next, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{BeforeSeq: got[1].Seq})
		if len(next) != 1 || next[0].Seq != 1 {
			t.Fatalf("second page %+v", next)
		}
		none, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Actor: "bob"})
		if len(none) != 0 {
			t.Fatalf("filter by actor leaked %d", len(none))
		}
	})
}

// A batch of entries larger than one INSERT takes is written in parts,
// the head's hash with the last part (on PostgreSQL in the same
// statement), and the chain holds across the parts and the next append.
func TestAuditAppendsInParts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var es []store.AuditEntry
		for i := range 901 {
			es = append(es, store.AuditEntry{At: time.Now(), ActorName: "alice", Action: "test.batch", ObjectType: "thing",
				ObjectID: fmt.Sprint(i), Outcome: "ok"})
		}
		if err := db.Tx(ctx, func(tx store.Tx) error {
			seqs, err := store.AppendAudits(ctx, tx, chain, es)
			if err == nil && (len(seqs) != 901 || seqs[0] != 1 || seqs[900] != 901) {
				err = fmt.Errorf("sequence numbers %d…%d of %d", seqs[0], seqs[len(seqs)-1], len(seqs))
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		appendN(t, db, 1)
		if brk, n, err := store.VerifyAudit(ctx, db.Read(), chain); err != nil || brk != nil || n != 902 {
			t.Fatalf("break %+v, %d entries, %v", brk, n, err)
		}
	})
}

// TestPostgresBatchOneText holds PostgreSQL's check-in statement and its
// audit append to one text for any number of scans (arrays, not VALUES
// lists), so a connection prepares each once rather than once a size.
func TestPostgresBatchOneText(t *testing.T) {
	c1, a1 := store.PostgresBatchTexts(chain, 1)
	for _, n := range []int{2, 7, 450} {
		c, a := store.PostgresBatchTexts(chain, n)
		if fmt.Sprint(c) != fmt.Sprint(c1) || fmt.Sprint(a) != fmt.Sprint(a1) || len(a) != 1 {
			t.Errorf("%d scans: the statements' texts differ from one scan's (%d audit statements)", n, len(a))
		}
	}
}

// TestAuditAppendMany appends more entries in one call than SQLite's
// statement takes, some without an actor, and holds the chain intact and
// every field kept on both databases (PostgreSQL sends them as arrays).
func TestAuditAppendMany(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		es := make([]store.AuditEntry, 450)
		for i := range es {
			es[i] = store.AuditEntry{At: time.Now(), ActorID: int64(i % 3), ActorName: fmt.Sprint("a", i), Address: "127.0.0.1",
				Action: "test.write", ObjectType: "thing", ObjectID: fmt.Sprint(i), Outcome: "ok"}
		}
		if err := db.Tx(ctx, func(tx store.Tx) error { _, err := store.AppendAudits(ctx, tx, chain, es); return err }); err != nil {
			t.Fatal(err)
		}
		brk, n, err := store.VerifyAudit(ctx, db.Read(), chain)
		if err != nil || brk != nil || n != 450 {
			t.Fatalf("chain of 450: break %+v after %d, %v", brk, n, err)
		}
		var nulls int
		var last string
		if err := db.Read().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_log WHERE actor_id IS NULL),
			(SELECT detail || actor_name || object_id FROM audit_log WHERE seq = 450)`).Scan(&nulls, &last); err != nil {
			t.Fatal(err)
		}
		if nulls != 150 || last != "{}a449449" {
			t.Fatalf("%d entries without an actor (want 150), the last %q", nulls, last)
		}
	})
}
