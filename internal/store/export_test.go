package store

// SetIndexBulk makes the people index take its bulk path from bulk stale
// people on, so that tests reach it with a few hundred people; the
// returned function restores the size.
func SetIndexBulk(bulk int) (restore func()) {
	b := bulkSync
	bulkSync = bulk
	return func() { bulkSync = b }
}

// MayMarkPeople is mayMarkPeople, for the tests of its cases.
var MayMarkPeople = mayMarkPeople

// PeopleTables are the tables whose writes mark people stale.
var PeopleTables = peopleTables

// IndexedColumns are the columns whose update marks people stale.
var IndexedColumns = indexedColumns
