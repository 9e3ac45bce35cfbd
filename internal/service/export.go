package service

import (
	"context"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// ExportOrgs is ListOrgs for a spreadsheet: the same rows, and the export
// is written to the audit log with its filter and row count.
func (s *Service) ExportOrgs(ctx context.Context, a *authz.Actor, f OrgFilter) ([]domain.Org, error) {
	list, err := s.ListOrgs(ctx, a, f)
	if err != nil {
		return nil, err
	}
	s.recordAlone(ctx, a, "org.export", "org", "", "ok", map[string]any{"rows": len(list), "filter": f})
	return list, nil
}

// ExportAgreements is ListAgreements for a spreadsheet, audited.
func (s *Service) ExportAgreements(ctx context.Context, a *authz.Actor, f AgreementFilter) ([]domain.Agreement, error) {
	list, err := s.ListAgreements(ctx, a, f)
	if err != nil {
		return nil, err
	}
	s.recordAlone(ctx, a, "agreement.export", "agreement", "", "ok", map[string]any{"rows": len(list), "filter": f})
	return list, nil
}

// ExportStructureAdvice is StructureAdvice for a spreadsheet, audited.
func (s *Service) ExportStructureAdvice(ctx context.Context, a *authz.Actor) ([]OrgAdvice, error) {
	rows, err := s.StructureAdvice(ctx, a)
	if err != nil {
		return nil, err
	}
	s.recordAlone(ctx, a, "org.advice_export", "org", "", "ok", map[string]any{"rows": len(rows)})
	return rows, nil
}
