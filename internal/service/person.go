package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/pinyin"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// NewPerson is a person as an official or a roster enters it: the ID
// number and phone in clear, to be checked, sealed and indexed here.
type NewPerson struct {
	Name            string
	Gender          string // 男/女/1/2…; empty: from the ID number
	Ethnicity       string
	IDNumber        string
	Phone           string
	Education       string
	HometownCode    string
	HometownVillage string
	LeftHomeOn      domain.Date
	CityCode        string
	DistrictCode    string
	Address         string
	Employer        string
	EmployerUSCC    string
	Industry        string
	Occupation      string
	OriginOrgID     domain.OrgID
	Membership      *domain.Membership
}

// The associated data that binds sealed values to their fields.
var (
	personIDAAD    = []byte("person.id_number")
	personPhoneAAD = []byte("person.phone")
)

// idErr turns an idcheck error into the field's invalid-input error, with
// its arguments for the message.
func idErr(field string, err error) error {
	e := &domain.Error{Code: domain.CodeInvalid, Field: field, MsgID: "check." + idcheck.CodeOf(err), Err: err}
	var ce *idcheck.Error
	if errors.As(err, &ce) {
		e.Args = ce.Args
	}
	return e
}

// preparePerson validates and converts the input into a row ready to
// store: name normalised, pinyin computed, ID number and phone sealed with
// their blind indexes and masked forms, gender and birth date from the ID.
func (s *Service) preparePerson(in NewPerson) (store.PersonRow, error) {
	var p store.PersonRow
	name, _, err := idcheck.NormalizeName(in.Name)
	if err != nil {
		return p, idErr("name", err)
	}
	py := pinyin.Of(name)
	p.Name, p.Pinyin, p.Initials, p.SortKey = name, py.Full, py.Initials, py.Sort
	if err := s.setIDNumber(&p, in); err != nil {
		return p, err
	}
	if in.Phone != "" {
		ph, err := idcheck.ParsePhone(in.Phone)
		if err != nil {
			return p, idErr("phone", err)
		}
		if p.PhoneSealed, err = s.cfg.Keys.Seal([]byte(ph.Number), personPhoneAAD); err != nil {
			return p, err
		}
		p.PhoneIndex, p.Phone = s.cfg.Keys.BlindIndex("phone", ph.Number), domain.Masked(ph.Masked())
	}
	if in.Ethnicity != "" {
		code, _, ok := idcheck.Ethnicity(in.Ethnicity)
		if !ok {
			return p, domain.Invalid("ethnicity", "person.ethnicity_unknown", map[string]any{"Value": in.Ethnicity})
		}
		p.Ethnicity = code
	}
	if in.EmployerUSCC != "" {
		u, err := idcheck.ParseUSCC(in.EmployerUSCC)
		if err != nil {
			return p, idErr("employer_uscc", err)
		}
		p.EmployerUSCC = u.Code
	}
	for field, code := range map[string]string{"hometown_code": in.HometownCode, "city_code": in.CityCode, "district_code": in.DistrictCode} {
		if code != "" && (!regionCodeRE.MatchString(code) || (s.cfg.Regions != nil && !s.cfg.Regions(code))) {
			return p, domain.Invalid(field, "org.region_unknown", map[string]any{"Value": code})
		}
	}
	if !domain.ValidIndustry(strings.ToUpper(in.Industry)) {
		return p, domain.Invalid("industry", "org.industry_invalid", map[string]any{"Value": in.Industry})
	}
	p.Education, p.HometownCode, p.HometownVillage, p.LeftHomeOn = strings.TrimSpace(in.Education), in.HometownCode, strings.TrimSpace(in.HometownVillage), in.LeftHomeOn
	p.CityCode, p.DistrictCode, p.Address = in.CityCode, in.DistrictCode, strings.TrimSpace(in.Address)
	p.Employer, p.Industry, p.Occupation = strings.TrimSpace(in.Employer), strings.ToUpper(in.Industry), strings.TrimSpace(in.Occupation)
	p.OriginOrgID, p.Membership = in.OriginOrgID, in.Membership
	return p, nil
}

// setIDNumber checks, seals and indexes the ID number and takes gender and
// birth date from it, refusing a stated gender that contradicts it.
func (s *Service) setIDNumber(p *store.PersonRow, in NewPerson) error {
	if in.Gender != "" {
		g, err := idcheck.ParseGender(in.Gender)
		if err != nil {
			return idErr("gender", err)
		}
		p.Gender = int(g)
	}
	if in.IDNumber == "" {
		return nil
	}
	id, err := idcheck.ParseID(in.IDNumber, s.Now().In(domain.China))
	if err != nil {
		return idErr("id_number", err)
	}
	if p.Gender == 1 || p.Gender == 2 {
		if err := idcheck.CheckGender(id, p.Gender == 1); err != nil {
			return idErr("gender", err)
		}
	}
	p.Gender = int(id.Gender())
	p.BirthOn = domain.DateIn(id.Birth, id.Birth.Location())
	if p.IDSealed, err = s.cfg.Keys.Seal([]byte(id.Number), personIDAAD); err != nil {
		return err
	}
	p.IDIndex, p.IDNumber = s.cfg.Keys.BlindIndex("id_number", id.Number), domain.Masked(id.Masked())
	return nil
}

// CreatePerson registers a person, and the membership when the input has
// one. The actor needs person:write at the person's origin organization,
// or at the mobile organization where a member is placed.
func (s *Service) CreatePerson(ctx context.Context, a *authz.Actor, in NewPerson) (domain.PersonID, error) {
	p, err := s.preparePerson(in)
	if err != nil {
		return 0, err
	}
	var id domain.PersonID
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		if err := s.checkPersonOrgs(ctx, tx, a, p); err != nil {
			return err
		}
		if id, err = store.CreatePerson(ctx, tx, p, s.Now()); err != nil {
			return err
		}
		if err := store.AddPersonEvent(ctx, tx, id, "registered", s.Today(), "{}", a.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "person.create", "person", fmt.Sprint(id), "ok",
			change{After: map[string]any{"name": p.Name, "id_number": p.IDNumber, "phone": p.Phone, "origin": p.OriginOrgID}})
	})
	return id, err
}

// checkPersonOrgs checks the organizations a new person is attached to:
// they exist on the right side and the actor may write there.
func (s *Service) checkPersonOrgs(ctx context.Context, tx store.Tx, a *authz.Actor, p store.PersonRow) error {
	origin, err := store.OrgByID(ctx, tx, p.OriginOrgID)
	if err != nil || origin.Side != domain.SideOrigin {
		return domain.Invalid("origin_org", "person.origin_invalid", nil)
	}
	if err := checkMembership(p); err != nil {
		return err
	}
	allowed := a == authz.System || a.CanAt(authz.PersonWrite, target(origin)).Allowed
	if m := p.Membership; m != nil {
		if m.MobileOrgID != 0 {
			mob, err := store.OrgByID(ctx, tx, m.MobileOrgID)
			if err != nil || mob.Side != domain.SideMobile || mob.Status != domain.StatusActive {
				return domain.Invalid("mobile_org", "person.mobile_invalid", nil)
			}
			allowed = allowed || a.CanAt(authz.PersonWrite, target(mob)).Allowed
		}
	}
	if !allowed {
		return domain.Invalid("origin_org", "person.origin_invalid", nil)
	}
	return nil
}

// checkMembership checks a member's status and that the home
// organization, which holds the formal relationship, is the person's
// origin.
func checkMembership(p store.PersonRow) error {
	m := p.Membership
	switch {
	case m == nil:
		return nil
	case !m.Status.Valid():
		return domain.Invalid("status", "person.status_invalid", nil)
	case m.HomeOrgID != p.OriginOrgID:
		return domain.Invalid("home_org", "person.home_differs", nil)
	}
	return nil
}

// personFor reads a person the actor may see (person:read on the origin,
// home or mobile organization), or not found.
func (s *Service) personFor(ctx context.Context, q store.Q, a *authz.Actor, id domain.PersonID, p authz.Perm) (store.PersonRow, error) {
	row, paths, err := store.PersonWithPaths(ctx, q, id)
	if err != nil {
		return store.PersonRow{}, err
	}
	for _, path := range paths {
		if a.CanAt(p, authz.Target{Path: path}).Allowed {
			return row, nil
		}
	}
	return store.PersonRow{}, notFound()
}

// Person returns one person, masked.
func (s *Service) Person(ctx context.Context, a *authz.Actor, id domain.PersonID) (domain.Person, error) {
	row, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonRead)
	return row.Person, err
}

// Reveal returns the clear ID number or phone of one person: it needs the
// sensitive-data permission where the person belongs, a stated reason, and
// it is written to the audit log every time.
func (s *Service) Reveal(ctx context.Context, a *authz.Actor, id domain.PersonID, field, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if field != "id_number" && field != "phone" {
		return "", domain.Invalid("field", "person.reveal_field", nil)
	}
	if _, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonRead); err != nil {
		return "", err
	}
	row, err := s.personFor(ctx, s.db.Read(), a, id, authz.SensitiveRead)
	if err != nil {
		return "", s.denied(ctx, a, "person.reveal", "person", fmt.Sprint(id), domain.ErrForbidden)
	}
	if reason == "" {
		return "", domain.Invalid("reason", "person.reveal_reason", nil)
	}
	if err := s.throttle(ctx, a, throttle.Reveal); err != nil {
		return "", err
	}
	sealed, aad := row.IDSealed, personIDAAD
	if field == "phone" {
		sealed, aad = row.PhoneSealed, personPhoneAAD
	}
	if sealed == "" {
		return "", nil
	}
	clear, err := s.cfg.Keys.Open(sealed, aad)
	if err != nil {
		return "", fmt.Errorf("service: open %s: %w", field, err)
	}
	// The clear value leaves only once its audit entry is committed.
	if err := s.db.Tx(ctx, func(tx store.Tx) error {
		return s.record(ctx, tx, a, "person.reveal", "person", fmt.Sprint(id), "ok", map[string]any{"field": field, "reason": reason})
	}); err != nil {
		return "", err
	}
	return string(clear), nil
}

// PersonHistory is a person's recorded changes (registration, imports,
// placements …), newest first, for an actor who may see the person.
func (s *Service) PersonHistory(ctx context.Context, a *authz.Actor, id domain.PersonID) ([]store.PersonEvent, error) {
	if _, err := s.personFor(ctx, s.db.Read(), a, id, authz.PersonRead); err != nil {
		return nil, err
	}
	return store.PersonEvents(ctx, s.db.Read(), id)
}
