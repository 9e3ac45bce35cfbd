package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongjian/internal/web/assets"
)

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const (
	pkgJSON  = `{"dependencies":{"htmx.org":"^2.0.11"}}`
	lockJSON = `{"packages":{"":{"dependencies":{"htmx.org":"^2.0.11"}},` +
		`"node_modules/htmx.org":{"version":"2.0.11","integrity":"sha512-A"}}}`
)

func TestNodeModulesStale(t *testing.T) {
	tests := []struct {
		name, pkg, installed string
		stale                bool
		why                  string
	}{
		{"missing", pkgJSON, "", true, "missing"},
		{"current", pkgJSON, lockJSON, false, ""},
		{"other version", pkgJSON, strings.Replace(lockJSON, "2.0.11\",\"integrity", "2.0.10\",\"integrity", 1), true, "node_modules/htmx.org"},
		{"other integrity", pkgJSON, strings.Replace(lockJSON, "sha512-A", "sha512-B", 1), true, "node_modules/htmx.org"},
		{"package.json edited", `{"dependencies":{"htmx.org":"^2.0.11","echarts":"^6.1.0"}}`, lockJSON, true, "disagree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			write(t, filepath.Join(root, "package.json"), tt.pkg)
			write(t, filepath.Join(root, "package-lock.json"), lockJSON)
			if tt.installed != "" {
				write(t, filepath.Join(root, "node_modules", ".package-lock.json"), tt.installed)
			}
			stale, why, err := nodeModulesStale(root)
			if err != nil {
				t.Fatal(err)
			}
			if stale != tt.stale || !strings.Contains(why, tt.why) {
				t.Errorf("stale = %v (%q), want %v (%q)", stale, why, tt.stale, tt.why)
			}
		})
	}
}

func TestCopyVendor(t *testing.T) {
	root := t.TempDir()
	for _, v := range assets.VendorFiles() {
		write(t, filepath.Join(root, "node_modules", v.Package, v.From), v.Package+"/"+v.From)
	}
	vendor := filepath.Join(root, filepath.FromSlash(staticDir), "vendor")
	leftover := filepath.Join(vendor, "old.min.js")
	write(t, leftover, "old")

	if err := copyVendor(root); err != nil {
		t.Fatal(err)
	}
	for _, v := range assets.VendorFiles() {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(staticDir), filepath.FromSlash(v.To)))
		if err != nil || string(got) != v.Package+"/"+v.From {
			t.Errorf("%s: %q, %v", v.To, got, err)
		}
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("leftover vendor file kept (%v)", err)
	}

	// A second run changes nothing: same content, same file.
	dst := filepath.Join(root, filepath.FromSlash(staticDir), filepath.FromSlash(assets.HTMX))
	before, _ := os.Stat(dst)
	if err := copyVendor(root); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(dst)
	if !os.SameFile(before, after) {
		t.Error("unchanged file was rewritten")
	}
}

func TestCopyVendorMissingPackage(t *testing.T) {
	root := t.TempDir()
	err := copyVendor(root)
	if err == nil || !strings.Contains(err.Error(), "htmx.org/dist/htmx.min.js") {
		t.Errorf("err = %v, want it to name the missing file", err)
	}
}
