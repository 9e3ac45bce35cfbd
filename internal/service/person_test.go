package service_test

import (
	"slices"
	"strings"
	"testing"

	"gongjian/internal/i18n"
	"gongjian/internal/idcheck"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// people adds a member placed in MB (home branch V) and a worker from T.
func (w *world) people(t *testing.T) (member, worker domain.PersonID) {
	t.Helper()
	var err error
	member, err = w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: "单雄信", IDNumber: "11010519491231002X",
		Phone: "138 1234 5678", Employer: "杭州建工集团", Industry: "e", CityCode: "330100", OriginOrgID: w.orgs["V"].ID,
		Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID, MobileOrgID: w.orgs["MB"].ID}})
	if err != nil {
		t.Fatal(err)
	}
	worker, err = w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: "张伟", Phone: "13912345678",
		OriginOrgID: w.orgs["T"].ID})
	if err != nil {
		t.Fatal(err)
	}
	return member, worker
}

func names(page service.PersonPage) []string {
	var out []string
	for _, p := range page.People {
		out = append(out, p.Name)
	}
	return out
}

func TestPersonSealedMaskedAndSearchable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, _ := w.people(t)
		county := w.actor(t, "county")
		p, err := w.svc.Person(ctx, county, member)
		if err != nil {
			t.Fatal(err)
		}
		if p.IDNumber != "110105********002X" || p.Phone != "138****5678" || p.Gender != 2 || p.BirthOn.String() != "1949-12-31" ||
			p.Pinyin != "shanxiongxin" || p.Initials != "sxx" || p.Membership == nil || p.Membership.MobileOrgID != w.orgs["MB"].ID {
			t.Fatalf("person %+v", p)
		}
		// Nothing in the table holds the clear number.
		var clear int
		db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons WHERE id_sealed LIKE '%1949%' OR phone_sealed LIKE '%5678%'
			OR id_masked LIKE '%19491231%'`).Scan(&clear)
		if clear != 0 {
			t.Fatal("clear values in the persons table")
		}
		for _, c := range []struct {
			text string
			want []string
		}{
			{"雄", []string{"单雄信"}}, {"shanx", []string{"单雄信"}}, {"sxx", []string{"单雄信"}}, {"zw", []string{"张伟"}},
			{"11010519491231002x", []string{"单雄信"}}, {"+86 139-1234-5678", []string{"张伟"}}, {"", []string{"单雄信", "张伟"}},
		} {
			page, err := w.svc.SearchPersons(ctx, county, service.PersonSearch{Text: c.text})
			if err != nil || !slices.Equal(names(page), c.want) || page.Total != len(c.want) {
				t.Errorf("search %q: %v (total %d) %v, want %v", c.text, names(page), page.Total, err, c.want)
			}
		}
		page, _ := w.svc.SearchPersons(ctx, county, service.PersonSearch{Limit: 1})
		next, _ := w.svc.SearchPersons(ctx, county, service.PersonSearch{Limit: 1, After: page.Next})
		if !slices.Equal(names(page), []string{"单雄信"}) || !slices.Equal(names(next), []string{"张伟"}) {
			t.Fatalf("pages %v then %v", names(page), names(next))
		}
	})
}

func TestPersonScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, worker := w.people(t)
		sees := map[string][]string{
			"county": {"单雄信", "张伟"}, "home": {"单雄信"}, "mobile": {"单雄信"}, "host": {"单雄信"},
			"member": nil, "cases": nil, "auditor": nil,
		}
		for role, want := range sees {
			page, err := w.svc.SearchPersons(ctx, w.actor(t, role), service.PersonSearch{})
			if err != nil || !slices.Equal(names(page), want) {
				t.Errorf("%s sees %v (%v), want %v", role, names(page), err, want)
			}
		}
		_, err := w.svc.Person(ctx, w.actor(t, "host"), worker)
		wantCode(t, err, domain.CodeNotFound, "")
		if _, err := w.svc.Person(ctx, w.actor(t, "host"), member); err != nil {
			t.Fatalf("host reading a covered member: %v", err)
		}
	})
}

func TestRevealNeedsCapabilityReasonAndIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, worker := w.people(t)
		county := w.actor(t, "county")
		_, err := w.svc.Reveal(ctx, county, member, "id_number", " ")
		wantField(t, err, domain.CodeInvalid, "person.reveal_reason", "reason")
		got, err := w.svc.Reveal(ctx, county, member, "id_number", "核对组织关系")
		if err != nil || got != "11010519491231002X" {
			t.Fatalf("reveal: %q %v", got, err)
		}
		// The host's agreement grants basic data, not sensitive data.
		_, err = w.svc.Reveal(ctx, w.actor(t, "host"), member, "phone", "联系")
		wantCode(t, err, domain.CodeForbidden, "")
		_, err = w.svc.Reveal(ctx, w.actor(t, "host"), worker, "phone", "联系")
		wantCode(t, err, domain.CodeNotFound, "")
		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "person.reveal"})
		if len(entries) != 2 || entries[0].Outcome != "denied" || entries[1].Outcome != "ok" || !strings.Contains(entries[1].Detail, "核对组织关系") {
			t.Fatalf("reveal audit %+v", entries)
		}
	})
}

func TestPersonInputRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.people(t)
		county := w.actor(t, "county")
		base := service.NewPerson{Name: "李四", OriginOrgID: w.orgs["T"].ID}
		for _, c := range []struct {
			mod        func(*service.NewPerson)
			code       domain.Code
			msg, field string
		}{
			{func(p *service.NewPerson) { p.IDNumber = "110105194912310021" }, domain.CodeInvalid, "check.id.check", "id_number"},
			{func(p *service.NewPerson) { p.IDNumber = "3.20724E+17" }, domain.CodeInvalid, "check.id.scientific", "id_number"},
			{func(p *service.NewPerson) { p.IDNumber = "11010519491231002X"; p.Gender = "男" }, domain.CodeInvalid, "check.id.gender", "gender"},
			{func(p *service.NewPerson) { p.IDNumber = "11010519491231002X" }, domain.CodeConflict, "person.id_taken", "id_number"},
			{func(p *service.NewPerson) { p.Phone = "12345" }, domain.CodeInvalid, "check.phone.format", "phone"},
			{func(p *service.NewPerson) { p.Name = "李4" }, domain.CodeInvalid, "check.name.digit", "name"},
			{func(p *service.NewPerson) { p.OriginOrgID = w.orgs["M"].ID }, domain.CodeInvalid, "person.origin_invalid", "origin_org"},
		} {
			in := base
			c.mod(&in)
			_, err := w.svc.CreatePerson(ctx, county, in)
			wantField(t, err, c.code, c.msg, c.field)
		}
		// The mobile secretary cannot register people of a township outside
		// its reach.
		_, err := w.svc.CreatePerson(ctx, w.actor(t, "mobile"), base)
		wantField(t, err, domain.CodeInvalid, "person.origin_invalid", "origin_org")
		page, _ := w.svc.SearchPersons(ctx, county, service.PersonSearch{})
		if page.Total != 2 {
			t.Fatalf("refused input changed something: %d people", page.Total)
		}
	})
}

// Every error code idcheck can return has a message in both languages.
func TestCheckCodesCatalogued(t *testing.T) {
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{idcheck.CodeIDEmpty, idcheck.CodeIDChars, idcheck.CodeIDLength, idcheck.CodeIDScientific, idcheck.CodeIDProvince,
		idcheck.CodeIDBirth, idcheck.CodeIDFuture, idcheck.CodeIDCheck, idcheck.CodeIDGender, idcheck.CodeIDBirthDiff,
		idcheck.CodePhoneEmpty, idcheck.CodePhoneChars, idcheck.CodePhoneFormat, idcheck.CodeLandlineEmpty, idcheck.CodeLandlineFormat,
		idcheck.CodeUSCCEmpty, idcheck.CodeUSCCChars, idcheck.CodeUSCCLength, idcheck.CodeUSCCCheck, idcheck.CodeUSCCOrgCheck,
		idcheck.CodeNameEmpty, idcheck.CodeNameLength, idcheck.CodeNameDigit, idcheck.CodeNameChars, idcheck.CodeNameDot,
		idcheck.CodeGender, idcheck.CodeDateFormat, idcheck.CodeDateInvalid, idcheck.CodeDateYear, idcheck.CodeDateShortYear,
		idcheck.CodeDateRange, idcheck.CodeDateSerial}
	for _, lang := range i18n.Languages() {
		for _, c := range codes {
			if !b.For(lang).Has("check." + c) {
				t.Errorf("%s: no message for check.%s", lang, c)
			}
		}
	}
}

func TestCheckMessageNamesTheFix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		_, err := w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: "李四", IDNumber: "110105194912310021",
			OriginOrgID: w.orgs["T"].ID})
		b, _ := i18n.New()
		msg := b.For(i18n.ZhCN).Err(err)
		if !strings.Contains(msg, "“1”") || !strings.Contains(msg, "“X”") {
			t.Fatalf("message %q does not name the wrong and the right check character", msg)
		}
	})
}

// Rotating the key re-encrypts every sealed value; the values still open
// and the blind index still finds them.
func TestKeyRotationReseals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, _ := w.people(t)
		var before string
		db.Read().QueryRowContext(ctx, `SELECT id_sealed FROM persons WHERE id = $1`, member).Scan(&before)
		if err := w.keys.Rotate(""); err != nil {
			t.Fatal(err)
		}
		counts, err := w.svc.Reseal(ctx)
		if err != nil || counts["persons.id_sealed"] != 1 || counts["persons.phone_sealed"] != 2 {
			t.Fatalf("resealed %v, %v", counts, err)
		}
		var after string
		db.Read().QueryRowContext(ctx, `SELECT id_sealed FROM persons WHERE id = $1`, member).Scan(&after)
		if after == before || w.keys.NeedsReseal(after) {
			t.Fatal("the ID number was not re-encrypted under the new key")
		}
		if v, err := w.svc.Reveal(ctx, w.actor(t, "county"), member, "id_number", "核对"); err != nil || v != "11010519491231002X" {
			t.Fatalf("after rotation: %q %v", v, err)
		}
		page, _ := w.svc.SearchPersons(ctx, w.actor(t, "county"), service.PersonSearch{Text: "11010519491231002X"})
		if page.Total != 1 {
			t.Fatal("the blind index no longer finds the person")
		}
		if again, _ := w.svc.Reseal(ctx); len(again) != 0 {
			t.Fatalf("a second pass re-encrypted %v", again)
		}
	})
}

// The structure advisor counts members where their relationship is held
// (origin) and where they take part (mobile).
func TestAdvisorCountsMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.people(t)
		county := w.actor(t, "county")
		for _, org := range []string{"V", "MB"} {
			v, err := w.svc.Org(ctx, county, w.orgs[org].ID)
			if err != nil || v.Counts.Full != 1 || v.Counts.Probationary != 0 {
				t.Fatalf("%s counts %+v %v", org, v.Counts, err)
			}
		}
		if v, _ := w.svc.Org(ctx, county, w.orgs["T"].ID); v.Counts.Total() != 0 {
			t.Fatalf("a worker counted as a member: %+v", v.Counts)
		}
	})
}
