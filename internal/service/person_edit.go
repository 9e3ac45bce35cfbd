package service

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Editing a person and correcting a membership. Both name the version the
// editor saw and change nothing when it moved on; both write an event in
// the person's history with who and when, and an audit entry with the
// masked values before and after. The checks are the registration's
// (preparePerson), so an edit cannot store what registration refuses.

// UpdatePerson changes a person's own data. in is the whole record as the
// editor wants it; an empty ID number or phone keeps the stored one
// (edit forms show only masked values). A new ID number needs the
// sensitive-data permission where the person belongs. The organizations
// do not change here (see ChangeMembership and Place).
func (s *Service) UpdatePerson(ctx context.Context, a *authz.Actor, id domain.PersonID, in NewPerson, version int64) error {
	cur, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonWrite)
	if err != nil {
		return err
	}
	in.IDNumber, in.Phone = strings.TrimSpace(in.IDNumber), strings.TrimSpace(in.Phone)
	setID, setPhone := in.IDNumber != "", in.Phone != ""
	if setID {
		if _, err := s.personFor(ctx, s.db.Read(), a, id, authz.SensitiveRead); err != nil {
			return s.denied(ctx, a, "person.update", "person", fmt.Sprint(id), domain.ErrForbidden)
		}
	}
	in.OriginOrgID, in.Membership = cur.OriginOrgID, nil
	if !setID && cur.IDNumber != "" {
		in.Gender = "" // the stored ID number decides
	}
	p, err := s.preparePerson(in)
	if err != nil {
		return err
	}
	p.ID, p.Version = id, version
	if !setID {
		p.IDNumber, p.BirthOn = cur.IDNumber, cur.BirthOn
		if cur.IDNumber != "" {
			p.Gender = cur.Gender
		}
	}
	if !setPhone {
		p.Phone = cur.Phone
	}
	before, after := personDiff(cur.Person, p.Person)
	if len(after) == 0 && !setID && !setPhone {
		if cur.Version != version {
			return domain.ErrStale
		}
		return nil
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if _, err := s.personFor(ctx, tx, a, id, authz.PersonWrite); err != nil {
			return err
		}
		if err := store.UpdatePerson(ctx, tx, p, setID, setPhone, s.Now()); err != nil {
			return err
		}
		kind, d := "edited", map[string]any{"fields": fieldNames(after)}
		if cur.CityCode != p.CityCode || cur.DistrictCode != p.DistrictCode {
			kind, d = "moved", map[string]any{"from_city": cur.CityCode, "to_city": p.CityCode,
				"from_district": cur.DistrictCode, "to_district": p.DistrictCode}
		}
		if err := store.AddPersonEvent(ctx, tx, id, kind, s.Today(), detail(d), a.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "person.update", "person", fmt.Sprint(id), "ok", change{Before: before, After: after})
	})
}

// personDiff lists the fields that differ between two versions of a
// person, as the audit log shows them: ID number and phone masked.
func personDiff(old, next domain.Person) (before, after map[string]any) {
	view := func(p domain.Person) map[string]any {
		return map[string]any{"name": p.Name, "gender": p.Gender, "ethnicity": p.Ethnicity, "id_number": string(p.IDNumber),
			"phone": string(p.Phone), "education": p.Education, "hometown_code": p.HometownCode,
			"hometown_village": p.HometownVillage, "left_home_on": p.LeftHomeOn.String(), "city_code": p.CityCode,
			"district_code": p.DistrictCode, "address": p.Address, "employer": p.Employer, "employer_uscc": p.EmployerUSCC,
			"industry": p.Industry, "occupation": p.Occupation}
	}
	o, n := view(old), view(next)
	before, after = map[string]any{}, map[string]any{}
	for k, v := range n {
		if o[k] != v {
			before[k], after[k] = o[k], v
		}
	}
	return before, after
}

func fieldNames(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// MembershipChange is a corrected or recorded membership: the status with
// the date it took effect, the dates joined and full, and the home
// organization (a change is a transfer). Reason is required: status
// changes through member development come with their own steps; this is
// the record's correction path.
type MembershipChange struct {
	Status    domain.MemberStatus
	JoinedOn  domain.Date
	FullOn    domain.Date
	HomeOrgID domain.OrgID
	On        domain.Date // when the change took effect; zero: today
	Reason    string
	Version   int64 // the membership's
}

// ChangeMembership records a membership change. A transfer needs
// person:write at both the old and the new home organization; the
// origin follows the home when it was the home.
func (s *Service) ChangeMembership(ctx context.Context, a *authz.Actor, id domain.PersonID, in MembershipChange) error {
	cur, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonWrite)
	if err != nil {
		return err
	}
	m := cur.Membership
	if m == nil {
		return domain.Rule("membership.not_member", nil)
	}
	if in.On.IsZero() {
		in.On = s.Today()
	}
	if err := s.checkMembership(in); err != nil {
		return err
	}
	var home domain.Org
	if in.HomeOrgID != m.HomeOrgID {
		if home, err = s.checkTransfer(ctx, a, id, m.HomeOrgID, in.HomeOrgID); err != nil {
			return err
		}
	}
	if in.Status == m.Status && in.JoinedOn == m.JoinedOn && in.FullOn == m.FullOn && in.HomeOrgID == m.HomeOrgID {
		if in.Version != m.Version {
			return domain.ErrStale
		}
		return nil
	}
	next := *m
	next.Status, next.JoinedOn, next.FullOn, next.HomeOrgID = in.Status, in.JoinedOn, in.FullOn, in.HomeOrgID
	origin := domain.OrgID(0)
	if in.HomeOrgID != m.HomeOrgID && cur.OriginOrgID == m.HomeOrgID {
		origin = in.HomeOrgID
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.UpdateMembership(ctx, tx, id, in.Version, next, origin); err != nil {
			return err
		}
		if err := s.membershipEvents(ctx, tx, a, id, *m, next, home, in); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "person.membership", "person", fmt.Sprint(id), "ok", change{
			Before: map[string]any{"status": m.Status, "joined_on": m.JoinedOn, "full_on": m.FullOn, "home_org": m.HomeOrgID},
			After: map[string]any{"status": next.Status, "joined_on": next.JoinedOn, "full_on": next.FullOn, "home_org": next.HomeOrgID,
				"on": in.On, "reason": in.Reason}})
	})
}

// checkMembership validates a change on its own: a known status, a
// reason, dates not in the future, a joined date for members and the
// full date after it.
func (s *Service) checkMembership(in MembershipChange) error {
	today := s.Today()
	switch {
	case !in.Status.Valid():
		return domain.Invalid("status", "person.status_invalid", nil)
	case in.JoinedOn.After(today):
		return domain.Invalid("joined_on", "membership.date_future", nil)
	case in.FullOn.After(today):
		return domain.Invalid("full_on", "membership.date_future", nil)
	case in.On.After(today):
		return domain.Invalid("on", "membership.date_future", nil)
	case in.Status.IsMember() && in.JoinedOn.IsZero():
		return domain.Invalid("joined_on", "membership.joined_required", nil)
	case !in.FullOn.IsZero() && (in.JoinedOn.IsZero() || !in.FullOn.After(in.JoinedOn)):
		return domain.Invalid("full_on", "membership.full_before_joined", nil)
	case strings.TrimSpace(in.Reason) == "":
		return domain.Invalid("reason", "membership.reason_required", nil)
	}
	return nil
}

// checkTransfer checks a change of home organization: the new one is an
// active origin-side organization, and the actor may write at both ends.
func (s *Service) checkTransfer(ctx context.Context, a *authz.Actor, id domain.PersonID, from, to domain.OrgID) (domain.Org, error) {
	old, err := store.OrgByID(ctx, s.db.Read(), from)
	if err != nil {
		return domain.Org{}, err
	}
	if !a.CanAt(authz.PersonWrite, target(old)).Allowed {
		return domain.Org{}, s.denied(ctx, a, "person.membership", "person", fmt.Sprint(id), domain.ErrForbidden)
	}
	next, err := store.OrgByID(ctx, s.db.Read(), to)
	if err != nil || next.Side != domain.SideOrigin || next.Status != domain.StatusActive || !a.CanAt(authz.PersonWrite, target(next)).Allowed {
		return domain.Org{}, domain.Invalid("home_org", "membership.home_invalid", nil)
	}
	return next, nil
}

// membershipEvents writes one history event per kind of change.
func (s *Service) membershipEvents(ctx context.Context, tx store.Tx, a *authz.Actor, id domain.PersonID, old, next domain.Membership, home domain.Org, in MembershipChange) error {
	type ev struct {
		kind string
		d    map[string]any
	}
	var evs []ev
	if old.Status != next.Status {
		evs = append(evs, ev{"status_changed", map[string]any{"from": old.Status, "to": next.Status}})
	}
	if old.HomeOrgID != next.HomeOrgID {
		evs = append(evs, ev{"transferred", map[string]any{"from": old.HomeOrgID, "from_name": old.HomeOrgName, "to": home.ID,
			"to_name": home.Name}})
	}
	if old.JoinedOn != next.JoinedOn || old.FullOn != next.FullOn {
		evs = append(evs, ev{"membership_edited", map[string]any{"joined_on": []domain.Date{old.JoinedOn, next.JoinedOn},
			"full_on": []domain.Date{old.FullOn, next.FullOn}}})
	}
	for _, e := range evs {
		e.d["reason"] = strings.TrimSpace(in.Reason)
		b, _ := json.Marshal(e.d)
		if err := store.AddPersonEvent(ctx, tx, id, e.kind, in.On, string(b), a.Name, s.Now()); err != nil {
			return err
		}
	}
	return nil
}
