package service

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Between the preview and the commit (separate web requests, maybe after
// a page reload) the file waits in the data folder: imports/<sha>.roster,
// and the error report in imports/<sha>.errors. Both hold personal data
// in clear inside, so they are sealed with the field key, in 1 MiB chunks
// whose associated data binds each to the file, its place and the end,
// so a chunk moved, dropped or swapped fails to open. The commit wipes
// the roster copy; anything older than a day is removed by the next
// import (sweepImports). imports/<sha>.progress holds a commit's row
// count for the page that polls it, and nothing personal.

const stageChunk = 1 << 20

func (s *Service) importDir() (string, error) {
	if s.cfg.DataDir == "" {
		return "", errors.New("service: no data folder configured for staged imports")
	}
	dir := filepath.Join(s.cfg.DataDir, "imports")
	return dir, os.MkdirAll(dir, 0o700)
}

func stageAAD(sha, kind string, i int, last bool) []byte {
	return fmt.Appendf(nil, "import:%s:%s:%d:%t", sha, kind, i, last)
}

// writeSealed seals size bytes of r into imports/<sha>.<kind>, through a
// synced temporary file and a rename, so a crash leaves the old file or
// the new one.
func (s *Service) writeSealed(sha, kind string, r io.ReaderAt, size int64) error {
	dir, err := s.importDir()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".stage-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	w := bufio.NewWriter(f)
	buf := make([]byte, stageChunk)
	for i, off := 0, int64(0); off < size || i == 0; i++ {
		n, err := r.ReadAt(buf[:min(int64(stageChunk), size-off)], off)
		if err != nil && !(err == io.EOF && int64(n) == min(int64(stageChunk), size-off)) {
			f.Close()
			return fmt.Errorf("service: stage import: %w", err)
		}
		off += int64(n)
		tok, err := s.cfg.Keys.Seal(buf[:n], stageAAD(sha, kind, i, off >= size))
		if err != nil {
			f.Close()
			return err
		}
		w.WriteString(tok)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, sha+"."+kind))
}

// readSealed opens imports/<sha>.<kind>; a missing file is not found.
func (s *Service) readSealed(sha, kind string) ([]byte, error) {
	dir, err := s.importDir()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, sha+"."+kind))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound()
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out bytes.Buffer
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 2*stageChunk), 2*stageChunk)
	last := false
	for i := 0; sc.Scan(); i++ {
		var plain []byte
		for _, end := range []bool{false, true} {
			if plain, err = s.cfg.Keys.Open(sc.Text(), stageAAD(sha, kind, i, end)); err == nil {
				last = end
				break
			}
		}
		if err != nil {
			return nil, fmt.Errorf("service: staged import %s chunk %d: %w", kind, i, err)
		}
		out.Write(plain)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !last {
		return nil, fmt.Errorf("service: staged import %s is truncated", kind)
	}
	return out.Bytes(), nil
}

// hasSealed reports whether imports/<sha>.<kind> exists.
func (s *Service) hasSealed(sha, kind string) bool {
	dir, err := s.importDir()
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, sha+"."+kind))
	return err == nil
}

// stageFile keeps the uploaded file for the commit.
func (s *Service) stageFile(sha string, r io.ReaderAt, size int64) error {
	return s.writeSealed(sha, "roster", r, size)
}

// stagedFile reads the kept file back and checks it is the one hashed.
func (s *Service) stagedFile(sha string) ([]byte, error) {
	data, err := s.readSealed(sha, "roster")
	if err != nil {
		if domain.CodeOf(err) == domain.CodeNotFound {
			return nil, domain.Rule("import.expired", nil)
		}
		return nil, err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != sha {
		return nil, fmt.Errorf("service: staged import %s does not match its hash", sha)
	}
	return data, nil
}

// unstage removes the kept roster and the progress file; with all, the
// error report too.
func (s *Service) unstage(sha string, all bool) {
	dir, err := s.importDir()
	if err != nil {
		return
	}
	kinds := []string{"roster", "progress"}
	if all {
		kinds = append(kinds, reportKind, clearReportKind)
	}
	for _, k := range kinds {
		os.Remove(filepath.Join(dir, sha+"."+k))
	}
}

// setProgress notes a commit's progress for the page that polls it.
func (s *Service) setProgress(sha string, done, total int) {
	if dir, err := s.importDir(); err == nil {
		os.WriteFile(filepath.Join(dir, sha+".progress"), fmt.Appendf(nil, "%d %d", done, total), 0o600)
	}
}

func (s *Service) progressOf(sha string) (done, total int) {
	dir, err := s.importDir()
	if err != nil {
		return 0, 0
	}
	b, err := os.ReadFile(filepath.Join(dir, sha+".progress"))
	if err != nil {
		return 0, 0
	}
	a, c, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	done, _ = strconv.Atoi(a)
	total, _ = strconv.Atoi(c)
	return done, total
}

// sweepImports removes staged files untouched for a day and forgets the
// sessions that never finished in that time. It runs at the start of each
// preview, which bounds what a server keeps without a scheduler.
func (s *Service) sweepImports(ctx context.Context) {
	if dir, err := s.importDir(); err == nil {
		// Files age by the file system's clock, whatever the service's.
		old := time.Now().Add(-sessionTTL)
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if info, err := e.Info(); err == nil && !e.IsDir() && info.ModTime().Before(old) {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	before := s.Now().Add(-sessionTTL)
	if err := s.db.Tx(ctx, func(tx store.Tx) error {
		_, err := store.DeleteExpiredImports(ctx, tx, before)
		return err
	}); err != nil {
		s.cfg.Log.Error("import sweep failed", "err", err)
	}
}
