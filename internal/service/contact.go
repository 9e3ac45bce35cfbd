package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Contacts with members and the lost-contact warning (party-rules.md
// §2.4). A reached contact — recorded here by an official, or later by a
// meeting's attendance, a QR check-in or a dues payment, all through
// store.AddContact — moves the member's last contact forward; an attempt
// that failed is a step taken to reach them. The scheduled check
// (CheckContacts) reads every member's last contact against the
// thresholds, a setting the county edits.

// ContactInput is one contact or attempt as an official records it.
type ContactInput struct {
	On      domain.Date
	Channel string
	Reached bool
	Note    string
}

// maxContactNote bounds a contact's note, in characters.
const maxContactNote = 500

// checkContact validates a contact for the person: a known channel, a
// date neither in the future nor before the person was born, a short note.
func (s *Service) checkContact(p store.PersonRow, in *ContactInput) error {
	in.Note = strings.TrimSpace(in.Note)
	switch {
	case !slices.Contains(store.ContactChannels, in.Channel):
		return domain.Invalid("channel", "contact.channel_invalid", nil)
	case in.On.IsZero():
		return domain.Invalid("on", "contact.date_required", nil)
	case in.On.After(s.Today()):
		return domain.Invalid("on", "contact.date_future", nil)
	case !p.BirthOn.IsZero() && in.On.Before(p.BirthOn):
		return domain.Invalid("on", "contact.date_before_birth", nil)
	case utf8.RuneCountInString(in.Note) > maxContactNote:
		return domain.Invalid("note", "contact.note_long", map[string]any{"Max": maxContactNote})
	}
	return nil
}

// RecordContact records a contact with a person, or an attempt to reach
// them, where the actor may write the person's record. A reached contact
// that brings a flagged member's last contact back within the thresholds
// clears the warning at once, with an event in the member's history.
func (s *Service) RecordContact(ctx context.Context, a *authz.Actor, id domain.PersonID, in ContactInput) (int64, error) {
	th, err := s.ContactThresholds(ctx)
	if err != nil {
		return 0, err
	}
	var cid int64
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		p, err := s.personFor(ctx, tx, a, id, authz.PersonWrite)
		if err != nil {
			return err
		}
		if err := s.checkContact(p, &in); err != nil {
			return err
		}
		if cid, err = store.AddContact(ctx, tx, store.Contact{PersonID: id, On: in.On, Channel: in.Channel, Reached: in.Reached,
			Note: in.Note, ActorName: a.Name, RecordedAt: s.Now()}); err != nil {
			return err
		}
		if in.Reached {
			if err := s.rereadContactState(ctx, tx, a, p, in.On, th); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, "contact.record", "person", fmt.Sprint(id), "ok",
			map[string]any{"on": in.On, "channel": in.Channel, "reached": in.Reached, "contact": cid})
	})
	return cid, err
}

// rereadContactState reads a member's state again after a reached contact
// on on, and writes it with its event when it changed.
func (s *Service) rereadContactState(ctx context.Context, tx store.Tx, a *authz.Actor, p store.PersonRow, on domain.Date, th domain.ContactThresholds) error {
	m := p.Membership
	if m == nil || !m.ContactState.Flagged() {
		return nil
	}
	last := on
	if m.LastContactOn.After(last) {
		last = m.LastContactOn
	}
	next := th.StateOn(last, s.Today())
	if next == m.ContactState {
		return nil
	}
	if err := store.SetContactState(ctx, tx, p.ID, next, s.Today()); err != nil {
		return err
	}
	d, _ := json.Marshal(map[string]any{"from": m.ContactState, "to": next})
	return store.AddPersonEvent(ctx, tx, p.ID, "contact_state", s.Today(), string(d), a.Name, s.Now())
}

// maxContactsShown bounds a person's contact list.
const maxContactsShown = 200

// Contacts lists a person's contacts and attempts, newest first.
func (s *Service) Contacts(ctx context.Context, a *authz.Actor, id domain.PersonID) ([]store.Contact, error) {
	if _, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonRead); err != nil {
		return nil, err
	}
	return store.Contacts(ctx, s.db.Read(), id, maxContactsShown)
}

const contactThresholdsKey = "contact_thresholds"

// ContactThresholds returns the lost-contact thresholds in force.
func (s *Service) ContactThresholds(ctx context.Context) (domain.ContactThresholds, error) {
	return loadSetting(ctx, s, contactThresholdsKey, domain.DefaultContactThresholds())
}

// CanSetContactThresholds reports whether the actor may change the
// thresholds: they apply to every member of the county, so it takes
// person:write over the whole origin side, at each of its roots (the
// county officer; a township or branch secretary cannot).
func (s *Service) CanSetContactThresholds(ctx context.Context, a *authz.Actor) (bool, error) {
	return s.countyWide(ctx, a, authz.PersonWrite)
}

// SetContactThresholds stores new thresholds, audited with the old ones.
func (s *Service) SetContactThresholds(ctx context.Context, a *authz.Actor, t domain.ContactThresholds) error {
	ok, err := s.CanSetContactThresholds(ctx, a)
	if err != nil {
		return err
	}
	if !ok {
		return s.denied(ctx, a, "contact.thresholds", "setting", contactThresholdsKey, domain.ErrForbidden)
	}
	if err := t.Check(); err != nil {
		return err
	}
	old, err := s.ContactThresholds(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.PersonWrite, "contact.thresholds", contactThresholdsKey, old, t)
}

// CanWritePerson reports whether the actor may write the person's record
// (and so record contacts), for pages that offer the forms.
func (s *Service) CanWritePerson(ctx context.Context, a *authz.Actor, id domain.PersonID) bool {
	_, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonWrite)
	return err == nil
}
