package store

import "context"

// MigrateDownTo rolls the schema back to version v, for tests of a
// migration's data handling.
func (db *DB) MigrateDownTo(ctx context.Context, v int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, v)
	return err
}
