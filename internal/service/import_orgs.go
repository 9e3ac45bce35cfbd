package service

import (
	"bytes"
	"context"
	"strings"

	"golang.org/x/text/unicode/norm"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/roster"
	"gongjian/internal/store"
)

// orgIndex finds the organizations a roster's branch column names, among
// the active origin and mobile organizations where the actor may register
// people, by full or short name.
type orgIndex struct {
	byName map[string][]domain.Org
	byID   map[domain.OrgID]domain.Org
}

// orgKey reduces an organization's name to what identifies it: width,
// spaces and the 中共 / 中国共产党 that some rosters write and others omit.
func orgKey(s string) string {
	k := strings.Join(strings.Fields(norm.NFKC.String(s)), "")
	for _, p := range []string{"中国共产党", "中共"} {
		if rest, ok := strings.CutPrefix(k, p); ok && rest != "" {
			return rest
		}
	}
	return k
}

// writableOrgs loads the index once per pass: a county has a few hundred
// organizations, and a roster names the same few thousands of times.
func (s *Service) writableOrgs(ctx context.Context, a *authz.Actor) (orgIndex, error) {
	scope := a.Filter(authz.PersonWrite)
	if a == authz.System {
		scope = authz.OrgFilter{Prefixes: []string{"/"}}
	}
	idx := orgIndex{byName: map[string][]domain.Org{}, byID: map[domain.OrgID]domain.Org{}}
	if scope.Empty() {
		return idx, nil
	}
	list, err := store.ListOrgs(ctx, s.db.Read(), store.OrgQuery{Read: scope, Status: domain.StatusActive})
	if err != nil {
		return idx, err
	}
	for _, o := range list {
		if o.Side == domain.SideHost {
			continue
		}
		idx.byID[o.ID] = o
		names := []string{orgKey(o.Name)}
		if o.ShortName != "" && orgKey(o.ShortName) != names[0] {
			names = append(names, orgKey(o.ShortName))
		}
		for _, n := range names {
			idx.byName[n] = append(idx.byName[n], o)
		}
	}
	return idx, nil
}

// match returns the one organization a name stands for; n is how many it
// could stand for (0: none, 2 or more: ambiguous).
func (x orgIndex) match(name string) (domain.Org, int) {
	hits := x.byName[orgKey(name)]
	if len(hits) == 1 {
		return hits[0], 1
	}
	return domain.Org{}, len(hits)
}

// mapMembership reads the status, the party dates, the certificate and
// the branch. A branch that is an origin organization becomes the
// person's origin (and a member's home); a mobile one places a member
// there; a name that matches none is a warning, and the person is
// imported unplaced under the default origin.
func (im *importer) mapMembership(m *sheetMap, row roster.Row, in *rowInput) *ImportIssue {
	p := &in.person
	if t := m.text(row, "party_status"); t != "" || m.has("party_status") {
		status, member, ok := memberStatus(t)
		if !ok {
			is := m.issue(row, "party_status", "import.status_unknown", map[string]any{"Value": t})
			return &is
		}
		if member {
			ms := &domain.Membership{Status: status, CertificateNo: m.text(row, "mobile_card")}
			for _, d := range []struct {
				key string
				dst *domain.Date
			}{{"joined_party", &ms.JoinedOn}, {"full_member", &ms.FullOn}} {
				v, _, w, err := im.cellDate(m.cell(row, d.key))
				if err != nil {
					e := idErr(d.key, err).(*domain.Error)
					is := m.issue(row, d.key, e.MsgID, e.Args)
					return &is
				}
				if w != "" {
					in.warns = append(in.warns, m.issue(row, d.key, w, map[string]any{"Value": m.text(row, d.key)}))
				}
				*d.dst = v
			}
			p.Membership, in.fields = ms, in.fields|fMembership
		}
	}
	p.OriginOrgID = im.origin.ID
	if t := m.text(row, "branch"); t != "" {
		o, n := im.orgs.match(t)
		switch {
		case n > 1:
			in.warns = append(in.warns, m.issue(row, "branch", "import.branch_ambiguous", map[string]any{"Value": t}))
		case n == 0:
			in.warns = append(in.warns, m.issue(row, "branch", "import.branch_unmatched", map[string]any{"Value": t}))
		case o.Side == domain.SideOrigin:
			p.OriginOrgID = o.ID
		case p.Membership != nil:
			p.Membership.MobileOrgID = o.ID
		default:
			in.warns = append(in.warns, m.issue(row, "branch", "import.branch_not_member", map[string]any{"Value": t}))
		}
	}
	if p.OriginOrgID == 0 {
		is := m.issue(row, "branch", "import.no_origin", nil)
		return &is
	}
	if p.Membership != nil {
		p.Membership.HomeOrgID = p.OriginOrgID
	}
	return nil
}

// orgGate is checkPersonOrgs for many people at once, without a query per
// person: the organizations come from one listing of those where the
// actor may register people (and a default origin the caller checked),
// and the actor's rights are cached by path. The roster import and
// RegisterPeople share it.
type orgGate struct {
	a        *authz.Actor
	orgs     orgIndex
	origin   domain.Org      // the default origin; zero ID when none
	writable map[string]bool // CanAt(person:write) by organization path
}

func (s *Service) newOrgGate(ctx context.Context, a *authz.Actor) (orgGate, error) {
	orgs, err := s.writableOrgs(ctx, a)
	return orgGate{a: a, orgs: orgs, writable: map[string]bool{}}, err
}

// checkOrgs admits a prepared person's origin and, for a member, the
// membership and the mobile organization, as checkPersonOrgs does.
func (g *orgGate) checkOrgs(p store.PersonRow) error {
	origin, ok := g.orgs.byID[p.OriginOrgID]
	if !ok && p.OriginOrgID == g.origin.ID {
		origin, ok = g.origin, true
	}
	if !ok || origin.Side != domain.SideOrigin {
		return domain.Invalid("origin_org", "person.origin_invalid", nil)
	}
	if err := checkMembership(p); err != nil {
		return err
	}
	allowed := g.canWrite(origin.Path)
	if m := p.Membership; m != nil && m.MobileOrgID != 0 {
		mob, ok := g.orgs.byID[m.MobileOrgID]
		if !ok || mob.Side != domain.SideMobile {
			return domain.Invalid("mobile_org", "person.mobile_invalid", nil)
		}
		allowed = allowed || g.canWrite(mob.Path)
	}
	if !allowed {
		return domain.Invalid("origin_org", "person.origin_invalid", nil)
	}
	return nil
}

func (g *orgGate) canWrite(path string) bool {
	if g.a == authz.System {
		return true
	}
	ok, known := g.writable[path]
	if !known {
		ok = g.a.CanAt(authz.PersonWrite, authz.Target{Path: path}).Allowed
		g.writable[path] = ok
	}
	return ok
}

func (g *orgGate) canWriteAny(paths []string) bool {
	for _, p := range paths {
		if g.canWrite(p) {
			return true
		}
	}
	return false
}

// mergePerson lays the fields a row gave over a registered person and
// reports whether anything changed. A blank cell never erases a value.
// The ID number (the key), gender and birth date (from it) and the
// organizations stay: moving a member's organizational relationship is a
// transfer with its own procedure, not a side effect of a roster. A
// member's status, dates and certificate do follow the file.
func mergePerson(old store.ExistingPerson, in store.PersonRow, f fieldSet) (store.PersonRow, bool) {
	out := old.PersonRow
	changed := false
	set := func(flag fieldSet, dst *string, v string) {
		if f&flag != 0 && v != "" && *dst != v {
			*dst, changed = v, true
		}
	}
	if f&fName != 0 && in.Name != out.Name {
		out.Name, out.Pinyin, out.Initials, out.SortKey, changed = in.Name, in.Pinyin, in.Initials, in.SortKey, true
	}
	set(fEthnicity, &out.Ethnicity, in.Ethnicity)
	if f&fPhone != 0 && len(in.PhoneIndex) > 0 && !bytes.Equal(in.PhoneIndex, out.PhoneIndex) {
		out.PhoneSealed, out.PhoneIndex, out.Phone, changed = in.PhoneSealed, in.PhoneIndex, in.Phone, true
	}
	set(fEducation, &out.Education, in.Education)
	set(fHometown, &out.HometownCode, in.HometownCode)
	set(fHometown, &out.HometownVillage, in.HometownVillage)
	if f&fLeftHome != 0 && !in.LeftHomeOn.IsZero() && in.LeftHomeOn.String() != out.LeftHomeOn.String() {
		out.LeftHomeOn, changed = in.LeftHomeOn, true
	}
	set(fWork, &out.CityCode, in.CityCode)
	set(fWork, &out.DistrictCode, in.DistrictCode)
	set(fWork, &out.Address, in.Address)
	set(fEmployer, &out.Employer, in.Employer)
	set(fUSCC, &out.EmployerUSCC, in.EmployerUSCC)
	set(fIndustry, &out.Industry, in.Industry)
	set(fOccupation, &out.Occupation, in.Occupation)
	if m := in.Membership; f&fMembership != 0 && m != nil {
		if out.Membership == nil {
			nm := *m
			nm.HomeOrgID, nm.MobileOrgID = out.OriginOrgID, 0
			out.Membership, changed = &nm, true
		} else {
			om := *out.Membership
			if m.Status != om.Status {
				om.Status, changed = m.Status, true
			}
			for _, d := range []struct{ dst, v *domain.Date }{{&om.JoinedOn, &m.JoinedOn}, {&om.FullOn, &m.FullOn}} {
				if !d.v.IsZero() && d.v.String() != d.dst.String() {
					*d.dst, changed = *d.v, true
				}
			}
			if m.CertificateNo != "" && m.CertificateNo != om.CertificateNo {
				om.CertificateNo, changed = m.CertificateNo, true
			}
			out.Membership = &om
		}
	}
	return out, changed
}
