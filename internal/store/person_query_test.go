package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/pinyin"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The people index is checked against the obvious answer: the persons,
// memberships and organization paths read back, filtered and sorted in Go.
// A random register (names that share characters, members placed away
// from home, a second tree, people nobody reaches) is written through
// every path that writes people — one by one, in bulk, placements, and
// plain SQL as a later feature might write it (status changes, renames,
// a deletion, a merge that moves a subtree) — and random queries must
// list and count exactly what the answer says, page by page.

// queryWorld is the organizations of the test register by name, and
// person draws the i-th random person of it.
type queryWorld struct {
	orgs   map[string]domain.Org
	person func(i int) store.PersonRow
}

var queryNames = []string{"王", "李", "张", "王", "欧阳", "单", "刘"}
var queryGiven = []rune("伟芳伟明华王丽强")

// treeOrg is an organization of a test tree, under its parent's name.
type treeOrg struct {
	name, parent string
	side         domain.Side
}

// createTree creates the organizations, parents first, and returns them
// by name.
func createTree(t testing.TB, db *store.DB, tree []treeOrg) map[string]domain.Org {
	t.Helper()
	ctx := context.Background()
	orgs := map[string]domain.Org{}
	if err := db.Tx(ctx, func(tx store.Tx) error {
		for _, o := range tree {
			id, err := store.CreateOrg(ctx, tx, domain.Org{Name: o.name, Side: o.side, ParentID: orgs[o.parent].ID}, importNow)
			if err != nil {
				return err
			}
			if orgs[o.name], err = store.OrgByID(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return orgs
}

func buildQueryWorld(t testing.TB, db *store.DB, r *rand.Rand) *queryWorld {
	t.Helper()
	ctx := context.Background()
	w := &queryWorld{orgs: createTree(t, db, []treeOrg{
		{"C", "", domain.SideOrigin}, {"T1", "C", domain.SideOrigin}, {"T2", "C", domain.SideOrigin},
		{"V1", "T1", domain.SideOrigin}, {"V2", "T1", domain.SideOrigin}, {"V3", "T2", domain.SideOrigin},
		{"M1", "C", domain.SideMobile}, {"MB1", "M1", domain.SideMobile}, {"M2", "C", domain.SideMobile},
		{"X", "", domain.SideOrigin}, {"XV", "X", domain.SideOrigin}, {"H", "", domain.SideHost},
	})}
	origins := []string{"T1", "V1", "V2", "V3", "XV", "C"}
	mobiles := []string{"", "", "M1", "MB1", "M2"}
	statuses := []domain.MemberStatus{domain.StatusFull, domain.StatusFull, domain.StatusProbationary, domain.StatusApplicant,
		domain.StatusActivist}
	cities := []string{"330100", "320500", "", "310000"}
	employers := []string{"杭州建工", "苏州精密", "个体"}
	w.person = func(i int) store.PersonRow {
		name := queryNames[r.IntN(len(queryNames))] + string(queryGiven[r.IntN(len(queryGiven))])
		if r.IntN(2) == 0 {
			name += string(queryGiven[r.IntN(len(queryGiven))])
		}
		py := pinyin.Of(name)
		p := store.PersonRow{SortKey: py.Sort, IDIndex: []byte(fmt.Sprintf("id-%04d", i))}
		p.Name, p.Pinyin, p.Initials = name, py.Full, py.Initials
		p.OriginOrgID = w.orgs[origins[r.IntN(len(origins))]].ID
		p.CityCode, p.Employer, p.Industry = cities[r.IntN(len(cities))], employers[r.IntN(len(employers))], string(rune('A'+r.IntN(3)))
		if r.IntN(10) < 4 {
			home := p.OriginOrgID
			if r.IntN(8) == 0 {
				home = w.orgs["V2"].ID // a member whose relationship sits elsewhere
			}
			p.Membership = &domain.Membership{Status: statuses[r.IntN(len(statuses))], HomeOrgID: home,
				MobileOrgID: w.orgs[mobiles[r.IntN(len(mobiles))]].ID}
		}
		return p
	}
	// One by one, then in bulk.
	if err := db.Tx(ctx, func(tx store.Tx) error {
		for i := range 120 {
			if _, err := store.CreatePerson(ctx, tx, w.person(i), importNow); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var bulk []store.PersonRow
	for i := 120; i < 320; i++ {
		bulk = append(bulk, w.person(i))
	}
	if err := db.Tx(ctx, func(tx store.Tx) error {
		_, err := store.InsertPersons(ctx, tx, bulk, "imported", "{}", "test", domain.NewDate(2026, 1, 1), importNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return w
}

// mutate changes the register the ways later code might.
func (w *queryWorld) mutate(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	steps := []string{
		// A development step and a status change, by plain SQL.
		`UPDATE memberships SET status = 'probationary' WHERE status = 'activist'`,
		`UPDATE memberships SET status = 'full' WHERE person_id IN (SELECT person_id FROM memberships WHERE status = 'applicant' LIMIT 3)`,
		// Renames: the terms and the order change.
		`UPDATE persons SET name = '张三丰', pinyin = 'zhangsanfeng', initials = 'zsf', sort_key = 'zhang!005f20 san!004e09 feng!0030'
			WHERE id IN (SELECT id FROM persons WHERE name LIKE '李%' ORDER BY id LIMIT 4)`,
		`UPDATE persons SET city_code = '440300' WHERE id IN (SELECT id FROM persons ORDER BY id DESC LIMIT 5)`,
		// A person moves village; a member leaves the mobile organization.
		fmt.Sprintf(`UPDATE persons SET origin_org_id = %d WHERE id IN (SELECT id FROM persons WHERE origin_org_id = %d ORDER BY id LIMIT 6)`,
			w.orgs["V3"].ID, w.orgs["V1"].ID),
		// A person leaves the register.
		`DELETE FROM memberships WHERE person_id = (SELECT MIN(id) FROM persons)`,
		`DELETE FROM persons WHERE id = (SELECT MIN(id) FROM persons)`,
	}
	for _, s := range steps {
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, s)
			return err
		}); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := db.Tx(ctx, func(tx store.Tx) error {
		rows, err := store.ListPersons(ctx, tx, store.PersonQuery{Scope: authz.OrgFilter{Prefixes: []string{w.orgs["M1"].Path}}, Limit: 5})
		if err != nil {
			return err
		}
		for _, p := range rows {
			if err := store.SetPlacement(ctx, tx, p.ID, p.Membership.Version, w.orgs["M2"].ID); err != nil {
				return err
			}
		}
		// A merge: T2's villages move under T1, paths and all.
		return store.MoveChildren(ctx, tx, w.orgs["T2"], w.orgs["T1"])
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(ctx, func(tx store.Tx) error {
		for name := range w.orgs {
			o, err := store.OrgByID(ctx, tx, w.orgs[name].ID)
			if err != nil {
				return err
			}
			w.orgs[name] = o
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// gather moves everyone from the second tree into the county's, so that
// the county's subtree holds the whole register (searches then skip the
// scope check).
func (w *queryWorld) gather(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	if err := db.Tx(ctx, func(tx store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE persons SET origin_org_id = $1 WHERE origin_org_id = $2`, w.orgs["V1"].ID,
			w.orgs["XV"].ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE memberships SET home_org_id = $1 WHERE home_org_id = $2`, w.orgs["V1"].ID, w.orgs["XV"].ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// truePerson is a person as the base tables hold them.
type truePerson struct {
	id                               int64
	name, pinyin, initials, sortKey  string
	city, employer, industry, status string
	idIndex                          []byte
	paths                            []string
}

func readTruth(t *testing.T, db *store.DB) []truePerson {
	t.Helper()
	rows, err := db.Read().QueryContext(context.Background(), `SELECT p.id, p.name, p.pinyin, p.initials, p.sort_key, p.city_code,
		p.employer, p.industry, COALESCE(m.status, ''), p.id_index, oo.path, ho.path, mo.path
		FROM persons p JOIN orgs oo ON oo.id = p.origin_org_id LEFT JOIN memberships m ON m.person_id = p.id
		LEFT JOIN orgs ho ON ho.id = m.home_org_id LEFT JOIN orgs mo ON mo.id = m.mobile_org_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []truePerson
	for rows.Next() {
		var p truePerson
		var origin string
		var home, mobile sql.NullString
		if err := rows.Scan(&p.id, &p.name, &p.pinyin, &p.initials, &p.sortKey, &p.city, &p.employer, &p.industry, &p.status,
			&p.idIndex, &origin, &home, &mobile); err != nil {
			t.Fatal(err)
		}
		p.paths = []string{origin}
		for _, s := range []sql.NullString{home, mobile} {
			if s.Valid {
				p.paths = append(p.paths, s.String)
			}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b truePerson) int {
		if c := strings.Compare(a.sortKey, b.sortKey); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	return out
}

func under(paths []string, prefixes []string) bool {
	for _, p := range paths {
		for _, x := range prefixes {
			if strings.HasPrefix(p, x) {
				return true
			}
		}
	}
	return false
}

// matches is the obvious answer to a query.
func matches(p truePerson, f store.PersonQuery) bool {
	if !under(p.paths, f.Scope.Prefixes) || (f.Org != "" && !under(p.paths, []string{f.Org})) {
		return false
	}
	switch {
	case f.Status != "" && p.status != string(f.Status),
		f.Members != nil && *f.Members != (p.status != ""),
		f.CityCode != "" && p.city != f.CityCode,
		f.Industry != "" && p.industry != f.Industry,
		f.Employer != "" && !strings.Contains(p.employer, f.Employer),
		f.Name != "" && !strings.Contains(p.name, f.Name),
		f.Pinyin != "" && !strings.HasPrefix(p.pinyin, f.Pinyin) && !strings.HasPrefix(p.initials, f.Pinyin),
		len(f.IDIndex) > 0 && string(p.IDIndex()) != string(f.IDIndex):
		return false
	}
	return true
}

func (p truePerson) IDIndex() []byte { return p.idIndex }

// wantOf is the ids of the people f matches, in order.
func wantOf(people []truePerson, f store.PersonQuery) []int64 {
	var want []int64
	for _, p := range people {
		if matches(p, f) {
			want = append(want, p.id)
		}
	}
	return want
}

// randomQuery draws a query over the world, with texts taken from people
// in it.
func (w *queryWorld) randomQuery(r *rand.Rand, people []truePerson) store.PersonQuery {
	scopes := [][]string{{"C"}, {"T1"}, {"V1"}, {"M1"}, {"MB1"}, {"V1", "M2"}, {"V3", "XV"}, {"C", "V1"}, {"X"}, {"H"}, {}}
	var f store.PersonQuery
	for _, name := range scopes[r.IntN(len(scopes))] {
		f.Scope.Prefixes = append(f.Scope.Prefixes, w.orgs[name].Path)
	}
	if r.IntN(8) == 0 {
		f.Scope.Prefixes = []string{"/"}
	}
	if r.IntN(3) == 0 {
		filters := []string{"C", "T1", "V2", "V3", "M1", "MB1", "X", "H"}
		f.Org = w.orgs[filters[r.IntN(len(filters))]].Path
	}
	switch r.IntN(4) {
	case 0:
		f.Status = []domain.MemberStatus{domain.StatusFull, domain.StatusProbationary, domain.StatusApplicant}[r.IntN(3)]
	case 1:
		yes := r.IntN(2) == 0
		f.Members = &yes
	}
	if r.IntN(4) == 0 {
		f.CityCode = []string{"330100", "320500", "", "440300"}[r.IntN(4)]
	}
	p := people[r.IntN(len(people))]
	name := []rune(p.name)
	switch r.IntN(10) {
	case 0:
		f.Name = string(name[r.IntN(len(name))])
	case 1:
		i := r.IntN(len(name) - 1)
		f.Name = string(name[i : i+2])
	case 2:
		f.Name = p.name
	case 3:
		f.Pinyin = p.initials[:1+r.IntN(len(p.initials))]
	case 4:
		f.Pinyin = p.pinyin[:1+r.IntN(len(p.pinyin))]
	case 5:
		f.IDIndex = p.idIndex
	case 6:
		f.Employer = []string{"建工", "苏州", "个体"}[r.IntN(3)]
	case 7:
		f.Industry = "B"
	}
	return f
}

func ids(ps []store.PersonRow) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = int64(p.ID)
	}
	return out
}

func TestPersonQueriesMatchTheRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := rand.New(rand.NewPCG(7, 11))
		w := buildQueryWorld(t, db, r)
		for round, change := range []func(*testing.T, *store.DB){nil, w.mutate, w.gather} {
			if change != nil {
				change(t, db)
			}
			people := readTruth(t, db)
			names := store.NewOrgNames()
			nonEmpty := 0 // queries with an answer: a draw of empty answers would prove little
			for range 200 {
				f := w.randomQuery(r, people)
				want := wantOf(people, f)
				if len(want) > 0 {
					nonEmpty++
				}
				checkQuery(t, db, f, want, names, fmt.Sprintf("round %d", round))
				if f.Name == "" && f.Pinyin == "" && len(f.IDIndex) == 0 {
					w.checkCounts(t, db, f, people)
				}
			}
			if nonEmpty < 50 {
				t.Fatalf("round %d: only %d queries had an answer", round, nonEmpty)
			}
		}
	})
}

// checkQuery pages through f seven at a time and counts it every way,
// against want (the ids in order); at says where, for the failure.
func checkQuery(t *testing.T, db *store.DB, f store.PersonQuery, want []int64, names *store.OrgNames, at string) {
	t.Helper()
	ctx := context.Background()
	var got []int64
	for page := 0; page < 100; page++ {
		f.Limit = 7
		rows, err := store.ListPersons(ctx, db.Read(), f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		got = append(got, ids(rows)...)
		if len(rows) < 7 {
			break
		}
		last := rows[len(rows)-1]
		f.After = last.SortKey + "\x00" + strconv.FormatInt(int64(last.ID), 10)
	}
	f.After, f.Limit = "", 0
	if !slices.Equal(got, want) {
		t.Fatalf("%s, query %+v:\n got %v\nwant %v", at, f, got, want)
	}
	n, err := store.CountPersons(ctx, db.Read(), f)
	if err != nil || n != len(want) {
		t.Fatalf("%s, count %+v: %d (%v), want %d", at, f, n, err, len(want))
	}
	// Exact, or a lower bound of at most 5.
	n, more, err := store.CountPersonsUpTo(ctx, db.Read(), f, 5)
	if err != nil || !(n == len(want) && !more || more && n <= len(want) && n <= 5) {
		t.Fatalf("%s, count up to 5 %+v: %d %v (%v), want %d", at, f, n, more, err, len(want))
	}
	// A first page and its bounded total together (one walk when the walk
	// is short), names from the cache or not; pages of several sizes (a
	// short walk's page is read by ids padded to 8, 16, 32 or the page).
	for _, page := range []int{7, 20, 50} {
		f.Limit, f.Names = page, names
		if page == 20 {
			f.Names = nil
		}
		for _, limit := range []int{10, 1000} {
			rows, n, more, err := store.ListCountPersons(ctx, db.Read(), f, limit)
			if err != nil || !slices.Equal(ids(rows), want[:min(page, len(want))]) ||
				!(n == len(want) && !more || more && n <= len(want) && n <= limit) {
				t.Fatalf("%s, page and count up to %d %+v: %v %d %v (%v), want %v", at, limit, f, ids(rows), n, more, err, want)
			}
		}
	}
}

// checkCounts compares the counts by organization and by city with the
// obvious answer.
func (w *queryWorld) checkCounts(t *testing.T, db *store.DB, f store.PersonQuery, people []truePerson) {
	t.Helper()
	ctx := context.Background()
	wantOrg, wantCity := map[string]int{}, map[string]int{}
	for _, p := range people {
		if !matches(p, f) {
			continue
		}
		wantCity[p.city]++
		for name, o := range w.orgs {
			if under([]string{o.Path}, f.Scope.Prefixes) && (f.Org == "" || strings.HasPrefix(o.Path, f.Org)) &&
				under(p.paths, []string{o.Path}) {
				wantOrg[name]++
			}
		}
	}
	byOrg, err := store.PersonCountsByOrg(ctx, db.Read(), f)
	if err != nil {
		t.Fatalf("counts by org %+v: %v", f, err)
	}
	gotOrg := map[string]int{}
	for _, c := range byOrg {
		gotOrg[c.Org.Name] = c.Count
	}
	if fmt.Sprint(gotOrg) != fmt.Sprint(wantOrg) {
		t.Fatalf("counts by org %+v:\n got %v\nwant %v", f, gotOrg, wantOrg)
	}
	byCity, err := store.PersonCountsByCity(ctx, db.Read(), f)
	if err != nil {
		t.Fatalf("counts by city %+v: %v", f, err)
	}
	gotCity := map[string]int{}
	for i, c := range byCity {
		gotCity[c.CityCode] = c.Count
		if i > 0 && c.Count > byCity[i-1].Count {
			t.Fatalf("counts by city not largest first: %+v", byCity)
		}
	}
	if fmt.Sprint(gotCity) != fmt.Sprint(wantCity) {
		t.Fatalf("counts by city %+v:\n got %v\nwant %v", f, gotCity, wantCity)
	}
}

// CheckPersonIndex (which storetest runs after every test) passes on the
// index the triggers keep, and names what differs when a row is lost,
// added or miscounted behind their back; each damage is undone after.
func TestCheckPersonIndexFindsDifferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		buildQueryWorld(t, db, rand.New(rand.NewPCG(3, 5)))
		if err := store.CheckPersonIndex(ctx, db.Read()); err != nil {
			t.Fatal(err)
		}
		var org, id int64
		var key, status, city, name string
		if err := db.Read().QueryRowContext(ctx, `SELECT org_id, sort_key, person_id, status, city_code, name FROM person_reach
			ORDER BY person_id LIMIT 1`).Scan(&org, &key, &id, &status, &city, &name); err != nil {
			t.Fatal(err)
		}
		exec := func(query string, args ...any) {
			t.Helper()
			if err := db.Tx(ctx, func(tx store.Tx) error {
				_, err := tx.ExecContext(ctx, query, args...)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			damage, repair string
			args           []any
			want           string
		}{
			{`DELETE FROM person_reach WHERE org_id = $1 AND sort_key = $2 AND person_id = $3 AND status = $4 AND city_code = $5`,
				`INSERT INTO person_reach (org_id, sort_key, person_id, status, city_code, name, pinyin, initials)
					SELECT $1, $2, $3, $4, $5, name, pinyin, initials FROM persons WHERE id = $3`,
				[]any{org, key, id, status, city}, "reach"},
			// A reach row's texts are what a scope's text search reads.
			{`UPDATE person_reach SET name = $3 || 'x' WHERE org_id = $1 AND person_id = $2`,
				`UPDATE person_reach SET name = $3 WHERE org_id = $1 AND person_id = $2`, []any{org, id, name}, "reach"},
			{`INSERT INTO person_terms (term, sort_key, person_id) VALUES ('不', $1, $2)`,
				`DELETE FROM person_terms WHERE term = '不' AND sort_key = $1 AND person_id = $2`, []any{key, id}, "terms"},
			{`UPDATE person_counts SET n = n + 1 WHERE org_id = $1 AND status = $2`,
				`UPDATE person_counts SET n = n - 1 WHERE org_id = $1 AND status = $2`, []any{org, status}, "counts"},
			{`UPDATE person_city_counts SET n = n - 1 WHERE org_id = 0 AND status = $1 AND city_code = $2`,
				`UPDATE person_city_counts SET n = n + 1 WHERE org_id = 0 AND status = $1 AND city_code = $2`, []any{status, city}, "city"},
			{`INSERT INTO person_term_counts (term, n) VALUES ('不', 1)`, `DELETE FROM person_term_counts WHERE term = '不'`, nil,
				"term_counts"},
		} {
			exec(c.damage, c.args...)
			err := store.CheckPersonIndex(ctx, db.Read())
			if err == nil || !strings.Contains(err.Error(), c.want+" [") {
				t.Errorf("after %q: %v, want a difference in %s", c.damage, err, c.want)
			}
			exec(c.repair, c.args...)
			if err := store.CheckPersonIndex(ctx, db.Read()); err != nil {
				t.Fatalf("after %q: %v", c.repair, err)
			}
		}
	})
}

// The bulk path of the index — the indexes by person dropped and built
// again when a pass writes as many people as the index holds — gives the
// same index as the row-by-row one, and so does a load whose
// transactions put the index off until IndexPersons; the stale people
// are read a few at a time.
func TestPersonIndexInBulk(t *testing.T) {
	defer store.SetIndexBulk(40)()
	defer store.SetIndexBatch(7)()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		exact := func(step string) {
			t.Helper()
			if err := store.CheckPersonIndex(ctx, db.Read()); err != nil {
				t.Fatalf("after %s: %v", step, err)
			}
			// The secondary indexes are all there.
			query := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
				AND tbl_name IN ('person_reach', 'person_terms')`
			if db.Dialect() == store.Postgres {
				query = `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()
					AND tablename IN ('person_reach', 'person_terms') AND indexname NOT LIKE '%_pkey'`
			}
			var n int
			if err := db.Read().QueryRowContext(ctx, query).Scan(&n); err != nil || n != 3 {
				t.Fatalf("after %s: %d secondary indexes (%v), want 3", step, n, err)
			}
		}
		r := rand.New(rand.NewPCG(5, 8))
		w := buildQueryWorld(t, db, r) // 120 into an empty index, then 200 more
		exact("two bulk passes")
		if db.Dialect() == store.Postgres {
			// A pass that doubled the tables left the planner statistics.
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema()
				AND tablename IN ('persons', 'person_terms', 'person_reach')`).Scan(&n); err != nil || n == 0 {
				t.Fatalf("no statistics after a bulk pass: %d (%v)", n, err)
			}
		}
		w.mutate(t, db)
		exact("the changes")

		everyone := store.PersonQuery{Scope: authz.OrgFilter{Prefixes: []string{"/"}}}
		before, err := store.CountPersons(ctx, db.Read(), everyone)
		if err != nil {
			t.Fatal(err)
		}
		deferred := store.DeferPersonIndex(ctx)
		for batch := range 3 {
			var people []store.PersonRow
			for i := range 30 {
				people = append(people, w.person(1000+30*batch+i))
			}
			if err := db.Tx(deferred, func(tx store.Tx) error {
				_, err := store.InsertPersons(deferred, tx, people, "imported", "{}", "test", domain.NewDate(2026, 1, 1), importNow)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		// Put off: the queries do not see them yet.
		if n, err := store.CountPersons(ctx, db.Read(), everyone); err != nil || n != before {
			t.Fatalf("%d people counted while the index is put off (%v), want %d", n, err, before)
		}
		if err := db.IndexPersons(deferred); err != nil {
			t.Fatal(err)
		}
		exact("a deferred load")
		if n, err := store.CountPersons(ctx, db.Read(), everyone); err != nil || n != before+90 {
			t.Fatalf("%d people counted after IndexPersons (%v), want %d", n, err, before+90)
		}
		w.gather(t, db)
		exact("gathering")
	})
}
