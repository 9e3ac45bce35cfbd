package store

// Writing the people index's rows many at a time (rowWriter): multi-row
// INSERTs on SQLite, COPY and unnest statements on PostgreSQL.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// rowWriter inserts rows of width columns into a table, many rows a
// statement.
//
// On SQLite a statement holds at most 6,000 parameters, and the one for a
// full statement is parsed once a transaction (parsing thousands of
// values took a fifth of a bulk pass, measured). The index's statements
// are INSERT OR IGNORE there: a statement that cannot abort half-way
// needs no statement journal, which otherwise copies every page the rows
// land on (most of the time of a bulk import, measured); the rows were
// deleted just before, so there is nothing to ignore. (The people's own
// tables keep their statement journals: an immediate foreign key makes a
// multi-row statement one that may abort, whatever its conflict clause
// or defer_foreign_keys.)
//
// On PostgreSQL the index's rows go by COPY (Tx.copyFrom), pgArrayRows
// at a time: no statement to plan, no parameter per value, and the server
// fills a page at a time where INSERT … SELECT stores row by row (in the
// lab, 2 million term rows wrote 118 MB of WAL for the table by COPY
// against 209 MB by INSERT, 2026-11-30, decision 0007 "session 8"). The
// upserts of the counts (a suffix) send each column as one array and
// select their rows from unnest: one text whatever the count, and no
// encoding of a parameter per value, which took a quarter of the import's
// CPU in the driver (200,000 people, measured 2026-11-30). Their columns
// hold int64 or string values.
type rowWriter struct {
	ctx            context.Context
	tx             Tx
	insert, suffix string
	table          string   // for COPY: the index's tables on PostgreSQL
	columns        []string // for COPY
	width          int
	args           []any
	full           *sql.Stmt
	err            error
}

// pgArrayRows is how many rows a PostgreSQL statement of rowWriter takes.
var pgArrayRows = 5000

// newIndexWriter writes rows into a table of the index (see rowWriter).
func newIndexWriter(ctx context.Context, tx Tx, table string, columns ...string) *rowWriter {
	if tx.Dialect() == Postgres {
		w := newRowWriter(ctx, tx, "", len(columns), "") // COPY: no statement
		w.table, w.columns = table, columns
		return w
	}
	return newRowWriter(ctx, tx, "INSERT OR IGNORE INTO "+table+" ("+strings.Join(columns, ", ")+")", len(columns), "")
}

// newRowWriter writes rows by insert (INSERT … INTO table (columns)),
// each statement ending in suffix.
func newRowWriter(ctx context.Context, tx Tx, insert string, width int, suffix string) *rowWriter {
	per := 6000 / width * width
	if tx.Dialect() == Postgres {
		per = pgArrayRows * width
	}
	return &rowWriter{ctx: ctx, tx: tx, insert: insert, suffix: suffix, width: width, args: make([]any, 0, per)}
}

// add appends one row, writing a full statement's worth when there is.
func (w *rowWriter) add(cols ...any) {
	w.args = append(w.args, cols...)
	if len(w.args) == cap(w.args) {
		w.write(true)
	}
}

// close writes what is left and reports the first error.
func (w *rowWriter) close() error {
	if len(w.args) > 0 {
		w.write(false)
	}
	if w.err != nil {
		return fmt.Errorf("store: person index: %w", w.err)
	}
	return nil
}

// write runs the statement for the rows gathered, prepared once when it
// is a full one or on PostgreSQL (where every statement is the same).
func (w *rowWriter) write(full bool) {
	defer func() { w.args = w.args[:0] }()
	if w.err != nil {
		return
	}
	args := w.args
	sqlite := func() string { return w.insert + ` VALUES ` + values(SQLite, len(args)/w.width, w.width) + w.suffix }
	switch {
	case w.table != "":
		n := len(args) / w.width
		_, w.err = w.tx.copyFrom(w.ctx, w.table, w.columns, pgx.CopyFromSlice(n, func(i int) ([]any, error) {
			return args[i*w.width : (i+1)*w.width], nil
		}))
		return
	case w.tx.Dialect() == Postgres:
		var query string
		if query, args, w.err = unnest(w.insert, w.suffix, w.args, w.width); w.err == nil && w.full == nil {
			w.full, w.err = w.tx.PrepareContext(w.ctx, query)
		}
	case !full:
		_, w.err = w.tx.ExecContext(w.ctx, sqlite(), args...)
		return
	case w.full == nil:
		w.full, w.err = w.tx.PrepareContext(w.ctx, sqlite())
	}
	if w.err == nil {
		_, w.err = w.full.ExecContext(w.ctx, args...)
	}
}

// pgColumn gathers column j of rows of width columns into an array.
func pgColumn[T int64 | string](rows []any, width, j int) ([]T, error) {
	col := make([]T, len(rows)/width)
	for i := range col {
		v, ok := rows[i*width+j].(T)
		if !ok {
			return nil, fmt.Errorf("column %d mixes %T with %T", j, rows[i*width+j], v)
		}
		col[i] = v
	}
	return col, nil
}

// unnest turns rows of width columns into a PostgreSQL statement that
// selects them from one array a column.
func unnest(insert, suffix string, rows []any, width int) (string, []any, error) {
	var b strings.Builder
	b.WriteString(insert + ` SELECT * FROM unnest(`)
	arrays := make([]any, width)
	for j := range width {
		if j > 0 {
			b.WriteString(", ")
		}
		var err error
		switch rows[j].(type) {
		case int64:
			arrays[j], err = pgColumn[int64](rows, width, j)
			fmt.Fprintf(&b, "$%d::bigint[]", j+1)
		case string:
			arrays[j], err = pgColumn[string](rows, width, j)
			fmt.Fprintf(&b, "$%d::text[]", j+1)
		default:
			err = fmt.Errorf("column %d holds %T, not int64 or string", j, rows[j])
		}
		if err != nil {
			return "", nil, err
		}
	}
	b.WriteString(`)` + suffix)
	return b.String(), arrays, nil
}
