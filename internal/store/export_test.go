package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"gongjian/internal/domain"
)

// SetIndexBulk makes the people index take its bulk path from bulk stale
// people on, so that tests reach it with a few hundred people; the
// returned function restores the size.
func SetIndexBulk(bulk int) (restore func()) {
	b := bulkSync
	bulkSync = bulk
	return func() { bulkSync = b }
}

// SetIndexBatch makes the people index read its stale people n at a
// time, and write n rows a statement on PostgreSQL, so that tests reach
// several batches; the returned function restores the sizes.
func SetIndexBatch(n int) (restore func()) {
	b, r := indexBatch, pgArrayRows
	indexBatch, pgArrayRows = n, n
	return func() { indexBatch, pgArrayRows = b, r }
}

// PlanWalk names the walk planPersons chooses for f: "stretch" (the
// organizations' reach rows within the term's stretch of sort keys),
// "term" (the term's people), "reach" or "none"; "+short" when a first
// page and its total come from one walk, "+known" when the total was read
// with the sizes.
func PlanWalk(ctx context.Context, db Q, f PersonQuery) (string, error) {
	q, err := planPersons(ctx, db, f)
	if err != nil || q.none {
		return "none", err
	}
	walk := "reach"
	switch {
	case strings.HasPrefix(q.from, "(SELECT person_id, sort_key FROM person_terms"):
		walk = "term"
	case slices.ContainsFunc(q.conds, func(c string) bool { return strings.Contains(c, "MIN(sort_key)") }):
		walk = "stretch"
	}
	if q.short {
		walk += "+short"
	}
	if q.known {
		walk += "+known"
	}
	return walk, nil
}

// MayMarkPeople is mayMarkPeople, for the tests of its cases.
var MayMarkPeople = mayMarkPeople

// PeopleTables are the tables whose writes mark people stale.
var PeopleTables = peopleTables

// IndexedColumns are the columns whose update marks people stale.
var IndexedColumns = indexedColumns

// PostgresBatchTexts is the text of PostgreSQL's check-in statement for n
// scans and of its audit append for n entries.
func PostgresBatchTexts(c Chainer, n int) (checkin, audit []string) {
	scans, es := make([]Scan, n), make([]AuditEntry, n)
	for i := range n {
		scans[i] = Scan{Meeting: 1, Account: domain.AccountID(i + 1), By: "m"}
		es[i] = AuditEntry{Action: "meeting.checkin", ActorID: int64(i % 2)}
	}
	stmts, _ := reservedAudits(Postgres, c, es, AuditHead{Seq: int64(n)})
	for _, s := range stmts {
		audit = append(audit, s.query)
	}
	return []string{checkInStmt(scans, time.Now(), domain.Date{}).query}, audit
}

// ColumnsOnly hides q's dialect, so that the store reads a person
// column by column (the form that works on both databases) where it
// would read SQLite's one-value form.
func ColumnsOnly(q Q) Q { return struct{ Q }{q} }
