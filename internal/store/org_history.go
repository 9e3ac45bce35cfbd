package store

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// AddOrgEvent records one entry of an organization's history.
func AddOrgEvent(ctx context.Context, q Q, e domain.OrgEvent, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO org_events (org_id, kind, on_date, from_kind, to_kind, other_id, note, members,
		actor_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, e.OrgID, string(e.Kind), e.On,
		string(e.FromKind), string(e.ToKind), nullOrg(e.OtherID), e.Note, e.Members, e.ActorName, ts(now))
	if err != nil {
		return fmt.Errorf("store: add org event: %w", err)
	}
	return nil
}

// OrgEvents is an organization's history, oldest first.
func OrgEvents(ctx context.Context, q Q, org domain.OrgID) ([]domain.OrgEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.org_id, e.kind, e.on_date, e.from_kind, e.to_kind, COALESCE(e.other_id, 0),
		COALESCE(x.name, ''), e.note, e.members, e.actor_name, e.recorded_at
		FROM org_events e LEFT JOIN orgs x ON x.id = e.other_id WHERE e.org_id = $1 ORDER BY e.on_date, e.id`, org)
	if err != nil {
		return nil, fmt.Errorf("store: org events: %w", err)
	}
	defer rows.Close()
	var out []domain.OrgEvent
	for rows.Next() {
		var e domain.OrgEvent
		var kind, from, to string
		if err := rows.Scan(&e.ID, &e.OrgID, &kind, &e.On, &from, &to, &e.OtherID, &e.OtherName, &e.Note, &e.Members,
			&e.ActorName, &e.RecordedAt); err != nil {
			return nil, fmt.Errorf("store: scan org event: %w", err)
		}
		e.Kind, e.FromKind, e.ToKind = domain.OrgEventKind(kind), domain.OrgKind(from), domain.OrgKind(to)
		e.RecordedAt = e.RecordedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddOfficer records a position held from a date.
func AddOfficer(ctx context.Context, q Q, o domain.Officer) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO org_officers (org_id, name, position, from_date, to_date, phone)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, o.OrgID, o.Name, o.Position, o.From, o.To, o.Phone).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add officer: %w", err)
	}
	return id, nil
}

// EndOfficer closes a term on a date.
func EndOfficer(ctx context.Context, q Q, org domain.OrgID, id int64, to domain.Date) error {
	return exec1(ctx, q, "end officer", `UPDATE org_officers SET to_date = $3 WHERE id = $1 AND org_id = $2 AND to_date IS NULL`,
		id, org, to)
}

// Officers lists an organization's officers, those in office first.
func Officers(ctx context.Context, q Q, org domain.OrgID) ([]domain.Officer, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, org_id, name, position, from_date, to_date, phone FROM org_officers
		WHERE org_id = $1 ORDER BY CASE WHEN to_date IS NULL THEN 0 ELSE 1 END, from_date DESC, id`, org)
	if err != nil {
		return nil, fmt.Errorf("store: officers: %w", err)
	}
	defer rows.Close()
	var out []domain.Officer
	for rows.Next() {
		var o domain.Officer
		var to domain.Date
		if err := rows.Scan(&o.ID, &o.OrgID, &o.Name, &o.Position, &o.From, &to, &o.Phone); err != nil {
			return nil, fmt.Errorf("store: scan officer: %w", err)
		}
		o.To = to
		out = append(out, o)
	}
	return out, rows.Err()
}
