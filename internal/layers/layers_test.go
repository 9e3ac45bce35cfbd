package layers

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// level of each package (relative to the module); a package may import
// internal packages of a lower level only, or its own sub-packages.
var level = map[string]int{
	"internal/domain": 0, "internal/clock": 0, "internal/seal": 0, "internal/roster": 0, "internal/region": 0, "internal/pinyin": 0,
	"internal/web/assets": 0, "internal/throttle": 0, "internal/sender": 0,
	"internal/authz": 1, "internal/idcheck": 1, "internal/auth": 1, "internal/i18n": 1, "internal/config": 1,
	"internal/store":   2,
	"internal/service": 3, "internal/jobs": 3,
	"internal/demo": 4, "internal/web": 4, "internal/api": 4,
	"internal/server": 5,
	"internal/cli":    6,
	"cmd/gongjian":    7,
	"e2e":             8, "bench": 8,
	"internal/layers": 9,
}

const module = "gongjian/"

// levelOf finds the level of a package or of the nearest parent listed.
func levelOf(pkg string) (string, int, bool) {
	for p := pkg; p != "."; {
		if l, ok := level[p]; ok {
			return p, l, true
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "", 0, false
}

func TestImportsFlowOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "-test", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	checked := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		// Test variants ("pkg [pkg.test]") and external test packages
		// may reach further: tests wire real parts together.
		if strings.Contains(p.ImportPath, " ") || strings.HasSuffix(p.ImportPath, "_test") || strings.HasSuffix(p.ImportPath, ".test") {
			continue
		}
		from := strings.TrimPrefix(p.ImportPath, module)
		home, l, ok := levelOf(from)
		if !ok {
			t.Errorf("package %s has no level; add it to the table", from)
			continue
		}
		checked++
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			to := strings.TrimPrefix(imp, module)
			toHome, tl, ok := levelOf(to)
			if !ok {
				t.Errorf("%s imports %s, which has no level", from, to)
				continue
			}
			if toHome == home {
				continue // a package and its own sub-packages
			}
			if tl >= l {
				t.Errorf("%s (level %d) imports %s (level %d): imports must flow toward domain", from, l, to, tl)
			}
		}
	}
	if checked < 15 {
		t.Fatalf("checked only %d packages; the listing is broken", checked)
	}
}
