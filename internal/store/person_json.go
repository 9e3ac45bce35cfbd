package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/domain"
)

// On SQLite one person is read as one JSON array built by the database
// (json_array over personCols and the organizations' paths) instead of
// 45 columns: the pure-Go driver spends most of a one-column-at-a-time
// read in per-column work (a name and a declared type looked up per
// query, a type check, a copy, a conversion and two emulated mutex calls
// per value), which was about a third of a request for one person
// (decision 0018, "session 8"). PostgreSQL's driver reads columns in
// binary at little cost per column and keeps them.

// personJSONQuery reads person $1 as one JSON array: personCols, then the
// origin, home and mobile organizations' paths.
var personJSONQuery = `SELECT json_array(` + personCols + `, oo.path, ho.path, mo.path)` + personFrom + ` WHERE p.id = $1`

// onSQLite reports whether q is known to run on SQLite: a transaction
// of a SQLite database or its read pool. Anything else reads columns,
// which works on both.
func onSQLite(q Q) bool {
	switch x := q.(type) {
	case Tx:
		return x.dialect == SQLite
	case *stmtCache:
		return true
	}
	return false
}

// personWithPathsJSON is PersonWithPaths on SQLite.
func personWithPathsJSON(ctx context.Context, q Q, id domain.PersonID) (PersonRow, []string, error) {
	var text string
	var p PersonRow
	err := q.QueryRowContext(ctx, personJSONQuery, id).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil, domain.ErrNotFound
	}
	if err != nil {
		return p, nil, fmt.Errorf("store: read person: %w", err)
	}
	r := jsonRow{s: text}
	r.open()
	r.person(&p)
	paths := []string{r.str()}
	for range 2 {
		if path, ok := r.nullStr(); ok {
			paths = append(paths, path)
		}
	}
	if err := r.close(); err != nil {
		return PersonRow{}, nil, err
	}
	return p, paths, nil
}

// person reads personCols in their order, as scanPersonThen does.
func (r *jsonRow) person(p *PersonRow) {
	p.ID, p.Name, p.Pinyin, p.Initials, p.SortKey = domain.PersonID(r.int()), r.str(), r.str(), r.str(), r.str()
	p.Gender, p.Ethnicity, p.IDSealed, p.IDNumber = int(r.int()), r.str(), r.str(), domain.Masked(r.str())
	p.BirthOn, p.PhoneSealed, p.Phone, p.Education = r.date(), r.str(), domain.Masked(r.str()), r.str()
	p.HometownCode, p.HometownVillage, p.LeftHomeOn, p.CityCode = r.str(), r.str(), r.date(), r.str()
	p.DistrictCode, p.Address, p.Employer, p.EmployerUSCC, p.Industry = r.str(), r.str(), r.str(), r.str(), r.str()
	p.Occupation, p.OriginOrgID, p.OriginOrgName = r.str(), domain.OrgID(r.int()), r.str()
	p.CreatedAt, p.UpdatedAt, p.Version = r.time(), r.time(), r.int()
	status, member := r.nullStr()
	m := domain.Membership{Status: domain.MemberStatus(status), JoinedOn: r.date(), FullOn: r.date(),
		HomeOrgID: domain.OrgID(r.int()), HomeOrgName: r.str(), MobileOrgID: domain.OrgID(r.int()), MobileOrgName: r.str(),
		CertificateNo: r.str(), CertificateTo: r.date(), Version: r.int(), CertificateFrom: r.date(),
		LastContactOn: r.date()}
	m.ContactState, m.ContactStateOn = domain.ContactState(r.str()), r.date()
	if member {
		p.Membership = &m
	}
}

// jsonRow reads the values of one JSON array of numbers, texts and nulls
// in order; the first fault sticks and the rest read as zero. A null
// reads as the zero value, as a NULL column scanned into a Null type
// does.
type jsonRow struct {
	s   string
	err error
}

func (r *jsonRow) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("store: malformed person row: %s at %q", what, r.s[:min(len(r.s), 20)])
	}
	r.s = ""
}

func (r *jsonRow) open() {
	if !strings.HasPrefix(r.s, "[") {
		r.fail("no array")
		return
	}
	r.s = r.s[1:]
}

// close checks that the array ends after the values read.
func (r *jsonRow) close() error {
	if r.err == nil && r.s != "]" {
		r.fail("values left")
	}
	return r.err
}

// token returns the next value's text, up to the comma or the closing
// bracket after it (which it consumes, but for the closing bracket).
func (r *jsonRow) token() string {
	if r.err != nil {
		return ""
	}
	end := 0
	if strings.HasPrefix(r.s, `"`) {
		end = stringEnd(r.s)
	} else {
		end = strings.IndexAny(r.s, ",]")
	}
	if end < 0 || end >= len(r.s) || r.s[end] != ',' && r.s[end] != ']' {
		r.fail("no value")
		return ""
	}
	t := r.s[:end]
	r.s = r.s[end:]
	if r.s[0] == ',' {
		r.s = r.s[1:]
	}
	return t
}

// stringEnd is the index just after the JSON string s begins with, or -1.
func stringEnd(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

func (r *jsonRow) int() int64 {
	t := r.token()
	if t == "null" || r.err != nil {
		return 0
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		r.fail("not an integer")
	}
	return n
}

// nullStr reads a text, and whether it was not null.
func (r *jsonRow) nullStr() (string, bool) {
	t := r.token()
	if t == "null" || r.err != nil {
		return "", false
	}
	if len(t) < 2 || t[0] != '"' {
		// A number in a text column (SQLite's affinity keeps a value's
		// own type when the column's cannot take it) reads as its digits.
		return t, t != ""
	}
	if !strings.ContainsRune(t, '\\') {
		return t[1 : len(t)-1], true
	}
	var s string
	if err := json.Unmarshal([]byte(t), &s); err != nil {
		r.fail("bad text")
	}
	return s, true
}

func (r *jsonRow) str() string {
	s, _ := r.nullStr()
	return s
}

func (r *jsonRow) date() domain.Date {
	var d domain.Date
	if s, ok := r.nullStr(); ok {
		if err := d.Scan(s); err != nil {
			r.fail("not a date")
		}
	}
	return d
}

// sqliteTimeLayouts are the forms modernc.org/sqlite stores a time.Time
// in (its default, time.Time's String without the monotonic reading) and
// the ISO forms a value written by hand may have.
var sqliteTimeLayouts = []string{"2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano, "2006-01-02 15:04:05.999999999", time.DateTime}

func (r *jsonRow) time() time.Time {
	s, ok := r.nullStr()
	if !ok {
		return time.Time{}
	}
	for _, layout := range sqliteTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	r.fail("not a time")
	return time.Time{}
}
