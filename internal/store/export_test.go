package store

// SetIndexBulk makes the people index take its bulk path from bulk stale
// people on, so that tests reach it with a few hundred people; the
// returned function restores the size.
func SetIndexBulk(bulk int) (restore func()) {
	b := bulkSync
	bulkSync = bulk
	return func() { bulkSync = b }
}
