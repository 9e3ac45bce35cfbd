package service

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// BulkError says which person of a batch RegisterPeople refused: Index
// into the batch, and the refusal (a domain error with its field).
type BulkError struct {
	Index int
	Err   error
}

func (e *BulkError) Error() string { return fmt.Sprintf("person %d of the batch: %v", e.Index, e.Err) }

func (e *BulkError) Unwrap() error { return e.Err }

// RegisterPeople registers a batch of people the way CreatePerson
// registers one — the same checks, normalisation and sealing
// (preparePerson) — with the roster import's rule for the organizations
// (origin and mobile organization among those where the actor may
// register people), in one transaction with multi-row statements and one
// audit entry for the batch, so that a county's 200,000 workers load in
// seconds. It is for the program's own loaders (the demo, tools), which
// hand over people known to be new: a refused person or an ID number
// already registered refuses the whole batch, and nothing of it is
// written (a *BulkError names the person).
//
// then, when not nil, runs inside the same transaction with the new ids
// in the order of people, so that what a loader adds to the batch
// (contacts, an account's link) commits with it or not at all.
func (s *Service) RegisterPeople(ctx context.Context, a *authz.Actor, people []NewPerson,
	then func(ctx context.Context, tx store.Tx, ids []domain.PersonID) error) ([]domain.PersonID, error) {
	if len(people) == 0 {
		return nil, nil
	}
	gate, err := s.newOrgGate(ctx, a)
	if err != nil {
		return nil, err
	}
	rows, errs := s.prepareAll(people)
	seen := make(map[string]int, len(people))
	for i, p := range rows {
		err := errs[i]
		if err == nil && len(p.IDIndex) == 0 {
			err = domain.Invalid("id_number", "check.id.empty", nil)
		}
		if err == nil {
			err = gate.checkOrgs(p)
		}
		if _, dup := seen[string(p.IDIndex)]; err == nil && dup {
			err = domain.Conflict("id_number", "person.id_taken", nil)
		}
		if err != nil {
			return nil, &BulkError{Index: i, Err: err}
		}
		seen[string(p.IDIndex)] = i
	}
	// Written in pinyin order: the name indexes (sort key, pinyin,
	// initials) then take each batch's rows page by page instead of
	// scattered over the tree.
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return strings.Compare(rows[i].SortKey, rows[j].SortKey) })
	sorted := make([]store.PersonRow, len(rows))
	for k, i := range order {
		sorted[k] = rows[i]
	}
	ids := make([]domain.PersonID, len(rows))
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		got, err := store.InsertPersons(ctx, tx, sorted, "registered", "{}", a.Name, s.Today(), s.Now())
		if err != nil {
			return err
		}
		for k, i := range order {
			ids[i] = got[k]
		}
		if then != nil {
			if err := then(ctx, tx, ids); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, "person.register_bulk", "person", fmt.Sprint(ids[0]), "ok",
			map[string]any{"count": len(ids), "first": ids[0], "last": ids[len(ids)-1]})
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// prepareAll runs preparePerson over a batch on every processor: sealing
// and indexing are most of a registration's own work, and the rows are
// independent.
func (s *Service) prepareAll(people []NewPerson) ([]store.PersonRow, []error) {
	rows, errs := make([]store.PersonRow, len(people)), make([]error, len(people))
	workers := min(runtime.GOMAXPROCS(0), 1+len(people)/500)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(people); i += workers {
				rows[i], errs[i] = s.preparePerson(people[i])
			}
		})
	}
	wg.Wait()
	return rows, errs
}
