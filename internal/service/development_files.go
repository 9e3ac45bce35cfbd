package service

import (
	"context"
	"fmt"
	"io"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Documents kept with a case's steps (the application, minutes, the
// volunteer form …): the same types and limits as a meeting's files, in
// the data folder's development/ under their SHA-256.

// AttachDevFile keeps a document with step (1–25) of a case; either side
// that sees the case may attach one, for a step done or the next one.
func (s *Service) AttachDevFile(ctx context.Context, a *authz.Actor, id domain.DevCaseID, step int, name string, r io.Reader) (int64, error) {
	st, ok := domain.DevStepOf(step)
	if !ok || st.Doc == "" {
		return 0, domain.Invalid("step", "development.step_unknown", map[string]any{"Step": step})
	}
	in, err := s.receive(r, name)
	if err != nil {
		return 0, err
	}
	f := domain.DevFile{CaseID: id, Step: step, Name: in.name, ContentType: in.ctype, Size: int64(len(in.data)), SHA256: in.sha256,
		UploadedBy: a.Name, UploadedAt: s.Now()}
	var fid int64
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		c, _, err := s.devCaseFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if c.State == domain.DevOpen && step > c.Step+1 {
			return domain.Rule("development.file_step", map[string]any{"Step": step})
		}
		used, err := store.DevFilesSize(ctx, tx, id)
		if err != nil {
			return err
		}
		if used+f.Size > s.meetingTotalLimit() {
			return domain.Invalid("file", "meeting.files_total_too_big", map[string]any{"MB": megabytes(s.meetingTotalLimit())})
		}
		if err := s.writeFile("development", f.SHA256+meetingFileTypes[f.ContentType][0], in.data); err != nil {
			return err
		}
		if fid, err = store.AddDevFile(ctx, tx, f); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "development.attach", "development_case", fmt.Sprint(id), "ok",
			map[string]any{"file": fid, "step": step, "name": f.Name, "type": f.ContentType, "bytes": f.Size, "sha256": f.SHA256})
	})
	return fid, s.refused(ctx, a, "development.attach", "development_case", id, err)
}

// DevFile opens a case's document for an actor who sees the case.
func (s *Service) DevFile(ctx context.Context, a *authz.Actor, id domain.DevCaseID, file int64) (domain.DevFile, []byte, error) {
	q := s.db.Read()
	if _, _, err := s.devCaseFor(ctx, q, a, id); err != nil {
		return domain.DevFile{}, nil, err
	}
	f, err := store.DevFileByID(ctx, q, id, file)
	if err != nil {
		return f, nil, err
	}
	data, err := s.readFile("development", f.SHA256+meetingFileTypes[f.ContentType][0])
	return f, data, err
}
