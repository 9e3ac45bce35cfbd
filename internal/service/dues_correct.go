package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Corrections of the dues ledger (docs/decisions/0011-dues.md,
// "Corrections"): voiding a payment recorded by mistake, so that it can be
// recorded again as it should have been, and reopening a month an
// organization closed by mistake. Both need a reason, neither works across
// a closed month, and the audit entry keeps every value removed: the
// ledger forgets the row, the audit log does not.

// checkReason refuses an empty or overlong reason (already trimmed).
func checkReason(reason string) error {
	if reason == "" {
		return domain.Invalid("reason", "dues.reason_required", nil)
	}
	return checkNote("reason", reason)
}

// VoidDuesPayment removes a member's payment for a month, which may then
// be recorded again. It needs dues:collect at the organization that
// collected the payment and a reason, and is refused while the month is
// closed for that organization (by itself or one above it): reopen it
// first. The audit entry keeps every value of the removed row; the contact
// recorded with the payment stays, since the member was reached. It
// returns the payment removed.
func (s *Service) VoidDuesPayment(ctx context.Context, a *authz.Actor, person domain.PersonID, m domain.Month, reason string) (domain.DuesPayment, error) {
	reason = strings.TrimSpace(reason)
	if !m.Valid() {
		return domain.DuesPayment{}, domain.Invalid("month", "dues.month_invalid", nil)
	}
	if err := checkReason(reason); err != nil {
		return domain.DuesPayment{}, err
	}
	var pay domain.DuesPayment
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		if _, err := s.personFor(ctx, tx, a, person, authz.DuesRead); err != nil {
			return err
		}
		gone := &domain.Error{Code: domain.CodeNotFound, Field: "month", MsgID: "dues.payment_not_found", Args: map[string]any{"Month": m.String()}}
		var err error
		if pay, err = store.DuesPaymentOf(ctx, tx, person, m); err != nil {
			if domain.CodeOf(err) == domain.CodeNotFound {
				return gone
			}
			return err
		}
		o, err := store.OrgByID(ctx, tx, pay.OrgID)
		if err != nil {
			return err
		}
		if !a.CanAt(authz.DuesCollect, target(o)).Allowed {
			return domain.ErrForbidden
		}
		if err := openFor(ctx, tx, o, m, "dues.void_closed"); err != nil {
			return err
		}
		removed, err := store.RemoveDuesPayment(ctx, tx, pay.ID)
		if err != nil {
			return err
		}
		if !removed {
			return gone
		}
		return s.record(ctx, tx, a, "dues.void", "person", fmt.Sprint(person), "ok", map[string]any{"month": pay.Month.String(),
			"amount": pay.Amount, "standard": pay.Standard, "retained": pay.Retained, "channel": pay.Channel, "paid_on": pay.PaidOn,
			"org": pay.OrgID, "org_name": pay.OrgName, "side": pay.Side, "hardship": pay.Hardship, "backpay": pay.BackPay, "note": pay.Note,
			"recorded_by": pay.RecordedBy, "recorded_at": pay.RecordedAt, "reason": reason})
	})
	if domain.CodeOf(err) == domain.CodeForbidden {
		return domain.DuesPayment{}, s.denied(ctx, a, "dues.void", "person", fmt.Sprint(person), err)
	}
	if err != nil {
		return domain.DuesPayment{}, err
	}
	return pay, nil
}

// openFor refuses, with msgID, a month closed for the organization o by
// itself or an organization above it, naming the one that closed it.
func openFor(ctx context.Context, q store.Tx, o domain.Org, m domain.Month, msgID string) error {
	if err := store.ShareDuesOrgs(ctx, q, o.Path); err != nil {
		return err
	}
	closed, err := store.ClosedDuesMonths(ctx, q, o.Path, m, m)
	if err != nil {
		return err
	}
	if by := closed[m]; by != "" {
		return &domain.Error{Code: domain.CodeRule, Field: "month", MsgID: msgID, Args: map[string]any{"Month": m.String(), "Org": by}}
	}
	return nil
}

// ReopenDuesMonth removes an organization's own closing of a month, so
// that payments for it may be recorded or voided again in its subtree. It
// needs dues:collect there and a reason; a month the organization has not
// closed is refused, naming the organization above that did when one has.
// The audit entry keeps who closed the month and when.
func (s *Service) ReopenDuesMonth(ctx context.Context, a *authz.Actor, org domain.OrgID, m domain.Month, reason string) error {
	reason = strings.TrimSpace(reason)
	if !m.Valid() {
		return domain.Invalid("month", "dues.month_invalid", nil)
	}
	if err := checkReason(reason); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		o, err := s.duesOrg(ctx, tx, a, org, authz.DuesCollect)
		if err != nil {
			return err
		}
		own, err := store.DuesClosings(ctx, tx, o.ID, m, m)
		if err != nil {
			return err
		}
		if len(own) == 0 {
			if err := openFor(ctx, tx, o, m, "dues.reopen_above"); err != nil {
				return err
			}
			return domain.Conflict("month", "dues.reopen_not_closed", map[string]any{"Month": m.String()})
		}
		if _, err := store.ReopenDuesMonth(ctx, tx, o.ID, m); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "dues.reopen", "org", fmt.Sprint(o.ID), "ok", map[string]any{"month": m.String(),
			"closed_by": own[0].ClosedBy, "closed_at": own[0].ClosedAt, "reason": reason})
	})
	if domain.CodeOf(err) == domain.CodeForbidden {
		return s.denied(ctx, a, "dues.reopen", "org", fmt.Sprint(org), err)
	}
	return err
}

// paymentLocks tells, of a member's payments, which lie in a month closed
// for their collecting organization (with the organization that closed
// it) and which the actor may void: those collected where the actor
// collects dues, in a month still open there.
func paymentLocks(ctx context.Context, q store.Q, a *authz.Actor, pays []domain.DuesPayment) (voidable map[domain.Month]bool,
	closedBy map[domain.Month]string, err error) {
	voidable, closedBy = map[domain.Month]bool{}, map[domain.Month]string{}
	byOrg := map[domain.OrgID][]domain.Month{}
	for _, p := range pays {
		byOrg[p.OrgID] = append(byOrg[p.OrgID], p.Month)
	}
	for id, months := range byOrg {
		o, err := store.OrgByID(ctx, q, id)
		if err != nil {
			return nil, nil, err
		}
		closed, err := store.ClosedDuesMonths(ctx, q, o.Path, slices.Min(months), slices.Max(months))
		if err != nil {
			return nil, nil, err
		}
		collects := a.CanAt(authz.DuesCollect, target(o)).Allowed
		for _, m := range months {
			switch {
			case closed[m] != "":
				closedBy[m] = closed[m]
			case collects:
				voidable[m] = true
			}
		}
	}
	return voidable, closedBy, nil
}
