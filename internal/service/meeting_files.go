package service

import (
	"context"
	"fmt"
	"io"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Photos and documents kept with a meeting's minutes, in the data folder's
// meetings/ under their SHA-256 (the same photo kept twice is stored
// once). Limits per file and per meeting come from the configuration.

// Default limits on meeting files.
const (
	DefaultMeetingFileBytes  = 20 << 20
	DefaultMeetingTotalBytes = 200 << 20
)

// meetingFileTypes are the accepted types by sniffed content, with the
// extensions each may carry.
var meetingFileTypes = map[string][]string{
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
	"image/webp":      {".webp"},
	"application/pdf": {".pdf"},
	typeDOCX:          {".docx"},
	typeXLSX:          {".xlsx"},
}

// MeetingFileLimit is the largest file accepted, for the upload's body
// limit.
func (s *Service) MeetingFileLimit() int64 {
	if s.cfg.MeetingFileBytes > 0 {
		return s.cfg.MeetingFileBytes
	}
	return DefaultMeetingFileBytes
}

// meetingTotalLimit is the most a meeting's files may add up to.
func (s *Service) meetingTotalLimit() int64 {
	if s.cfg.MeetingTotalBytes > 0 {
		return s.cfg.MeetingTotalBytes
	}
	return DefaultMeetingTotalBytes
}

// megabytes rounds a limit up to whole MiB for messages.
func megabytes(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

// AttachMeetingFile keeps a photo (JPEG, PNG, WebP) or document (PDF,
// Word, Excel) with a meeting; its type is read from the content and the
// name's extension must agree.
func (s *Service) AttachMeetingFile(ctx context.Context, a *authz.Actor, id domain.MeetingID, name string, r io.Reader) (int64, error) {
	in, err := s.receive(r, name)
	if err != nil {
		return 0, err
	}
	data, ctype := in.data, in.ctype
	f := domain.MeetingFile{MeetingID: id, Name: in.name, ContentType: ctype, Size: int64(len(data)), SHA256: in.sha256,
		UploadedBy: a.Name, UploadedAt: s.Now()}
	var fid int64
	err = s.guarded(ctx, a, "meeting.attach", fmt.Sprint(id), func(tx store.Tx) error {
		m, err := s.meetingWritable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if m.State == domain.MeetingCancelled {
			return domain.Rule("meeting.cancelled", nil)
		}
		used, err := store.MeetingFilesSize(ctx, tx, id)
		if err != nil {
			return err
		}
		if used+f.Size > s.meetingTotalLimit() {
			return domain.Invalid("file", "meeting.files_total_too_big", map[string]any{"MB": megabytes(s.meetingTotalLimit())})
		}
		if err := s.writeFile("meetings", storedName(f), data); err != nil {
			return err
		}
		if fid, err = store.AddMeetingFile(ctx, tx, f); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "meeting.attach", "meeting", fmt.Sprint(id), "ok",
			map[string]any{"file": fid, "name": f.Name, "type": ctype, "bytes": f.Size, "sha256": f.SHA256})
	})
	return fid, err
}

// storedName is a file's name in the data folder: its hash and the
// extension of its type.
func storedName(f domain.MeetingFile) string {
	return f.SHA256 + meetingFileTypes[f.ContentType][0]
}

// MeetingFile opens a meeting's file for an actor who may see the meeting.
func (s *Service) MeetingFile(ctx context.Context, a *authz.Actor, id domain.MeetingID, file int64) (domain.MeetingFile, []byte, error) {
	q := s.db.Read()
	if _, err := s.meetingFor(ctx, q, a, id); err != nil {
		return domain.MeetingFile{}, nil, err
	}
	f, err := store.MeetingFileByID(ctx, q, id, file)
	if err != nil {
		return f, nil, err
	}
	data, err := s.readFile("meetings", storedName(f))
	return f, data, err
}
