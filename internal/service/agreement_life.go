package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// agreementWritable reads an agreement the actor may change inside tx.
func (s *Service) agreementWritable(ctx context.Context, tx store.Tx, a *authz.Actor, id domain.AgreementID) (domain.Agreement, error) {
	ag, err := store.AgreementByID(ctx, tx, id)
	if err != nil {
		return ag, err
	}
	if a == authz.System {
		return ag, nil
	}
	origin, err := store.OrgByID(ctx, tx, ag.OriginID)
	if err != nil {
		return ag, err
	}
	if a.CanAt(authz.AgreementWrite, target(origin)).Allowed {
		return ag, nil
	}
	if _, err := s.agreementFor(ctx, tx, a, id); err != nil {
		return ag, err
	}
	return ag, domain.ErrForbidden
}

// agreementStep runs one state change of an agreement with its event and
// audit entry.
func (s *Service) agreementStep(ctx context.Context, a *authz.Actor, id domain.AgreementID, version int64, action string,
	step func(tx store.Tx, ag *domain.Agreement) (note string, err error)) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		ag, err := s.agreementWritable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if version != 0 && ag.Version != version {
			return domain.ErrStale
		}
		before := ag
		note, err := step(tx, &ag)
		if err != nil {
			return err
		}
		if err := store.UpdateAgreementState(ctx, tx, ag); err != nil {
			return err
		}
		if err := store.AddAgreementEvent(ctx, tx, id, strings.TrimPrefix(action, "agreement."), note, a.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, action, "agreement", fmt.Sprint(id), "ok",
			change{Before: map[string]any{"state": before.State}, After: map[string]any{"state": ag.State, "note": note}})
	})
}

// SignAgreement puts a draft in force from its signing date; the overlap
// rule is checked again against what is in force now.
func (s *Service) SignAgreement(ctx context.Context, a *authz.Actor, id domain.AgreementID, version int64, on domain.Date) error {
	return s.agreementStep(ctx, a, id, version, "agreement.sign", func(tx store.Tx, ag *domain.Agreement) (string, error) {
		if ag.State != domain.AgreementDraft {
			return "", domain.Rule("agreement.not_draft", map[string]any{"State": string(ag.State)})
		}
		if on.IsZero() || on.After(s.Today()) {
			return "", domain.Invalid("signed_on", "agreement.sign_date_invalid", nil)
		}
		if err := s.checkOverlap(ctx, tx, *ag, ag.ID); err != nil {
			return "", err
		}
		ag.State, ag.SignedOn = domain.AgreementInForce, on
		return on.String(), nil
	})
}

// TerminateAgreement ends an agreement early, with a reason; the host
// side's reach ends with it.
func (s *Service) TerminateAgreement(ctx context.Context, a *authz.Actor, id domain.AgreementID, version int64, on domain.Date, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return domain.Invalid("reason", "agreement.reason_required", nil)
	}
	return s.agreementStep(ctx, a, id, version, "agreement.terminate", func(tx store.Tx, ag *domain.Agreement) (string, error) {
		if ag.State == domain.AgreementTerminated {
			return "", domain.Rule("agreement.already_terminated", nil)
		}
		if on.IsZero() {
			on = s.Today()
		}
		ag.State, ag.TerminatedOn, ag.Reason = domain.AgreementTerminated, on, reason
		return reason, nil
	})
}

// RenewAgreement drafts the follow-on of an agreement: the same parties
// and capabilities, from the day after it ends to validTo.
func (s *Service) RenewAgreement(ctx context.Context, a *authz.Actor, id domain.AgreementID, validTo domain.Date) (domain.AgreementID, error) {
	old, err := s.agreementFor(ctx, s.db.Read(), a, id)
	if err != nil {
		return 0, err
	}
	if old.State == domain.AgreementDraft {
		return 0, domain.Rule("agreement.renew_draft", nil)
	}
	ids := func(refs []domain.OrgRef) []domain.OrgID {
		out := make([]domain.OrgID, len(refs))
		for i, r := range refs {
			out[i] = r.ID
		}
		return out
	}
	return s.DraftAgreement(ctx, a, NewAgreement{Title: old.Title, OriginID: old.OriginID, MobileIDs: ids(old.Mobile),
		HostIDs: ids(old.Host), Capabilities: old.Capabilities, ValidFrom: old.ValidTo.AddDays(1), ValidTo: validTo,
		Folded: old.Folded, SitsIn: old.SitsIn, RenewedFrom: old.ID})
}

// MaxDocumentBytes is the largest signed document accepted.
const MaxDocumentBytes = 20 << 20

// documentTypes are the accepted signed-document types by sniffed content
// type, with the extension each must carry.
var documentTypes = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
}

// AttachDocument stores the signed agreement (PDF, JPEG or PNG, at most
// 20 MiB; extension and content must agree) in the data folder under a
// name derived from its hash, and records it on the agreement.
func (s *Service) AttachDocument(ctx context.Context, a *authz.Actor, id domain.AgreementID, version int64, name string, r io.Reader) error {
	data, tooBig, err := readUpload(r, MaxDocumentBytes)
	if err != nil {
		return err
	}
	if tooBig {
		return domain.Invalid("document", "agreement.document_too_big", map[string]any{"MB": MaxDocumentBytes >> 20})
	}
	if _, ok := sniffUpload(data, name, documentTypes); !ok {
		return domain.Invalid("document", "agreement.document_type", nil)
	}
	ext := strings.ToLower(filepath.Ext(name))
	sum := sha256.Sum256(data)
	stored := fmt.Sprintf("agreement-%d-%s%s", id, hex.EncodeToString(sum[:8]), ext)
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if _, err := s.agreementWritable(ctx, tx, a, id); err != nil {
			return err
		}
		if err := s.writeFile("agreements", stored, data); err != nil {
			return err
		}
		if err := store.SetAgreementDocument(ctx, tx, id, version, stored, filepath.Base(name)); err != nil {
			return err
		}
		if err := store.AddAgreementEvent(ctx, tx, id, "attached", filepath.Base(name), a.Name, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "agreement.attach", "agreement", fmt.Sprint(id), "ok",
			change{After: map[string]any{"document": stored, "name": name, "bytes": len(data)}})
	})
}

// Document opens an agreement's signed document for an actor who may read
// the agreement.
func (s *Service) Document(ctx context.Context, a *authz.Actor, id domain.AgreementID) (name string, data []byte, err error) {
	ag, err := s.agreementFor(ctx, s.db.Read(), a, id)
	if err != nil {
		return "", nil, err
	}
	if ag.Document == "" {
		return "", nil, notFound()
	}
	data, err = s.readFile("agreements", ag.Document)
	return ag.DocumentName, data, err
}
