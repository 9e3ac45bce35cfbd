package demo

import (
	"context"
	"fmt"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// peopleBatch is how many people one transaction registers: large enough
// that the commits cost little, small enough that a kill loses seconds of
// work and the batch's rows stay a few tens of megabytes.
var peopleBatch = 20_000

// memberAccount is the demo login whose person record the people step
// links: a member placed in the Hangzhou committee's Gongshu branch.
const memberAccount = "member"

// EnsurePeople registers the scenario's first n people, continuing after
// those already stored: person i is the same on every run (see people),
// so a load cut short between batches resumes where it stopped. Each
// batch is one transaction with the failed contact attempts of its lost
// members and, in the batch that holds it, the member account's link to
// its person; progress, when not nil, hears after each batch.
func (l *Loader) EnsurePeople(ctx context.Context, n int, progress func(done, total int)) (err error) {
	// The batches leave their people to be indexed in bulk at the end
	// (decision 0007); whatever a cut load left unindexed is indexed
	// first, so the count below reads everyone stored.
	if err := l.DB.IndexPersons(ctx); err != nil {
		return err
	}
	have, err := store.CountPersons(ctx, l.DB.Read(), store.PersonQuery{Scope: everything})
	if err != nil || have >= n {
		return err
	}
	// Indexed even when the load stops early: a transaction that writes
	// no people does not index what it finds stale (store.DB.Tx).
	defer func() {
		if e := l.DB.IndexPersons(ctx); err == nil {
			err = e
		}
	}()
	bulk := store.DeferPersonIndex(ctx)
	orgs, err := l.orgIDs(ctx)
	if err != nil {
		return err
	}
	account, err := store.AccountByName(ctx, l.DB.Read(), memberAccount)
	if err != nil {
		return fmt.Errorf("people: account %s: %w", memberAccount, err)
	}
	g := newPeople(n, l.Service.Today(), account.DisplayName)
	for start := have; start < n; start += peopleBatch {
		end := min(start+peopleBatch, n)
		batch := make([]genPerson, 0, end-start)
		ins := make([]service.NewPerson, 0, end-start)
		for i := start; i < end; i++ {
			p := g.person(i)
			if err := orgs.resolve(&p); err != nil {
				return fmt.Errorf("person %d: %w", i, err)
			}
			batch, ins = append(batch, p), append(ins, p.NewPerson)
		}
		linked := g.linked - start
		if _, err := l.Service.RegisterPeople(bulk, authz.System, ins, func(ctx context.Context, tx store.Tx, ids []domain.PersonID) error {
			if linked >= 0 && linked < len(ids) {
				if err := store.SetAccountPerson(ctx, tx, account.ID, ids[linked]); err != nil {
					return err
				}
			}
			return l.addAttempts(ctx, tx, batch, ids)
		}); err != nil {
			return fmt.Errorf("people %d–%d: %w", start, end-1, err)
		}
		if progress != nil {
			progress(end, n)
		}
	}
	return nil
}

// addAttempts records the lost members' failed contact attempts.
func (l *Loader) addAttempts(ctx context.Context, tx store.Tx, batch []genPerson, ids []domain.PersonID) error {
	for j, p := range batch {
		for _, c := range p.Attempts {
			c.PersonID, c.ActorName, c.RecordedAt = ids[j], authz.System.Name, l.Service.Now()
			if _, err := store.AddContact(ctx, tx, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// orgIndex finds the scenario's organizations by full name.
type orgIndex map[string]domain.OrgID

func (l *Loader) orgIDs(ctx context.Context) (orgIndex, error) {
	list, err := store.ListOrgs(ctx, l.DB.Read(), store.OrgQuery{Read: everything})
	if err != nil {
		return nil, err
	}
	out := orgIndex{}
	for _, o := range list {
		out[o.Name] = o.ID
	}
	return out, nil
}

// resolve puts the ids of a generated person's organizations in place.
func (x orgIndex) resolve(p *genPerson) error {
	origin, ok := x[p.Origin]
	if !ok {
		return fmt.Errorf("no origin organization %q", p.Origin)
	}
	p.OriginOrgID = origin
	if m := p.Membership; m != nil {
		m.HomeOrgID = origin
		if p.Mobile != "" {
			if m.MobileOrgID, ok = x[p.Mobile]; !ok {
				return fmt.Errorf("no mobile organization %q", p.Mobile)
			}
		}
	}
	return nil
}
