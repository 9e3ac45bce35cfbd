package demo

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"gongjian/internal/auth"
	"gongjian/internal/domain"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func testService(t *testing.T, db *store.DB) *service.Service {
	t.Helper()
	keys, err := seal.New("std")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(db, service.Config{Keys: keys, PasswordParams: auth.TestParams})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// testPeople is the tests' scale: large enough for a member or two in
// every situation, small enough to load in about a second.
const testPeople = 2000

// footprint counts what the scenario wrote: organizations, their history
// and officers, agreements and their events, accounts, people and their
// contacts, and the last audit entry.
type footprint struct {
	orgs, events, officers, agreements, agreementEvents, accounts int
	persons, contacts                                             int
	lastAudit                                                     int64
}

func measure(t *testing.T, db *store.DB) footprint {
	t.Helper()
	ctx := context.Background()
	var f footprint
	orgs, err := store.ListOrgs(ctx, db.Read(), store.OrgQuery{Read: everything})
	if err != nil {
		t.Fatal(err)
	}
	f.orgs = len(orgs)
	for _, o := range orgs {
		ev, _ := store.OrgEvents(ctx, db.Read(), o.ID)
		of, _ := store.Officers(ctx, db.Read(), o.ID)
		f.events += len(ev)
		f.officers += len(of)
	}
	ags, err := store.ListAgreements(ctx, db.Read(), store.AgreementQuery{Scope: everything})
	if err != nil {
		t.Fatal(err)
	}
	f.agreements = len(ags)
	for _, a := range ags {
		ev, _ := store.AgreementEvents(ctx, db.Read(), a.ID)
		f.agreementEvents += len(ev)
	}
	f.accounts, _ = store.CountAccounts(ctx, db.Read())
	f.persons, _ = store.CountPersons(ctx, db.Read(), store.PersonQuery{Scope: everything})
	db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM person_contacts`).Scan(&f.contacts)
	last, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 1})
	if len(last) == 1 {
		f.lastAudit = last[0].Seq
	}
	return f
}

// A load killed in the middle of an organization (founded, not yet
// upgraded, no officers) and of an agreement (drafted, not yet signed)
// resumes to exactly the scenario: the upgrade and the officers once, the
// agreement signed. Running every step again afterwards writes nothing.
func TestResumeInsideAnOrganization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := testService(t, db)
		sc := Guannan()
		sc.People = testPeople
		today := svc.Today()
		half := sc
		half.Steps = []Step{{Name: "crash", Run: func(ctx context.Context, l *Loader) error {
			orgs := guannanOrgs(today)
			for _, o := range orgs[:1] {
				if err := l.EnsureOrg(ctx, o); err != nil {
					return err
				}
			}
			for _, o := range orgs {
				if o.Name == orgHangzhou || o.Name == orgYunhewan {
					o.Upgrades, o.Officers = nil, nil
					if err := l.EnsureOrg(ctx, o); err != nil {
						return err
					}
				}
			}
			first := guannanAgreements(today)[0]
			first.SignedOn = domain.Date{}
			if err := l.EnsureAgreement(ctx, first); err != nil {
				return err
			}
			return domain.ErrForbidden // stands in for the kill
		}}}
		if _, err := half.Load(ctx, svc); err == nil {
			t.Fatal("the interrupted load reported success")
		}
		if res, err := sc.Load(ctx, svc); err != nil || !res.Loaded {
			t.Fatalf("resumed load: %+v %v", res, err)
		}

		fresh := storetest.SQLite(t)
		if _, err := sc.Load(ctx, testService(t, fresh)); err != nil {
			t.Fatal(err)
		}
		want, got := measure(t, fresh), measure(t, db)
		want.lastAudit, got.lastAudit = 0, 0 // the crashed attempt's own entries differ in order only
		if got != want {
			t.Fatalf("resumed load %+v, uninterrupted %+v", got, want)
		}
		hz, _ := store.FindOrg(ctx, db.Read(), orgHangzhou)
		if hz.Kind != domain.KindCommittee {
			t.Errorf("Hangzhou is a %s after resuming", hz.Kind)
		}
		ags, _ := store.ListAgreements(ctx, db.Read(), store.AgreementQuery{Scope: everything, Org: hz.ID})
		if len(ags) != 1 || ags[0].StateOn(svc.Today()) != domain.AgreementInForce {
			t.Errorf("Hangzhou agreements after resuming: %+v", ags)
		}

		// Every step again, as if the marker were lost: nothing written.
		before := measure(t, db)
		l := &Loader{Service: svc, DB: db}
		for _, step := range sc.Steps {
			if err := step.Run(ctx, l); err != nil {
				t.Fatalf("step %s again: %v", step.Name, err)
			}
		}
		if after := measure(t, db); after != before {
			t.Fatalf("running the steps again changed %+v into %+v", before, after)
		}
		if brk, _, err := svc.VerifyAuditChain(ctx); brk != nil || err != nil {
			t.Fatalf("audit chain: %+v %v", brk, err)
		}
	})
}

// A load killed between two batches of people resumes at the count
// stored and writes exactly the people, members, contacts and account
// link an uninterrupted load writes.
func TestResumeInsidePeople(t *testing.T) {
	defer func(b int) { peopleBatch = b }(peopleBatch)
	peopleBatch = 500
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := testService(t, db)
		sc := Guannan()
		sc.People = testPeople
		cut, kill := context.WithCancel(ctx)
		half := sc
		half.Progress = func(done, total int) {
			if done >= 1000 {
				kill() // stands in for the kill: the next batch never starts
			}
		}
		if _, err := half.Load(cut, svc); err == nil {
			t.Fatal("the interrupted load reported success")
		}
		// Stored, and left for the next load to index (the batches put
		// the people index off until the end of the step).
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons`).Scan(&n); err != nil || n != 1000 {
			t.Fatalf("%d people stored when the load was cut (%v)", n, err)
		}
		if res, err := sc.Load(ctx, svc); err != nil || !res.Loaded {
			t.Fatalf("resumed load: %+v %v", res, err)
		}
		if err := store.CheckPersonIndex(ctx, db.Read()); err != nil {
			t.Fatal(err)
		}
		fresh := storetest.SQLite(t)
		if _, err := sc.Load(ctx, testService(t, fresh)); err != nil {
			t.Fatal(err)
		}
		got, want := peopleDigest(t, db), peopleDigest(t, fresh)
		if len(got) != testPeople || !slices.Equal(got, want) {
			t.Fatalf("resumed load has %d people, uninterrupted %d; first difference at %d", len(got), len(want), firstDiff(got, want))
		}
		if a, b := measure(t, db), measure(t, fresh); a.contacts != b.contacts || a.contacts == 0 {
			t.Fatalf("contacts: %d resumed, %d uninterrupted", a.contacts, b.contacts)
		}
		if brk, _, err := svc.VerifyAuditChain(ctx); brk != nil || err != nil {
			t.Fatalf("audit chain: %+v %v", brk, err)
		}
	})
}

// peopleDigest lists every person as a line of what the scenario decides
// (not ids or sealed values, which differ between databases and keys),
// the member account's person marked, sorted.
func peopleDigest(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Read().QueryContext(context.Background(), `SELECT p.name, p.id_masked, p.birth_on, p.gender, p.ethnicity,
		p.phone_masked, p.education, p.hometown_code, p.hometown_village, p.left_home_on, p.city_code, p.district_code,
		p.address, p.employer, p.employer_uscc, p.industry, p.occupation, oo.name, COALESCE(m.status, ''),
		COALESCE(mo.name, ''), COALESCE(m.certificate_no, ''), m.certificate_to, m.last_contact_on,
		COALESCE(m.contact_state, ''), m.contact_state_on,
		(SELECT COUNT(*) FROM person_contacts c WHERE c.person_id = p.id AND NOT c.reached),
		(SELECT COUNT(*) FROM accounts a WHERE a.person_id = p.id)
		FROM persons p JOIN orgs oo ON oo.id = p.origin_org_id LEFT JOIN memberships m ON m.person_id = p.id
		LEFT JOIN orgs mo ON mo.id = m.mobile_org_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var text [19]string
		var birth, left, certTo, last, stateOn domain.Date
		var gender, attempts, linked int
		if err := rows.Scan(&text[0], &text[1], &birth, &gender, &text[2], &text[3], &text[4], &text[5], &text[6], &left,
			&text[7], &text[8], &text[9], &text[10], &text[11], &text[12], &text[13], &text[14], &text[15], &text[16],
			&text[17], &certTo, &last, &text[18], &stateOn, &attempts, &linked); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(text, birth, gender, left, certTo, last, stateOn, attempts, linked))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
