package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongjian/internal/domain"
)

// The people index: person_reach, person_terms, the two count tables
// (migration 00015, decision 0007) and person_summaries (migration 00021,
// decision 0018) are derived from persons, memberships
// and the organizations' paths. Triggers mark every person whose derived
// rows may have changed in person_stale; syncPersons, which DB.Tx runs
// before every commit, rebuilds their rows and moves the counts by the
// difference. So the index is exact at every commit, whichever code wrote
// the person (a form, an import, a merge of organizations, a feature
// written later), and a bulk import pays a few set-wise statements per
// thousand people instead of trigger work per row.

// From bulkSync stale people on, the work is a bulk one: a larger page
// cache, and the indexes by person may be built again after the rows
// rather than kept row by row (indexStale).
var bulkSync = 5000

// staleRow is what the index needs of a person.
type staleRow struct {
	id                     int64
	name, pinyin, initials string
	sortKey, city, status  string
	origin, home, mobile   sql.NullString // organization paths
	summary                string         // the list's fields, packed (person_summary.go)
	texts                  [5]string      // name, pinyin, initials, employer, industry
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
		// A bulk pass writes in key order and may rebuild two indexes
		// with SQLite's sorter, whose memory follows the cache size
		// (rebuildIndexes lowers it further): at
		// 128 MiB (the first choice here, against a 2 MiB cache) a
		// 200,000-row import peaked at 945 MiB resident; at 16 MiB it
		// peaked at 462 MiB and ran as fast, and the demo loaded in 38 s
		// instead of 39 with 601 MiB instead of 1.05 GiB (measured
		// 2026-11-30, decision 0007 "session 6"). The cache goes back
		// to the writer's size when the work is done.
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -16384`); err != nil {
			return fmt.Errorf("store: person index: %w", err)
		}
		defer tx.ExecContext(ctx, `PRAGMA cache_size = `+strconv.Itoa(-writerCacheKiB))
	}
	delta, terms := map[countKey]int64{}, map[string]int64{}
	if err := unindexStale(ctx, tx, delta, terms); err != nil {
		return err
	}
	if err := indexStale(ctx, tx, n == bulkSync, delta, terms); err != nil {
		return err
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
	for _, table := range []string{"person_reach", "person_terms", "person_summaries"} {
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

// What the index is computed from: a person, the membership's status and
// the paths of the origin, home and mobile organizations.
const (
	indexSourceCols = `p.id, p.name, p.pinyin, p.initials, p.sort_key, p.city_code, COALESCE(m.status, ''),
		oo.path, ho.path, mo.path, p.gender, p.origin_org_id, p.version, COALESCE(m.home_org_id, 0),
		COALESCE(m.mobile_org_id, 0), p.id_masked, p.phone_masked, p.district_code, p.employer, p.industry`
	indexSourceJoins = ` JOIN orgs oo ON oo.id = p.origin_org_id
		LEFT JOIN memberships m ON m.person_id = p.id
		LEFT JOIN orgs ho ON ho.id = m.home_org_id
		LEFT JOIN orgs mo ON mo.id = m.mobile_org_id`
)

// scanIndexSource reads one row of indexSourceCols.
func scanIndexSource(rows *sql.Rows) (staleRow, error) {
	var r staleRow
	var p PersonRow
	var home, mobile domain.OrgID
	err := rows.Scan(&r.id, &r.name, &r.pinyin, &r.initials, &r.sortKey, &r.city, &r.status, &r.origin, &r.home, &r.mobile,
		&p.Gender, &p.OriginOrgID, &p.Version, &home, &mobile, &p.IDNumber, &p.Phone, &p.DistrictCode, &p.Employer, &p.Industry)
	if err != nil {
		return r, err
	}
	p.ID, p.Name, p.Pinyin, p.Initials, p.SortKey, p.CityCode = domain.PersonID(r.id), r.name, r.pinyin, r.initials, r.sortKey, r.city
	if r.status != "" {
		p.Membership = &domain.Membership{Status: domain.MemberStatus(r.status), HomeOrgID: home, MobileOrgID: mobile}
	}
	r.summary = packSummary(&p)
	r.texts = [5]string{p.Name, p.Pinyin, p.Initials, p.Employer, p.Industry}
	return r, nil
}

// indexed is what a reach or term row holds of a person besides its key:
// the texts as one string (name, pinyin, initials, cut by the two
// lengths), the status and city as positions in gathered.codes. Kept for
// every stale person until the rows are written, so kept small: with
// three separate texts and the codes as strings, a 200,000-row roster
// import peaked at 286 MiB, against 236 before the reach rows had texts
// and 247 so (measured 2026-11-30, decision 0007 "session 9").
type indexed struct {
	id                 int64
	sortKey, texts     string
	nameLen, pinyinLen uint32
	status, city       uint32
}

// unpack cuts the texts.
func (p *indexed) unpack() (name, pinyin, initials string) {
	py := p.nameLen + p.pinyinLen
	return p.texts[:p.nameLen], p.texts[p.nameLen:py], p.texts[py:]
}

// indexBatch is how many stale people indexStale reads at a time.
var indexBatch = 5000

// indexStale writes the index rows of the stale people that still exist,
// and adds them to the counts. It reads them in batches by id and writes
// each batch's summaries at once, keeping of each person only what a
// reach or term row holds; it gathers, for each organization and each
// term, its people, and at the end writes organization after
// organization and term after term in pinyin order, so the rows go in the
// order of the primary keys and each statement fills its B-tree from
// left to right instead of jumping about (with 200,000 people, sorting
// the rows in the database instead took half the time of the whole
// pass, measured). Holding every person's texts and summary until the
// end (the first version) made the pass's live heap 145 MiB at 200,000
// people, and a roster import's peak memory with it (2026-11-30).
func indexStale(ctx context.Context, tx Tx, bulk bool, delta map[countKey]int64, terms map[string]int64) error {
	g := &gathered{reach: map[int64][]int32{}, byTerm: map[string][]int32{}, code: map[string]uint32{}}
	sums := newIndexWriter(ctx, tx, "person_summaries", "person_id", "name", "pinyin", "initials", "employer", "industry", "summary")
	for after := int64(0); ; {
		batch, err := readStale(ctx, tx, after)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for _, r := range batch {
			g.add(r, delta, terms)
			sums.add(r.id, r.texts[0], r.texts[1], r.texts[2], r.texts[3], r.texts[4], r.summary)
		}
		after = batch[len(batch)-1].id
	}
	if err := sums.close(); err != nil {
		return err
	}
	if len(g.people) == 0 {
		return nil
	}
	var rebuild []string
	if bulk {
		var err error
		if rebuild, err = rebuildable(ctx, tx, len(g.people)); err != nil {
			return err
		}
	}
	if err := g.write(ctx, tx); err != nil {
		return err
	}
	return rebuildIndexes(ctx, tx, rebuild)
}

// rebuildIndexes builds again the indexes rebuildable dropped, and
// gives PostgreSQL statistics after such a pass (analyzePeople). SQLite
// sorts their rows in memory up to its page cache's size and then in
// runs on disk; with the bulk pass's 16 MiB the sort of 200,000 people's
// terms took 47 MiB more, with 4 MiB none and no longer (measured
// 2026-11-30), so the cache is lowered for the sort (syncPersons sets it
// back).
func rebuildIndexes(ctx context.Context, tx Tx, rebuild []string) error {
	if len(rebuild) > 0 && tx.Dialect() == SQLite {
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -4096`); err != nil {
			return fmt.Errorf("store: person index: %w", err)
		}
	}
	for _, ddl := range rebuild {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("store: person index: rebuild %q: %w", ddl, err)
		}
	}
	if rebuild != nil {
		return analyzePeople(ctx, tx)
	}
	return nil
}

// readStale reads the next indexBatch stale people after id after, in id
// order. The rows are read whole before anything is written: PostgreSQL
// cannot run a statement on a connection whose rows are still open.
func readStale(ctx context.Context, tx Tx, after int64) ([]staleRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+indexSourceCols+` FROM person_stale s JOIN persons p ON p.id = s.person_id`+
		indexSourceJoins+` WHERE s.person_id > $1 ORDER BY s.person_id LIMIT $2`, after, indexBatch)
	if err != nil {
		return nil, fmt.Errorf("store: person index: %w", err)
	}
	defer rows.Close()
	batch := make([]staleRow, 0, min(indexBatch, 64))
	for rows.Next() {
		r, err := scanIndexSource(rows)
		if err != nil {
			return nil, fmt.Errorf("store: person index: %w", err)
		}
		batch = append(batch, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: person index: %w", err)
	}
	return batch, nil
}

// rebuildable drops the indexes by person when a bulk pass writes at
// least as many people as the index holds, and returns the statements
// that build them again: they take the rows in no useful order, and
// sorting them afresh then costs less than keeping them row by row (the
// one by organization and status takes them in order, and stays).
func rebuildable(ctx context.Context, tx Tx, people int) ([]string, error) {
	var indexed int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM person_counts WHERE org_id = 0`).Scan(&indexed); err != nil {
		return nil, fmt.Errorf("store: person index: %w", err)
	}
	if people < indexed {
		return nil, nil
	}
	return dropIndexes(ctx, tx, "person_reach_person", "person_terms_person")
}

// gathered is what indexStale keeps of the stale people until it writes
// their reach and term rows: the people, and for each organization and
// each term the positions of its people in that slice.
type gathered struct {
	people []indexed
	reach  map[int64][]int32
	byTerm map[string][]int32
	codes  []string          // each status and city once
	code   map[string]uint32 // a code's position in codes
}

// intern gives the position of s in codes.
func (g *gathered) intern(s string) uint32 {
	if c, ok := g.code[s]; ok {
		return c
	}
	g.code[s] = uint32(len(g.codes))
	g.codes = append(g.codes, s)
	return g.code[s]
}

// add takes one person into the reach and term lists and the counts.
func (g *gathered) add(r staleRow, delta map[countKey]int64, terms map[string]int64) {
	i := int32(len(g.people))
	g.people = append(g.people, indexed{id: r.id, sortKey: r.sortKey, texts: r.name + r.pinyin + r.initials,
		nameLen: uint32(len(r.name)), pinyinLen: uint32(len(r.pinyin)), status: g.intern(r.status), city: g.intern(r.city)})
	delta[countKey{0, r.status, r.city}]++
	for _, org := range reachOf(r.origin, r.home, r.mobile) {
		g.reach[org] = append(g.reach[org], i)
		delta[countKey{org, r.status, r.city}]++
	}
	for _, t := range PersonTerms(r.name, r.pinyin, r.initials) {
		g.byTerm[t] = append(g.byTerm[t], i)
		terms[t]++
	}
}

// write writes the reach rows organization by organization and the term
// rows term by term, each in pinyin order: people are ranked once, and
// each list sorted by rank.
func (g *gathered) write(ctx context.Context, tx Tx) error {
	order := make([]int32, len(g.people))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		pa, pb := &g.people[a], &g.people[b]
		if c := strings.Compare(pa.sortKey, pb.sortKey); c != 0 {
			return c
		}
		return compareInt(pa.id, pb.id)
	})
	rank := make([]int32, len(g.people))
	for r, i := range order {
		rank[i] = int32(r)
	}
	byRank := func(a, b int32) int { return int(rank[a]) - int(rank[b]) }
	w := newIndexWriter(ctx, tx, "person_reach", "org_id", "sort_key", "person_id", "status", "city_code", "name", "pinyin",
		"initials")
	for _, org := range slices.Sorted(maps.Keys(g.reach)) {
		list := g.reach[org]
		slices.SortFunc(list, byRank)
		for _, i := range list {
			p := &g.people[i]
			name, pinyin, initials := p.unpack()
			w.add(org, p.sortKey, p.id, g.codes[p.status], g.codes[p.city], name, pinyin, initials)
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	w = newIndexWriter(ctx, tx, "person_terms", "term", "sort_key", "person_id")
	for _, t := range slices.Sorted(maps.Keys(g.byTerm)) {
		list := g.byTerm[t]
		slices.SortFunc(list, byRank)
		for _, i := range list {
			w.add(t, g.people[i].sortKey, g.people[i].id)
		}
	}
	return w.close()
}

// analyzePeople gives PostgreSQL's planner statistics of the people
// tables after a pass that at least doubled them. Without them (a fresh
// load, before autovacuum's analyze, or with autovacuum off) it guessed
// a name's LIKE selective and the term's walk dear, and scanned all
// 1,000,000 persons for a three-character name (1.4 s instead of 5 ms,
// measured). Inside the transaction ANALYZE counts its own new rows.
// SQLite plans these queries without statistics and is left so: its
// plans are the ones tested.
func analyzePeople(ctx context.Context, tx Tx) error {
	if tx.Dialect() != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `ANALYZE persons, memberships, person_reach, person_terms, person_counts, person_city_counts,
		person_term_counts, person_summaries`)
	if err != nil {
		return fmt.Errorf("store: person index: analyze: %w", err)
	}
	return nil
}

// dropIndexes drops the named indexes and returns the statements that
// create them again, as the database itself states them (so they cannot
// drift from the migrations).
func dropIndexes(ctx context.Context, tx Tx, names ...string) ([]string, error) {
	query := `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1`
	if tx.Dialect() == Postgres {
		query = `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1`
	}
	var create []string
	for _, name := range names {
		var ddl string
		if err := tx.QueryRowContext(ctx, query, name).Scan(&ddl); err != nil {
			return nil, fmt.Errorf("store: person index: index %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return nil, fmt.Errorf("store: person index: %w", err)
		}
		create = append(create, ddl)
	}
	return create, nil
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
	w := newRowWriter(ctx, tx, "INSERT INTO "+table+" ("+key+", n)", width,
		" ON CONFLICT ("+key+") DO UPDATE SET n = "+table+".n + excluded.n")
	for i := 0; i < len(args); i += width {
		w.add(args[i : i+width]...)
	}
	return w.close()
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
