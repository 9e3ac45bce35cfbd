package service_test

import (
	"archive/zip"
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongjian/internal/auth"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

func pngBytes(t *testing.T, side int) []byte {
	t.Helper()
	var b bytes.Buffer
	noErr(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, side, side))))
	return b.Bytes()
}

// office builds a minimal Word document or Excel workbook: the parts that
// tell them apart.
func office(t *testing.T, part string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", part} {
		f, err := z.Create(name)
		noErr(t, err)
		f.Write([]byte("<x/>"))
	}
	noErr(t, z.Close())
	return b.Bytes()
}

// Photos and documents are kept by their sniffed type, whose extension the
// name must carry; the limits per file and per meeting come from the
// configuration; the bytes land in the data folder under their SHA-256.
func TestMeetingFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		dir := t.TempDir()
		svc, err := service.New(db, service.Config{Clock: w.clock, Keys: w.keys, PasswordParams: auth.TestParams, DataDir: dir,
			MeetingFileBytes: 3000, MeetingTotalBytes: 2000})
		noErr(t, err)
		mobile := w.actor(t, "mobile")
		id := w.plan(t, "mobile", service.NewMeeting{OrgID: w.orgs["MB"].ID, StartsAt: beijingAt(29, 16, 0)})
		photo := pngBytes(t, 8)
		webp := append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), make([]byte, 40)...)
		pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		docx, xlsx := office(t, "word/document.xml"), office(t, "xl/workbook.xml")
		for _, c := range []struct {
			name string
			data []byte
			msg  string
		}{
			{"合影.PNG", photo, ""},
			{"现场.webp", webp, ""},
			{"纪要.pdf", pdf, ""},
			{"纪要.docx", docx, ""},
			{"签到表.xlsx", xlsx, ""},
			{"合影.pdf", photo, "meeting.file_type"}, // content and name disagree
			{"纪要.xlsx", docx, "meeting.file_type"}, // a Word document named as a workbook
			{"archive.docx", office(t, "other.xml"), "meeting.file_type"},
			{"notes.txt", []byte("plain text"), "meeting.file_type"},
			{"page.pdf", []byte("<html><script>x</script></html>"), "meeting.file_type"},
			{"empty.png", nil, "meeting.file_type"},
			{"big.png", append(pngBytes(t, 8), make([]byte, 3000)...), "meeting.file_too_big"},
		} {
			_, err := svc.AttachMeetingFile(ctx, mobile, id, c.name, bytes.NewReader(c.data))
			if c.msg == "" {
				noErr(t, err)
			} else {
				wantCode(t, err, domain.CodeInvalid, c.msg)
			}
		}
		// The five kept add up to near the meeting's limit: one more photo
		// passes it.
		_, err = svc.AttachMeetingFile(ctx, mobile, id, "再一张.png", bytes.NewReader(append(pngBytes(t, 8), make([]byte, 2500)...)))
		wantCode(t, err, domain.CodeInvalid, "meeting.files_total_too_big")
		v, err := svc.Meeting(ctx, mobile, id)
		noErr(t, err)
		if len(v.Files) != 5 || v.Files[0].Name != "合影.PNG" || !v.Files[0].Image() || v.Files[2].ContentType != "application/pdf" {
			t.Fatalf("files %+v", v.Files)
		}
		f, data, err := svc.MeetingFile(ctx, w.actor(t, "host"), id, v.Files[0].ID)
		noErr(t, err)
		if !bytes.Equal(data, photo) || f.Size != int64(len(photo)) {
			t.Fatal("the photo reads back changed")
		}
		if _, err := os.Stat(filepath.Join(dir, "meetings", f.SHA256+".png")); err != nil {
			t.Fatalf("not stored under its hash: %v", err)
		}
		// Without attendance, the host side cannot read it; the host may
		// not add files.
		_, _, err = svc.MeetingFile(ctx, w.actor(t, "home"), id, v.Files[0].ID)
		wantCode(t, err, domain.CodeNotFound, "")
		_, err = svc.AttachMeetingFile(ctx, w.actor(t, "host"), id, "x.png", bytes.NewReader(photo))
		wantCode(t, err, domain.CodeForbidden, "")
		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "meeting.attach", Limit: 20})
		if len(entries) != 6 || entries[0].Outcome != "denied" || !strings.Contains(entries[1].Detail, "sha256") {
			t.Fatalf("audit %+v", entries)
		}
	})
}
