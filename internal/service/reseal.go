package service

import (
	"context"
	"fmt"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// sealedColumn is a column of sealed values and the associated data each
// row's value was sealed with.
type sealedColumn struct {
	store.SealedColumn
	aad func(id int64) []byte
}

// sealedColumns lists every sealed column of the schema; a new one must be
// added here, or key rotation would leave it on the old key.
var sealedColumns = []sealedColumn{
	{store.SealedColumn{Table: "persons", Column: "id_sealed"}, func(int64) []byte { return personIDAAD }},
	{store.SealedColumn{Table: "persons", Column: "phone_sealed"}, func(int64) []byte { return personPhoneAAD }},
	{store.SealedColumn{Table: "org_officers", Column: "phone"}, func(int64) []byte { return officerPhoneAAD }},
	{store.SealedColumn{Table: "accounts", Column: "totp_secret"}, func(id int64) []byte { return totpAAD(domain.AccountID(id)) }},
	{store.SealedColumn{Table: "accounts", Column: "totp_pending"}, func(id int64) []byte { return totpAAD(domain.AccountID(id)) }},
}

// ResealCounts says how many values a rotation re-encrypted, by column.
type ResealCounts map[string]int

// Reseal re-encrypts every sealed value that is not under the keyring's
// current key, in one transaction, and audits the rotation. The keyring
// must already hold the new key and still hold the old ones, and must have
// been saved before this runs: a crash then leaves values under keys the
// file still has.
func (s *Service) Reseal(ctx context.Context) (ResealCounts, error) {
	counts := ResealCounts{}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		for _, c := range sealedColumns {
			vals, err := store.SealedValues(ctx, tx, c.SealedColumn)
			if err != nil {
				return err
			}
			for _, v := range vals {
				if !s.cfg.Keys.NeedsReseal(v.Value) {
					continue
				}
				clear, err := s.cfg.Keys.Open(v.Value, c.aad(v.ID))
				if err != nil {
					return fmt.Errorf("service: reseal %s.%s row %d: %w", c.Table, c.Column, v.ID, err)
				}
				next, err := s.cfg.Keys.Seal(clear, c.aad(v.ID))
				if err != nil {
					return err
				}
				if err := store.UpdateSealed(ctx, tx, c.SealedColumn, v.ID, next); err != nil {
					return err
				}
				counts[c.Table+"."+c.Column]++
			}
		}
		return s.record(ctx, tx, authz.System, "keys.rotate", "keyring", fmt.Sprint(s.cfg.Keys.CurrentKeyID()), "ok",
			map[string]any{"resealed": counts, "suite": s.cfg.Keys.Suite()})
	})
	return counts, err
}
