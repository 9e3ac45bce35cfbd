package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id"` // zero: the system or an anonymous client
	ActorName  string    `json:"actor_name"`
	Address    string    `json:"address"`
	Action     string    `json:"action"` // e.g. "account.create", "session.login_failed"
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Outcome    string    `json:"outcome"` // "ok" or "denied" / "failed"
	Detail     string    `json:"detail"`  // JSON: before and after values, sensitive ones masked
	PrevHash   []byte    `json:"-"`
	Hash       []byte    `json:"-"`
}

// Chainer computes an entry's link in the chain: a keyed hash over the
// previous link and the entry's canonical bytes.
type Chainer interface {
	ChainHash(prev, entry []byte) []byte
}

// canonical is the byte form the chain hash covers; every stored field
// except the hashes themselves.
func (e AuditEntry) canonical() []byte {
	e.At = ts(e.At)
	b, _ := json.Marshal(e) // a struct of plain fields cannot fail to marshal
	return b
}

// AppendAudit adds e to the log inside tx. The single head row is updated
// first, which serialises concurrent appenders on both databases (a row
// lock on PostgreSQL, the one writer on SQLite) so the chain never forks.
func AppendAudit(ctx context.Context, tx Tx, c Chainer, e AuditEntry) (int64, error) {
	seqs, err := AppendAudits(ctx, tx, c, []AuditEntry{e})
	if err != nil {
		return 0, err
	}
	return seqs[0], nil
}

// AppendAudits adds entries to the log in order, inside tx, with one
// update of the head for all of them (a batch of check-ins takes the
// chain's lock once). It returns their sequence numbers.
func AppendAudits(ctx context.Context, tx Tx, c Chainer, es []AuditEntry) ([]int64, error) {
	if len(es) == 0 {
		return nil, nil
	}
	var h AuditHead
	if err := tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash`, len(es)).
		Scan(&h.Seq, &h.Hash); err != nil {
		return nil, fmt.Errorf("store: audit head: %w", err)
	}
	stmts, seqs := reservedAudits(tx.Dialect(), c, es, h)
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
			return nil, fmt.Errorf("store: append audit: %w", err)
		}
	}
	return seqs, nil
}

// AuditHead is the chain's head as a statement that reserved sequence
// numbers left it: the last number reserved and the hash of the entry
// before the first of them.
type AuditHead struct {
	Seq  int64
	Hash []byte
}

// stmt is one statement with its arguments.
type stmt struct {
	query string
	args  []any
}

// reservedAudits chains es after h, whose sequence numbers a statement
// already reserved (AppendAudits, or the check-in batch's statement on
// PostgreSQL), and returns the statements that append them and move the
// head's hash on, with the entries' sequence numbers.
func reservedAudits(d Dialect, c Chainer, es []AuditEntry, h AuditHead) ([]stmt, []int64) {
	if len(es) == 0 {
		return nil, nil
	}
	chained, prev := chainAudits(c, es, h)
	seqs := make([]int64, len(chained))
	for i, e := range chained {
		seqs[i] = e.Seq
	}
	if d == Postgres {
		return []stmt{pgAppendAudits(chained, prev)}, seqs
	}
	args := make([]any, 0, 12*len(chained))
	for _, e := range chained {
		args = append(args, e.Seq, e.At, sql.NullInt64{Int64: e.ActorID, Valid: e.ActorID != 0}, e.ActorName, e.Address, e.Action,
			e.ObjectType, e.ObjectID, e.Outcome, e.Detail, e.PrevHash, e.Hash)
	}
	var out []stmt
	for start := 0; start < len(chained); start += auditBatch {
		n := min(auditBatch, len(chained)-start)
		out = append(out, stmt{`INSERT INTO audit_log (seq, at, actor_id, actor_name, address, action, object_type,
			object_id, outcome, detail, prev_hash, hash) VALUES ` + values(d, n, 12), args[12*start : 12*(start+n)]})
	}
	return append(out, stmt{`UPDATE audit_head SET hash = $1 WHERE id = 1`, []any{prev}}), seqs
}

// chainAudits numbers es after h and links each to the one before; it
// returns them with the last one's hash, the head's next.
func chainAudits(c Chainer, es []AuditEntry, h AuditHead) ([]AuditEntry, []byte) {
	last, prev := h.Seq, h.Hash
	if prev == nil {
		prev = []byte{} // SQLite reads an empty blob as nil; the column is NOT NULL
	}
	out := make([]AuditEntry, len(es))
	for i, e := range es {
		e.Seq, e.At, e.PrevHash = last-int64(len(es)-1-i), ts(e.At), prev
		if e.Detail == "" {
			e.Detail = "{}"
		}
		e.Hash = c.ChainHash(prev, e.canonical())
		prev, out[i] = e.Hash, e
	}
	return out, prev
}

// pgAppendAudits is PostgreSQL's append of chained entries and the head's
// new hash in one statement, the entries sent as one array a column: its
// text is the same for any number of entries, so each connection prepares
// it once, where a VALUES list of each length was a statement of its own,
// prepared in a round trip more and planned anew (decision 0013,
// "session 8").
func pgAppendAudits(es []AuditEntry, head []byte) stmt {
	n := len(es)
	seq, actor, at := make([]int64, n), make([]*int64, n), make([]time.Time, n)
	texts := [7][]string{}
	prev, hash := make([][]byte, n), make([][]byte, n)
	for i, e := range es {
		seq[i], at[i], prev[i], hash[i] = e.Seq, e.At, e.PrevHash, e.Hash
		if e.ActorID != 0 {
			actor[i] = &es[i].ActorID
		}
		for k, v := range []string{e.ActorName, e.Address, e.Action, e.ObjectType, e.ObjectID, e.Outcome, e.Detail} {
			texts[k] = append(texts[k], v)
		}
	}
	return stmt{`WITH rows AS (INSERT INTO audit_log (seq, at, actor_id, actor_name, address, action, object_type,
			object_id, outcome, detail, prev_hash, hash)
		SELECT * FROM unnest($1::BIGINT[], $2::TIMESTAMPTZ[], $3::BIGINT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[],
			$8::TEXT[], $9::TEXT[], $10::TEXT[], $11::BYTEA[], $12::BYTEA[]))
		UPDATE audit_head SET hash = $13 WHERE id = 1`,
		[]any{seq, at, actor, texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6], prev, hash, head}}
}

// auditBatch bounds the rows of one INSERT (12 parameters each).
const auditBatch = 400

// AuditBreak describes where the chain stops holding.
type AuditBreak struct {
	Seq    int64  // the first entry found altered, missing or out of place
	Reason string // "altered", "missing", "reordered", "truncated"
}

// VerifyAudit walks the whole log in order and returns the first break, or
// nil when every link holds and the head matches the last entry. Checked is
// the number of entries read.
func VerifyAudit(ctx context.Context, q Q, c Chainer) (brk *AuditBreak, checked int64, err error) {
	rows, err := q.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return nil, 0, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	var prev []byte
	var want int64 = 1
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, checked, err
		}
		checked++
		switch {
		case e.Seq != want:
			return &AuditBreak{Seq: want, Reason: "missing"}, checked, nil
		case !bytes.Equal(e.PrevHash, prev):
			return &AuditBreak{Seq: e.Seq, Reason: "reordered"}, checked, nil
		case !bytes.Equal(c.ChainHash(prev, e.canonical()), e.Hash):
			return &AuditBreak{Seq: e.Seq, Reason: "altered"}, checked, nil
		}
		prev, want = e.Hash, want+1
	}
	if err := rows.Err(); err != nil {
		return nil, checked, err
	}
	var headSeq int64
	var headHash []byte
	if err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, checked, fmt.Errorf("store: audit head: %w", err)
	}
	if headSeq != want-1 || !bytes.Equal(headHash, prev) {
		return &AuditBreak{Seq: want, Reason: "truncated"}, checked, nil
	}
	return nil, checked, nil
}

const auditCols = `seq, at, COALESCE(actor_id, 0), actor_name, address, action, object_type, object_id, outcome, detail, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (AuditEntry, error) {
	var e AuditEntry
	err := row.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Address, &e.Action, &e.ObjectType, &e.ObjectID,
		&e.Outcome, &e.Detail, &e.PrevHash, &e.Hash)
	if err != nil {
		return e, fmt.Errorf("store: scan audit: %w", err)
	}
	e.At = e.At.UTC()
	if e.PrevHash == nil {
		e.PrevHash = []byte{}
	}
	return e, nil
}

// AuditFilter narrows an audit listing. Zero fields do not filter.
type AuditFilter struct {
	Actor      string // exact account name
	Action     string // exact action, or a prefix ending in "." ("session.")
	ObjectType string
	ObjectID   string
	From, To   time.Time // [From, To)
	BeforeSeq  int64     // keyset: entries with seq below this
	Limit      int
}

// ListAudit returns entries newest first.
func ListAudit(ctx context.Context, q Q, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Actor != "" {
		add("actor_name = ?", f.Actor)
	}
	if strings.HasSuffix(f.Action, ".") {
		add("action LIKE ?", strings.ReplaceAll(f.Action, "%", "")+"%")
	} else if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		add("at >= ?", ts(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", ts(f.To))
	}
	if f.BeforeSeq > 0 {
		add("seq < ?", f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	query := `SELECT ` + auditCols + ` FROM audit_log`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	query += ` ORDER BY seq DESC LIMIT $` + strconv.Itoa(len(args))
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
