package service

import (
	"context"
	"strconv"
	"strings"
	"unicode"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// PersonSearch is what the people list filters by. Text is read by its
// shape: an ID number or a phone is looked up exactly through its blind
// index, Latin letters as pinyin or initials ("zhangwei", "zw"), anything
// else as part of the name.
type PersonSearch struct {
	Text     string
	Employer string
	Org      domain.OrgID // the person's origin, home or mobile organization lies under it
	Status   domain.MemberStatus
	Members  *bool
	CityCode string
	Industry string
	After    string // the cursor of the previous page
	Limit    int
	// Summary: the people come with only the fields a list shows — id,
	// name, pinyin, initials, gender, masked ID number and phone, city,
	// district, employer, industry, origin, version, and for members the
	// status and the home and mobile organizations. A list page reads 17
	// columns a row instead of 45 (decision 0018).
	Summary bool
}

// PersonPage is one page of people with the total and the next cursor.
type PersonPage struct {
	People []domain.Person
	Total  int
	// TotalCapped says that Total is a lower bound: a search by text,
	// employer or industry is counted with bounded work (looking at no
	// more than PersonTotalCap+1 of the rows it walks),
	// while a list by scope, organization, status and city is always
	// counted exactly.
	TotalCapped bool
	Next        string // empty on the last page
}

// PersonTotalCap is how far a search that the count tables cannot answer
// is counted: beyond it the officer needs a narrower search, not the
// exact number, and counting every "王" among a million people would cost
// many times the page itself.
const PersonTotalCap = 1000

// SearchPersons lists people inside the actor's scope, in pinyin order.
func (s *Service) SearchPersons(ctx context.Context, a *authz.Actor, f PersonSearch) (PersonPage, error) {
	if err := s.throttle(ctx, a, throttle.Search); err != nil {
		return PersonPage{}, err
	}
	return s.searchPersons(ctx, a, f)
}

// searchPersons is SearchPersons without the limit, for an export that
// pages through a list on one allowance.
func (s *Service) searchPersons(ctx context.Context, a *authz.Actor, f PersonSearch) (PersonPage, error) {
	q, err := s.personQuery(ctx, a, f)
	if err != nil {
		return PersonPage{}, err
	}
	var page PersonPage
	rows, total, capped, err := store.ListCountPersons(ctx, s.db.Read(), q, PersonTotalCap)
	if err != nil {
		return page, err
	}
	page.Total, page.TotalCapped = total, capped
	page.People = make([]domain.Person, 0, len(rows))
	for _, r := range rows {
		page.People = append(page.People, r.Person)
	}
	if len(rows) == q.Limit {
		last := rows[len(rows)-1]
		page.Next = last.SortKey + "\x00" + strconv.FormatInt(int64(last.ID), 10)
	}
	return page, nil
}

// personQuery is the store query of a search: the actor's person:read
// scope and the filters; an organization filter the actor may not read is
// not found.
func (s *Service) personQuery(ctx context.Context, a *authz.Actor, f PersonSearch) (store.PersonQuery, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := store.PersonQuery{Scope: a.Filter(authz.PersonRead), Employer: strings.TrimSpace(f.Employer), Status: f.Status,
		Members: f.Members, CityCode: f.CityCode, Industry: strings.ToUpper(f.Industry), After: f.After, Limit: limit,
		Names: s.orgNames, Summary: f.Summary}
	s.readText(&q, strings.TrimSpace(f.Text))
	if f.Org != 0 {
		o, err := s.orgFor(ctx, s.db.Read(), a, f.Org)
		if err != nil {
			return q, err
		}
		q.Org = o.Path
	}
	return q, nil
}

// readText puts the search text into the query by its shape.
func (s *Service) readText(q *store.PersonQuery, text string) {
	if text == "" {
		return
	}
	if id, err := idcheck.ParseID(text, s.Now().In(domain.China)); err == nil {
		q.IDIndex = s.cfg.Keys.BlindIndex("id_number", id.Number)
		return
	}
	if ph, err := idcheck.ParsePhone(text); err == nil {
		q.PhoneIndex = s.cfg.Keys.BlindIndex("phone", ph.Number)
		return
	}
	latin := true
	for _, r := range text {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			latin = false
			break
		}
	}
	if latin {
		q.Pinyin = strings.ToLower(text)
		return
	}
	q.Name = text
}
