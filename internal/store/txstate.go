package store

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
)

// What a write transaction has done, as far as its commit needs to know.
// syncPersons starts with a read of person_stale, which on PostgreSQL is
// one more round trip inside every transaction, while it holds its locks
// (a check-in batch holds the audit chain's head). Only a statement that
// writes persons, memberships or organizations can mark people stale —
// an insert or a delete, or an update of a column the index is built from:
// the triggers of migrations 00015 and 00021 are on those three tables with those
// columns in their conditions, no foreign key cascades into the tables and
// no other trigger writes them (all checked against the schema by
// TestOnlyPeopleTablesMarkPeople). So Tx looks at each statement's text,
// and a transaction whose statements cannot fire those triggers commits
// without the read.

// txState is shared by the copies of one transaction's Tx.
type txState struct {
	people bool          // a statement may have marked people stale
	count  *atomic.Int64 // round trips, when the DB counts them (Counted)
	stmts  map[string]*sql.Stmt
	conn   *sql.Conn // the transaction's connection, on PostgreSQL
}

// peopleTables are the tables whose writes mark people stale.
var peopleTables = []string{"persons", "memberships", "orgs"}

// indexedColumns are, per people table, the columns whose update marks
// people stale (the conditions of the update triggers).
var indexedColumns = map[string][]string{
	"persons": {"name", "pinyin", "initials", "sort_key", "origin_org_id", "city_code", "gender", "id_masked", "phone_masked",
		"district_code", "employer", "industry", "version"},
	"memberships": {"status", "home_org_id", "mobile_org_id", "person_id"},
	"orgs":        {"path"},
}

// updateRE finds an update's table and its SET list (up to the first
// WHERE, FROM or RETURNING), in a lower-cased statement.
var updateRE = regexp.MustCompile(`(?s)^update\s+(\w+)\s+(?:\w+\s+)?set\s(.*?)(?:\bwhere\b|\bfrom\b|\breturning\b|$)`)

// mayMarkPeople reports whether a statement could mark people stale. A
// plain SELECT cannot; a single UPDATE of a people table can when its SET
// list names one of the table's indexed columns or holds a subquery; any
// other statement can when it names a people table as a word. It errs on
// the side of yes: a no is only ever a statement that cannot fire the
// triggers.
func mayMarkPeople(query string) bool {
	q := strings.ToLower(strings.TrimLeft(query, " \t\r\n("))
	if strings.HasPrefix(q, "select") {
		return false
	}
	single := !strings.Contains(strings.TrimRight(q, "; \t\r\n"), ";")
	if m := updateRE.FindStringSubmatch(q); m != nil && single {
		if cols, ok := indexedColumns[m[1]]; ok {
			return namesWord(m[2], "select") || slices.ContainsFunc(cols, func(c string) bool { return namesWord(m[2], c) })
		}
	}
	return slices.ContainsFunc(peopleTables, func(t string) bool { return namesWord(q, t) })
}

// namesWord reports whether word occurs in s with no letter, digit or
// underscore on either side ("orgs" in "FROM orgs o", not in
// "agreement_orgs").
func namesWord(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		if (start == 0 || !wordByte(s[start-1])) && (end == len(s) || !wordByte(s[end])) {
			return true
		}
		i = start + 1
	}
}

func wordByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func (tx Tx) note(query string) {
	if tx.st == nil {
		return
	}
	if !tx.st.people && mayMarkPeople(query) {
		tx.st.people = true
	}
	tx.st.tick()
}

func (st *txState) tick() {
	if st != nil && st.count != nil {
		st.count.Add(1)
	}
}

// ExecContext runs a statement in the transaction.
func (tx Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tx.note(query)
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction.
func (tx Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.note(query)
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query for one row in the transaction.
func (tx Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.note(query)
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// PrepareContext prepares a statement in the transaction, once: the
// same text again returns the same statement, which the transaction
// closes when it ends (callers do not). The bulk writers run statements
// of thousands of parameters, which cost more to compile than to run;
// and database/sql keeps every statement a transaction prepared until it
// ends, closed or not, so a statement prepared per call kept each call's
// text (21 MiB of a 200,000-row import's live heap, measured 2026-11-30).
// Its executions are judged (and counted) once, here.
func (tx Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := tx.st.stmts[query]; ok {
		return st, nil
	}
	tx.note(query)
	st, err := tx.Tx.PrepareContext(ctx, query)
	if err == nil {
		if tx.st.stmts == nil {
			tx.st.stmts = map[string]*sql.Stmt{}
		}
		tx.st.stmts[query] = st
	}
	return st, err
}

// markPeople makes the transaction index whatever is stale before it
// commits, whatever its statements were (IndexPersons).
func (tx Tx) markPeople() {
	if tx.st != nil {
		tx.st.people = true
	}
}

// Counted returns a handle on the same pools that adds one to n for every
// round trip it makes: each statement on the read pool, and each
// statement, begin and commit of its transactions (statements sent
// together count once: CheckInAudited). Tests and benchmarks
// count what a request costs with it. Close the original, not this one.
func (db *DB) Counted(n *atomic.Int64) *DB {
	c := *db
	c.count = n
	c.reader = countingQ{Q: db.reader, n: n}
	return &c
}

// countingQ counts the statements run on a Q.
type countingQ struct {
	Q
	n *atomic.Int64
}

func (c countingQ) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.Q.ExecContext(ctx, query, args...)
}

func (c countingQ) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.Q.QueryContext(ctx, query, args...)
}

func (c countingQ) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.Q.QueryRowContext(ctx, query, args...)
}
