package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// CommitImportFile imports a file from the file itself (the command
// line, which keeps it at hand): every accepted row in one transaction,
// or nothing, in one pass that yields the preview as well, so no earlier
// PreviewImport is needed. A file already imported changes nothing and
// says so (AlreadyDone). A refused file is audited like a refused
// preview.
func (s *Service) CommitImportFile(ctx context.Context, a *authz.Actor, name string, r io.ReaderAt, size int64, opts ImportOptions) (ImportResult, error) {
	name = cleanName(name)
	if err := s.importAllowed(ctx, a); err != nil {
		return ImportResult{}, err
	}
	if err := s.throttle(ctx, a, throttle.Import); err != nil {
		return ImportResult{}, err
	}
	opts = opts.withDefaults()
	sha, err := fileSHA(r, size)
	if err != nil {
		return ImportResult{}, err
	}
	rec, err := store.ImportBySHA(ctx, s.db.Read(), sha)
	if errors.Is(err, domain.ErrNotFound) {
		pv := ImportPreview{SHA256: sha, FileName: name, Size: size, Mode: opts.Mode, Origin: opts.Origin}
		rec = s.importRecord(a, pv, store.ImportPreviewed, "")
		if err := s.saveImport(ctx, rec); err != nil {
			return ImportResult{}, err
		}
	} else if err != nil {
		return ImportResult{}, err
	}
	rec.FileName, rec.Size = name, size
	return s.commit(ctx, a, rec, r, size, opts, false)
}

// CommitImport commits the staged preview of the file with this SHA-256
// (the web: the preview was an earlier request), with the mode and
// default origin chosen at the preview. The staged copy is wiped once
// the commit is done.
func (s *Service) CommitImport(ctx context.Context, a *authz.Actor, sha string, opts ImportOptions) (ImportResult, error) {
	if err := s.importAllowed(ctx, a); err != nil {
		return ImportResult{}, err
	}
	rec, err := s.ownImport(ctx, a, sha)
	if err != nil {
		return ImportResult{}, err
	}
	return s.commitStaged(ctx, a, rec, opts, false)
}

// StartImportCommit claims the session and runs CommitImport in the
// background, so that the page can show the progress and survive a
// reload; the session's state tells how it ended.
func (s *Service) StartImportCommit(ctx context.Context, a *authz.Actor, sha string) error {
	if err := s.importAllowed(ctx, a); err != nil {
		return err
	}
	rec, err := s.ownImport(ctx, a, sha)
	if err != nil {
		return err
	}
	if rec.State == store.ImportDone {
		_, err := s.commitStaged(ctx, a, rec, ImportOptions{}, false)
		return err
	}
	if !s.hasSealed(sha, "roster") {
		return domain.Rule("import.expired", nil)
	}
	if err := s.claim(ctx, sha); err != nil {
		return err
	}
	go func() {
		bg := context.WithoutCancel(ctx)
		if _, err := s.commitStaged(bg, a, rec, ImportOptions{}, true); err != nil && domain.CodeOf(err) == domain.CodeInternal {
			s.cfg.Log.Error("import commit failed", "sha256", sha, "err", err)
		}
	}()
	return nil
}

func (s *Service) commitStaged(ctx context.Context, a *authz.Actor, rec store.ImportRecord, opts ImportOptions, claimed bool) (ImportResult, error) {
	var data []byte
	if rec.State != store.ImportDone {
		var err error
		if data, err = s.stagedFile(rec.SHA256); err != nil {
			return ImportResult{}, err
		}
	}
	opts.Mode, opts.Origin = ImportMode(rec.Mode), rec.OriginOrgID
	total := rec.Counts.Total
	user := opts.Progress
	opts.Progress = func(done, estimate int) {
		s.setProgress(rec.SHA256, done, max(total, estimate))
		if user != nil {
			user(done, max(total, estimate))
		}
	}
	return s.commit(ctx, a, rec, bytes.NewReader(data), int64(len(data)), opts.withDefaults(), claimed)
}

// claim marks a session committing in a transaction of its own, so that
// other requests see it at once.
func (s *Service) claim(ctx context.Context, sha string) error {
	var ok bool
	if err := s.db.Tx(ctx, func(tx store.Tx) error {
		var err error
		ok, err = store.ClaimImport(ctx, tx, sha, s.Now())
		return err
	}); err != nil {
		return err
	}
	if !ok {
		return domain.Conflict("file", "import.busy", nil)
	}
	return nil
}

// commit runs the import pass inside one transaction that also marks the
// file done and writes the attempt's audit entry: a failure anywhere, a
// damaged sheet found late, a cancelled context or a killed process
// leaves none of the file's rows.
func (s *Service) commit(ctx context.Context, a *authz.Actor, rec store.ImportRecord, r io.ReaderAt, size int64, opts ImportOptions, claimed bool) (ImportResult, error) {
	pv := ImportPreview{SHA256: rec.SHA256, FileName: rec.FileName, Size: size, Mode: opts.Mode, Origin: opts.Origin,
		Rejected: []ImportIssue{}, Warnings: []ImportIssue{}}
	res := ImportResult{ImportPreview: pv}
	if rec.State == store.ImportDone {
		res.ImportPreview = storedPreview(rec, pv)
		return res, s.auditImport(ctx, nil, a, res.ImportPreview, "ok", "already_done", "")
	}
	if !claimed {
		if err := s.claim(ctx, rec.SHA256); err != nil {
			return res, err
		}
	}
	now, today := s.Now(), s.Today()
	detail, _ := json.Marshal(map[string]string{"import": rec.SHA256})
	alreadyDone := false
	// The report is kept apart until the transaction commits: a rerun of
	// the transaction (PostgreSQL retries a deadlock) writes it afresh.
	var report bytes.Buffer
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		ok, err := store.LockImport(ctx, tx, rec.SHA256, now)
		if err != nil || !ok {
			alreadyDone = !ok
			return err
		}
		o := opts
		if o.Report != nil {
			report.Reset()
			o.Report = &report
		}
		im, err := s.newImporter(ctx, a, o, tx)
		if err != nil {
			return err
		}
		im.sink = func(ctx context.Context, rows []pendingRow) error {
			var fresh, changed []store.PersonRow
			for _, pr := range rows {
				switch {
				case pr.verdict == verdictNew:
					fresh = append(fresh, pr.p)
				case pr.verdict == verdictUpdate && opts.Mode == ImportSkip:
					im.counts.Skipped++
				case pr.verdict == verdictUpdate:
					changed = append(changed, pr.p)
				}
			}
			im.write(func() error {
				for _, p := range changed {
					if err := store.UpdateImportedPerson(ctx, tx, p, "updated", string(detail), a.Name, today, now); err != nil {
						return err
					}
				}
				_, err := store.InsertPersons(ctx, tx, fresh, "registered", string(detail), a.Name, today, now)
				return err
			})
			return nil
		}
		if err := im.run(ctx, r, size, rec.FileName); err != nil {
			im.abortReport()
			return err
		}
		if err := im.closeReport(); err != nil {
			return err
		}
		if opts.Mode == ImportSkip {
			im.counts.Updated = 0
		}
		res.ImportPreview = pv
		im.fill(&res.ImportPreview)
		stored := s.importRecord(a, res.ImportPreview, store.ImportDone, "")
		if _, err := store.FinishImport(ctx, tx, rec.SHA256, im.counts, stored.Preview, now); err != nil {
			return err
		}
		return s.auditImport(ctx, &tx, a, res.ImportPreview, "ok", "committed", "")
	})
	if err != nil {
		bg := context.WithoutCancel(ctx)
		e := domain.AsError(err)
		msg, result, outcome := e.MsgID, "failed", "failed"
		if e.Code == domain.CodeInvalid && e.Field == "file" {
			result = "refused" // the file itself: damaged, hostile, no header
		} else if msg == "" || e.Code == domain.CodeInternal {
			msg = "import.commit_failed"
		}
		if ferr := s.db.Tx(bg, func(tx store.Tx) error { return store.FailImport(bg, tx, rec.SHA256, msg, s.Now()) }); ferr != nil {
			err = errors.Join(err, ferr)
		}
		s.auditImport(bg, nil, a, pv, outcome, result, msg)
		if e.Code == domain.CodeInvalid {
			return res, err
		}
		return res, fmt.Errorf("service: import %s: %w", rec.SHA256[:12], err)
	}
	if alreadyDone {
		done, _ := store.ImportBySHA(ctx, s.db.Read(), rec.SHA256)
		res.ImportPreview = storedPreview(done, pv)
		return res, s.auditImport(ctx, nil, a, res.ImportPreview, "ok", "already_done", "")
	}
	s.unstage(rec.SHA256, false)
	if opts.Report != nil && report.Len() > 0 {
		if _, err := opts.Report.Write(report.Bytes()); err != nil {
			return res, err
		}
	}
	return res, nil
}

// ownImport reads a session the actor started; anyone else's is not
// found, since its preview lists the rows of someone's file.
func (s *Service) ownImport(ctx context.Context, a *authz.Actor, sha string) (store.ImportRecord, error) {
	rec, err := store.ImportBySHA(ctx, s.db.Read(), sha)
	if err != nil {
		return rec, err
	}
	if a == nil || a.AccountID == 0 || rec.ActorID != a.AccountID {
		return store.ImportRecord{}, notFound()
	}
	return rec, nil
}

// ImportSession is a stored import session as its page shows it.
type ImportSession struct {
	ImportPreview
	State      string
	Error      string // message ID of a refusal or a failed commit
	ActorName  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
	// Done and Total are a running commit's progress, in rows.
	Done, Total int
	// HasReport reports an error report to download.
	HasReport bool
}

// ImportSession returns one of the actor's sessions.
func (s *Service) ImportSession(ctx context.Context, a *authz.Actor, sha string) (ImportSession, error) {
	rec, err := s.ownImport(ctx, a, sha)
	if err != nil {
		return ImportSession{}, err
	}
	return s.sessionOf(rec), nil
}

func (s *Service) sessionOf(rec store.ImportRecord) ImportSession {
	v := ImportSession{State: rec.State, Error: rec.Error, ActorName: rec.ActorName, CreatedAt: rec.CreatedAt,
		UpdatedAt: rec.UpdatedAt, FinishedAt: rec.FinishedAt}
	_ = json.Unmarshal([]byte(rec.Preview), &v.ImportPreview)
	v.SHA256, v.FileName, v.Size, v.Counts = rec.SHA256, rec.FileName, rec.Size, rec.Counts
	if rec.State == store.ImportCommitting {
		v.Done, v.Total = s.progressOf(rec.SHA256)
		v.Total = max(v.Total, rec.Counts.Total)
	}
	v.HasReport = rec.Counts.Rejected > 0 && s.hasSealed(rec.SHA256, reportKind)
	return v
}

// ImportSessions lists the actor's latest sessions, newest first.
func (s *Service) ImportSessions(ctx context.Context, a *authz.Actor, limit int) ([]ImportSession, error) {
	if a == nil || a.AccountID == 0 {
		return nil, nil
	}
	recs, err := store.ImportsBy(ctx, s.db.Read(), a.AccountID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]ImportSession, len(recs))
	for i, r := range recs {
		out[i] = s.sessionOf(r)
	}
	return out, nil
}

// The staged error reports: masked, and with the clear values.
const (
	reportKind      = "errors"
	clearReportKind = "errors-clear"
)

// importReportAction is the audit action of an error report's download.
const importReportAction = "import.report"

// ImportReport returns the error report of one of the actor's sessions,
// masked; with clear, the copy with the clear ID numbers and phones, to
// fix and import again, which only an actor who may reveal sensitive
// values somewhere gets (the rows may belong to no organization yet, and
// the file came from this actor). Every download is an export and is
// audited before the bytes leave; a refused clear download too (decision
// 0016).
func (s *Service) ImportReport(ctx context.Context, a *authz.Actor, sha string, clear bool) ([]byte, error) {
	if _, err := s.ownImport(ctx, a, sha); err != nil {
		return nil, err
	}
	kind := reportKind
	if clear {
		if a.Filter(authz.SensitiveRead).Empty() {
			return nil, s.denied(ctx, a, importReportAction, "import", sha, domain.ErrForbidden)
		}
		kind = clearReportKind
	}
	data, err := s.readSealed(sha, kind)
	if err != nil {
		return nil, err
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		return s.record(ctx, tx, a, importReportAction, "import", sha, "ok", map[string]any{"clear": clear, "bytes": len(data)})
	})
	if err != nil {
		return nil, err
	}
	return data, nil
}
