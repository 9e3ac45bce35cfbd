// Package store keeps the product's records in SQLite or PostgreSQL. SQL is
// written once with $N placeholders and runs on both; the few differences
// live in dialect.go and in the twin migration folders. Writes go through
// Tx, which on SQLite uses a single-connection pool with IMMEDIATE
// transactions (so no user ever sees SQLITE_BUSY) and on PostgreSQL retries
// serialization failures.
package store
