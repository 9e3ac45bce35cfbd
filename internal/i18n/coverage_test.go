package i18n

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// msgIDsInSource finds the message IDs the Go code names literally: MsgID
// fields, the ID arguments of domain.Invalid, Rule and Conflict, and the
// first argument of T calls, and the audit actions the service records.
func msgIDsInSource(t *testing.T, root string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	lit := func(e ast.Expr) (string, bool) {
		b, ok := e.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil && strings.Contains(s, ".")
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := goparser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "MsgID" {
					if s, ok := lit(n.Value); ok {
						ids[s] = fset.Position(n.Pos()).String()
					}
				}
			case *ast.CallExpr:
				// domain.Invalid(…) outside package domain, Invalid(…) inside it.
				var name string
				switch f := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = f.Sel.Name
				case *ast.Ident:
					name = f.Name
				}
				arg := -1
				prefix := ""
				switch name {
				case "Rule", "T":
					arg = 0
				case "Invalid", "Conflict":
					arg = 1
				case "recordAlone", "denied": // audit actions are named in the log's UI
					arg, prefix = 2, "audit.action."
				case "record":
					arg, prefix = 3, "audit.action."
				}
				if arg >= 0 && len(n.Args) > arg {
					if s, ok := lit(n.Args[arg]); ok {
						ids[prefix+s] = fset.Position(n.Pos()).String()
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// Every message the code can show exists in every language, so no user
// ever sees a bare message ID.
func TestEveryMessageInSourceIsCatalogued(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	ids := msgIDsInSource(t, filepath.Join("..", ".."))
	if len(ids) < 20 {
		t.Fatalf("found only %d message IDs in the source; the scan is broken", len(ids))
	}
	for _, lang := range Languages() {
		l := b.For(lang)
		for id, where := range ids {
			if !l.Has(id) {
				t.Errorf("%s: message %q missing in %s", where, id, lang)
			}
		}
	}
}
