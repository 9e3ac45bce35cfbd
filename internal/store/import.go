package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// Import states, in the order an import passes through them. A file is
// previewed, then committed in one transaction; failed is a refused file
// or a commit that rolled back, which may be tried again. The schema also
// admits 'parsing', for a preview read in the background; today a preview
// is read within its request and kept only once read.
const (
	ImportPreviewed  = "previewed"
	ImportCommitting = "committing"
	ImportDone       = "done"
	ImportFailed     = "failed"
)

// ImportCounts are the row counts of a preview or a commit.
type ImportCounts struct {
	Total      int `json:"total"`      // data rows read (footers and blank rows not counted)
	New        int `json:"new"`        // people not yet registered
	Updated    int `json:"updated"`    // registered, and the file differs
	Unchanged  int `json:"unchanged"`  // registered, and the file says nothing new
	Duplicates int `json:"duplicates"` // a second row of an ID number already read in this file
	Rejected   int `json:"rejected"`   // rows refused, with their reasons
	Warned     int `json:"warned"`     // accepted rows that carry a warning
	Skipped    int `json:"skipped"`    // differing rows left alone in skip mode (commit only)
}

// ImportRecord is one file's import session. Preview holds the service's
// preview as JSON (the mapping and the first rejected rows and warnings);
// it names rows and columns, never an ID number or a phone.
type ImportRecord struct {
	SHA256      string
	FileName    string
	Size        int64
	State       string
	Mode        string
	OriginOrgID domain.OrgID
	ActorID     domain.AccountID // zero: the system (the command line)
	ActorName   string
	Counts      ImportCounts
	Preview     string
	Error       string // message ID of a refusal or failure
	CreatedAt   time.Time
	UpdatedAt   time.Time
	FinishedAt  *time.Time
}

const importCols = `sha256, file_name, size, state, mode, origin_org_id, actor_id, actor_name, total_rows, new_rows,
	updated_rows, unchanged_rows, duplicate_rows, rejected_rows, warned_rows, skipped_rows, preview, error, created_at,
	updated_at, finished_at`

func scanImport(row interface{ Scan(...any) error }) (ImportRecord, error) {
	var r ImportRecord
	var origin, actor sql.NullInt64
	var finished sql.NullTime
	c := &r.Counts
	err := row.Scan(&r.SHA256, &r.FileName, &r.Size, &r.State, &r.Mode, &origin, &actor, &r.ActorName, &c.Total, &c.New,
		&c.Updated, &c.Unchanged, &c.Duplicates, &c.Rejected, &c.Warned, &c.Skipped, &r.Preview, &r.Error, &r.CreatedAt,
		&r.UpdatedAt, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("store: scan import: %w", err)
	}
	r.OriginOrgID, r.ActorID = domain.OrgID(origin.Int64), domain.AccountID(actor.Int64)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if finished.Valid {
		t := finished.Time.UTC()
		r.FinishedAt = &t
	}
	return r, nil
}

// ImportBySHA reads one file's import session.
func ImportBySHA(ctx context.Context, q Q, sha string) (ImportRecord, error) {
	return scanImport(q.QueryRowContext(ctx, `SELECT `+importCols+` FROM imports WHERE sha256 = $1`, sha))
}

// ImportsBy lists an account's latest import sessions, newest first.
func ImportsBy(ctx context.Context, q Q, actor domain.AccountID, limit int) ([]ImportRecord, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+importCols+` FROM imports WHERE actor_id = $1
		ORDER BY updated_at DESC, sha256 LIMIT $2`, actor, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list imports: %w", err)
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		r, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func nullID[T ~int64](id T) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// SaveImport writes a session as a preview leaves it (previewed or
// failed), unless the file is already done: then it changes nothing and
// reports false.
func SaveImport(ctx context.Context, q Q, r ImportRecord, now time.Time) (bool, error) {
	c := r.Counts
	res, err := q.ExecContext(ctx, `INSERT INTO imports (sha256, file_name, size, state, mode, origin_org_id, actor_id,
		actor_name, total_rows, new_rows, updated_rows, unchanged_rows, duplicate_rows, rejected_rows, warned_rows, skipped_rows,
		preview, error, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
		$17, $18, $19, $19)
		ON CONFLICT (sha256) DO UPDATE SET file_name = excluded.file_name, size = excluded.size, state = excluded.state,
		mode = excluded.mode, origin_org_id = excluded.origin_org_id, actor_id = excluded.actor_id,
		actor_name = excluded.actor_name, total_rows = excluded.total_rows, new_rows = excluded.new_rows,
		updated_rows = excluded.updated_rows, unchanged_rows = excluded.unchanged_rows,
		duplicate_rows = excluded.duplicate_rows, rejected_rows = excluded.rejected_rows,
		warned_rows = excluded.warned_rows, skipped_rows = excluded.skipped_rows, preview = excluded.preview,
		error = excluded.error, updated_at = excluded.updated_at
		WHERE imports.state <> 'done'`,
		r.SHA256, r.FileName, r.Size, r.State, r.Mode, nullID(r.OriginOrgID), nullID(r.ActorID), r.ActorName, c.Total, c.New,
		c.Updated, c.Unchanged, c.Duplicates, c.Rejected, c.Warned, c.Skipped, r.Preview, r.Error, ts(now))
	if err != nil {
		return false, fmt.Errorf("store: save import: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClaimImport marks a session committing, in a transaction of its own so
// that pages see it at once; false means the file is done or a commit of
// it is running now. A session left committing by a process that died
// (kill -9, power) is claimed again: on PostgreSQL a running commit holds
// the row's lock (LockImport), which SKIP LOCKED tells from a dead one; on
// SQLite the claim gets the write lock only when no commit runs.
func ClaimImport(ctx context.Context, tx Tx, sha string, now time.Time) (bool, error) {
	query := `UPDATE imports SET state = 'committing', error = '', updated_at = $2 WHERE sha256 = $1 AND state <> 'done'`
	if tx.Dialect() == Postgres {
		query = `UPDATE imports SET state = 'committing', error = '', updated_at = $2 WHERE sha256 =
			(SELECT sha256 FROM imports WHERE sha256 = $1 AND state <> 'done' FOR UPDATE SKIP LOCKED)`
	}
	res, err := tx.ExecContext(ctx, query, sha, ts(now))
	if err != nil {
		return false, fmt.Errorf("store: claim import: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishImport marks the file done with the commit's counts and findings
// (preview), at the end of the commit's transaction (after LockImport).
// False means the file was already done.
func FinishImport(ctx context.Context, tx Tx, sha string, c ImportCounts, preview string, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE imports SET state = 'done', error = '', total_rows = $2, new_rows = $3,
		updated_rows = $4, unchanged_rows = $5, duplicate_rows = $6, rejected_rows = $7, warned_rows = $8, skipped_rows = $9,
		preview = $11, updated_at = $10, finished_at = $10 WHERE sha256 = $1 AND state <> 'done'`,
		sha, c.Total, c.New, c.Updated, c.Unchanged, c.Duplicates, c.Rejected, c.Warned, c.Skipped, ts(now), preview)
	if err != nil {
		return false, fmt.Errorf("store: finish import: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FailImport records that a commit rolled back, with the message ID of
// the reason; the file may be committed again.
func FailImport(ctx context.Context, q Q, sha, msgID string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE imports SET state = 'failed', error = $2, updated_at = $3
		WHERE sha256 = $1 AND state <> 'done'`, sha, msgID, ts(now))
	if err != nil {
		return fmt.Errorf("store: fail import: %w", err)
	}
	return nil
}

// LockImport marks the session committing again inside the commit's own
// transaction, which on PostgreSQL holds the row's lock until the end: a
// second commit of the same file waits here and then finds it done. False
// means the file is already done and the caller must write nothing.
func LockImport(ctx context.Context, tx Tx, sha string, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE imports SET state = 'committing', updated_at = $2
		WHERE sha256 = $1 AND state <> 'done'`, sha, ts(now))
	if err != nil {
		return false, fmt.Errorf("store: lock import: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteExpiredImports forgets the sessions that never finished and were
// last touched before `before` (previews nobody committed, refused files,
// commits whose process died). A done import is kept for good: it is what
// makes a second import of the file a no-op.
func DeleteExpiredImports(ctx context.Context, q Q, before time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM imports WHERE state <> 'done' AND updated_at < $1`, ts(before))
	if err != nil {
		return 0, fmt.Errorf("store: delete expired imports: %w", err)
	}
	return res.RowsAffected()
}
