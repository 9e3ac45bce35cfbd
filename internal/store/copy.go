package store

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyFrom writes rows into table's columns with PostgreSQL's COPY, in
// the transaction: its connection's pgx handle sends them in the binary
// format, with no statement to plan and no driver parameter per value,
// and the server stores them a page at a time (heap_multi_insert) where
// an INSERT … SELECT stores them one by one. The table's triggers fire as
// for an INSERT (the people index's statement triggers included), and a
// unique violation fails it as it would fail an INSERT. PostgreSQL only.
func (tx Tx) copyFrom(ctx context.Context, table string, columns []string, rows pgx.CopyFromSource) (int64, error) {
	if tx.dialect != Postgres || tx.st == nil || tx.st.conn == nil {
		return 0, errors.New("store: COPY needs a PostgreSQL transaction")
	}
	tx.note("COPY " + table + " (" + strings.Join(columns, ", ") + ") FROM STDIN")
	var n int64
	err := tx.st.conn.Raw(func(dc any) error {
		var err error
		n, err = dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, rows)
		return err
	})
	return n, err
}
