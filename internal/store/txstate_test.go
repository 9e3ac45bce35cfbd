package store_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// A write transaction reads person_stale before it commits only when one
// of its statements may have marked people: one that writes nothing of
// the kind costs its begin, its statements and its commit, no more; one
// that writes a person leaves the index exact; and what a load cut short
// left stale waits for the next transaction that writes people or for
// IndexPersons.
func TestTxIndexesOnlyAfterPeopleWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
		var n atomic.Int64
		counted := db.Counted(&n)
		trips := func(fn func(tx store.Tx) error) int64 {
			t.Helper()
			n.Store(0)
			if err := counted.Tx(ctx, fn); err != nil {
				t.Fatal(err)
			}
			return n.Load()
		}
		if got := trips(func(tx store.Tx) error { return store.PutSetting(ctx, tx, "k", `1`, now) }); got != 3 {
			t.Errorf("a setting written in %d round trips, want 3 (begin, the statement, commit)", got)
		}
		var org domain.OrgID
		person := func(name string) func(tx store.Tx) error {
			return func(tx store.Tx) error {
				p := store.PersonRow{SortKey: name}
				p.Name, p.Pinyin, p.OriginOrgID = name, name, org
				p.Membership = &domain.Membership{Status: domain.StatusFull, HomeOrgID: org}
				_, err := store.CreatePerson(ctx, tx, p, now)
				return err
			}
		}
		if err := db.Tx(ctx, func(tx store.Tx) (err error) {
			org, err = store.CreateOrg(ctx, tx, domain.Org{Name: "县委", Side: domain.SideOrigin}, now)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got := trips(person("甲")); got <= 4 {
			t.Errorf("a person written in %d round trips: the index was not brought up to date", got)
		}
		if got := stale(t, db); got != 0 {
			t.Fatalf("%d people stale after a person was written", got)
		}

		// Cut short: a deferred load leaves its person stale.
		if err := db.Tx(store.DeferPersonIndex(ctx), person("乙")); err != nil {
			t.Fatal(err)
		}
		trips(func(tx store.Tx) error { return store.PutSetting(ctx, tx, "k", `2`, now) })
		if got := stale(t, db); got != 1 {
			t.Fatalf("%d people stale after a transaction that writes no people, want the deferred 1", got)
		}
		if err := db.IndexPersons(ctx); err != nil {
			t.Fatal(err)
		}
		if got := stale(t, db); got != 0 {
			t.Fatalf("%d people stale after IndexPersons", got)
		}
	})
}

func stale(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM person_stale`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Which statements count as writing people: inserts and deletes that
// name persons, memberships or orgs as a word, and updates of those
// tables that set an indexed column (or set anything from a subquery).
func TestMayMarkPeople(t *testing.T) {
	for q, want := range map[string]bool{
		`INSERT INTO persons (name) VALUES ($1)`:                                                       true,
		"\n\t\tUPDATE memberships SET status = $1":                                                     true,
		`UPDATE orgs SET path = $1 WHERE id = $2`:                                                      true,
		`UPDATE orgs SET name = $2, path = $1 WHERE id = $3`:                                           true,
		`UPDATE persons p SET city_code = v.c FROM (VALUES (1, 'x')) v WHERE p.id = v.id`:              true,
		`UPDATE memberships SET last_contact_on = (SELECT MAX(on_date) FROM t), status = 'x'`:          true,
		`UPDATE memberships SET last_contact_on = $1; UPDATE memberships SET status = $2`:              true,
		`DELETE FROM Persons WHERE id = $1`:                                                            true,
		`WITH x AS (DELETE FROM memberships RETURNING 1) SELECT 1`:                                     true,
		`INSERT INTO contacts (person_id) SELECT id FROM persons`:                                      true,
		`UPDATE memberships SET last_contact_on = $1 WHERE person_id IN ($2) AND last_contact_on < $1`: false,
		`UPDATE orgs SET name = $1, updated_at = $2 WHERE id = $3 RETURNING path`:                      false,
		`UPDATE persons SET employer = $1, version = version + 1 WHERE id = $2`:                        true,
		`UPDATE persons SET address = $1, updated_at = $2 WHERE id = $3`:                               false,
		`SELECT id FROM persons WHERE id = $1 FOR UPDATE`:                                              false,
		` select COUNT(*) FROM orgs`:                                                                   false,
		`INSERT INTO agreement_orgs (agreement_id, org_id) VALUES (1)`:                                 false,
		`UPDATE meeting_attendance SET status = 'present'`:                                             false,
		`INSERT INTO audit_log (seq, person_ids) VALUES ($1, $2)`:                                      false,
		`UPDATE sessions SET last_seen_at = v.column2`:                                                 false,
	} {
		if got := store.MayMarkPeople(q); got != want {
			t.Errorf("MayMarkPeople(%q) = %v, want %v", q, got, want)
		}
	}
}

// The statement test above is sound only while nothing but a write to
// persons, memberships or orgs can mark people stale or change those
// tables: the triggers that mark them are on those tables, no other
// trigger (or function, or view) names them, and no foreign key cascades
// into them. A migration that breaks this fails here.
func TestOnlyPeopleTablesMarkPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sqls := catalogSQL
		if db.Dialect() == store.Postgres {
			sqls = pgCatalogSQL
		}
		people := regexp.MustCompile(`(?i)\b(persons|memberships|orgs|person_stale)\b`)
		for what, query := range sqls {
			rows, err := db.Read().QueryContext(ctx, query)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			var marking []string
			for rows.Next() {
				var table, body string
				if err := rows.Scan(&table, &body); err != nil {
					t.Fatal(err)
				}
				if slices.Contains(store.PeopleTables, strings.ToLower(table)) {
					continue
				}
				if what == "cascades" || people.MatchString(body) {
					marking = append(marking, table+": "+body)
				}
			}
			rows.Close()
			if len(marking) > 0 {
				t.Errorf("%s outside %v can change people: %q", what, store.PeopleTables, marking)
			}
		}
	})
}

// The update triggers that mark people fire on the columns the statement
// test knows as indexed, no more and no fewer.
func TestIndexedColumnsAreTheTriggers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		query := `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%person_stale%'`
		if db.Dialect() == store.Postgres {
			query = `SELECT c.relname, pg_get_triggerdef(g.oid) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
				JOIN pg_proc p ON p.oid = g.tgfoid WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace
				AND p.prosrc LIKE '%person_stale%'`
		}
		rows, err := db.Read().QueryContext(context.Background(), query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string][]string{}
		event := regexp.MustCompile(`(?is)\b(?:after|before|instead\s+of)\s+(.*?)\s+on\s`)
		cols := regexp.MustCompile(`(?i)\b(?:old|new)\.(\w+)|\bupdate\s+of\s+([\w\s,]+?)\s+on\s`)
		for rows.Next() {
			var table, def string
			if err := rows.Scan(&table, &def); err != nil {
				t.Fatal(err)
			}
			head, _, _ := strings.Cut(strings.ToLower(def), "begin") // SQLite: the condition, not the body
			if m := event.FindStringSubmatch(head); m == nil || !strings.Contains(m[1], "update") {
				continue
			}
			before := len(got[table])
			for _, m := range cols.FindAllStringSubmatch(head, -1) {
				for c := range strings.SplitSeq(m[1]+","+m[2], ",") {
					if c = strings.TrimSpace(c); c != "" && !slices.Contains(got[table], c) {
						got[table] = append(got[table], c)
					}
				}
			}
			if len(got[table]) == before {
				t.Errorf("an update trigger on %s marks people whatever the columns: %s", table, def)
			}
		}
		for table, want := range store.IndexedColumns {
			slices.Sort(got[table])
			w := slices.Sorted(slices.Values(want))
			if !slices.Equal(got[table], w) {
				t.Errorf("%s: the triggers fire on %v, the statement test knows %v", table, got[table], w)
			}
		}
	})
}

// Each query lists (table, text): a trigger's table and its SQL or
// function body; a view and its definition; a table whose foreign key
// acts on delete or update (the referenced table, for cascades).
var catalogSQL = map[string]string{
	"triggers": `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`,
	"views":    `SELECT name, sql FROM sqlite_master WHERE type = 'view'`,
	"cascades": `SELECT f."table", m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND (f.on_delete NOT IN ('NO ACTION', 'RESTRICT') OR f.on_update NOT IN ('NO ACTION', 'RESTRICT'))
		AND m.name IN ('persons', 'memberships', 'orgs')`,
}

var pgCatalogSQL = map[string]string{
	"triggers": `SELECT c.relname, p.prosrc FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_proc p ON p.oid = g.tgfoid
		WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace`,
	"functions": `SELECT 'function ' || p.proname, p.prosrc FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
		AND p.prorettype <> 'trigger'::regtype`,
	"views": `SELECT viewname, definition FROM pg_views WHERE schemaname = current_schema()`,
	"cascades": `SELECT r.relname, c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
		WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname IN ('persons', 'memberships', 'orgs')
		AND (c.confdeltype NOT IN ('a', 'r') OR c.confupdtype NOT IN ('a', 'r'))`,
}
