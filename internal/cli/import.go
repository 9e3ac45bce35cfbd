package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/config"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// importCmd runs `import persons FILE [--origin ORG] [--mode update|skip]
// [--sheet NAME] [--dry-run] [--json] [--errors REPORT.xlsx]`: it reads a
// roster (xlsx, or CSV in UTF-8 or GB18030) and prints what it holds —
// the counts, the column mapping, every rejected row with its row number,
// column and reason — and, unless --dry-run, imports it in the same pass:
// all accepted rows in one transaction, or nothing. It acts as the
// system, like the other commands, and is audited as such. Exit status 2
// when the file is refused (damaged, hostile, no header) or the command
// is wrong, 1 when the import fails at run time; rejected rows are part
// of a successful run.
func (r *runner) importCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		return errHelp
	}
	if len(args) == 0 || args[0] != "persons" {
		return usageError("cli.import.usage")
	}
	fs := newFlags("import persons")
	originRef := fs.String("origin", "", "default origin organization: id, full name or short name")
	mode := fs.String("mode", string(service.ImportUpdate), "update or skip registered people whose row differs")
	sheet := fs.String("sheet", "", "read only this sheet")
	dryRun := fs.Bool("dry-run", false, "preview only")
	asJSON := fs.Bool("json", false, "print the preview as JSON")
	report := fs.String("errors", "", "write the rejected rows to this xlsx file")
	cfg, pos, err := r.configure(fs, args[1:], config.Common, config.ServeDefaults(), 1, "cli.import.usage")
	if err != nil {
		return err
	}
	if *mode != string(service.ImportUpdate) && *mode != string(service.ImportSkip) {
		return usageError("cli.import.mode", "Mode", *mode)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return usageError("cli.import.file", "Path", pos[0], "Err", err.Error())
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return usageError("cli.import.file", "Path", pos[0], "Err", fmt.Sprint(err))
	}
	a, err := r.open(ctx, cfg, false, keysMayCreate)
	if err != nil {
		return err
	}
	defer a.close()
	opts := service.ImportOptions{Mode: service.ImportMode(*mode), Sheet: *sheet, DryRun: *dryRun,
		Explain: func(id string, args map[string]any) string { return r.l.T(id, args) }}
	if *originRef != "" {
		o, err := store.FindOrg(ctx, a.db.Read(), *originRef)
		if err != nil {
			return usageError("cli.import.no_origin", "Org", *originRef)
		}
		opts.Origin = o.ID
	}
	var rep bytes.Buffer
	if *report != "" {
		opts.Report = &rep
	}
	if out, ok := r.env.Err.(*os.File); ok && isTerminal(out) {
		last := time.Time{}
		opts.Progress = func(done, total int) {
			if now := time.Now(); now.Sub(last) > 200*time.Millisecond || done == total {
				last = now
				fmt.Fprintf(out, "\r%s", r.l.T("cli.import.progress", "Done", done, "Total", total))
			}
		}
		defer fmt.Fprintln(out)
	}
	name := filepath.Base(pos[0])
	var res service.ImportResult
	if *dryRun {
		res.ImportPreview, err = a.svc.PreviewImport(ctx, authz.System, name, f, st.Size(), opts)
	} else {
		res, err = a.svc.CommitImportFile(ctx, authz.System, name, f, st.Size(), opts)
	}
	if err != nil {
		if domain.CodeOf(err) == domain.CodeInvalid || domain.CodeOf(err) == domain.CodeConflict {
			return usageError("cli.import.refused", "File", name, "Reason", r.reason(err))
		}
		return runtimeError("cli.failed", "Err", err.Error())
	}
	if *report != "" && rep.Len() > 0 {
		if err := os.WriteFile(*report, rep.Bytes(), 0o600); err != nil {
			return runtimeError("cli.import.report_write", "Path", *report, "Err", err.Error())
		}
	}
	if *asJSON {
		return r.importJSON(res, !*dryRun)
	}
	r.importText(res, !*dryRun, *report != "" && rep.Len() > 0, *report)
	return nil
}

// importIssue is a rejected row or a warning as --json prints it.
type importIssue struct {
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// importOutput is the --json document: the preview's counts and its
// rejected rows with their reasons in the language of --lang.
type importOutput struct {
	File            string        `json:"file"`
	SHA256          string        `json:"sha256"`
	Total           int           `json:"total"`
	New             int           `json:"new"`
	Updated         int           `json:"updated"`
	Unchanged       int           `json:"unchanged"`
	Duplicates      int           `json:"duplicates"`
	Skipped         int           `json:"skipped"`
	Rejected        []importIssue `json:"rejected"`
	Warnings        []importIssue `json:"warnings"`
	Committed       bool          `json:"committed"`
	AlreadyImported bool          `json:"already_imported"`
}

func (r *runner) issues(list []service.ImportIssue) []importIssue {
	out := make([]importIssue, len(list))
	for i, is := range list {
		out[i] = importIssue{Sheet: is.Sheet, Row: is.Row, Column: is.Column, Reason: r.l.T(is.MsgID, is.Args)}
	}
	return out
}

func (r *runner) importJSON(res service.ImportResult, commit bool) error {
	c := res.Counts
	doc := importOutput{File: res.FileName, SHA256: res.SHA256, Total: c.Total, New: c.New, Updated: c.Updated,
		Unchanged: c.Unchanged, Duplicates: c.Duplicates, Skipped: c.Skipped, Rejected: r.issues(res.Rejected),
		Warnings: r.issues(res.Warnings), Committed: commit && res.AlreadyDone == nil,
		AlreadyImported: res.AlreadyDone != nil}
	enc := json.NewEncoder(r.env.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return runtimeError("cli.failed", "Err", err.Error())
	}
	return nil
}

// importText prints the preview for a person at a terminal.
func (r *runner) importText(res service.ImportResult, commit, wroteReport bool, reportPath string) {
	c := res.Counts
	if d := res.AlreadyDone; d != nil {
		r.say("cli.import.already", "File", res.FileName, "At", d.At.In(domain.China).Format(time.DateTime), "By", d.By,
			"New", d.Counts.New, "Updated", d.Counts.Updated)
		return
	}
	r.say("cli.import.summary", "File", res.FileName, "Total", c.Total, "New", c.New, "Updated", c.Updated,
		"Unchanged", c.Unchanged, "Duplicates", c.Duplicates, "Rejected", c.Rejected)
	if len(res.Columns) > 0 {
		r.say("cli.import.mapping")
		for _, col := range res.Columns {
			fmt.Fprintln(r.env.Out, r.l.T("cli.import.column", "Column", col.Column, "Header", col.Header,
				"Field", r.l.T("import.field."+col.Field)))
		}
	}
	for _, list := range []struct {
		title  string
		issues []service.ImportIssue
	}{{"cli.import.rejected_title", res.Rejected}, {"cli.import.warnings_title", res.Warnings}} {
		if len(list.issues) == 0 {
			continue
		}
		r.say(list.title)
		for _, is := range r.issues(list.issues) {
			id := "cli.import.issue"
			switch {
			case is.Row == 0:
				id = "cli.import.issue_file" // a whole sheet
			case is.Sheet != "":
				id = "cli.import.issue_sheet"
			}
			fmt.Fprintln(r.env.Out, r.l.T(id, "Sheet", is.Sheet, "Row", is.Row, "Column", is.Column, "Reason", is.Reason))
		}
	}
	if wroteReport {
		r.say("cli.import.report_written", "Path", reportPath)
	}
	switch {
	case !commit:
		r.say("cli.import.dry_run")
	case c.Skipped > 0:
		r.say("cli.import.committed_skipped", "Skipped", c.Skipped)
	default:
		r.say("cli.import.committed")
	}
}
