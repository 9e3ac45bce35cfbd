// Command gen rebuilds the embedded common-password list of package commonpw
// from the npm package @zxcvbn-ts/language-common, whose src/passwords.json
// is a frequency-ranked list of about 49,000 leaked passwords (MIT licence,
// data inherited from Dropbox's zxcvbn).
//
// Run it through `go generate ./internal/auth/commonpw` (it then runs in that
// folder). By default it installs the pinned package version with
// `npm install --no-save` into a temporary directory of its own, so neither
// the repository's package.json nor its node_modules are touched and the npm
// package itself never enters the repository; only its output does:
//
//	list.txt.gz          sorted, lower-cased, de-duplicated entries, one a line
//	list.LICENSE.txt     the package's licence, which the MIT terms ask us to keep
//
// With -src it reads an already downloaded passwords.json instead (offline use).
// The output is deterministic: the gzip header carries no name and no time.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
)

// The package and the version the committed list was built from. Bump the
// version deliberately: a new list changes which passwords are refused.
const (
	npmPackage = "@zxcvbn-ts/language-common"
	npmVersion = "4.1.3"
)

func main() {
	src := flag.String("src", "", "passwords.json to read; empty installs "+npmPackage+"@"+npmVersion+" into a temporary directory")
	out := flag.String("out", "list.txt.gz", "gzip file to write")
	top := flag.Int("top", 0, "keep only the N most frequent entries (0 keeps them all)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("commonpw/gen: ")
	if err := run(*src, *out, *top); err != nil {
		log.Fatal(err)
	}
}

// run is main without log.Fatal, so the deferred clean-up of the temporary
// npm directory runs on every path.
func run(src, out string, top int) error {
	var licence string
	if src == "" {
		dir, err := os.MkdirTemp("", "commonpw-npm-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := npmInstall(dir); err != nil {
			return err
		}
		pkgDir := filepath.Join(dir, "node_modules", filepath.FromSlash(npmPackage))
		src = filepath.Join(pkgDir, "src", "passwords.json")
		licence = filepath.Join(pkgDir, "LICENSE.txt")
	} else {
		licence = filepath.Join(filepath.Dir(src), "..", "LICENSE.txt")
	}

	n, err := build(src, out, top)
	if err != nil {
		return err
	}
	if text, err := os.ReadFile(licence); err == nil {
		header := fmt.Sprintf("list.txt.gz is derived from the npm package %s@%s under this licence:\n\n", npmPackage, npmVersion)
		target := strings.TrimSuffix(out, ".txt.gz") + ".LICENSE.txt"
		if err := os.WriteFile(target, append([]byte(header), text...), 0o644); err != nil {
			return err
		}
	} else {
		log.Printf("warning: no licence file beside %s; keep the existing list.LICENSE.txt", src)
	}
	log.Printf("wrote %d entries to %s", n, out)
	return nil
}

// npmInstall installs the pinned package into dir without scripts, lock file
// or audit traffic.
func npmInstall(dir string) error {
	cmd := exec.Command("npm", "install", "--no-save", "--no-package-lock", "--ignore-scripts",
		"--no-audit", "--no-fund", "--prefix", dir, npmPackage+"@"+npmVersion)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install %s@%s: %w", npmPackage, npmVersion, err)
	}
	return nil
}

// build reads the ranked JSON array, keeps the top entries, normalises them
// the way commonpw.Contains looks them up, and writes the sorted list.
func build(src, out string, top int) (int, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return 0, err
	}
	var ranked []string
	if err := json.Unmarshal(data, &ranked); err != nil {
		return 0, fmt.Errorf("%s: want a JSON array of strings: %w", src, err)
	}
	if top > 0 && top < len(ranked) {
		ranked = ranked[:top]
	}
	list := make([]string, 0, len(ranked))
	for _, pw := range ranked {
		pw = strings.ToLower(strings.TrimSpace(pw))
		if pw == "" || strings.ContainsFunc(pw, unicode.IsControl) {
			continue // a newline inside an entry would corrupt the format
		}
		list = append(list, pw)
	}
	slices.Sort(list)
	list = slices.Compact(list)
	if len(list) < 1000 {
		return 0, fmt.Errorf("%s: only %d entries; is this the right file?", src, len(list))
	}

	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	for _, pw := range list {
		zw.Write([]byte(pw))
		zw.Write([]byte{'\n'})
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return len(list), os.WriteFile(out, buf.Bytes(), 0o644)
}
