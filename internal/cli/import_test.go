package cli_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// rosterID builds a valid ID number for person i of Guannan: a birth
// date i/1000 days after 1970-01-01, the sequence i%1000 and the check
// character.
func rosterID(i int) string {
	s := fmt.Sprintf("320724%s%03d", time.Date(1970, 1, 1+i/1000, 0, 0, 0, 0, time.UTC).Format("20060102"), i%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, w := range weights {
		sum += int(s[k]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// rosterCSV writes a CSV roster of n people (UTF-8 with BOM, as "CSV
// UTF-8" in Excel saves it) plus a row with a wrong check character.
func rosterCSV(t *testing.T, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("\ufeff序号,姓名,身份证号码,手机号码,外出时间,所在支部\r\n")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
	for i := range n {
		fmt.Fprintf(&b, "%d,王%c%c,%s,1391%07d,2016.07,新安镇党委\r\n", i+1, given[i%len(given)], given[i/len(given)%len(given)], rosterID(i), i)
	}
	bad := rosterID(n)
	fmt.Fprintf(&b, "%d,李错,%s,13800000000,2016/7/21,\r\n", n+1, bad[:17]+map[bool]string{true: "2", false: "1"}[bad[17] == '1'])
	path := filepath.Join(dir, fmt.Sprintf("roster-%d.csv", n))
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// importSite is a migrated site with the township's organizations.
func importSite(t *testing.T, s *site) *store.DB {
	t.Helper()
	s.run(ctx, "migrate", "up").want(t, 0)
	db := s.open(t)
	if err := db.Tx(ctx, func(tx store.Tx) error {
		county, err := store.CreateOrg(ctx, tx, domain.Org{Name: "中共灌南县委员会", ShortName: "灌南县委", Side: domain.SideOrigin,
			Kind: domain.KindCommittee}, time.Now())
		if err != nil {
			return err
		}
		_, err = store.CreateOrg(ctx, tx, domain.Org{ParentID: county, Name: "中共灌南县新安镇委员会", ShortName: "新安镇党委",
			Side: domain.SideOrigin, Kind: domain.KindCommittee}, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return db
}

func persons(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM persons`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportPersonsCommand(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		db := importSite(t, s)
		path := rosterCSV(t, s.dir, 3)

		r := s.run(ctx, "import", "persons", path, "--origin", "灌南县委", "--dry-run", "--json")
		r.want(t, 0)
		var doc struct {
			New, Updated, Unchanged, Duplicates int
			Rejected                            []struct {
				Row    int
				Column string
				Reason string
			}
			Committed bool
		}
		if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
			t.Fatalf("--json output %q: %v", r.out, err)
		}
		if doc.New != 3 || doc.Duplicates != 0 || doc.Committed || len(doc.Rejected) != 1 || doc.Rejected[0].Row != 5 ||
			doc.Rejected[0].Column != "身份证号码" || !strings.Contains(doc.Rejected[0].Reason, "check character") {
			t.Fatalf("dry run %+v\n%s", doc, r.out)
		}
		for _, key := range []string{`"new"`, `"updated"`, `"unchanged"`, `"duplicates"`, `"rejected"`, `"row"`, `"column"`, `"reason"`} {
			if !strings.Contains(r.out, key) {
				t.Errorf("--json lacks %s", key)
			}
		}
		if n := persons(t, db); n != 0 {
			t.Fatalf("--dry-run wrote %d persons", n)
		}

		report := filepath.Join(s.dir, "errors.xlsx")
		r = s.run(ctx, "import", "persons", path, "--origin", "灌南县委", "--errors", report)
		r.want(t, 0, "3 new", "Rows not imported", "row 5", "Imported, all in one transaction", "Error report written")
		if n := persons(t, db); n != 3 {
			t.Fatalf("%d persons after the import", n)
		}
		if st, err := os.Stat(report); err != nil || st.Size() == 0 {
			t.Fatalf("error report: %v", err)
		}
		s.run(ctx, "import", "persons", path, "--origin", "灌南县委").want(t, 0, "already imported", "nothing changed")
		if n := persons(t, db); n != 3 {
			t.Fatalf("%d persons after the second import", n)
		}

		// A GB18030 file, in Chinese.
		s.lang = "zh-CN"
		gb, _ := simplifiedchinese.GB18030.NewEncoder().String("姓名,身份证号,外出时间\r\n赵六," + rosterID(9) + ",2016年7月\r\n")
		gbPath := filepath.Join(s.dir, "gb.csv")
		os.WriteFile(gbPath, []byte(gb), 0o600)
		s.run(ctx, "import", "persons", gbPath, "--origin", "新安镇党委").want(t, 0, "新增 1", "已导入")
		s.lang = "en"

		xls := filepath.Join(s.dir, "old.xls")
		os.WriteFile(xls, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1000)...), 0o600)
		bad := s.run(ctx, "import", "persons", xls, "--origin", "灌南县委")
		bad.want(t, 2, "old.xls was not imported", "save it as xlsx or CSV")
		bad.oneErrorLine(t)
		s.run(ctx, "import", "persons", path, "--origin", "无此组织").want(t, 2, "no organization")
		s.run(ctx, "import", "persons", path, "--mode", "merge").want(t, 2, "--mode must be update")
		s.run(ctx, "import", "persons", filepath.Join(s.dir, "missing.csv")).want(t, 2, "cannot open")
		s.run(ctx, "import", "people", path).want(t, 2, "usage: gongjian import persons")
		s.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
	})
}

// TestImportSurvivesKill kills `import persons` with SIGKILL at random
// moments of a large import: each time the database holds none of the
// file's rows or all of them, never a part, and stays intact.
func TestImportSurvivesKill(t *testing.T) {
	bin := buildBinary(t)
	eachDB(t, func(t *testing.T, s *site) {
		db := importSite(t, s)
		const n = 40000
		path := rosterCSV(t, s.dir, n)
		args := append([]string{"import", "persons", path, "--origin", "灌南县委"}, s.common()...)
		for round := range 5 {
			cmd := exec.Command(bin, args...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(300+rand.IntN(2500)) * time.Millisecond)
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			got := persons(t, db)
			if db.Dialect() == store.SQLite {
				if err := store.IntegrityCheck(ctx, db); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("round %d: %d persons", round, got)
			if got != 0 && got != n {
				t.Fatalf("round %d: %d of %d rows after a kill", round, got, n)
			}
			if got == n {
				break
			}
		}
		// Whatever the kills left, the import completes and says so.
		r := s.run(ctx, "import", "persons", path, "--origin", "灌南县委")
		r.want(t, 0)
		if got := persons(t, db); got != n {
			t.Fatalf("%d persons after the final run\n%s%s", got, r.out, r.err)
		}
		s.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
	})
}
