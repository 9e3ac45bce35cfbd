package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gongjian/internal/i18n"
)

// TestCatalogueHasEveryMsgID reads the sources of cli and config for
// "cli.…" message IDs, adds the ones built at run time, and checks that
// both languages define each, so no message reaches an operator as a bare
// ID. (The i18n package checks that the languages agree with each other.)
func TestCatalogueHasEveryMsgID(t *testing.T) {
	idRe := regexp.MustCompile(`"(cli\.[a-z_]+(?:\.[a-z_]+)*)"`)
	var ids []string
	for _, pattern := range []string{"*.go", "../config/*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range idRe.FindAllStringSubmatch(string(src), -1) {
				ids = append(ids, m[1])
			}
		}
	}
	// Built from a prefix: the usage of each user subcommand and the
	// reasons store.VerifyAudit gives.
	for _, sub := range []string{"add", "passwd", "disable", "grant", "link", "list"} {
		ids = append(ids, "cli.user.usage_"+sub)
	}
	for _, reason := range []string{"altered", "missing", "reordered", "truncated"} {
		ids = append(ids, "cli.audit.reason_"+reason)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) < 50 {
		t.Fatalf("found only %d message IDs: is the pattern broken?", len(ids))
	}
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Languages() {
		l := b.For(lang)
		for _, id := range ids {
			if id == "cli.user.usage_" || id == "cli.audit.reason_" {
				continue
			}
			if !l.Has(id) {
				t.Errorf("%s lacks %s", lang, id)
			}
		}
	}
}
