package store

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// Contact is one contact with a person, or one attempt to reach them
// (Reached false): the lost-contact warning counts from the latest reached
// contact and lists the attempts as the steps taken.
type Contact struct {
	ID         int64
	PersonID   domain.PersonID
	On         domain.Date
	Channel    string // meeting, checkin, dues, feedback, phone, visit, message, self_report, other
	Reached    bool
	Note       string
	ActorName  string
	RecordedAt time.Time
}

// ContactChannels are the channels the schema accepts.
var ContactChannels = []string{"meeting", "checkin", "dues", "feedback", "phone", "visit", "message", "self_report", "other"}

// AddContact records a contact; a reached one also moves the member's last
// contact forward (never back: contacts may be entered late).
func AddContact(ctx context.Context, q Q, c Contact) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, `INSERT INTO person_contacts (person_id, on_date, channel, reached, note, actor_name, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.PersonID, c.On, c.Channel, c.Reached, c.Note, c.ActorName,
		ts(c.RecordedAt)).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: add contact: %w", err)
	}
	if !c.Reached {
		return id, nil
	}
	if _, err := q.ExecContext(ctx, `UPDATE memberships SET last_contact_on = $1
		WHERE person_id = $2 AND (last_contact_on IS NULL OR last_contact_on < $1)`, c.On, c.PersonID); err != nil {
		return 0, fmt.Errorf("store: add contact: %w", err)
	}
	return id, nil
}

// AddContacts is AddContact for many contacts at once (a batch of QR
// check-ins): one multi-row insert, and for the reached ones one update
// of the last contact per day.
func AddContacts(ctx context.Context, tx Tx, cs []Contact) error {
	byDay := map[domain.Date][]any{}
	for start := 0; start < len(cs); start += contactBatch {
		chunk := cs[start:min(start+contactBatch, len(cs))]
		args := make([]any, 0, 7*len(chunk))
		for _, c := range chunk {
			args = append(args, c.PersonID, c.On, c.Channel, c.Reached, c.Note, c.ActorName, ts(c.RecordedAt))
			if c.Reached {
				byDay[c.On] = append(byDay[c.On], c.PersonID)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO person_contacts (person_id, on_date, channel, reached, note, actor_name,
			recorded_at) VALUES `+values(tx.Dialect(), len(chunk), 7), args...); err != nil {
			return fmt.Errorf("store: add contacts: %w", err)
		}
	}
	for day, persons := range byDay {
		for len(persons) > 0 {
			n := min(len(persons), 1000)
			if _, err := tx.ExecContext(ctx, `UPDATE memberships SET last_contact_on = $1 WHERE person_id IN (`+
				castList(tx.Dialect(), 1, n, "")+`) AND (last_contact_on IS NULL OR last_contact_on < $1)`,
				append([]any{day}, persons[:n]...)...); err != nil {
				return fmt.Errorf("store: add contacts: %w", err)
			}
			persons = persons[n:]
		}
	}
	return nil
}

// contactBatch bounds the rows of one insert (seven parameters each).
const contactBatch = 400

// Contacts lists a person's contacts and attempts, newest first.
func Contacts(ctx context.Context, q Q, person domain.PersonID, limit int) ([]Contact, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, person_id, on_date, channel, reached, note, actor_name, recorded_at
		FROM person_contacts WHERE person_id = $1 ORDER BY on_date DESC, id DESC LIMIT $2`, person, limit)
	if err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		var c Contact
		if err := rows.Scan(&c.ID, &c.PersonID, &c.On, &c.Channel, &c.Reached, &c.Note, &c.ActorName, &c.RecordedAt); err != nil {
			return nil, fmt.Errorf("store: contacts: %w", err)
		}
		c.RecordedAt = c.RecordedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
