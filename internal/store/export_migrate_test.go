package store

import "context"

// MigrateDownTo rolls the schema back to version v, for tests of a
// migration's data handling.
func (db *DB) MigrateDownTo(ctx context.Context, v int64) error {
	p, err := db.provider(db.write, true)
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, v)
	return err
}

// AbsenceQueryParts is f's CTE, FROM … WHERE and arguments, for the test
// that compares the absence query with the one before it.
func AbsenceQueryParts(f AbsenceQuery) (cte, from string, args []any) { return f.query() }
