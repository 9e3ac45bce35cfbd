package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// CheckPersonIndex compares the people index with what the base tables
// say it should hold, recomputed from scratch: every reach, term and summary row,
// every count by organization, status and city, every term count, and an
// empty person_stale. It returns an error naming the first differences;
// nil when the index is exact. Tests run it after every test body
// (storetest), so a write path that leaves the index behind fails
// whatever test exercises it.
func CheckPersonIndex(ctx context.Context, q Q) error {
	rows, err := q.QueryContext(ctx, `SELECT `+indexSourceCols+` FROM persons p`+indexSourceJoins+` ORDER BY p.id`)
	if err != nil {
		return fmt.Errorf("store: check person index: %w", err)
	}
	defer rows.Close()
	var people []staleRow
	for rows.Next() {
		r, err := scanIndexSource(rows)
		if err != nil {
			return fmt.Errorf("store: check person index: %w", err)
		}
		people = append(people, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: check person index: %w", err)
	}
	rows.Close()
	want := map[string]map[string]int64{"reach": {}, "terms": {}, "counts": {}, "city": {}, "term_counts": {}, "stale": {},
		"summaries": {}}
	for _, r := range people {
		want["summaries"][indexKey(r.id, r.texts[0], r.texts[1], r.texts[2], r.texts[3], r.texts[4], r.summary)]++
		want["counts"][indexKey(0, r.status)]++
		want["city"][indexKey(0, r.status, r.city)]++
		for _, org := range reachOf(r.origin, r.home, r.mobile) {
			want["reach"][indexKey(org, r.sortKey, r.id, r.status, r.city, r.name, r.pinyin, r.initials)]++
			want["counts"][indexKey(org, r.status)]++
			want["city"][indexKey(org, r.status, r.city)]++
		}
		for _, t := range PersonTerms(r.name, r.pinyin, r.initials) {
			want["terms"][indexKey(t, r.sortKey, r.id)]++
			want["term_counts"][indexKey(t)]++
		}
	}
	got := map[string]map[string]int64{}
	for name, query := range map[string]string{
		"reach":       `SELECT org_id, sort_key, person_id, status, city_code, name, pinyin, initials, 1 FROM person_reach`,
		"terms":       `SELECT term, sort_key, person_id, 1 FROM person_terms`,
		"counts":      `SELECT org_id, status, n FROM person_counts WHERE n <> 0`,
		"city":        `SELECT org_id, status, city_code, n FROM person_city_counts WHERE n <> 0`,
		"term_counts": `SELECT term, n FROM person_term_counts WHERE n <> 0`,
		"stale":       `SELECT person_id, 1 FROM person_stale`,
		"summaries":   `SELECT person_id, name, pinyin, initials, employer, industry, summary, 1 FROM person_summaries`,
	} {
		if got[name], err = readKeyed(ctx, q, query); err != nil {
			return fmt.Errorf("store: check person index: %s: %w", name, err)
		}
	}
	var diffs []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		w, g := want[name], got[name]
		for _, k := range slices.Sorted(maps.Keys(w)) {
			if g[k] != w[k] {
				diffs = append(diffs, fmt.Sprintf("%s [%s]: %d, want %d", name, k, g[k], w[k]))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(g)) {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s [%s]: %d, want none", name, k, g[k]))
			}
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("store: the people index differs from the register in %d places: %s", len(diffs),
			strings.Join(diffs[:min(len(diffs), 10)], "; "))
	}
	return nil
}

// readKeyed reads rows whose last column is a number and the columns
// before it a key (indexKey).
func readKeyed(ctx context.Context, q Q, query string) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for rows.Next() {
		vals := make([]any, len(cols)-1)
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var n int64
		ptrs[len(cols)-1] = &n
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out[indexKey(vals...)] += n
	}
	return out, rows.Err()
}

// indexKey joins the columns of an index row into one comparable text.
func indexKey(vals ...any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, "|")
}
