package service_test

import (
	"fmt"
	"slices"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// shortNames registers people whose names share characters: 王伟 and 王芳
// (origin V and T), 李伟明 (home V, placed in MB), 欧阳伟 (origin T, a
// probationary member placed in M2).
func (w *world) shortNames(t *testing.T) map[string]domain.PersonID {
	t.Helper()
	county := w.actor(t, "county")
	out := map[string]domain.PersonID{}
	for _, p := range []service.NewPerson{
		{Name: "王伟", OriginOrgID: w.orgs["V"].ID, CityCode: "330100"},
		{Name: "王芳", OriginOrgID: w.orgs["T"].ID},
		{Name: "李伟明", OriginOrgID: w.orgs["V"].ID, CityCode: "330100",
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID, MobileOrgID: w.orgs["MB"].ID}},
		{Name: "欧阳伟", OriginOrgID: w.orgs["T"].ID, CityCode: "320500",
			Membership: &domain.Membership{Status: domain.StatusProbationary, HomeOrgID: w.orgs["T"].ID, MobileOrgID: w.orgs["M2"].ID}},
	} {
		id, err := w.svc.CreatePerson(ctx, county, p)
		if err != nil {
			t.Fatal(err)
		}
		out[p.Name] = id
	}
	return out
}

// One- and two-character texts are searched through the index too, and
// find every name that holds them, in pinyin order, inside the scope.
func TestPersonShortNameSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.shortNames(t)
		for _, c := range []struct {
			actor, text string
			want        []string
		}{
			{"county", "王", []string{"王芳", "王伟"}},
			{"county", "伟", []string{"李伟明", "欧阳伟", "王伟"}},
			{"county", "伟明", []string{"李伟明"}},
			{"county", "阳伟", []string{"欧阳伟"}},
			{"county", "欧阳伟", []string{"欧阳伟"}},
			{"county", "王伟", []string{"王伟"}},
			{"county", "芳伟", nil},
			{"home", "伟", []string{"李伟明", "王伟"}},
			{"mobile", "伟", []string{"李伟明"}},
			{"host", "伟", []string{"李伟明"}},
			{"member", "伟", nil},
		} {
			page, err := w.svc.SearchPersons(ctx, w.actor(t, c.actor), service.PersonSearch{Text: c.text})
			if err != nil || !slices.Equal(names(page), c.want) || page.Total != len(c.want) || page.TotalCapped {
				t.Errorf("%s searching %q: %v (total %d, capped %v) %v, want %v", c.actor, c.text, names(page), page.Total,
					page.TotalCapped, err, c.want)
			}
		}
	})
}

func orgCounts(w *world, c service.PersonCounts) string {
	byName := map[string]string{}
	for k, o := range w.orgs {
		byName[o.Name] = k
	}
	var out []string
	for _, o := range c.Orgs {
		out = append(out, fmt.Sprintf("%s:%d", byName[o.Org.Name], o.Count))
	}
	return fmt.Sprint(c.Total, out)
}

func cityCounts(c service.PersonCounts) string {
	var out []string
	for _, x := range c.Cities {
		out = append(out, fmt.Sprintf("%q:%d", x.CityCode, x.Count))
	}
	return fmt.Sprint(c.Total, out)
}

// Counts cover the actor's scope only: an organization outside it is not
// listed and its people are not counted, whatever the filter.
func TestPersonCountsInAndOutOfScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		people := w.shortNames(t)
		count := func(actor string, by service.PersonCountBy, f service.PersonSearch) service.PersonCounts {
			t.Helper()
			c, err := w.svc.CountPersons(ctx, w.actor(t, actor), by, f)
			if err != nil {
				t.Fatalf("%s counts by %s: %v", actor, by, err)
			}
			return c
		}
		full := service.PersonSearch{Status: domain.StatusFull}
		for _, c := range []struct {
			actor string
			f     service.PersonSearch
			org   string
			city  string
		}{
			{"county", service.PersonSearch{}, "4 [C:4 T:4 V:2 M:1 MB:1 M2:1]", `4 ["330100":2 "":1 "320500":1]`},
			{"county", full, "1 [C:1 T:1 V:1 M:1 MB:1]", `1 ["330100":1]`},
			{"county", service.PersonSearch{Org: w.orgs["M"].ID}, "1 [M:1 MB:1]", `1 ["330100":1]`},
			{"county", service.PersonSearch{Industry: "E"}, "0 []", "0 []"},
			{"home", service.PersonSearch{}, "2 [V:2]", `2 ["330100":2]`},
			{"mobile", service.PersonSearch{}, "1 [M:1 MB:1]", `1 ["330100":1]`},
			{"host", service.PersonSearch{}, "1 [M:1 MB:1]", `1 ["330100":1]`},
			{"member", service.PersonSearch{}, "0 []", "0 []"},
			{"auditor", service.PersonSearch{}, "0 []", "0 []"},
		} {
			if got := orgCounts(w, count(c.actor, service.CountByOrg, c.f)); got != c.org {
				t.Errorf("%s by org %+v: %s, want %s", c.actor, c.f, got, c.org)
			}
			if got := cityCounts(count(c.actor, service.CountByCity, c.f)); got != c.city {
				t.Errorf("%s by city %+v: %s, want %s", c.actor, c.f, got, c.city)
			}
		}
		// An organization the actor cannot read is not found, not counted.
		_, err := w.svc.CountPersons(ctx, w.actor(t, "mobile"), service.CountByOrg, service.PersonSearch{Org: w.orgs["V"].ID})
		wantCode(t, err, domain.CodeNotFound, "")
		_, err = w.svc.CountPersons(ctx, w.actor(t, "county"), "status", service.PersonSearch{})
		wantCode(t, err, domain.CodeInvalid, "person.counts.bad_by")

		// The counts follow a placement in the same transaction.
		p, err := w.svc.Person(ctx, w.actor(t, "county"), people["李伟明"])
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Place(ctx, w.actor(t, "county"), p.ID, w.orgs["M2"].ID, p.Membership.Version); err != nil {
			t.Fatal(err)
		}
		if got := orgCounts(w, count("mobile", service.CountByOrg, service.PersonSearch{})); got != "0 []" {
			t.Errorf("mobile after the move: %s", got)
		}
		if got := orgCounts(w, count("county", service.CountByOrg, service.PersonSearch{})); got != "4 [C:4 T:4 V:2 M2:2]" {
			t.Errorf("county after the move: %s", got)
		}
	})
}
