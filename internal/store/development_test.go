package store_test

import (
	"context"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// devStoreWorld is a home branch, a mobile branch elsewhere and one
// applicant with an open case.
func devStoreWorld(t *testing.T, db *store.DB) (home, mobile domain.Org, c domain.DevCase) {
	t.Helper()
	ctx := context.Background()
	if err := db.Tx(ctx, func(tx store.Tx) error {
		h, err := store.CreateOrg(ctx, tx, domain.Org{Name: "新安镇党委", Side: domain.SideOrigin}, importNow)
		if err != nil {
			return err
		}
		m, err := store.CreateOrg(ctx, tx, domain.Org{Name: "驻杭州流动党支部", Side: domain.SideMobile}, importNow)
		if err != nil {
			return err
		}
		if home, err = store.OrgByID(ctx, tx, h); err != nil {
			return err
		}
		if mobile, err = store.OrgByID(ctx, tx, m); err != nil {
			return err
		}
		p := store.PersonRow{SortKey: "liming"}
		p.Name, p.Pinyin, p.Initials, p.OriginOrgID, p.BirthOn = "李明", "liming", "lm", h, domain.NewDate(1998, 4, 2)
		p.Membership = &domain.Membership{Status: domain.StatusApplicant, HomeOrgID: h, MobileOrgID: m}
		person, err := store.CreatePerson(ctx, tx, p, importNow)
		if err != nil {
			return err
		}
		c = domain.DevCase{PersonID: person, PersonName: p.Name, HomeOrgID: h, MobileOrgID: m, AppliedOn: domain.NewDate(2024, 3, 1),
			OpenedAt: importNow}
		c.ID, err = store.CreateDevCase(ctx, tx, c)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var err error
	if c, err = store.DevCaseByID(ctx, db.Read(), c.ID); err != nil {
		t.Fatal(err)
	}
	return home, mobile, c
}

func TestDevCaseOncePerPersonAndScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		home, mobile, c := devStoreWorld(t, db)
		if c.PersonName != "李明" || c.BirthOn.String() != "1998-04-02" || c.State != domain.DevOpen || c.HomeOrgPath != home.Path ||
			c.MobileOrgPath != mobile.Path {
			t.Fatalf("case %+v", c)
		}
		err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.CreateDevCase(ctx, tx, c)
			return err
		})
		if domain.CodeOf(err) != domain.CodeConflict || domain.AsError(err).MsgID != "development.duplicate" {
			t.Fatalf("second open case: %v", err)
		}
		// Closed, a new case may open.
		c.State = domain.DevClosed
		closed := importNow
		c.ClosedAt = &closed
		if err := db.Tx(ctx, func(tx store.Tx) error {
			if err := store.UpdateDevCase(ctx, tx, c); err != nil {
				return err
			}
			_, err := store.CreateDevCase(ctx, tx, c)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct {
			home, mobile authz.OrgFilter
			want         int
		}{
			{authz.OrgFilter{Prefixes: []string{home.Path}}, authz.OrgFilter{}, 2},
			{authz.OrgFilter{}, authz.OrgFilter{Prefixes: []string{mobile.Path}}, 2},
			{authz.OrgFilter{}, authz.OrgFilter{}, 0},
			{authz.OrgFilter{Prefixes: []string{"/999/"}}, authz.OrgFilter{}, 0},
		} {
			cs, err := store.ListDevCases(ctx, db.Read(), store.DevCaseQuery{Home: x.home, Mobile: x.mobile})
			if err != nil || len(cs) != x.want {
				t.Errorf("scope %v/%v: %d cases (%v), want %d", x.home, x.mobile, len(cs), err, x.want)
			}
		}
		open, err := store.ListDevCases(ctx, db.Read(), store.DevCaseQuery{Home: authz.OrgFilter{Prefixes: []string{home.Path}},
			State: domain.DevOpen})
		if err != nil || len(open) != 1 || open[0].ID == c.ID {
			t.Fatalf("open cases %v (%v)", open, err)
		}
	})
}

// An approval behind a gate is refused by the store itself until the
// host opinion is on record.
func TestDevStepGateInStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, mobile, c := devStoreWorld(t, db)
		rec := domain.DevRecord{CaseID: c.ID, StepInput: domain.StepInput{Step: 7, On: domain.NewDate(2025, 6, 1)},
			Side: domain.SideOrigin, ActorName: "县委组织部", At: importNow}
		err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.InsertDevStep(ctx, tx, rec, domain.GateCandidate, 0)
			return err
		})
		if domain.AsError(err).MsgID != "development.rule.opinion_missing" {
			t.Fatalf("approval before the opinion: %v", err)
		}
		if err := db.Tx(ctx, func(tx store.Tx) error {
			if _, err := store.AddDevOpinion(ctx, tx, domain.DevOpinion{CaseID: c.ID, Gate: domain.GateCandidate, On: rec.On,
				Text: "同意", Side: domain.SideMobile, OrgName: mobile.Name, ActorName: "书记", At: importNow}, mobile.ID, 0, 0); err != nil {
				return err
			}
			_, err := store.InsertDevStep(ctx, tx, rec, domain.GateCandidate, 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		err = db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.AddDevOpinion(ctx, tx, domain.DevOpinion{CaseID: c.ID, Gate: domain.GateCandidate, On: rec.On,
				Text: "again", Side: domain.SideMobile, ActorName: "书记", At: importNow}, mobile.ID, 0, 0)
			return err
		})
		if domain.CodeOf(err) != domain.CodeConflict {
			t.Fatalf("second opinion for a gate: %v", err)
		}
		steps, err := store.DevSteps(ctx, db.Read(), c.ID)
		if err != nil || len(steps) != 1 || steps[0].Step != 7 || steps[0].On != rec.On || steps[0].Side != domain.SideOrigin {
			t.Fatalf("steps %+v (%v)", steps, err)
		}
		if err := db.Tx(ctx, func(tx store.Tx) error { return store.SupersedeDevSteps(ctx, tx, c.ID, 1, 25) }); err != nil {
			t.Fatal(err)
		}
		if steps, _ := store.DevSteps(ctx, db.Read(), c.ID); !steps[0].Superseded {
			t.Fatal("not superseded")
		}
	})
}
