package service

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// writable reads an organization inside tx that the actor may change:
// not found when it may not even see it, forbidden when it may only look.
func (s *Service) writable(ctx context.Context, tx store.Tx, a *authz.Actor, id domain.OrgID) (domain.Org, error) {
	o, err := store.OrgByID(ctx, tx, id)
	if err != nil {
		return o, err
	}
	if a == authz.System || a.CanAt(authz.OrgWrite, target(o)).Allowed {
		return o, nil
	}
	if ok, err := s.visible(ctx, a, o); err != nil || !ok {
		return o, notFound()
	}
	return o, domain.ErrForbidden
}

// OrgEdit is the editable part of an organization; Version is the one the
// editor saw, so two editors cannot overwrite each other.
type OrgEdit struct {
	Name, ShortName, RegionCode, Industry, Phone, Mailbox string
	FoundedOn                                             domain.Date
	Version                                               int64
}

// EditOrg changes an organization's details and records which fields
// changed in its history.
func (s *Service) EditOrg(ctx context.Context, a *authz.Actor, id domain.OrgID, e OrgEdit) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		o, err := s.writable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		before := o
		o.Name, o.ShortName, o.RegionCode = strings.TrimSpace(e.Name), strings.TrimSpace(e.ShortName), e.RegionCode
		o.Industry, o.Phone, o.Mailbox, o.FoundedOn = strings.ToUpper(e.Industry), strings.TrimSpace(e.Phone), strings.TrimSpace(e.Mailbox), e.FoundedOn
		o.Version = e.Version
		if err := s.validateOrg(o); err != nil {
			return err
		}
		if err := store.UpdateOrg(ctx, tx, o); err != nil {
			return err
		}
		if err := store.AddOrgEvent(ctx, tx, domain.OrgEvent{OrgID: id, Kind: domain.EventEdited, On: s.Today(),
			Note: changedFields(before, o), ActorName: a.Name}, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "org.edit", "org", fmt.Sprint(id), "ok", change{Before: before, After: o})
	})
}

func changedFields(a, b domain.Org) string {
	var out []string
	for _, f := range []struct {
		name string
		x, y string
	}{{"name", a.Name, b.Name}, {"short_name", a.ShortName, b.ShortName}, {"region_code", a.RegionCode, b.RegionCode},
		{"industry", a.Industry, b.Industry}, {"phone", a.Phone, b.Phone}, {"mailbox", a.Mailbox, b.Mailbox},
		{"founded_on", a.FoundedOn.String(), b.FoundedOn.String()}} {
		if f.x != f.y {
			out = append(out, f.name)
		}
	}
	return strings.Join(out, ",")
}

// Lifecycle is the input of an upgrade, merge or dissolution: the
// decision's date, the member count stated at the time, and a note.
type Lifecycle struct {
	On      domain.Date
	Members int
	Note    string
	Version int64
}

// UpgradeOrg turns a group into a branch, a branch into a general branch,
// a general branch into a committee (the Hangzhou mobile organization's
// path, recorded as it happened).
func (s *Service) UpgradeOrg(ctx context.Context, a *authz.Actor, id domain.OrgID, to domain.OrgKind, l Lifecycle) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		o, err := s.writable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !o.Kind.CanUpgradeTo(to) {
			return &domain.Error{Code: domain.CodeRule, Field: "kind", MsgID: "org.upgrade_invalid",
				Args: map[string]any{"From": string(o.Kind), "To": string(to)}}
		}
		if err := s.checkLifeDate(o, l.On); err != nil {
			return err
		}
		if err := store.SetOrgKind(ctx, tx, id, l.Version, to); err != nil {
			return err
		}
		if err := store.AddOrgEvent(ctx, tx, domain.OrgEvent{OrgID: id, Kind: domain.EventUpgraded, On: l.On, FromKind: o.Kind,
			ToKind: to, Members: l.Members, Note: l.Note, ActorName: a.Name}, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "org.upgrade", "org", fmt.Sprint(id), "ok",
			change{Before: map[string]any{"kind": o.Kind}, After: map[string]any{"kind": to, "on": l.On}})
	})
}

// checkLifeDate refuses a decision dated before the founding or in the
// future.
func (s *Service) checkLifeDate(o domain.Org, on domain.Date) error {
	if on.IsZero() || on.After(s.Today()) || (!o.FoundedOn.IsZero() && on.Before(o.FoundedOn)) {
		return domain.Invalid("on", "org.date_invalid", map[string]any{"Founded": o.FoundedOn.String()})
	}
	return nil
}

// MergeOrg merges id into into: its children move under into, it is
// marked merged, and both histories record the merge.
func (s *Service) MergeOrg(ctx context.Context, a *authz.Actor, id, into domain.OrgID, l Lifecycle) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		o, err := s.writable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		t, err := s.writable(ctx, tx, a, into)
		if err != nil {
			return err
		}
		switch {
		case o.ID == t.ID || strings.HasPrefix(t.Path, o.Path):
			return &domain.Error{Code: domain.CodeRule, Field: "into", MsgID: "org.merge_into_own_subtree"}
		case o.Side != t.Side || t.Status != domain.StatusActive || o.Status != domain.StatusActive:
			return &domain.Error{Code: domain.CodeRule, Field: "into", MsgID: "org.merge_mismatch",
				Args: map[string]any{"Into": t.Name}}
		}
		if err := s.checkLifeDate(o, l.On); err != nil {
			return err
		}
		if err := store.MoveChildren(ctx, tx, o, t); err != nil {
			return err
		}
		if err := store.SetOrgStatus(ctx, tx, o.ID, l.Version, domain.StatusMerged); err != nil {
			return err
		}
		for _, e := range []domain.OrgEvent{
			{OrgID: o.ID, Kind: domain.EventMerged, On: l.On, OtherID: t.ID, Members: l.Members, Note: l.Note, ActorName: a.Name},
			{OrgID: t.ID, Kind: domain.EventAbsorbed, On: l.On, OtherID: o.ID, Members: l.Members, Note: l.Note, ActorName: a.Name},
		} {
			if err := store.AddOrgEvent(ctx, tx, e, s.Now()); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, "org.merge", "org", fmt.Sprint(o.ID), "ok", change{After: map[string]any{"into": t.ID, "on": l.On}})
	})
}

// DissolveOrg dissolves an organization that has no active children left.
func (s *Service) DissolveOrg(ctx context.Context, a *authz.Actor, id domain.OrgID, l Lifecycle) error {
	if strings.TrimSpace(l.Note) == "" {
		return domain.Invalid("note", "org.dissolve_reason_required", nil)
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		o, err := s.writable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		kids, err := store.ListOrgs(ctx, tx, store.OrgQuery{Read: authz.OrgFilter{Prefixes: []string{o.Path}}, Parent: o.ID, Status: domain.StatusActive})
		if err != nil {
			return err
		}
		if len(kids) > 0 {
			return domain.Rule("org.dissolve_has_children", map[string]any{"Count": len(kids)})
		}
		if o.Status != domain.StatusActive {
			return domain.Rule("org.parent_inactive", map[string]any{"Parent": o.Name})
		}
		if err := s.checkLifeDate(o, l.On); err != nil {
			return err
		}
		if err := store.SetOrgStatus(ctx, tx, id, l.Version, domain.StatusDissolved); err != nil {
			return err
		}
		if err := store.AddOrgEvent(ctx, tx, domain.OrgEvent{OrgID: id, Kind: domain.EventDissolved, On: l.On,
			Members: l.Members, Note: l.Note, ActorName: a.Name}, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "org.dissolve", "org", fmt.Sprint(id), "ok", change{After: map[string]any{"on": l.On, "reason": l.Note}})
	})
}

// AppointOfficer records a position held from a date.
func (s *Service) AppointOfficer(ctx context.Context, a *authz.Actor, o domain.Officer) (int64, error) {
	o.Name = strings.TrimSpace(o.Name)
	switch {
	case o.Name == "":
		return 0, domain.Invalid("name", "org.officer_name_required", nil)
	case !validPosition(o.Position):
		return 0, domain.Invalid("position", "org.position_invalid", nil)
	case o.From.IsZero():
		return 0, domain.Invalid("from", "org.date_invalid", nil)
	case !o.To.IsZero() && o.To.Before(o.From):
		return 0, domain.Invalid("to", "org.term_ends_before_start", nil)
	}
	if o.Phone != "" {
		phone, ok := normalizeMobile(o.Phone)
		if !ok {
			return 0, domain.Invalid("phone", "org.officer.phone_invalid", nil)
		}
		sealed, err := s.cfg.Keys.Seal([]byte(phone), officerPhoneAAD)
		if err != nil {
			return 0, err
		}
		o.Phone = sealed
	}
	var id int64
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		if _, err := s.writable(ctx, tx, a, o.OrgID); err != nil {
			return err
		}
		var err error
		if id, err = store.AddOfficer(ctx, tx, o); err != nil {
			return err
		}
		if err := store.AddOrgEvent(ctx, tx, domain.OrgEvent{OrgID: o.OrgID, Kind: domain.EventOfficer, On: o.From,
			Note: o.Position + ":" + o.Name, ActorName: a.Name}, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "org.officer_appoint", "org", fmt.Sprint(o.OrgID), "ok",
			change{After: map[string]any{"name": o.Name, "position": o.Position, "from": o.From}})
	})
	return id, err
}

// EndOfficer closes an officer's term on a date (not in the future).
func (s *Service) EndOfficer(ctx context.Context, a *authz.Actor, org domain.OrgID, officer int64, on domain.Date) error {
	if on.IsZero() || on.After(s.Today()) {
		return domain.Invalid("to", "org.date_invalid", map[string]any{"Founded": ""})
	}
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if _, err := s.writable(ctx, tx, a, org); err != nil {
			return err
		}
		if err := store.EndOfficer(ctx, tx, org, officer, on); err != nil {
			return notFoundIfStale(err)
		}
		return s.record(ctx, tx, a, "org.officer_end", "org", fmt.Sprint(org), "ok", change{After: map[string]any{"officer": officer, "to": on}})
	})
}

func validPosition(p string) bool {
	for _, x := range domain.Positions() {
		if p == x {
			return true
		}
	}
	return false
}

// officerPhoneAAD binds sealed officer phones to their column.
var officerPhoneAAD = []byte("officer.phone")

// normalizeMobile strips spaces, hyphens and a +86/0086 prefix and checks
// the mainland mobile pattern (worker-services-and-data.md §4.2).
func normalizeMobile(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == ' ' || r == '-' || r == '\u3000':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	for _, p := range []string{"+86", "0086", "86"} {
		if strings.HasPrefix(s, p) && len(s) == len(p)+11 {
			s = s[len(p):]
		}
	}
	return s, mobileRE.MatchString(s)
}

var mobileRE = regexp.MustCompile(`^1[3-9]\d{9}$`)
