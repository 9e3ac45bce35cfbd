// Command vendorcopy builds the front-end vendor bundle: it runs `npm ci`
// when node_modules is missing or does not match package-lock.json, then
// copies the files assets.VendorFiles lists (htmx, ECharts and their
// licences) into internal/web/assets/static/vendor/, which git ignores and
// the assets package embeds.
//
// Run it from anywhere inside the repository:
//
//	go run ./internal/web/assets/vendorcopy
//
// `make assets` calls exactly this, so there is one way to build the bundle.
// It is a Go program rather than a shell script so that it behaves the same
// on every developer's machine that has Go and npm, Windows included.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"gongjian/internal/web/assets"
)

// staticDir is the static tree of the assets package, relative to the
// repository root.
const staticDir = "internal/web/assets/static"

func main() {
	npm := flag.String("npm", "npm", "the npm command")
	force := flag.Bool("force", false, "run npm ci even when node_modules looks current")
	flag.Parse()
	if err := run(*npm, *force); err != nil {
		fmt.Fprintln(os.Stderr, "vendorcopy:", err)
		os.Exit(1)
	}
}

func run(npm string, force bool) error {
	root, err := findRoot()
	if err != nil {
		return err
	}
	stale, why, err := nodeModulesStale(root)
	if err != nil {
		return err
	}
	if stale || force {
		if force {
			why = "forced"
		}
		fmt.Printf("vendorcopy: npm ci (%s)\n", why)
		cmd := exec.Command(npm, "ci")
		cmd.Dir = root
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("npm ci: %w", err)
		}
	}
	return copyVendor(root)
}

// findRoot walks up from the working directory to the directory holding
// both go.mod and package.json.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if isFile(filepath.Join(dir, "go.mod")) && isFile(filepath.Join(dir, "package.json")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no directory with go.mod and package.json above the working directory")
		}
		dir = parent
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// lockFile is the part of package-lock.json (and of npm's record of what
// it installed, node_modules/.package-lock.json) that decides staleness.
type lockFile struct {
	Packages map[string]struct {
		Version      string            `json:"version"`
		Integrity    string            `json:"integrity"`
		Dependencies map[string]string `json:"dependencies"`
	} `json:"packages"`
}

// nodeModulesStale compares what the lock file asks for with what npm last
// installed, by version and integrity rather than by file times, which a
// git checkout resets. It also notices a package.json edited without
// updating the lock, so that npm ci runs and reports the mismatch.
func nodeModulesStale(root string) (bool, string, error) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := readJSON(filepath.Join(root, "package.json"), &pkg); err != nil {
		return false, "", err
	}
	var want lockFile
	if err := readJSON(filepath.Join(root, "package-lock.json"), &want); err != nil {
		return false, "", err
	}
	if !maps.Equal(pkg.Dependencies, want.Packages[""].Dependencies) {
		return true, "package.json and package-lock.json disagree", nil
	}
	var have lockFile
	err := readJSON(filepath.Join(root, "node_modules", ".package-lock.json"), &have)
	if errors.Is(err, fs.ErrNotExist) {
		return true, "node_modules is missing", nil
	}
	if err != nil {
		return false, "", err
	}
	for _, p := range slices.Sorted(maps.Keys(want.Packages)) {
		if p == "" {
			continue
		}
		w, h := want.Packages[p], have.Packages[p]
		if w.Version != h.Version || w.Integrity != h.Integrity {
			return true, p + " differs from package-lock.json", nil
		}
	}
	return false, "", nil
}

func readJSON(p string, v any) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

// copyVendor copies every listed file, rewriting only those whose content
// changed (so go build's cache and file times stay put), and removes
// anything else from the vendor directory: it is generated, and a leftover
// file would be embedded into the binary.
func copyVendor(root string) error {
	dest := filepath.Join(root, filepath.FromSlash(staticDir))
	keep := map[string]bool{}
	for _, v := range assets.VendorFiles() {
		src := filepath.Join(root, "node_modules", filepath.FromSlash(v.Package), filepath.FromSlash(v.From))
		data, err := os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("read %s: %w", v.Package+"/"+v.From, err)
		}
		dst := filepath.Join(dest, filepath.FromSlash(v.To))
		keep[dst] = true
		changed, err := writeIfChanged(dst, data)
		if err != nil {
			return err
		}
		if changed {
			fmt.Printf("vendorcopy: %s/%s -> %s\n", v.Package, v.From, filepath.ToSlash(filepath.Join(staticDir, v.To)))
		}
	}
	vendorDir := filepath.Join(dest, "vendor")
	return filepath.WalkDir(vendorDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || keep[p] {
			return err
		}
		fmt.Printf("vendorcopy: remove %s\n", filepath.ToSlash(p))
		return os.Remove(p)
	})
}

func writeIfChanged(dst string, data []byte) (bool, error) {
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, err
	}
	// Write beside the target and rename, so an interrupted run never
	// leaves a half-written file to be embedded.
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".vendorcopy-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), dst)
}
