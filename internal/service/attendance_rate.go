package service

import (
	"context"
	"fmt"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Attendance rates over any period — a member's over every meeting they
// were expected at, an organization's over its subtree's meetings — and
// the members absent without reason from every meeting for the months of
// the absence rule (party-rules.md §2.4), listed for the home and the
// host side alike. Only expected lines of held meetings count; the rate
// is present over expected, with leave, excused and absent beside it.

// AttendanceRange is the period of a report; zero dates take the last
// twelve months up to today.
type AttendanceRange struct {
	From, To domain.Date
}

// resolve fills the defaults and checks the order.
func (r AttendanceRange) resolve(today domain.Date) (AttendanceRange, error) {
	if r.To.IsZero() {
		r.To = today
	}
	if r.From.IsZero() {
		r.From = r.To.AddMonths(-12).AddDays(1)
	}
	if r.From.After(r.To) {
		return r, domain.Invalid("from", "attendance.range_invalid", nil)
	}
	return r, nil
}

// PersonAttendance is a member's attendance over a period, and the
// absence flag when the member is flagged today.
type PersonAttendance struct {
	AttendanceRange
	Tally domain.Tally
	Flag  *store.AbsenceFlag
	Rule  domain.AbsenceRule
}

// PersonAttendance reads a member's attendance where the actor may read
// the person.
func (s *Service) PersonAttendance(ctx context.Context, a *authz.Actor, id domain.PersonID, r AttendanceRange) (PersonAttendance, error) {
	today := s.Today()
	out := PersonAttendance{}
	var err error
	if out.AttendanceRange, err = r.resolve(today); err != nil {
		return out, err
	}
	q := s.db.Read()
	if _, err := s.personFor(ctx, q, a, id, authz.PersonRead); err != nil {
		return out, err
	}
	if out.Rule, err = s.AbsenceRule(ctx); err != nil {
		return out, err
	}
	if out.Tally, err = store.Tally(ctx, q, store.TallyQuery{Person: id, From: out.From, To: out.To}); err != nil {
		return out, err
	}
	flags, err := store.AbsenceFlags(ctx, q, store.AbsenceQuery{All: true, Person: id, Cutoff: out.Rule.Cutoff(today), Today: today, Limit: 1})
	if len(flags) == 1 {
		out.Flag = &flags[0]
	}
	return out, err
}

// OrgAttendance is an organization's attendance over a period: the whole
// subtree's, and member by member where the actor may read its people.
type OrgAttendance struct {
	AttendanceRange
	Org        domain.Org
	Tally      domain.Tally
	Members    []store.MemberTally
	CanMembers bool
}

// OrgAttendance reads an organization's attendance where the actor may
// see it; the members' own lines only with person:read there.
func (s *Service) OrgAttendance(ctx context.Context, a *authz.Actor, id domain.OrgID, r AttendanceRange, members bool) (OrgAttendance, error) {
	out := OrgAttendance{}
	var err error
	if out.AttendanceRange, err = r.resolve(s.Today()); err != nil {
		return out, err
	}
	q := s.db.Read()
	if out.Org, err = s.orgFor(ctx, q, a, id); err != nil {
		return out, err
	}
	f := store.TallyQuery{Under: out.Org.Path, From: out.From, To: out.To}
	out.CanMembers = a.CanAt(authz.PersonRead, target(out.Org)).Allowed
	if !members || !out.CanMembers {
		out.Tally, err = store.Tally(ctx, q, f)
		return out, err
	}
	// The members' lines add up to the organization's: one pass.
	if out.Members, err = store.MemberTallies(ctx, q, f); err != nil {
		return out, err
	}
	for _, m := range out.Members {
		out.Tally = out.Tally.Plus(m.Tally)
	}
	return out, nil
}

// ExportOrgAttendance is OrgAttendance with the members for an export,
// audited: names with their attendance leave the system.
func (s *Service) ExportOrgAttendance(ctx context.Context, a *authz.Actor, id domain.OrgID, r AttendanceRange) (OrgAttendance, error) {
	out, err := s.OrgAttendance(ctx, a, id, r, true)
	if err != nil {
		return out, err
	}
	if !out.CanMembers {
		return out, s.denied(ctx, a, "attendance.export", "org", fmt.Sprint(id), domain.ErrForbidden)
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		return s.record(ctx, tx, a, "attendance.export", "org", fmt.Sprint(id), "ok",
			map[string]any{"from": out.From, "to": out.To, "rows": len(out.Members)})
	})
	return out, err
}

const absenceKey = "absence_rule"

// AbsenceRule returns the absence rule in force.
func (s *Service) AbsenceRule(ctx context.Context) (domain.AbsenceRule, error) {
	return loadSetting(ctx, s, absenceKey, domain.DefaultAbsenceRule())
}

// CanSetAbsenceRule reports whether the actor may change the absence
// rule: like the lost-contact thresholds, it binds every member of the
// county, so it takes person:write over the whole origin side.
func (s *Service) CanSetAbsenceRule(ctx context.Context, a *authz.Actor) (bool, error) {
	return s.countyWide(ctx, a, authz.PersonWrite)
}

// SetAbsenceRule stores a new rule, audited with the old one.
func (s *Service) SetAbsenceRule(ctx context.Context, a *authz.Actor, r domain.AbsenceRule) error {
	ok, err := s.CanSetAbsenceRule(ctx, a)
	if err != nil {
		return err
	}
	if !ok {
		return s.denied(ctx, a, "absence.rule", "setting", absenceKey, domain.ErrForbidden)
	}
	if err := r.Check(); err != nil {
		return err
	}
	old, err := s.AbsenceRule(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.PersonWrite, "absence.rule", absenceKey, old, r)
}

// AbsenceSearch filters the list of flagged members.
type AbsenceSearch struct {
	Org   domain.OrgID // the home or mobile organization lies under it
	Page  int          // from 1
	Limit int
}

// AbsencePage is one page of flagged members.
type AbsencePage struct {
	Rows        []store.AbsenceFlag
	Total       int
	Page, Pages int
	Rule        domain.AbsenceRule
	Cutoff      domain.Date
	Today       domain.Date
}

// maxAbsenceLimit is the largest page of the list; an export asks for it.
const maxAbsenceLimit = 5000

// AbsenceFlags lists the flagged members in the actor's scope, the
// longest run first: the home side sees its members, the mobile and host
// side those placed in the organizations it reaches.
func (s *Service) AbsenceFlags(ctx context.Context, a *authz.Actor, f AbsenceSearch) (AbsencePage, error) {
	today := s.Today()
	out := AbsencePage{Today: today, Page: max(f.Page, 1)}
	var err error
	if out.Rule, err = s.AbsenceRule(ctx); err != nil {
		return out, err
	}
	out.Cutoff = out.Rule.Cutoff(today)
	limit := f.Limit
	if limit <= 0 || limit > maxAbsenceLimit {
		limit = 50
	}
	q := store.AbsenceQuery{Scope: a.Filter(authz.PersonRead), Cutoff: out.Cutoff, Today: today}
	if f.Org != 0 {
		o, err := s.orgFor(ctx, s.db.Read(), a, f.Org)
		if err != nil {
			return out, err
		}
		q.Org = o.Path
	}
	if out.Total, err = store.CountAbsenceFlags(ctx, s.db.Read(), q); err != nil {
		return out, err
	}
	out.Pages = max((out.Total+limit-1)/limit, 1)
	q.Limit, q.Offset = limit, (out.Page-1)*limit
	out.Rows, err = store.AbsenceFlags(ctx, s.db.Read(), q)
	return out, err
}

// ExportAbsenceFlags is the whole filtered list (up to 5,000 rows) for
// an export, audited with its filter and size.
func (s *Service) ExportAbsenceFlags(ctx context.Context, a *authz.Actor, f AbsenceSearch) (AbsencePage, error) {
	if a.Filter(authz.PersonRead).Empty() {
		return AbsencePage{}, s.denied(ctx, a, "absence.export", "person", "", domain.ErrForbidden)
	}
	f.Page, f.Limit = 1, maxAbsenceLimit
	page, err := s.AbsenceFlags(ctx, a, f)
	if err != nil {
		return page, err
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		return s.record(ctx, tx, a, "absence.export", "person", "", "ok", map[string]any{"org": f.Org, "rows": len(page.Rows)})
	})
	return page, err
}
