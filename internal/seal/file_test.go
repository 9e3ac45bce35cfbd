package seal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateCreates0600(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "etc", "gongjian")
	path := filepath.Join(dir, "secret.json")
	k, created, err := LoadOrCreate(path, SuiteGM)
	if err != nil || !created {
		t.Fatalf("LoadOrCreate = %v, created %v", err, created)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode = %04o, want 0600", perm)
	}
	dst, _ := os.Stat(dir)
	if perm := dst.Mode().Perm(); perm != 0o700 {
		t.Errorf("dir mode = %04o, want 0700", perm)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	tok, _ := k.Seal([]byte("13800138000"), nil)
	again, created, err := LoadOrCreate(path, SuiteGM)
	if err != nil || created {
		t.Fatalf("second LoadOrCreate = %v, created %v", err, created)
	}
	if got, err := again.Open(tok, nil); err != nil || string(got) != "13800138000" {
		t.Errorf("reloaded keyring Open = %q, %v", got, err)
	}
	if !bytes.Equal(k.BlindIndex("p", "v"), again.BlindIndex("p", "v")) {
		t.Error("reloaded keyring has another index key")
	}
}

func TestLoadRefusesLoosePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "secret.json")
	if _, _, err := LoadOrCreate(path, ""); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660, 0o602} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, _, err := LoadOrCreate(path, "")
		if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Errorf("mode %04o: err = %v, want a refusal naming chmod 600", mode, err)
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreate(path, ""); err != nil {
		t.Errorf("mode 0400 refused: %v", err)
	}
}

func TestRotateSaveReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.json")
	k, _, err := LoadOrCreate(path, SuiteStd)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := k.Seal([]byte("old"), nil)
	if err := k.Rotate(SuiteGM); err != nil {
		t.Fatal(err)
	}
	if err := k.Save(path); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreate(path, SuiteStd); !errors.Is(err, ErrSuiteMismatch) {
		t.Errorf("configured std over a gm keyring: err = %v, want ErrSuiteMismatch", err)
	}
	re, created, err := LoadOrCreate(path, SuiteGM)
	if err != nil || created {
		t.Fatalf("reload = %v, %v", err, created)
	}
	if got, err := re.Open(old, nil); err != nil || string(got) != "old" {
		t.Errorf("old token after save/reload: %q, %v", got, err)
	}
	if re.CurrentKeyID() != 2 || re.MACKeyID() != 1 || len(re.KeyIDs()) != 2 {
		t.Errorf("reloaded: current %d stable %d ids %v", re.CurrentKeyID(), re.MACKeyID(), re.KeyIDs())
	}
}

func TestMalformedFiles(t *testing.T) {
	good, err := mustNew(t, SuiteStd).encode()
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"not json":      "hello",
		"empty":         "",
		"wrong format":  strings.Replace(string(good), fileFormat, "other", 1),
		"unknown field": strings.Replace(string(good), `"note"`, `"nose"`, 1),
		"bad suite":     strings.Replace(string(good), `"suite": "std"`, `"suite": "des"`, 1),
		"short key":     strings.Replace(string(good), `"enc": "`, `"enc": "AAAA`, 1),
		"no current":    strings.Replace(string(good), `"current": 1`, `"current": 7`, 1),
		"no keys":       `{"format":"gongjian-keyring","version":1,"current":1,"stable":1,"keys":[]}`,
		"trailing data": string(good) + "{}",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secret.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := LoadOrCreate(path, "")
			if err == nil || !strings.Contains(err.Error(), "not a valid keyring") {
				t.Errorf("err = %v, want 'not a valid keyring'", err)
			}
		})
	}
}

func TestConcurrentCreateSharesOneKeyring(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.json")
	const n = 8
	rings := make([]*Keyring, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k, _, err := LoadOrCreate(path, SuiteStd)
			if err != nil {
				t.Error(err)
				return
			}
			rings[i] = k
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	want := rings[0].BlindIndex("x", "y")
	for i, k := range rings {
		if !bytes.Equal(k.BlindIndex("x", "y"), want) {
			t.Errorf("process %d ended with another keyring than the one on disk", i)
		}
	}
}

func TestUnknownSuite(t *testing.T) {
	if _, _, err := LoadOrCreate(filepath.Join(t.TempDir(), "s.json"), "rot13"); err == nil {
		t.Error("unknown suite accepted")
	}
}
