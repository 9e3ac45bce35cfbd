package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"gongjian/internal/domain"
)

// CheckInAudited writes a batch of check-ins (checkIn) and the audit
// entries that entries makes of what took, in one transaction, and
// returns what became of each scan.
//
// On PostgreSQL the transaction is two round trips instead of four: the
// BEGIN goes out with the check-in's statement, and the entries with the
// COMMIT (pgx pipelines each pair on the connection). Under a burst every
// round trip waits for a core twice — the server process to run it, this
// process to read its answer — while the whole batch and the scans queued
// behind it wait (decision 0013, "session 7"). The entries depend on the
// audit head that the first statement returns, so two is the least. The
// COMMIT's answer is read before anyone is answered: an acknowledged
// check-in is durable as before. SQLite, with no round trip to save,
// runs checkIn and AppendAudits in a DB.Tx.
func CheckInAudited(ctx context.Context, db *DB, c Chainer, scans []Scan, now time.Time, today domain.Date,
	entries func([]Scanned) []AuditEntry) ([]Scanned, error) {
	if db.Dialect() != Postgres {
		var out []Scanned
		err := db.Tx(ctx, func(tx Tx) error {
			var err error
			if out, err = checkIn(ctx, tx, scans, now, today); err == nil {
				_, err = AppendAudits(ctx, tx, c, entries(out))
			}
			return err
		})
		return out, err
	}
	var out []Scanned
	var err error
	for range 3 { // as DB.Tx: a serialization failure or a deadlock is tried again
		if out, err = db.checkInPipelined(ctx, c, scans, now, today, entries); !retryable(err) {
			break
		}
	}
	return out, err
}

// checkInPipelined runs the batch on the pgx handle of one of the
// batches' own connections (batchPool).
// A failure rolls the transaction back; a connection that cannot be rolled
// back is closed, never handed back inside a transaction.
func (db *DB) checkInPipelined(ctx context.Context, c Chainer, scans []Scan, now time.Time, today domain.Date,
	entries func([]Scanned) []AuditEntry) ([]Scanned, error) {
	conn, err := db.batch.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: check in: %w", err)
	}
	defer conn.Close()
	var out []Scanned
	var failed error
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		out, failed = db.checkInOn(ctx, pc, c, scans, now, today, entries)
		if failed != nil && pc.PgConn().TxStatus() != 'I' {
			if _, err := pc.Exec(ctx, "ROLLBACK"); err != nil {
				return driver.ErrBadConn
			}
		}
		return nil
	})
	if failed != nil {
		return nil, fmt.Errorf("store: check in: %w", failed)
	}
	return out, err
}

func (db *DB) checkInOn(ctx context.Context, pc *pgx.Conn, c Chainer, scans []Scan, now time.Time, today domain.Date,
	entries func([]Scanned) []AuditEntry) ([]Scanned, error) {
	st := checkInStmt(scans, now, today)
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(st.query, st.args...)
	took, head, err := db.sendCheckIn(ctx, pc, b)
	if err != nil {
		return nil, err
	}
	out, err := answer(scans, took)
	if err != nil {
		return nil, err
	}
	b = &pgx.Batch{}
	var es []AuditEntry
	if head.Ok {
		es = entries(out)
	}
	if len(es) != len(took) {
		// The head reserved one number per line taken.
		return nil, fmt.Errorf("%d audit entries for %d check-ins", len(es), len(took))
	}
	stmts, _ := reservedAudits(Postgres, c, es, head.AuditHead)
	for _, s := range stmts {
		b.Queue(s.query, s.args...)
	}
	b.Queue("COMMIT")
	db.tick()
	return out, pc.SendBatch(ctx, b).Close()
}

// sendCheckIn sends the BEGIN and the check-in's statement, and reads
// what took.
func (db *DB) sendCheckIn(ctx context.Context, pc *pgx.Conn, b *pgx.Batch) ([]scanTook, Reserved, error) {
	db.tick()
	br := pc.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		return nil, Reserved{}, errors.Join(err, br.Close())
	}
	rows, err := br.Query()
	if err != nil {
		return nil, Reserved{}, errors.Join(err, br.Close())
	}
	took, head, err := readTookReserved(rows)
	rows.Close()
	return took, head, errors.Join(err, rows.Err(), br.Close())
}

// tick counts a round trip on a Counted handle.
func (db *DB) tick() {
	if db.count != nil {
		db.count.Add(1)
	}
}
