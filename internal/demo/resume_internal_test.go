package demo

import (
	"context"
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

// footprint counts what the scenario wrote: organizations, their history
// and officers, agreements and their events, accounts, and the last audit
// entry.
type footprint struct {
	orgs, events, officers, agreements, agreementEvents, accounts int
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
