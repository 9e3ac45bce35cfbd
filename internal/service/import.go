package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/roster"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// The roster import (issue 4, item 5): a spreadsheet a township sends
// becomes person records. Every import first produces a preview — counts
// of new, updated, unchanged, duplicate and rejected rows, each rejected
// row with its row number, column and reason — and writes nothing; the
// commit then writes every accepted row in one transaction or nothing.
// The file's SHA-256 keys the session in the imports table, so a second
// import of the same file changes nothing. Both the command line and the
// web pages call these methods.

// ImportMode says what a commit does with a registered person whose row
// in the file differs from the record.
type ImportMode string

// The modes.
const (
	ImportUpdate ImportMode = "update" // overwrite the fields the file carries
	ImportSkip   ImportMode = "skip"   // leave registered people as they are
)

// ImportCounts are the row counts of a preview or a commit.
type ImportCounts = store.ImportCounts

// ImportOptions tune one import.
type ImportOptions struct {
	// Origin is the origin organization of the people whose branch
	// column matches no organization the actor may write (they are
	// imported unplaced); zero rejects those rows instead.
	Origin domain.OrgID
	Mode   ImportMode // default update
	// Sheet reads one named sheet; "" reads every visible sheet that has
	// a header (one sheet per township is common).
	Sheet string
	// DryRun previews only: the attempt ends there and is audited as
	// such, and no session is kept.
	DryRun bool
	// Stage keeps a sealed copy of the file (and of the error report) in
	// the data folder, so that CommitImport can run in a later request.
	Stage bool
	// Report receives the error report (an xlsx of the rejected rows with
	// their cells and reasons) when the file has rejected rows, with ID
	// numbers and phones masked.
	Report io.Writer
	// ClearReport, when set, receives the same report with the clear
	// values (for the staged copy that ImportReport gives out on request
	// to the holder of sensitive:reveal; decision 0016).
	ClearReport io.Writer
	// Explain renders a message ID for the error report, in the reader's
	// language; nil writes the IDs themselves.
	Explain func(msgID string, args map[string]any) string
	// Progress is called now and then with the data rows handled and an
	// estimate of the total.
	Progress func(done, total int)
	// Limits bound the file (zero fields take the reader's defaults).
	Limits roster.Limits
}

// ImportIssue is one rejected row or one warning: where (sheet, the row
// number Excel shows, the column's header as the file has it) and why (a
// message ID with its arguments, never an ID number or a phone).
type ImportIssue struct {
	Sheet  string         `json:"sheet,omitempty"`
	Row    int            `json:"row"`
	Column string         `json:"column"`
	MsgID  string         `json:"msg_id"`
	Args   map[string]any `json:"args,omitempty"`
	Name   string         `json:"name,omitempty"` // the person's name as written, to find the row
}

// ImportColumn is one column of the file and the field it was read as.
type ImportColumn struct {
	Sheet  string `json:"sheet,omitempty"`
	Column string `json:"column"` // A, B …
	Header string `json:"header"`
	Field  string `json:"field"` // a key of roster.PersonFields
}

// ImportDone says when and by whom a file was imported.
type ImportDone struct {
	At     time.Time    `json:"at"`
	By     string       `json:"by"`
	Counts ImportCounts `json:"counts"`
}

// ImportPreview is what an import would do.
type ImportPreview struct {
	SHA256   string       `json:"sha256"`
	FileName string       `json:"file_name"`
	Size     int64        `json:"size"`
	Format   string       `json:"format"`
	Encoding string       `json:"encoding,omitempty"`
	Sheets   []string     `json:"sheets,omitempty"`
	Mode     ImportMode   `json:"mode"`
	Origin   domain.OrgID `json:"origin,omitempty"`
	// OriginName names the default origin, for the session's page.
	OriginName string         `json:"origin_name,omitempty"`
	Columns    []ImportColumn `json:"columns"`
	Unmatched  []string       `json:"unmatched,omitempty"` // headers no field claimed
	Counts     ImportCounts   `json:"counts"`
	Rejected   []ImportIssue  `json:"rejected"`
	Warnings   []ImportIssue  `json:"warnings"` // duplicates are listed here too
	// Truncated reports lists cut to the first issueCap entries (in a
	// stored session; the error report has every rejected row).
	Truncated bool `json:"truncated,omitempty"`
	// AlreadyDone is set when this very file was imported before: a
	// commit would change nothing.
	AlreadyDone *ImportDone `json:"already_done,omitempty"`
}

// ImportResult is what a commit did: the preview of the commit's own
// pass (its counts are what was written, with Skipped for the differing
// rows skip mode left alone). AlreadyDone is set when the file had been
// imported before and nothing changed.
type ImportResult struct {
	ImportPreview
}

// issueCap bounds the issues a stored session keeps for its page.
const issueCap = 1000

// sessionTTL is how long an unfinished session and the staged files of
// any session are kept.
const sessionTTL = 24 * time.Hour

// The audit action of every import attempt.
const importAction = "import.persons"

// fileSHA hashes the whole file.
func fileSHA(r io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
		return "", fmt.Errorf("service: hash import: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileError turns a refusal of the roster reader into the error users
// see, "import.roster.…", with the row and column when it has them.
func fileError(err error) error {
	var re *roster.Error
	if !errors.As(err, &re) {
		return err
	}
	args := map[string]any{"Row": re.Row, "Column": re.Column}
	for k, v := range re.Args {
		args[k] = v
	}
	if mb, ok := re.Args["max"].(int64); ok {
		args["MaxMB"] = mb >> 20
	}
	return &domain.Error{Code: domain.CodeInvalid, Field: "file", MsgID: "import." + re.Code, Args: args, Err: err}
}

// PreviewImport reads an uploaded roster and says what importing it
// would do, writing no person. Unless DryRun, the session is kept in the
// imports table (and with Stage, a sealed copy of the file in the data
// folder) for CommitImport. A refused file (a zip bomb, a legacy .xls, no
// header …) is an invalid-input error on the field "file"; it is audited,
// as are a dry run and a file that was already imported, since the
// attempt ends there.
func (s *Service) PreviewImport(ctx context.Context, a *authz.Actor, name string, r io.ReaderAt, size int64, opts ImportOptions) (ImportPreview, error) {
	name = cleanName(name)
	if err := s.importAllowed(ctx, a); err != nil {
		return ImportPreview{}, err
	}
	// Reading a file is what costs: the limit counts files read, not the
	// commits of previews already made.
	if err := s.throttle(ctx, a, throttle.Import); err != nil {
		return ImportPreview{}, err
	}
	s.sweepImports(ctx)
	opts = opts.withDefaults()
	sha, err := fileSHA(r, size)
	if err != nil {
		return ImportPreview{}, err
	}
	pv := ImportPreview{SHA256: sha, FileName: name, Size: size, Mode: opts.Mode, Origin: opts.Origin, Rejected: []ImportIssue{}, Warnings: []ImportIssue{}}
	rec, err := store.ImportBySHA(ctx, s.db.Read(), sha)
	switch {
	case err == nil && rec.State == store.ImportDone:
		pv = storedPreview(rec, pv)
		s.auditImport(ctx, nil, a, pv, "ok", resultFor(opts, "already_done"), "")
		return pv, nil
	case err != nil && !errors.Is(err, domain.ErrNotFound):
		return pv, err
	}
	// A staged preview keeps its error report beside the file, masked and
	// clear (both sealed at rest, like the file).
	var report, clearReport *bytes.Buffer
	if opts.Stage && !opts.DryRun {
		report, clearReport = &bytes.Buffer{}, &bytes.Buffer{}
		if opts.Report != nil {
			opts.Report = io.MultiWriter(opts.Report, report)
		} else {
			opts.Report = report
		}
		opts.ClearReport = clearReport
	}
	im, err := s.newImporter(ctx, a, opts, s.db.Read())
	if err != nil {
		return pv, err
	}
	if err := im.run(ctx, r, size, name); err != nil {
		im.abortReport()
		return pv, s.importRefused(ctx, a, pv, opts, err)
	}
	im.fill(&pv)
	if err := im.closeReport(); err != nil {
		return pv, err
	}
	if opts.DryRun {
		s.auditImport(ctx, nil, a, pv, "ok", "dry_run", "")
		return pv, nil
	}
	if report != nil {
		s.unstage(sha, true)
		if err := s.stageFile(sha, r, size); err != nil {
			return pv, err
		}
		for kind, b := range map[string]*bytes.Buffer{reportKind: report, clearReportKind: clearReport} {
			if b.Len() == 0 {
				continue
			}
			if err := s.writeSealed(sha, kind, bytes.NewReader(b.Bytes()), int64(b.Len())); err != nil {
				return pv, err
			}
		}
	}
	return pv, s.saveImport(ctx, s.importRecord(a, pv, store.ImportPreviewed, ""))
}

// cleanName keeps the base of an uploaded file's name (browsers on
// Windows may send a whole path).
func cleanName(name string) string {
	return filepath.Base(filepath.Clean("/" + strings.ReplaceAll(name, `\`, "/")))
}

func (o ImportOptions) withDefaults() ImportOptions {
	if o.Mode != ImportSkip {
		o.Mode = ImportUpdate
	}
	return o
}

// importAllowed refuses an actor who may register people nowhere.
func (s *Service) importAllowed(ctx context.Context, a *authz.Actor) error {
	if a == authz.System || canAnywhere(a, authz.PersonWrite) {
		return nil
	}
	return s.denied(ctx, a, importAction, "import", "", domain.ErrForbidden)
}

// importRefused records a refused file (session failed, one audit entry)
// and returns the refusal. Errors that are not the file's fault pass
// through unrecorded as refusals; the caller sees them as failures.
func (s *Service) importRefused(ctx context.Context, a *authz.Actor, pv ImportPreview, opts ImportOptions, err error) error {
	e := domain.AsError(err)
	if e.Code != domain.CodeInvalid {
		return err
	}
	if !opts.DryRun {
		if serr := s.saveImport(context.WithoutCancel(ctx), s.importRecord(a, pv, store.ImportFailed, e.MsgID)); serr != nil {
			return errors.Join(err, serr)
		}
	}
	s.auditImport(ctx, nil, a, pv, "failed", "refused", e.MsgID)
	return err
}

// saveImport writes a session row in a transaction of its own.
func (s *Service) saveImport(ctx context.Context, rec store.ImportRecord) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		_, err := store.SaveImport(ctx, tx, rec, s.Now())
		return err
	})
}

// storedPreview is what a done import found, as its session keeps it (the
// first issueCap issues), for a second import of the same file.
func storedPreview(rec store.ImportRecord, pv ImportPreview) ImportPreview {
	_ = json.Unmarshal([]byte(rec.Preview), &pv) // a session saved by this code always parses
	pv.Counts, pv.AlreadyDone = rec.Counts, doneOf(rec)
	return pv
}

func doneOf(rec store.ImportRecord) *ImportDone {
	d := &ImportDone{By: rec.ActorName, Counts: rec.Counts}
	if rec.FinishedAt != nil {
		d.At = *rec.FinishedAt
	}
	return d
}

func resultFor(opts ImportOptions, result string) string {
	if opts.DryRun {
		return "dry_run"
	}
	return result
}

// importRecord is the session row of a preview.
func (s *Service) importRecord(a *authz.Actor, pv ImportPreview, state, errID string) store.ImportRecord {
	stored := pv
	stored.Truncated = len(pv.Rejected) > issueCap || len(pv.Warnings) > issueCap
	stored.Rejected = pv.Rejected[:min(len(pv.Rejected), issueCap)]
	stored.Warnings = pv.Warnings[:min(len(pv.Warnings), issueCap)]
	js, _ := json.Marshal(stored) // plain fields cannot fail to marshal
	rec := store.ImportRecord{SHA256: pv.SHA256, FileName: pv.FileName, Size: pv.Size, State: state, Mode: string(pv.Mode),
		OriginOrgID: pv.Origin, Counts: pv.Counts, Preview: string(js), Error: errID}
	if a != nil && a != authz.System {
		rec.ActorID, rec.ActorName = a.AccountID, a.Name
	} else {
		rec.ActorName = authz.System.Name
	}
	return rec
}

// auditImport writes the one audit entry of an import attempt: inside tx
// when the attempt commits, else on its own.
func (s *Service) auditImport(ctx context.Context, tx *store.Tx, a *authz.Actor, pv ImportPreview, outcome, result, errID string) error {
	d := map[string]any{"sha256": pv.SHA256, "file": pv.FileName, "mode": pv.Mode, "origin": pv.Origin, "counts": pv.Counts,
		"result": result}
	if errID != "" {
		d["error"] = errID
	}
	if tx != nil {
		return s.record(ctx, *tx, a, importAction, "import", pv.SHA256, outcome, d)
	}
	s.recordAlone(context.WithoutCancel(ctx), a, importAction, "import", pv.SHA256, outcome, d)
	return nil
}
