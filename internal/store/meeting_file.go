package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongjian/internal/domain"
)

// AddMeetingFile records a file kept with a meeting (the bytes are in the
// data folder under f.SHA256).
func AddMeetingFile(ctx context.Context, q Q, f domain.MeetingFile) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO meeting_files (meeting_id, name, content_type, size, sha256, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, f.MeetingID, f.Name, f.ContentType, f.Size, f.SHA256, f.UploadedBy,
		ts(f.UploadedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add meeting file: %w", err)
	}
	return id, nil
}

const meetingFileCols = `id, meeting_id, name, content_type, size, sha256, uploaded_by, uploaded_at`

func scanMeetingFile(row interface{ Scan(...any) error }) (domain.MeetingFile, error) {
	var f domain.MeetingFile
	err := row.Scan(&f.ID, &f.MeetingID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.UploadedBy, &f.UploadedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, domain.ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("store: scan meeting file: %w", err)
	}
	f.UploadedAt = f.UploadedAt.UTC()
	return f, nil
}

// MeetingFiles lists a meeting's files in the order they were added.
func MeetingFiles(ctx context.Context, q Q, id domain.MeetingID) ([]domain.MeetingFile, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+meetingFileCols+` FROM meeting_files WHERE meeting_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: meeting files: %w", err)
	}
	defer rows.Close()
	var out []domain.MeetingFile
	for rows.Next() {
		f, err := scanMeetingFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// MeetingFileByID reads one file of a meeting.
func MeetingFileByID(ctx context.Context, q Q, meeting domain.MeetingID, id int64) (domain.MeetingFile, error) {
	return scanMeetingFile(q.QueryRowContext(ctx, `SELECT `+meetingFileCols+` FROM meeting_files
		WHERE meeting_id = $1 AND id = $2`, meeting, id))
}

// MeetingFilesSize is the total size of a meeting's files, for its limit.
func MeetingFilesSize(ctx context.Context, q Q, id domain.MeetingID) (int64, error) {
	var n int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0) FROM meeting_files WHERE meeting_id = $1`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: meeting files size: %w", err)
	}
	return n, nil
}
