package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The people index: person_reach, person_terms and the two count tables
// (migration 00015, decision 0007) are derived from persons, memberships
// and the organizations' paths. Triggers mark every person whose derived
// rows may have changed in person_stale; syncPersons, which DB.Tx runs
// before every commit, rebuilds their rows and moves the counts by the
// difference. So the index is exact at every commit, whichever code wrote
// the person (a form, an import, a merge of organizations, a feature
// written later), and a bulk import pays a few set-wise statements per
// thousand people instead of trigger work per row.

// syncBatch is how many stale people one pass reads; from bulkSync
// stale people on, the work is a bulk one.
const (
	syncBatch = 5000
	bulkSync  = 5000
)

// staleRow is what the index needs of a person.
type staleRow struct {
	id                     int64
	name, pinyin, initials string
	sortKey, city, status  string
	origin, home, mobile   sql.NullString // organization paths
}

// countKey is a row of person_city_counts (and, without the city, of
// person_counts).
type countKey struct {
	org          int64
	status, city string
}

// syncPersons brings the index up to date for the people marked stale in
// this transaction.
func syncPersons(ctx context.Context, tx Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM person_stale LIMIT $1) s`, bulkSync).Scan(&n); err != nil {
		return fmt.Errorf("store: person index: %w", err)
	}
	if n == 0 {
		return nil
	}
	if n == bulkSync && tx.Dialect() == SQLite {
		// Rows land all over the index's B-trees: with SQLite's usual
		// page cache most of a bulk import's time went to writing pages
		// out and reading them back (measured). The cache shrinks back
		// (and frees its memory) when the work is done.
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -131072`); err != nil {
			return fmt.Errorf("store: person index: %w", err)
		}
		defer tx.ExecContext(ctx, `PRAGMA cache_size = -65536`)
	}
	delta, terms := map[countKey]int64{}, map[string]int64{}
	if err := unindexStale(ctx, tx, delta, terms); err != nil {
		return err
	}
	for after := int64(0); ; {
		rows, err := readStale(ctx, tx, after)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			break
		}
		if err := indexRows(ctx, tx, rows, delta, terms); err != nil {
			return err
		}
		after = rows[len(rows)-1].id
	}
	if err := applyCounts(ctx, tx, delta); err != nil {
		return err
	}
	if err := applyTermCounts(ctx, tx, terms); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM person_stale`); err != nil {
		return fmt.Errorf("store: person index: %w", err)
	}
	return nil
}

// unindexStale takes the stale people's rows out of the index and their
// contribution out of the counts: per organization, for everyone
// (organization 0: each person once, whatever their reach rows) and per
// term.
func unindexStale(ctx context.Context, tx Tx, delta map[countKey]int64, terms map[string]int64) error {
	err := eachCount(ctx, tx, `SELECT r.org_id, r.status, r.city_code, COUNT(*) FROM person_reach r
		WHERE r.person_id IN (SELECT person_id FROM person_stale) GROUP BY r.org_id, r.status, r.city_code
		UNION ALL SELECT 0, status, city_code, COUNT(*) FROM (SELECT DISTINCT person_id, status, city_code FROM person_reach
		WHERE person_id IN (SELECT person_id FROM person_stale)) e GROUP BY status, city_code`, func(rows *sql.Rows) error {
		var k countKey
		var n int64
		err := rows.Scan(&k.org, &k.status, &k.city, &n)
		delta[k] -= n
		return err
	})
	if err != nil {
		return err
	}
	err = eachCount(ctx, tx, `SELECT term, COUNT(*) FROM person_terms WHERE person_id IN (SELECT person_id FROM person_stale)
		GROUP BY term`, func(rows *sql.Rows) error {
		var t string
		var n int64
		err := rows.Scan(&t, &n)
		terms[t] -= n
		return err
	})
	if err != nil {
		return err
	}
	for _, table := range []string{"person_reach", "person_terms"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE person_id IN (SELECT person_id FROM person_stale)`); err != nil {
			return fmt.Errorf("store: person index: %w", err)
		}
	}
	return nil
}

// eachCount runs a query and hands each row to scan.
func eachCount(ctx context.Context, tx Tx, query string, scan func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("store: person index: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("store: person index: %w", err)
		}
	}
	return rows.Err()
}

// readStale reads the next batch of stale people that still exist.
func readStale(ctx context.Context, tx Tx, after int64) ([]staleRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+indexSourceCols+` FROM person_stale s JOIN persons p ON p.id = s.person_id`+indexSourceJoins+`
		WHERE s.person_id > $1 ORDER BY s.person_id LIMIT $2`, after, syncBatch)
	if err != nil {
		return nil, fmt.Errorf("store: person index: %w", err)
	}
	out, err := scanIndexSource(rows)
	if err != nil {
		return nil, fmt.Errorf("store: person index: %w", err)
	}
	return out, nil
}

// What the index is computed from: a person, the membership's status and
// the paths of the origin, home and mobile organizations.
const (
	indexSourceCols = `p.id, p.name, p.pinyin, p.initials, p.sort_key, p.city_code, COALESCE(m.status, ''),
		oo.path, ho.path, mo.path`
	indexSourceJoins = ` JOIN orgs oo ON oo.id = p.origin_org_id
		LEFT JOIN memberships m ON m.person_id = p.id
		LEFT JOIN orgs ho ON ho.id = m.home_org_id
		LEFT JOIN orgs mo ON mo.id = m.mobile_org_id`
)

// scanIndexSource reads rows of indexSourceCols and closes them.
func scanIndexSource(rows *sql.Rows) ([]staleRow, error) {
	defer rows.Close()
	var out []staleRow
	for rows.Next() {
		var r staleRow
		if err := rows.Scan(&r.id, &r.name, &r.pinyin, &r.initials, &r.sortKey, &r.city, &r.status, &r.origin, &r.home,
			&r.mobile); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// indexRows writes the reach and term rows of a batch of people and adds
// them to the counts.
func indexRows(ctx context.Context, tx Tx, rows []staleRow, delta map[countKey]int64, terms map[string]int64) error {
	type key struct {
		lead    string // the term, or the organization id as a sortable string
		org     int64
		sortKey string
		id      int64
		status  string
		city    string
	}
	var reachRows, termRows []key
	for _, r := range rows {
		delta[countKey{0, r.status, r.city}]++
		for _, org := range reachOf(r.origin, r.home, r.mobile) {
			reachRows = append(reachRows, key{org: org, sortKey: r.sortKey, id: r.id, status: r.status, city: r.city})
			delta[countKey{org, r.status, r.city}]++
		}
		for _, t := range PersonTerms(r.name, r.pinyin, r.initials) {
			termRows = append(termRows, key{lead: t, sortKey: r.sortKey, id: r.id})
			terms[t]++
		}
	}
	// In the order of the primary keys, each statement walks its B-tree
	// from left to right instead of jumping about.
	byKey := func(a, b key) int {
		if c := compareInt(a.org, b.org); c != 0 {
			return c
		}
		if c := strings.Compare(a.lead, b.lead); c != 0 {
			return c
		}
		if c := strings.Compare(a.sortKey, b.sortKey); c != 0 {
			return c
		}
		return compareInt(a.id, b.id)
	}
	slices.SortFunc(reachRows, byKey)
	slices.SortFunc(termRows, byKey)
	reach := make([]any, 0, len(reachRows)*5)
	for _, k := range reachRows {
		reach = append(reach, k.org, k.sortKey, k.id, k.status, k.city)
	}
	termArgs := make([]any, 0, len(termRows)*3)
	for _, k := range termRows {
		termArgs = append(termArgs, k.lead, k.sortKey, k.id)
	}
	if err := insertRows(ctx, tx, "person_reach (org_id, sort_key, person_id, status, city_code)", 5, reach); err != nil {
		return err
	}
	return insertRows(ctx, tx, "person_terms (term, sort_key, person_id)", 3, termArgs)
}

// insertRows inserts args as rows of width columns, in statements of at
// most 6,000 parameters. On SQLite the statement is INSERT OR IGNORE: a
// statement that cannot abort half-way needs no statement journal, which
// otherwise copies every page the rows land on (most of the time of a
// bulk import, measured); the rows were deleted just before, so there is
// nothing to ignore.
func insertRows(ctx context.Context, tx Tx, into string, width int, args []any) error {
	per := 6000 / width * width
	verb := "INSERT INTO "
	if tx.Dialect() == SQLite {
		verb = "INSERT OR IGNORE INTO "
	}
	for start := 0; start < len(args); start += per {
		chunk := args[start:min(start+per, len(args))]
		if _, err := tx.ExecContext(ctx, verb+into+` VALUES `+values(tx.Dialect(), len(chunk)/width, width),
			chunk...); err != nil {
			return fmt.Errorf("store: person index: %w", err)
		}
	}
	return nil
}

// applyCounts moves the counts by delta, in key order so that two
// transactions on PostgreSQL lock the rows they share in the same order.
func applyCounts(ctx context.Context, tx Tx, delta map[countKey]int64) error {
	keys := make([]countKey, 0, len(delta))
	byOrg := map[countKey]int64{}
	for k, n := range delta {
		if n != 0 {
			keys = append(keys, k)
			byOrg[countKey{org: k.org, status: k.status}] += n
		}
	}
	slices.SortFunc(keys, func(a, b countKey) int {
		if a.org != b.org {
			return compareInt(a.org, b.org)
		}
		if a.status != b.status {
			return strings.Compare(a.status, b.status)
		}
		return strings.Compare(a.city, b.city)
	})
	var city, org []any
	for _, k := range keys {
		city = append(city, k.org, k.status, k.city, delta[k])
	}
	orgKeys := make([]countKey, 0, len(byOrg))
	for k, n := range byOrg {
		if n != 0 {
			orgKeys = append(orgKeys, k)
		}
	}
	slices.SortFunc(orgKeys, func(a, b countKey) int {
		if a.org != b.org {
			return compareInt(a.org, b.org)
		}
		return strings.Compare(a.status, b.status)
	})
	for _, k := range orgKeys {
		org = append(org, k.org, k.status, byOrg[k])
	}
	if err := upsertCounts(ctx, tx, "person_city_counts", "org_id, status, city_code", 4, city); err != nil {
		return err
	}
	return upsertCounts(ctx, tx, "person_counts", "org_id, status", 3, org)
}

// applyTermCounts moves the term counts by delta, in term order.
func applyTermCounts(ctx context.Context, tx Tx, delta map[string]int64) error {
	keys := make([]string, 0, len(delta))
	for t, n := range delta {
		if n != 0 {
			keys = append(keys, t)
		}
	}
	slices.Sort(keys)
	args := make([]any, 0, 2*len(keys))
	for _, t := range keys {
		args = append(args, t, delta[t])
	}
	return upsertCounts(ctx, tx, "person_term_counts", "term", 2, args)
}

func upsertCounts(ctx context.Context, tx Tx, table, key string, width int, args []any) error {
	per := 6000 / width * width
	for start := 0; start < len(args); start += per {
		chunk := args[start:min(start+per, len(args))]
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+key+`, n) VALUES `+values(tx.Dialect(), len(chunk)/width, width)+
			` ON CONFLICT (`+key+`) DO UPDATE SET n = `+table+`.n + excluded.n`, chunk...); err != nil {
			return fmt.Errorf("store: person counts: %w", err)
		}
	}
	return nil
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// reachOf lists the organizations whose subtree holds a person with these
// organization paths: every id on each path, once.
func reachOf(paths ...sql.NullString) []int64 {
	var out []int64
	for _, p := range paths {
		if !p.Valid {
			continue
		}
		for _, s := range strings.Split(strings.Trim(p.String, "/"), "/") {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// latinTermMax is the longest pinyin or initials prefix kept as a term;
// a longer search uses its first latinTermMax letters and checks the rest
// on the row.
const latinTermMax = 4

// PersonTerms are the search terms of a person: each character of the
// name and each pair of adjacent characters, and ":" followed by the first
// 2 to latinTermMax letters of the pinyin and of the initials.
func PersonTerms(name, pinyin, initials string) []string {
	var out []string
	add := func(t string) {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	var prev rune = utf8.RuneError
	for _, r := range name {
		add(string(r))
		if prev != utf8.RuneError {
			add(string([]rune{prev, r}))
		}
		prev = r
	}
	for _, s := range []string{pinyin, initials} {
		for n := 2; n <= min(len(s), latinTermMax) && isASCII(s[:n]); n++ {
			add(":" + s[:n])
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
