package store

// A text search by one term: which side to walk, and the sizes it is
// planned by (decision 0007, "a term's stretch of the pinyin order").

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// termPlan plans a text search by one term within check (the scope's
// roots, or an organization filter inside it). A text's people sit in
// the stretch of the pinyin order between the first and the last sort key
// the term has, a short one when the term is a surname, a pair of
// characters or a pinyin prefix. The plan walks the smaller of two:
//
//   - the term's own people, probing each one's reach (textDriven);
//   - the organizations' people within that stretch, probing each one's
//     term: a primary-key range, so a surname in a committee of 1,100
//     visits its 60 people there instead of all 1,100 (before the
//     stretch) or the 14,000 of the whole county with that surname.
//
// The organizations' side is walked when the organizations are small
// next to the term (the rule from before the stretch: a page of the
// term's people would take longer to fill), or when counting their rows
// in the stretch, bounded by the term's size, finds fewer. Either way the
// walk is bounded by the term's size, which is then small enough to walk
// whole: the page and its total come from one walk.
func (q *plan) termPlan(ctx context.Context, db Q, f PersonQuery, src, term string, check []int64) error {
	s, err := termAndOrgSize(ctx, db, term, check)
	if err != nil {
		return err
	}
	reach := s.org < min(s.term, 50*s.all/max(s.org, 1))
	if !reach && s.org < s.all && s.term > termSmall {
		bound := min(s.term, stretchProbeMax)
		n, err := stretchSize(ctx, db, term, check, bound)
		if err != nil {
			return err
		}
		reach = n < bound
	}
	if reach {
		q.args = nil // the text source's argument goes unused
		q.reachDriven(f, check, nil)
		t := q.arg(term)
		q.conds = append(q.conds, "k.sort_key >= (SELECT MIN(sort_key) FROM person_terms WHERE term = "+t+")",
			"k.sort_key <= (SELECT MAX(sort_key) FROM person_terms WHERE term = "+t+")", q.hasTerm(term))
		q.textCheck(f, "k")
		q.short = true
		return nil
	}
	q.textDriven(src, f, check, 0, true)
	q.textCheck(f, "p")
	q.short = s.term <= termShort
	// When the one organization checked holds everyone (the county's),
	// every person with the term is in scope: the term's count, read in
	// the same statement as the organization's and the register's, is
	// the total. Conditions on the person (a longer text, an employer)
	// undo this (personConds).
	if len(check) == 1 && s.org == s.all && !q.person && f.Status == "" && f.Members == nil && f.CityCode == "" {
		q.known, q.total = true, int(s.term)
	}
	return nil
}

// hasTerm is the condition that the walked reach row k's person has the
// term, read from the texts the row carries (migration 00023) exactly as
// PersonTerms makes the terms: a name's term is one character or two
// adjacent ones, so a part of the name; a Latin term is ":" and the first
// 2 to 4 letters of the pinyin or the initials. A probe of person_terms
// for each row walked, the way before, was a B-tree seek a row: most of
// the CPU of a committee's surname or initials search (decision 0007,
// "session 9").
func (q *plan) hasTerm(term string) string {
	if py, ok := strings.CutPrefix(term, ":"); ok {
		n := strconv.Itoa(utf8.RuneCountInString(py))
		a := q.arg(py)
		return "(substr(k.pinyin, 1, " + n + ") = " + a + " OR substr(k.initials, 1, " + n + ") = " + a + ")"
	}
	return "instr(k.name, " + q.arg(term) + ") > 0"
}

// termSmall is a term so rare that walking its people costs less than
// measuring the stretch; termShort one whose people are few enough to walk
// whole for a page and its total (the service counts up to 1,000);
// stretchProbeMax bounds the rows read to measure a stretch.
const (
	termSmall       = 64
	termShort       = 1024
	stretchProbeMax = 4096
)

// termSizes are how many people have a term, how many the organizations'
// subtrees hold (a person under two of them counts twice) and how many
// the register holds, read in one statement.
type termSizes struct{ term, org, all int64 }

func termAndOrgSize(ctx context.Context, db Q, term string, orgs []int64) (termSizes, error) {
	q := &plan{}
	t := q.arg(term)
	var s termSizes
	err := db.QueryRowContext(ctx, `SELECT COALESCE((SELECT n FROM person_term_counts WHERE term = `+t+`), 0),
		CAST(COALESCE((SELECT SUM(n) FROM person_counts WHERE org_id `+q.in(orgs)+`), 0) AS BIGINT),
		CAST(COALESCE((SELECT SUM(n) FROM person_counts WHERE org_id = 0), 0) AS BIGINT)`, q.args...).Scan(&s.term, &s.org, &s.all)
	if err != nil {
		return s, fmt.Errorf("store: person search: %w", err)
	}
	return s, nil
}

// stretchSize counts, up to bound, the reach rows of the organizations
// within the stretch of sort keys the term's people span.
func stretchSize(ctx context.Context, db Q, term string, orgs []int64, bound int64) (int64, error) {
	q := &plan{}
	t := q.arg(term)
	var n int64
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM person_reach WHERE org_id `+q.in(orgs)+`
		AND sort_key >= (SELECT MIN(sort_key) FROM person_terms WHERE term = `+t+`)
		AND sort_key <= (SELECT MAX(sort_key) FROM person_terms WHERE term = `+t+`) LIMIT `+q.limit(int(bound))+`) s`, q.args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: person search: %w", err)
	}
	return n, nil
}
