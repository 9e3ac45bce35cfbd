package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongjian/internal/domain"
)

// The host side's attendance at joint meetings (migration 00017): named
// people and headcounts, kept apart from the sheet of the register's
// members.

const hostCols = `id, meeting_id, name, post, party_member, headcount, added_by, added_at`

func hostArgs(h domain.HostAttendee) []any {
	var party any
	if h.PartyMember != nil {
		party = *h.PartyMember
	}
	return []any{h.MeetingID, h.Name, h.Post, party, max(h.Headcount, 1), h.AddedBy, ts(h.AddedAt)}
}

// AddHostAttendee records one line of a meeting's host side.
func AddHostAttendee(ctx context.Context, q Q, h domain.HostAttendee) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, `INSERT INTO meeting_hosts (meeting_id, name, post, party_member, headcount, added_by, added_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, hostArgs(h)...).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: add host attendee: %w", err)
	}
	return id, nil
}

// InsertHostAttendees stores many lines at once (the bulk loaders).
func InsertHostAttendees(ctx context.Context, tx Tx, hs []domain.HostAttendee) error {
	return insertRows(ctx, tx, "host attendees", `meeting_hosts (meeting_id, name, post, party_member, headcount, added_by,
		added_at)`, "", len(hs), 7, func(i int) []any { return hostArgs(hs[i]) }, nil)
}

func scanHost(row interface{ Scan(...any) error }) (domain.HostAttendee, error) {
	var h domain.HostAttendee
	var party sql.NullBool
	err := row.Scan(&h.ID, &h.MeetingID, &h.Name, &h.Post, &party, &h.Headcount, &h.AddedBy, &h.AddedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return h, domain.ErrNotFound
	}
	if err != nil {
		return h, fmt.Errorf("store: scan host attendee: %w", err)
	}
	if party.Valid {
		h.PartyMember = &party.Bool
	}
	h.AddedAt = h.AddedAt.UTC()
	return h, nil
}

// HostAttendees lists a meeting's host side: the named people first, in
// the order they were added, then the headcounts.
func HostAttendees(ctx context.Context, q Q, id domain.MeetingID) ([]domain.HostAttendee, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+hostCols+` FROM meeting_hosts WHERE meeting_id = $1
		ORDER BY CASE WHEN name = '' THEN 1 ELSE 0 END, id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: host attendees: %w", err)
	}
	defer rows.Close()
	var out []domain.HostAttendee
	for rows.Next() {
		h, err := scanHost(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// HostAttendeeByID reads one line of a meeting's host side.
func HostAttendeeByID(ctx context.Context, q Q, meeting domain.MeetingID, id int64) (domain.HostAttendee, error) {
	return scanHost(q.QueryRowContext(ctx, `SELECT `+hostCols+` FROM meeting_hosts WHERE meeting_id = $1 AND id = $2`, meeting, id))
}

// DeleteHostAttendee removes one line of a meeting's host side.
func DeleteHostAttendee(ctx context.Context, q Q, meeting domain.MeetingID, id int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM meeting_hosts WHERE meeting_id = $1 AND id = $2`, meeting, id)
	if err != nil {
		return fmt.Errorf("store: delete host attendee: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// CountHostLines counts the lines of a meeting's host side, for its limit.
func CountHostLines(ctx context.Context, q Q, id domain.MeetingID) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_hosts WHERE meeting_id = $1`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count host lines: %w", err)
	}
	return n, nil
}
