package store

import (
	"context"
	"fmt"
)

// SealedValue is one sealed cell and the id of its row.
type SealedValue struct {
	ID    int64
	Value string
}

// SealedColumn names a column that holds sealed values. Only the service's
// fixed list reaches this, never input, so the names may be spliced into
// the SQL.
type SealedColumn struct {
	Table, Column string
}

// SealedValues reads every non-empty sealed value of a column, in id
// order.
func SealedValues(ctx context.Context, q Q, c SealedColumn) ([]SealedValue, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, `+c.Column+` FROM `+c.Table+` WHERE `+c.Column+` <> '' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: sealed values of %s.%s: %w", c.Table, c.Column, err)
	}
	defer rows.Close()
	var out []SealedValue
	for rows.Next() {
		var v SealedValue
		if err := rows.Scan(&v.ID, &v.Value); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// UpdateSealed replaces one sealed value.
func UpdateSealed(ctx context.Context, q Q, c SealedColumn, id int64, value string) error {
	return exec1(ctx, q, "reseal", `UPDATE `+c.Table+` SET `+c.Column+` = $2 WHERE id = $1`, id, value)
}
