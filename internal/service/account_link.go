package service

import (
	"context"
	"fmt"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/store"
)

// The link between an account and the person record that is its owner's
// own (a member on a phone). The security officer makes it from the ID
// number the member presents, found exactly through the blind index: no
// name matching, no guess. Only the masked record is ever shown back.

// LinkPerson links account id to the person whose ID number is idNumber
// (security officer) and returns that person, masked. An unknown number is
// invalid input; a person already linked to another account is a conflict.
func (s *Service) LinkPerson(ctx context.Context, a *authz.Actor, id domain.AccountID, idNumber string) (domain.Person, error) {
	if err := require(a, authz.AccountManage); err != nil {
		return domain.Person{}, s.denied(ctx, a, "account.link_person", "account", fmt.Sprint(id), err)
	}
	return s.linkPerson(ctx, a, id, idNumber)
}

// BootstrapLinkPerson is LinkPerson for the command line.
func (s *Service) BootstrapLinkPerson(ctx context.Context, id domain.AccountID, idNumber string) (domain.Person, error) {
	return s.linkPerson(ctx, authz.System, id, idNumber)
}

func (s *Service) linkPerson(ctx context.Context, a *authz.Actor, id domain.AccountID, idNumber string) (domain.Person, error) {
	num, err := idcheck.ParseID(strings.TrimSpace(idNumber), s.Now().In(domain.China))
	if err != nil {
		return domain.Person{}, idErr("id_number", err)
	}
	var p store.PersonRow
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		acc, err := store.AccountByID(ctx, tx, id)
		if err != nil {
			return err
		}
		rows, err := store.ListPersons(ctx, tx, store.PersonQuery{Scope: everywhere, IDIndex: s.cfg.Keys.BlindIndex("id_number", num.Number), Limit: 1})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return domain.Invalid("id_number", "account.person_unknown", nil)
		}
		p = rows[0]
		if p.Membership == nil {
			return domain.Invalid("id_number", "account.person_not_member", nil)
		}
		if acc.PersonID == p.ID {
			return nil
		}
		other, err := store.AccountByPerson(ctx, tx, p.ID)
		if err == nil {
			return domain.Conflict("id_number", "account.person_taken", map[string]any{"Account": other.Name})
		}
		if domain.CodeOf(err) != domain.CodeNotFound {
			return err
		}
		if err := store.SetAccountPerson(ctx, tx, id, p.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.link_person", "account", fmt.Sprint(id), "ok",
			change{Before: linkDetail(acc.PersonID), After: map[string]any{"person": p.ID, "id_number": p.IDNumber}})
	})
	return p.Person, err
}

// everywhere is a scope over every organization, for lookups the service
// makes on its own behalf (an exact ID number, the organizations serving a
// city), never for lists shown to an actor.
var everywhere = authz.OrgFilter{Prefixes: []string{"/"}}

func linkDetail(p domain.PersonID) any {
	if p == 0 {
		return nil
	}
	return map[string]any{"person": p}
}

// UnlinkPerson removes an account's link to its person record (security
// officer); an account without a link is left as it is, unaudited.
func (s *Service) UnlinkPerson(ctx context.Context, a *authz.Actor, id domain.AccountID) error {
	if err := require(a, authz.AccountManage); err != nil {
		return s.denied(ctx, a, "account.unlink_person", "account", fmt.Sprint(id), err)
	}
	return s.unlinkPerson(ctx, a, id)
}

// BootstrapUnlinkPerson is UnlinkPerson for the command line.
func (s *Service) BootstrapUnlinkPerson(ctx context.Context, id domain.AccountID) error {
	return s.unlinkPerson(ctx, authz.System, id)
}

func (s *Service) unlinkPerson(ctx context.Context, a *authz.Actor, id domain.AccountID) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		acc, err := store.AccountByID(ctx, tx, id)
		if err != nil || acc.PersonID == 0 {
			return err
		}
		if err := store.SetAccountPerson(ctx, tx, id, 0); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.unlink_person", "account", fmt.Sprint(id), "ok", change{Before: linkDetail(acc.PersonID)})
	})
}

// LinkedPerson is the person record linked to an account, masked, for the
// account administration page (account:read); zero when there is none.
func (s *Service) LinkedPerson(ctx context.Context, a *authz.Actor, id domain.AccountID) (domain.Person, error) {
	if err := require(a, authz.AccountRead); err != nil {
		return domain.Person{}, err
	}
	acc, err := store.AccountByID(ctx, s.db.Read(), id)
	if err != nil || acc.PersonID == 0 {
		return domain.Person{}, err
	}
	p, err := store.PersonByID(ctx, s.db.Read(), acc.PersonID)
	return p.Person, err
}

// OwnPerson is the person record of a member's own account: the account
// must hold the member role and be linked to a person (LinkPerson);
// anything else is not found.
func (s *Service) OwnPerson(ctx context.Context, a *authz.Actor) (domain.Person, error) {
	p, err := s.ownPerson(ctx, s.db.Read(), a)
	return p.Person, err
}

func (s *Service) ownPerson(ctx context.Context, q store.Q, a *authz.Actor) (store.PersonRow, error) {
	if a == nil || a.AccountID == 0 || !a.Has(authz.RoleMember) {
		return store.PersonRow{}, notFound()
	}
	acc, err := store.AccountByID(ctx, q, a.AccountID)
	if err != nil {
		return store.PersonRow{}, err
	}
	if acc.PersonID == 0 {
		return store.PersonRow{}, notFound()
	}
	return store.PersonByID(ctx, q, acc.PersonID)
}
