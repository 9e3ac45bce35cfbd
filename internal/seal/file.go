package seal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// ErrSuiteMismatch reports that the secret file's current key is of another
// suite than the configuration asks for. The fix is a rotation to the
// configured suite, then re-encryption; the file is never changed silently.
var ErrSuiteMismatch = errors.New("seal: the keyring's current key is of another suite than configured")

// The secret file's layout. It is JSON so an operator can inspect which key
// generations exist (never edit it by hand); keys are standard base64.
const (
	fileFormat  = "gongjian-keyring"
	fileVersion = 1
	fileNote    = "Secret keys of gongjian. Keep this file mode 0600, outside the database and its backups, " +
		"and back it up separately: without it encrypted fields cannot be read."
	maxFileSize = 1 << 20 // far above any real keyring; refuses to slurp a wrong path
)

type fileKeyring struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Note    string    `json:"note"`
	Current int       `json:"current"`
	Stable  int       `json:"stable"`
	Keys    []fileKey `json:"keys"`
}

type fileKey struct {
	ID      int       `json:"id"`
	Suite   string    `json:"suite"`
	Created time.Time `json:"created"`
	Enc     []byte    `json:"enc"`
	Index   []byte    `json:"index"`
	Audit   []byte    `json:"audit"`
	Session []byte    `json:"session"`
	QR      []byte    `json:"qr"`
}

// LoadOrCreate reads the secret file at path, or creates it with one fresh
// key of suite ("" meaning SuiteStd) when it does not exist; created reports
// which happened, so the caller can tell the operator to back the file up.
//
// Creation writes a temporary file, syncs it and links it into place, so a
// crash never leaves a half-written keyring and two processes starting at
// once end up sharing one keyring instead of overwriting each other's. The
// file is 0600; a missing parent directory is made 0700. An existing file
// that group or others may read or write is refused (with the chmod to run),
// because MLPS assessors treat a world-readable key as clear-text data.
//
// When suite is not empty and the file's current key is of another suite,
// the error wraps ErrSuiteMismatch; load with suite "" to rotate.
func LoadOrCreate(path, suiteID string) (k *Keyring, created bool, err error) {
	if suiteID != "" {
		if _, err := suiteByID(suiteID); err != nil {
			return nil, false, fmt.Errorf("seal: %w", err)
		}
	}
	k, err = load(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err = New(suiteID)
		if err != nil {
			return nil, false, err
		}
		err = k.write(path, true)
		if err == nil {
			return k, true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, false, err
		}
		// Another process created it between our stat and our link: use theirs.
		k, err = load(path)
	}
	if err != nil {
		return nil, false, err
	}
	if suiteID != "" && k.Suite() != suiteID {
		return nil, false, fmt.Errorf("%w: %s holds %q, configuration says %q; rotate the keyring to %q and re-encrypt",
			ErrSuiteMismatch, path, k.Suite(), suiteID, suiteID)
	}
	return k, false, nil
}

// Save writes the keyring to path atomically (temporary file, fsync,
// rename, fsync of the directory), replacing what is there, with mode 0600.
func (k *Keyring) Save(path string) error {
	return k.write(path, false)
}

// load reads and validates the file; a missing file wraps fs.ErrNotExist.
func load(path string) (*Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("seal: %s is not a regular file", path)
	}
	// Windows has no Unix permission bits to check; its ACLs are the
	// operator's business there.
	if perm := st.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("seal: %s has mode %04o, so users other than its owner can read or change the keys; run: chmod 600 %s",
			path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("seal: read %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("seal: %s is not a keyring: larger than %d bytes", path, maxFileSize)
	}
	k, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("seal: %s is not a valid keyring: %w", path, err)
	}
	return k, nil
}

// decode parses and checks the file's JSON strictly: a key of the wrong
// length or an unknown field means the file is not what we wrote.
func decode(data []byte) (*Keyring, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f fileKeyring
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON object")
	}
	if f.Format != fileFormat || f.Version != fileVersion {
		return nil, fmt.Errorf("format %q version %d, want %q version %d", f.Format, f.Version, fileFormat, fileVersion)
	}
	if len(f.Keys) == 0 {
		return nil, errors.New("no keys")
	}
	k := &Keyring{keys: make(map[int]*key, len(f.Keys)), current: f.Current, stable: f.Stable}
	for _, fk := range f.Keys {
		if fk.ID <= 0 {
			return nil, fmt.Errorf("key id %d: must be positive", fk.ID)
		}
		if k.keys[fk.ID] != nil {
			return nil, fmt.Errorf("key id %d: appears twice", fk.ID)
		}
		s, err := suiteByID(fk.Suite)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", fk.ID, err)
		}
		lengths := []struct {
			name string
			got  []byte
			want int
		}{
			{"enc", fk.Enc, s.encKeyLen()},
			{"index", fk.Index, macKeyLen},
			{"audit", fk.Audit, macKeyLen},
			{"session", fk.Session, macKeyLen},
			{"qr", fk.QR, macKeyLen},
		}
		for _, l := range lengths {
			if len(l.got) != l.want {
				return nil, fmt.Errorf("key %d: %s key is %d bytes, want %d", fk.ID, l.name, len(l.got), l.want)
			}
		}
		nk := &key{id: fk.ID, suiteID: fk.Suite, suite: s, created: fk.Created,
			enc: fk.Enc, index: fk.Index, audit: fk.Audit, session: fk.Session, qr: fk.QR}
		if nk.aead, err = s.aead(nk.enc); err != nil {
			return nil, fmt.Errorf("key %d: %w", fk.ID, err)
		}
		k.keys[fk.ID] = nk
	}
	if k.keys[f.Current] == nil {
		return nil, fmt.Errorf("current key %d is not in the file", f.Current)
	}
	if k.keys[f.Stable] == nil {
		return nil, fmt.Errorf("stable key %d is not in the file", f.Stable)
	}
	return k, nil
}

// encode renders the keyring as the file's JSON.
func (k *Keyring) encode() ([]byte, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	f := fileKeyring{Format: fileFormat, Version: fileVersion, Note: fileNote, Current: k.current, Stable: k.stable}
	for _, id := range k.idsLocked() {
		key := k.keys[id]
		f.Keys = append(f.Keys, fileKey{ID: id, Suite: key.suiteID, Created: key.created,
			Enc: key.enc, Index: key.index, Audit: key.audit, Session: key.session, QR: key.qr})
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// write puts the keyring at path through a synced temporary file in the same
// directory. exclusive links instead of renaming, so it fails with
// fs.ErrExist rather than replace a keyring another process just made.
func (k *Keyring) write(path string, exclusive bool) (err error) {
	data, err := k.encode()
	if err != nil {
		return fmt.Errorf("seal: encode keyring: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	tmpName := tmp.Name()
	defer func() {
		// After a successful rename the name is gone and this is a no-op;
		// after a link it removes the extra name.
		_ = os.Remove(tmpName)
	}()
	// Explicit, because CreateTemp's 0600 is filtered by the umask, and an
	// umask of 077 or more would leave a file we cannot read back.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("seal: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("seal: write %s: %w", tmpName, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("seal: sync %s: %w", tmpName, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("seal: close %s: %w", tmpName, err)
	}
	if exclusive {
		err = os.Link(tmpName, path)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			// Some filesystems refuse hard links; fall back to a rename
			// after one more look, accepting a tiny race there.
			if _, statErr := os.Lstat(path); statErr == nil {
				err = fmt.Errorf("seal: %s: %w", path, fs.ErrExist)
			} else {
				err = os.Rename(tmpName, path)
			}
		}
	} else {
		err = os.Rename(tmpName, path)
	}
	if err != nil {
		return fmt.Errorf("seal: install %s: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir makes the new directory entry durable: without it a power loss
// after rename can bring back the old file, or no file at all.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be opened for sync there
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("seal: sync %s: %w", dir, err)
	}
	return nil
}
