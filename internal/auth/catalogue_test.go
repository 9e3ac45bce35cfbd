package auth

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCatalogueHasEveryMsgID reads this package's sources for "auth.…"
// message IDs and checks that both catalogues define each of them, so that a
// new rule cannot ship with an untranslated message. The i18n package checks
// that the languages agree with each other and that templates parse.
func TestCatalogueHasEveryMsgID(t *testing.T) {
	sources, _ := filepath.Glob("*.go")
	idRe := regexp.MustCompile(`"(auth\.[a-z_]+(?:\.[a-z_]+)*)"`)
	var ids []string
	for _, f := range sources {
		if !strings.HasSuffix(f, "_test.go") {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range idRe.FindAllStringSubmatch(string(src), -1) {
				ids = append(ids, m[1])
			}
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) < 10 {
		t.Fatalf("found only %d message IDs (%v): is the pattern broken?", len(ids), ids)
	}
	headerRe := regexp.MustCompile(`(?m)^\[([a-z_.]+)\]\s*\nother = "[^"]+"`)
	for _, lang := range []string{"zh-CN", "en"} {
		path := filepath.Join("..", "i18n", "locales", "auth."+lang+".toml")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var have []string
		for _, m := range headerRe.FindAllStringSubmatch(string(data), -1) {
			have = append(have, m[1])
		}
		for _, id := range ids {
			if !slices.Contains(have, id) {
				t.Errorf("%s lacks [%s] with an other = text", path, id)
			}
		}
	}
}
