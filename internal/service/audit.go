package service

import (
	"context"

	"gongjian/internal/authz"
	"gongjian/internal/store"
)

// ListAudit returns audit entries for the auditor; reading the log is
// itself not audited (it would double the log with every page), but
// exporting and verifying are.
func (s *Service) ListAudit(ctx context.Context, a *authz.Actor, f store.AuditFilter) ([]store.AuditEntry, error) {
	if err := require(a, authz.AuditRead); err != nil {
		return nil, s.denied(ctx, a, "audit.read", "audit_log", "", err)
	}
	return store.ListAudit(ctx, s.db.Read(), f)
}

// ExportAudit streams the filtered log to emit, newest first, in pages,
// and audits the export.
func (s *Service) ExportAudit(ctx context.Context, a *authz.Actor, f store.AuditFilter, emit func(store.AuditEntry) error) (int, error) {
	if err := require(a, authz.AuditExport); err != nil {
		return 0, s.denied(ctx, a, "audit.export", "audit_log", "", err)
	}
	n := 0
	f.Limit = 1000
	for {
		page, err := store.ListAudit(ctx, s.db.Read(), f)
		if err != nil {
			return n, err
		}
		for _, e := range page {
			if err := emit(e); err != nil {
				return n, err
			}
			n++
		}
		if len(page) < f.Limit {
			break
		}
		f.BeforeSeq = page[len(page)-1].Seq
	}
	s.recordAlone(ctx, a, "audit.export", "audit_log", "", "ok", map[string]any{"rows": n, "filter": f})
	return n, nil
}

// VerifyAudit checks the whole chain (auditor).
func (s *Service) VerifyAudit(ctx context.Context, a *authz.Actor) (*store.AuditBreak, int64, error) {
	if err := require(a, authz.AuditVerify); err != nil {
		return nil, 0, s.denied(ctx, a, "audit.verify", "audit_log", "", err)
	}
	brk, n, err := s.VerifyAuditChain(ctx)
	if err == nil {
		s.recordAlone(ctx, a, "audit.verify", "audit_log", "", "ok", map[string]any{"entries": n, "break": brk})
	}
	return brk, n, err
}

// VerifyAuditChain checks the chain without an actor: for the command
// line, run by whoever holds the server's keys.
func (s *Service) VerifyAuditChain(ctx context.Context) (*store.AuditBreak, int64, error) {
	return store.VerifyAudit(ctx, s.db.Read(), s.chain)
}
