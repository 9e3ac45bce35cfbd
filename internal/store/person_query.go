package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// PersonQuery selects people for a list. Scope is the actor's person:read
// filter, applied to the person's origin organization and, for members,
// to the home and the mobile organization: an origin officer sees its
// people wherever they work; a mobile or host reach sees the members
// placed in its organizations.
type PersonQuery struct {
	Scope      authz.OrgFilter
	Name       string // substring of the name
	Pinyin     string // prefix of the full pinyin or of the initials
	IDIndex    []byte // exact ID number, by blind index
	PhoneIndex []byte // exact phone, by blind index
	Employer   string // substring
	Org        string // path prefix: the person's origin, home or mobile organization lies under it
	Status     domain.MemberStatus
	Members    *bool // only members (true) or only non-members (false)
	CityCode   string
	Industry   string
	After      string // keyset: the sort key and id of the last row, "key\x00id"
	Limit      int
	// Names, when set, gives a list's organization names from that cache
	// instead of three joins per row.
	Names *OrgNames
	// Summary reads only the fields a list shows (person_summaries): a
	// list page is mostly the reading of its rows' columns, and a row of
	// the whole record has 45 (with Names set; ignored without).
	Summary bool
}

// The queries walk the people index (person_index.go) in pinyin order and
// stop at the page's end: a scope or an organization filter walks
// person_reach from that organization, a text walks person_terms from its
// term, an ID number or phone starts from its blind index; the other
// conditions are checked on the rows walked. Totals come from the count
// tables when the filters are ones they keep (scope, organization,
// status, members, city), and are counted up to a cap otherwise.

// plan is a query over people as SQL parts: the rows of from (aliased k,
// with person_id and sort_key) that meet heads[i] and conds, for each
// branch i (one per scope root when several roots drive the walk, one
// otherwise); person says that the conditions read p (persons) too.
type plan struct {
	none   bool // the scope admits nothing
	from   string
	heads  [][]string
	conds  []string
	args   []any
	person bool
	// tally is the organization whose counts answer the total, zero when
	// the rows must be counted.
	tally int64
	// short says that the walk is bounded by a term small enough to walk
	// whole: a first page and its total then come from one walk
	// (ListCountPersons).
	short bool
	// known says that total is the number of rows the plan selects, read
	// with the sizes it was planned by.
	known bool
	total int
}

// clone copies the plan, so that a second statement adds its arguments
// to its own list.
func (q *plan) clone() *plan {
	c := *q
	c.args, c.conds = slices.Clone(q.args), slices.Clone(q.conds)
	return &c
}

func (q *plan) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// limit renders a LIMIT's value as an argument. SQLite reads a bare
// parameter's value while planning a LIMIT and marks the statement to be
// planned again whenever that parameter is bound, which is every run of a
// prepared statement (measured: a reparse of the whole query, 15–40 µs
// for a walk); the cast is evaluated at run time.
func (q *plan) limit(n int) string { return "CAST(" + q.arg(n) + " AS BIGINT)" }

// in renders "IN ($1, $2 …)" for ids, or "= $1" for one.
func (q *plan) in(ids []int64) string {
	if len(ids) == 1 {
		return "= " + q.arg(ids[0])
	}
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = q.arg(id)
	}
	return "IN (" + strings.Join(marks, ", ") + ")"
}

// rootPaths are the paths of the organizations at the top of the tree.
func rootPaths(ctx context.Context, db Q) ([]string, error) {
	return queryStrings(ctx, db, "root organizations", `SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY id`)
}

// planPersons turns a query into its plan; db is read only when the scope
// is everything ("/"), for the roots of the tree.
func planPersons(ctx context.Context, db Q, f PersonQuery) (*plan, error) {
	roots, all := scopeRoots(f.Scope)
	if all {
		var err error
		if roots, err = rootPaths(ctx, db); err != nil {
			return nil, err
		}
	}
	if len(roots) == 0 {
		return &plan{none: true}, nil
	}
	rootIDs := make([]int64, len(roots))
	for i, r := range roots {
		rootIDs[i] = orgOfPath(r)
	}
	var filter int64
	inScope := true // the organization filter lies within the scope
	if f.Org != "" {
		filter = orgOfPath(f.Org)
		inScope = slices.ContainsFunc(roots, func(r string) bool { return strings.HasPrefix(f.Org, r) })
	}
	q := &plan{}
	check := rootIDs // where a person must be reached
	if filter != 0 && inScope {
		check = []int64{filter}
	}
	src, term := q.textSource(f)
	switch {
	case src != "" && term != "" && !(filter != 0 && !inScope):
		if err := q.termPlan(ctx, db, f, src, term, check); err != nil {
			return nil, err
		}
	case src != "":
		q.textDriven(src, f, check, filter, inScope)
		q.textCheck(f, "p")
	default:
		drivers := rootIDs
		if filter != 0 {
			drivers = []int64{filter}
		}
		q.reachDriven(f, drivers, nil)
		switch {
		case filter != 0 && !inScope:
			q.conds = append(q.conds, "EXISTS (SELECT 1 FROM person_reach s WHERE s.person_id = k.person_id AND s.org_id "+
				q.in(rootIDs)+")")
		case len(drivers) == 1:
			q.tally = drivers[0]
		}
	}
	q.personConds(f)
	return q, nil
}

// reachDriven walks the reach rows of orgs (one branch each) with the
// status and city conditions.
func (q *plan) reachDriven(f PersonQuery, orgs []int64, _ []string) {
	q.from = "person_reach k"
	for _, id := range orgs {
		q.heads = append(q.heads, []string{"k.org_id = " + q.arg(id)})
	}
	q.conds = append(q.conds, q.reachConds(f, "k")...)
}

// textDriven walks a text's source; the person must be reached from
// check (and from the filter when it lies outside the scope), with the
// status and city, on a reach row. When one organization is checked and
// nothing else is asked of the reach row, an organization whose subtree
// holds everyone (the county's) checks nothing: its count equals the
// register's, read once by the same statement, so in the same snapshot.
func (q *plan) textDriven(src string, f PersonQuery, check []int64, filter int64, inScope bool) {
	q.from, q.heads = src, [][]string{nil}
	reach := q.reachConds(f, "r")
	conds := append([]string{"r.org_id " + q.in(check), "r.sort_key = k.sort_key", probeID("r")}, reach...)
	exists := "EXISTS (SELECT 1 FROM person_reach r WHERE " + strings.Join(conds, " AND ") + ")"
	if len(check) == 1 && len(reach) == 0 {
		exists = "((SELECT SUM(n) FROM person_counts WHERE org_id = " + q.arg(check[0]) +
			") = (SELECT SUM(n) FROM person_counts WHERE org_id = 0) OR " + exists + ")"
	}
	q.conds = append(q.conds, exists)
	if filter != 0 && !inScope {
		q.conds = append(q.conds, "EXISTS (SELECT 1 FROM person_reach r2 WHERE r2.person_id = k.person_id AND r2.org_id = "+
			q.arg(filter)+")")
	}
}

// probeID matches the person of a probed index row (alias) to the walked
// row k's through the probed table's primary key, whose leading columns
// (organization or term, then sort key) keep a walk's probes within one
// short, warm stretch of the B-tree. The unary plus keeps SQLite from the
// index by person instead, which it otherwise takes (every column equal
// either way) and which sends each probe to a cold page somewhere in an
// index of millions of rows: a committee's search for a common given name
// took 11 ms instead of 2.6 (decision 0007, "session 6").
func probeID(alias string) string { return "+" + alias + ".person_id = k.person_id" }

// reachConds are the conditions a reach row (alias) answers: membership
// status and city.
func (q *plan) reachConds(f PersonQuery, alias string) []string {
	var out []string
	if f.Status != "" {
		out = append(out, alias+".status = "+q.arg(string(f.Status)))
	}
	if f.Members != nil {
		if *f.Members {
			out = append(out, alias+".status <> ''")
		} else {
			out = append(out, alias+".status = ''")
		}
	}
	if f.CityCode != "" {
		out = append(out, alias+".city_code = "+q.arg(f.CityCode))
	}
	return out
}

// textSource is the source a text search walks, and its term when it is
// one: the blind index of an ID number or a phone (at most a row or two),
// or the terms of a name or a pinyin; a single Latin letter has no term
// and walks everyone whose pinyin or initials start with it. textCheck
// adds what the term leaves to check on the person.
func (q *plan) textSource(f PersonQuery) (src, term string) {
	switch {
	case len(f.IDIndex) > 0:
		return "(SELECT id AS person_id, sort_key FROM persons WHERE id_index = " + q.arg(f.IDIndex) + ") k", ""
	case len(f.PhoneIndex) > 0:
		return "(SELECT id AS person_id, sort_key FROM persons WHERE phone_index = " + q.arg(f.PhoneIndex) + ") k", ""
	}
	if term = textTerm(f); term != "" {
		return "(SELECT person_id, sort_key FROM person_terms WHERE term = " + q.arg(term) + ") k", term
	}
	if py := strings.ToLower(escapeLike(f.Pinyin)); py != "" {
		return "(SELECT id AS person_id, sort_key FROM persons WHERE pinyin LIKE " + q.arg(py+"%") + " OR initials LIKE " +
			q.arg(py+"%") + ") k", ""
	}
	return "", ""
}

// textTerm is the index term of a name or pinyin search: a name of one or
// two characters is a term itself, a longer one walks its last two (the
// given name's, rarer than the surname's); a pinyin walks ":" and its
// first two to latinTermMax letters.
func textTerm(f PersonQuery) string {
	if name := escapeLike(f.Name); name != "" {
		rs := []rune(name)
		return string(rs[max(0, len(rs)-2):])
	}
	py := strings.ToLower(escapeLike(f.Pinyin))
	if utf8.RuneCountInString(py) < 2 || !isASCII(py) {
		return ""
	}
	return ":" + py[:min(len(py), latinTermMax)]
}

// textCheck adds the conditions a text's term does not settle, on the
// texts of alias: "p", the person's summary row (joined), or "k", the
// walked reach row, which carries them (migration 00023).
func (q *plan) textCheck(f PersonQuery, alias string) {
	if name := escapeLike(f.Name); utf8.RuneCountInString(name) > 2 && len(f.IDIndex) == 0 && len(f.PhoneIndex) == 0 {
		q.person = q.person || alias == "p"
		q.conds = append(q.conds, alias+".name LIKE "+q.arg("%"+name+"%"))
	}
	if py := strings.ToLower(escapeLike(f.Pinyin)); len(py) > latinTermMax && isASCII(py) && f.Name == "" {
		q.person = q.person || alias == "p"
		a := q.arg(py + "%")
		q.conds = append(q.conds, "("+alias+".pinyin LIKE "+a+" OR "+alias+".initials LIKE "+a+")")
	}
}

// personCheckJoin gives a walk the texts its conditions on the person
// check (textCheck, personConds): the narrow summary row, whose name,
// pinyin, initials, employer and industry are the person's (migration
// 00021), instead of the wide persons row.
const personCheckJoin = " JOIN person_summaries p ON p.person_id = k.person_id"

// personConds are the conditions only the person row answers.
func (q *plan) personConds(f PersonQuery) {
	if f.Employer != "" {
		q.person = true
		q.conds = append(q.conds, "p.employer LIKE "+q.arg("%"+escapeLike(f.Employer)+"%"))
	}
	if f.Industry != "" {
		q.person = true
		q.conds = append(q.conds, "p.industry = "+q.arg(f.Industry))
	}
	if q.person {
		q.tally, q.known = 0, false
	}
}

// selectKeys renders branch i as a SELECT of person_id and sort_key, with
// extra conditions and a tail (ORDER BY, LIMIT).
func (q *plan) selectKeys(i int, extra []string, tail string) string {
	var b strings.Builder
	b.WriteString("SELECT k.person_id, k.sort_key FROM ")
	b.WriteString(q.from)
	if q.person {
		b.WriteString(personCheckJoin)
	}
	where := append(append(slices.Clone(q.heads[i]), q.conds...), extra...)
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(tail)
	return b.String()
}

// keys renders the plan as one SELECT of person_id and sort_key: the
// branch, or the union of the branches each limited to the page (a
// person several roots reach appears once).
func (q *plan) keys(extra []string, limit string) string {
	tail := " ORDER BY k.sort_key, k.person_id"
	if limit != "" {
		tail += " LIMIT " + limit
	}
	if len(q.heads) == 1 {
		return q.selectKeys(0, extra, tail)
	}
	parts := make([]string, len(q.heads))
	for i := range q.heads {
		parts[i] = "SELECT * FROM (" + q.selectKeys(i, extra, tail) + ") u" + strconv.Itoa(i)
	}
	out := "SELECT person_id, sort_key FROM (" + strings.Join(parts, " UNION ") + ") u ORDER BY sort_key, person_id"
	if limit != "" {
		out += " LIMIT " + limit
	}
	return out
}

// ListPersons returns one page of people in pinyin order.
func ListPersons(ctx context.Context, db Q, f PersonQuery) ([]PersonRow, error) {
	q, err := planPersons(ctx, db, f)
	if err != nil || q.none {
		return nil, err
	}
	return q.list(ctx, db, f)
}

// ListCountPersons is ListPersons and CountPersonsUpTo(limit) on one
// plan (the sizes a text search is planned by are read once). When the
// plan's walk is short (a term probed on a small scope's people, or a
// term with few people), a first page and its total come from one walk:
// the keys of up to limit+1 matches in order, the page being the first of
// them (before, the walk ran twice, for the page and for the total).
func ListCountPersons(ctx context.Context, db Q, f PersonQuery, limit int) (rows []PersonRow, n int, more bool, err error) {
	q, err := planPersons(ctx, db, f)
	if err != nil || q.none {
		return nil, 0, false, err
	}
	if q.short && !q.known && f.After == "" && limit > 0 {
		return q.listCounted(ctx, db, f, limit)
	}
	if rows, err = q.clone().list(ctx, db, f); err != nil {
		return nil, 0, false, err
	}
	n, more, err = q.count(ctx, db, f, limit)
	return rows, n, more, err
}

// listCounted reads the keys of up to limit+1 matches (or a page's, when
// the page is longer) and the people of the first page of them.
func (q *plan) listCounted(ctx context.Context, db Q, f PersonQuery, limit int) ([]PersonRow, int, bool, error) {
	rows, err := db.QueryContext(ctx, q.keys(nil, q.limit(max(limit+1, personPage(f)))), q.args...)
	if err != nil {
		return nil, 0, false, fmt.Errorf("store: list persons: %w", err)
	}
	var ids []int64
	n := 0
	for rows.Next() {
		var id int64
		var key sql.RawBytes
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return nil, 0, false, fmt.Errorf("store: list persons: %w", err)
		}
		if n++; len(ids) < personPage(f) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, err
	}
	if len(ids) == 0 {
		return nil, 0, false, nil
	}
	keys, args := pageKeys(ids, personPage(f))
	out, err := listKeys(ctx, db, f, keys, args)
	if n > limit {
		return out, limit, true, err
	}
	return out, n, false, err
}

// pageKeys renders the ids of a page, already in order, as the keys a
// list reads (listKeys): each id with its rank in place of its sort key.
// The page's rows are then read straight from the summaries or persons
// by id; the ids as "persons WHERE id IN …" (the way before) read each
// person's wide row for its sort key: a page of 25 of a committee's
// people took 92 µs instead of 57 (C SQLite, measured 2026-11-30).
//
// The ranks are written into the text and the ids padded with id 0, which
// no person has, to 8, 16 or 32 rows or the page's size: pages of any
// length share four statements, prepared once per connection, and few
// parameters are bound — the SQLite driver looks up each parameter's name
// in a list as long as the statement's parameters, so binding a
// hundred cost a twentieth of a committee's search (measured).
func pageKeys(ids []int64, page int) (string, []any) {
	size := min(max(8, 1<<bits.Len(uint(len(ids)-1))), max(page, len(ids)))
	args := make([]any, size)
	for i := range args {
		args[i] = int64(0)
		if i < len(ids) {
			args[i] = ids[i]
		}
	}
	if text, ok := pageKeyTexts.Load(size); ok {
		return text.(string), args
	}
	rows := make([]string, size)
	for i := range rows {
		rows[i] = "(CAST($" + strconv.Itoa(i+1) + " AS BIGINT), " + strconv.Itoa(i) + ")"
	}
	text := "SELECT column1 AS person_id, column2 AS sort_key FROM (VALUES " + strings.Join(rows, ", ") + ") v"
	pageKeyTexts.Store(size, text)
	return text, args
}

// pageKeyTexts keeps pageKeys' text by the number of rows.
var pageKeyTexts sync.Map

// personPage is the page's size: 50 unless the query asks for 1 to 500.
func personPage(f PersonQuery) int {
	if f.Limit <= 0 || f.Limit > 500 {
		return 50
	}
	return f.Limit
}

// list reads the page the plan and f's cursor and limit select.
func (q *plan) list(ctx context.Context, db Q, f PersonQuery) ([]PersonRow, error) {
	var extra []string
	if f.After != "" {
		key, id, _ := strings.Cut(f.After, "\x00")
		n, _ := strconv.ParseInt(id, 10, 64)
		extra = append(extra, "(k.sort_key, k.person_id) > ("+q.arg(key)+", "+q.arg(n)+")")
	}
	return listKeys(ctx, db, f, q.keys(extra, q.limit(personPage(f))), q.args)
}

// listKeys reads the people a SELECT of person_id and sort_key names, in
// its order; with f.Names, the organizations' names come from that cache.
func listKeys(ctx context.Context, db Q, f PersonQuery, keys string, args []any) ([]PersonRow, error) {
	if f.Names != nil {
		return listNamed(ctx, db, f, keys, args)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+personCols+` FROM (`+keys+`) sel
		JOIN persons p ON p.id = sel.person_id`+personJoins+` ORDER BY sel.sort_key, sel.person_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list persons: %w", err)
	}
	return collectPersons(rows)
}

// listNamed reads the people of keys with their organizations' ids and
// the access epoch, and their names from the cache; the whole record or,
// with f.Summary, the list's fields.
func listNamed(ctx context.Context, db Q, f PersonQuery, keys string, args []any) ([]PersonRow, error) {
	var epoch int64
	cols, from, scan := personColsBare, ` JOIN persons p ON p.id = sel.person_id`+personJoinsBare,
		func(row interface{ Scan(...any) error }, p *PersonRow) error { return scanPersonThen(row, p, &epoch) }
	if f.Summary {
		cols, from = "s.summary", " JOIN person_summaries s ON s.person_id = sel.person_id"
		scan = newSummaryScanner(&epoch).scan
	}
	rows, err := db.QueryContext(ctx, `SELECT `+cols+`, (SELECT n FROM access_epoch WHERE id = 1) FROM (`+keys+`) sel
		`+from+` ORDER BY sel.sort_key, sel.person_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list persons: %w", err)
	}
	defer rows.Close()
	// Room for a page grows with the rows: most of a committee's pages
	// are short, and clearing room for 50 was a twentieth of their CPU.
	out := make([]PersonRow, 0, min(personPage(f), 16))
	for rows.Next() {
		out = append(out, PersonRow{})
		if err := scan(rows, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, f.Names.fill(ctx, db, epoch, out)
}

// collectPersons reads every row of a query of personCols and closes it.
func collectPersons(rows *sql.Rows) ([]PersonRow, error) {
	defer rows.Close()
	var out []PersonRow
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CountPersons counts what ListPersons would page through.
func CountPersons(ctx context.Context, db Q, f PersonQuery) (int, error) {
	n, _, err := CountPersonsUpTo(ctx, db, f, 0)
	return n, err
}

// CountPersonsUpTo counts what ListPersons would page through, exactly
// when the count tables hold the answer or the walk is short, and
// otherwise with bounded work: it looks at no more than limit+1 of the
// rows the query walks, and when it stops early (more is true) n is a
// lower bound, at most limit. limit 0 counts everything exactly.
func CountPersonsUpTo(ctx context.Context, db Q, f PersonQuery, limit int) (n int, more bool, err error) {
	q, err := planPersons(ctx, db, f)
	if err != nil || q.none {
		return 0, false, err
	}
	return q.count(ctx, db, f, limit)
}

// count is CountPersonsUpTo on a plan.
func (q *plan) count(ctx context.Context, db Q, f PersonQuery, limit int) (n int, more bool, err error) {
	if q.tally != 0 {
		n, err := tallyCount(ctx, db, q.tally, f)
		return n, false, err
	}
	if q.known {
		if limit > 0 && q.total > limit {
			return limit, true, nil
		}
		return q.total, false, nil
	}
	if limit > 0 && len(q.heads) == 1 {
		return q.walkCount(ctx, db, limit)
	}
	keys := q.keys(nil, "")
	if limit > 0 {
		keys = "SELECT person_id FROM (" + keys + ") c LIMIT " + q.limit(limit+1)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+keys+`) t`, q.args...).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("store: count persons: %w", err)
	}
	if limit > 0 && n > limit {
		return limit, true, nil
	}
	return n, false, nil
}

// walkCount counts a one-branch plan by walking at most limit+1 of its
// source's rows (in no particular order) and marking those that match.
func (q *plan) walkCount(ctx context.Context, db Q, limit int) (int, bool, error) {
	walk := limit
	match := "1 = 1"
	if len(q.conds) > 0 {
		match = strings.Join(q.conds, " AND ")
	}
	var b strings.Builder
	b.WriteString("SELECT CASE WHEN " + match + " THEN 1 ELSE 0 END AS m FROM " + q.from)
	if q.person {
		b.WriteString(personCheckJoin)
	}
	if len(q.heads[0]) > 0 {
		b.WriteString(" WHERE " + strings.Join(q.heads[0], " AND "))
	}
	b.WriteString(" LIMIT " + q.limit(walk+1))
	var walked, matched int64
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), CAST(COALESCE(SUM(m), 0) AS BIGINT) FROM (`+b.String()+`) w`,
		q.args...).Scan(&walked, &matched); err != nil {
		return 0, false, fmt.Errorf("store: count persons: %w", err)
	}
	switch {
	case walked > int64(walk):
		return min(int(matched), limit), true, nil
	case matched > int64(limit):
		return limit, true, nil
	}
	return int(matched), false, nil
}

// tallyCount reads a total from the count tables: the people in org's
// subtree with the query's status, membership and city.
func tallyCount(ctx context.Context, db Q, org int64, f PersonQuery) (int, error) {
	q := &plan{}
	table := "person_counts"
	where := []string{"org_id = " + q.arg(org)}
	if f.CityCode != "" {
		table = "person_city_counts"
	}
	where = append(where, q.reachConds(f, table)...)
	var n int64
	err := db.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM `+table+` WHERE `+strings.Join(where, " AND "), q.args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count persons: %w", err)
	}
	return int(n), nil
}

// scopeRoots reduces a filter to the paths at the top of its subtrees
// (a path under another one adds nothing); all reports the filter "/",
// everything.
func scopeRoots(f authz.OrgFilter) (paths []string, all bool) {
	ps := slices.Clone(f.Prefixes)
	slices.SortStableFunc(ps, func(a, b string) int { return len(a) - len(b) })
	for _, p := range ps {
		if p == "/" {
			return nil, true
		}
		if !slices.ContainsFunc(paths, func(r string) bool { return strings.HasPrefix(p, r) }) {
			paths = append(paths, p)
		}
	}
	return paths, false
}

// orgOfPath is the organization a path ends with: "/1/4/9/" → 9.
func orgOfPath(path string) int64 {
	t := strings.TrimSuffix(path, "/")
	id, _ := strconv.ParseInt(t[strings.LastIndexByte(t, '/')+1:], 10, 64)
	return id
}
