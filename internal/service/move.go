package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/region"
	"gongjian/internal/store"
)

// A member reports a move (party-rules.md §2.2: members report changes of
// place and employer): the record follows, the report counts as a contact
// for the lost-contact warning, and the people who answer for the member
// — the home side, the mobile organization, and the mobile organizations
// of the new city — are told in their inboxes, with a link to the person's
// page where a placement can be made.

// MoveReport is what the member reports.
type MoveReport struct {
	CityCode     string
	DistrictCode string
	Employer     string
	EmployerUSCC string
	On           domain.Date // the day of the move
}

// ReportMove records a move of the member's own record. Only the linked
// account's own person can be moved this way; anyone else gets not found.
func (s *Service) ReportMove(ctx context.Context, a *authz.Actor, in MoveReport) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		p, err := s.ownPerson(ctx, tx, a)
		if err != nil {
			return err
		}
		if p.Membership == nil {
			return notFound()
		}
		next, err := s.checkMove(p, in)
		if err != nil {
			return err
		}
		before := workOf(p.Person)
		p.CityCode, p.DistrictCode, p.Employer, p.EmployerUSCC = next.CityCode, next.DistrictCode, next.Employer, next.EmployerUSCC
		after := workOf(p.Person)
		if err := store.SetPersonWork(ctx, tx, p, s.Now()); err != nil {
			return err
		}
		d, _ := json.Marshal(map[string]any{"before": before, "after": after, "moved_on": in.On})
		if err := store.AddPersonEvent(ctx, tx, p.ID, "move_reported", in.On, string(d), a.Name, s.Now()); err != nil {
			return err
		}
		if _, err := store.AddContact(ctx, tx, store.Contact{PersonID: p.ID, On: s.Today(), Channel: "self_report", Reached: true,
			ActorName: a.Name, RecordedAt: s.Now()}); err != nil {
			return err
		}
		if err := s.notifyMove(ctx, tx, p, before["city_code"] != after["city_code"], in.On); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "person.move_report", "person", fmt.Sprint(p.ID), "ok", change{Before: before, After: after})
	})
}

func workOf(p domain.Person) map[string]string {
	return map[string]string{"city_code": p.CityCode, "district_code": p.DistrictCode, "employer": p.Employer, "employer_uscc": p.EmployerUSCC}
}

// checkMove validates the report with the person record's own checks
// (region codes, credit code) and the move's: a city, a district within
// it, an employer, a date not in the future.
func (s *Service) checkMove(p store.PersonRow, in MoveReport) (store.PersonRow, error) {
	in.CityCode, in.DistrictCode = strings.TrimSpace(in.CityCode), strings.TrimSpace(in.DistrictCode)
	switch {
	case in.CityCode == "":
		return p, domain.Invalid("city_code", "move.city_required", nil)
	case strings.TrimSpace(in.Employer) == "":
		return p, domain.Invalid("employer", "move.employer_required", nil)
	case in.On.IsZero():
		return p, domain.Invalid("moved_on", "move.date_required", nil)
	case in.On.After(s.Today()):
		return p, domain.Invalid("moved_on", "move.date_future", nil)
	}
	next, err := s.preparePerson(NewPerson{Name: p.Name, CityCode: in.CityCode, DistrictCode: in.DistrictCode,
		Employer: in.Employer, EmployerUSCC: in.EmployerUSCC, Industry: p.Industry})
	if err != nil {
		return p, err
	}
	if next.DistrictCode != "" && !strings.HasPrefix(next.DistrictCode, regionPrefix(next.CityCode)) {
		return p, domain.Invalid("district_code", "move.district_outside", nil)
	}
	return next, nil
}

// regionPrefix is the part of a division code its descendants share:
// 3202 for 无锡市 320200, 31 for 上海市 310000, the code itself for a county.
func regionPrefix(code string) string {
	for len(code) > 2 && strings.HasSuffix(code, "00") {
		code = code[:len(code)-2]
	}
	return code
}

// notifyMove tells the home side (its secretary, else the county officer
// above it), the member's mobile organization and, when the city changed,
// the mobile organizations of the new city. The key makes one report
// arrive once per account however often it is sent again.
func (s *Service) notifyMove(ctx context.Context, tx store.Tx, p store.PersonRow, newCity bool, on domain.Date) error {
	m := p.Membership
	to, err := s.responsibleFor(ctx, tx, m.HomeOrgID, authz.RoleHomeSecretary, authz.RoleCountyOfficer)
	if err != nil {
		return err
	}
	more, err := s.responsibleFor(ctx, tx, m.MobileOrgID, authz.RoleMobileSecretary)
	if err != nil {
		return err
	}
	to = append(to, more...)
	if newCity {
		orgs, err := s.mobileOrgsServing(ctx, tx, p.CityCode)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			more, err := s.responsibleFor(ctx, tx, o.ID, authz.RoleMobileSecretary)
			if err != nil {
				return err
			}
			to = append(to, more...)
		}
	}
	return s.notify(ctx, tx, to, Notice{Kind: "move_report", MsgID: "notice.move_reported",
		Args: map[string]any{"Name": p.Name, "Place": placeName(p.DistrictCode, p.CityCode), "Employer": p.Employer, "Date": on.String()},
		Link: fmt.Sprintf("/people/%d", p.ID),
		Key:  fmt.Sprintf("move_report:%d:%s:%s:%s:%s", p.ID, on, p.CityCode, p.DistrictCode, p.Employer)})
}

// placeName names the most precise of the codes ("江苏省 无锡市 新吴区").
func placeName(codes ...string) string {
	for _, c := range codes {
		if c == "" {
			continue
		}
		var names []string
		for _, r := range region.Path(c) {
			names = append(names, r.Name)
		}
		if len(names) > 0 {
			return strings.Join(names, " ")
		}
		return c
	}
	return ""
}

// mobileOrgsServing are the active mobile organizations whose region lies
// in the city of code.
func (s *Service) mobileOrgsServing(ctx context.Context, q store.Q, code string) ([]domain.Org, error) {
	orgs, err := activeMobileOrgs(ctx, q)
	if err != nil {
		return nil, err
	}
	prefix := regionPrefix(code)
	var out []domain.Org
	for _, o := range orgs {
		if o.RegionCode != "" && strings.HasPrefix(o.RegionCode, prefix) {
			out = append(out, o)
		}
	}
	return out, nil
}

// activeMobileOrgs are all active mobile organizations, whoever asks.
func activeMobileOrgs(ctx context.Context, q store.Q) ([]domain.Org, error) {
	return store.ListOrgs(ctx, q, store.OrgQuery{Read: everywhere, Side: domain.SideMobile, Status: domain.StatusActive})
}

// OwnSuggestions are the placements the member's own record would get, as
// an official's SuggestPlacement ranks them, among every active mobile
// branch and group. It reads no one else's record, so it widens nothing.
func (s *Service) OwnSuggestions(ctx context.Context, a *authz.Actor) ([]Suggestion, error) {
	p, err := s.ownPerson(ctx, s.db.Read(), a)
	if err != nil {
		return nil, err
	}
	orgs, err := activeMobileOrgs(ctx, s.db.Read())
	if err != nil {
		return nil, err
	}
	var groups []domain.Org
	for _, o := range orgs {
		if o.Kind == domain.KindBranch || o.Kind == domain.KindGroup {
			groups = append(groups, o)
		}
	}
	counts, err := store.MemberCounts(ctx, s.db.Read(), 0)
	if err != nil {
		return nil, err
	}
	return rankPlacements(p.Person, groups, counts, 3), nil
}
