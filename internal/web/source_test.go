package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"gongjian/internal/i18n"
)

// The HTTP layer's Go code (this package, the API and the server) holds
// no user-visible text: every word comes from the catalogues. These tests
// read the source of all three, since they share the catalogue.
var sourceDirs = []string{".", "../api", "../server"}

type literal struct {
	pos   string
	value string
}

func literals(t *testing.T) []literal {
	t.Helper()
	var out []literal
	fset := token.NewFileSet()
	for _, dir := range sourceDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						out = append(out, literal{fset.Position(lit.Pos()).String(), s})
					}
				}
				return true
			})
		}
	}
	return out
}

func TestNoChineseInHandlers(t *testing.T) {
	for _, l := range literals(t) {
		if strings.ContainsFunc(l.value, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%s: literal text %q; use a catalogue key", l.pos, l.value)
		}
	}
}

// keyRE matches what looks like a message key of an area this layer uses.
var keyRE = regexp.MustCompile(`^(web|error|login|totp|password|account|audit|nav|flash|common|role)\.[a-z_.]*[a-z]$`)

// notKeys are literals of key shape that are not keys: message IDs the
// code compares against, not renders.
var notKeys = []string{"session.expired"}

func TestHandlerKeysExist(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, l := range literals(t) {
		if keyRE.MatchString(l.value) && !slices.Contains(notKeys, l.value) {
			keys[l.value] = true
		}
	}
	// Keys the code builds from parts.
	for _, reason := range []string{"altered", "missing", "reordered", "truncated"} {
		keys["web.audit.verify_"+reason] = true
	}
	for _, o := range []string{"ok", "denied", "failed"} {
		keys[outcomeKey(o)] = true
	}
	if len(keys) < 40 {
		t.Fatalf("found only %d keys; is the scan broken?", len(keys))
	}
	for _, lang := range i18n.Languages() {
		l := bundle.For(lang)
		for k := range keys {
			if !l.Has(k) {
				t.Errorf("%s: key %q is used but not in the catalogue", lang, k)
			}
		}
	}
}
