package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"gongjian/internal/domain"
)

// The roster import writes people in bulk: multi-row INSERTs inside the
// caller's one transaction, so that 200,000 rows cost a few hundred
// statements rather than 200,000 round trips, and a failure anywhere
// leaves none of them.

// ExistingPerson is a registered person as an import compares it: the
// stored fields (the phone by its blind index, never in clear) and the
// organization paths where the person belongs, for the actor's scope.
type ExistingPerson struct {
	PersonRow
	Paths []string
}

// PersonsByIDIndex finds the people whose ID-number blind index is among
// idx, keyed by string(index). d is the dialect of q.
func PersonsByIDIndex(ctx context.Context, q Q, d Dialect, idx [][]byte) (map[string]ExistingPerson, error) {
	out := make(map[string]ExistingPerson, len(idx))
	if len(idx) == 0 {
		return out, nil
	}
	args := make([]any, len(idx))
	marks := make([]string, len(idx))
	for i, b := range idx {
		args[i], marks[i] = b, "$"+strconv.Itoa(i+1)
	}
	cond := `p.id_index IN (` + strings.Join(marks, ", ") + `)`
	if d == Postgres {
		// One array parameter, and a plan made for each lookup: pgx
		// prepares and caches statements per connection, and PostgreSQL
		// then settles on a generic plan; one made while the table was
		// small scans it sequentially once it has grown, within a commit
		// (measured: 30 ms a lookup at 20,000 rows) or across requests.
		cond, args = `p.id_index = ANY($1)`, []any{pgx.QueryExecModeExec, idx}
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.id_index, p.name, p.pinyin, p.initials, p.sort_key, p.ethnicity,
		p.phone_sealed, p.phone_index, p.phone_masked, p.education, p.hometown_code,
		p.hometown_village, p.left_home_on, p.city_code, p.district_code, p.address, p.employer, p.employer_uscc, p.industry,
		p.occupation, p.origin_org_id, p.version, oo.path, m.status, m.joined_on, m.full_on, m.home_org_id, m.mobile_org_id,
		m.certificate_no, ho.path, mo.path`+personFrom+` WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("store: persons by id index: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e ExistingPerson
		p := &e.PersonRow
		var origin string
		var status, certNo, home, mobile sql.NullString
		var homeID, mobileID sql.NullInt64
		var joined, full domain.Date
		var phone string
		if err := rows.Scan(&p.ID, &p.IDIndex, &p.Name, &p.Pinyin, &p.Initials, &p.SortKey, &p.Ethnicity, &p.PhoneSealed,
			&p.PhoneIndex, &phone, &p.Education, &p.HometownCode,
			&p.HometownVillage, &p.LeftHomeOn, &p.CityCode, &p.DistrictCode, &p.Address, &p.Employer, &p.EmployerUSCC,
			&p.Industry, &p.Occupation, &p.OriginOrgID, &p.Version, &origin, &status, &joined, &full, &homeID, &mobileID,
			&certNo, &home, &mobile); err != nil {
			return nil, fmt.Errorf("store: scan existing person: %w", err)
		}
		p.Phone = domain.Masked(phone)
		e.Paths = []string{origin}
		if status.Valid {
			p.Membership = &domain.Membership{Status: domain.MemberStatus(status.String), JoinedOn: joined, FullOn: full,
				HomeOrgID: domain.OrgID(homeID.Int64), MobileOrgID: domain.OrgID(mobileID.Int64), CertificateNo: certNo.String}
			for _, s := range []sql.NullString{home, mobile} {
				if s.Valid {
					e.Paths = append(e.Paths, s.String)
				}
			}
		}
		out[string(p.IDIndex)] = e
	}
	return out, rows.Err()
}

// importBatch bounds the rows of one INSERT: 1,200 × 27 parameters stays
// below SQLite's 32,766 and PostgreSQL's 65,535 placeholders. On SQLite a
// larger statement touches each index page fewer times per row, and every
// page a statement touches is copied to its statement journal: the demo's
// 200,000 people took 38 CPU seconds with 400 rows a statement, 27 with
// 1,200 (the roster import hands over 400 rows at a time anyway).
const importBatch = 1200

// InsertPersons adds new people (every one with an ID number), their
// memberships and a history event of kind with detail for each, in
// multi-row statements inside tx. It returns the new ids in the order of
// ps.
func InsertPersons(ctx context.Context, tx Tx, ps []PersonRow, kind, detail, actor string, on domain.Date, now time.Time) ([]domain.PersonID, error) {
	ids := make([]domain.PersonID, 0, len(ps))
	for start := 0; start < len(ps); start += importBatch {
		chunk := ps[start:min(start+importBatch, len(ps))]
		got, err := insertPersonChunk(ctx, tx, chunk, now)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
		if err := insertMemberships(ctx, tx, chunk, got); err != nil {
			return nil, err
		}
		if err := insertEvents(ctx, tx, got, kind, detail, actor, on, now); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// prepared returns query prepared in tx when the chunk is a whole one
// (a statement of 32,400 parameters costs more to compile than to run);
// nil otherwise, and the caller runs the query directly.
func prepared(ctx context.Context, tx Tx, rows int, query string) (*sql.Stmt, error) {
	if rows != importBatch {
		return nil, nil
	}
	return tx.PrepareContext(ctx, query)
}

// values renders n groups of width placeholders: ($1, $2), ($3, $4) …
// on PostgreSQL. SQLite gets anonymous ? placeholders: it resolves each
// $N through a list searched from the start, which makes a statement of
// 10,000 parameters quadratic (most of the commit's time, measured).
func values(d Dialect, n, width int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			if d == SQLite {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(i*width + j + 1))
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// personInsertColumns are the columns of persons InsertPersons fills, in order.
var personInsertColumns = []string{"name", "pinyin", "initials", "sort_key", "gender", "ethnicity", "id_sealed", "id_index", "id_masked",
	"birth_on", "phone_sealed", "phone_index", "phone_masked", "education", "hometown_code", "hometown_village", "left_home_on",
	"city_code", "district_code", "address", "employer", "employer_uscc", "industry", "occupation", "origin_org_id",
	"created_at", "updated_at"}

// personValues are p's values for personInsertColumns; dates go as dateOf has
// them.
func personValues(p *PersonRow, at time.Time, dateOf func(domain.Date) any) []any {
	return []any{p.Name, p.Pinyin, p.Initials, p.SortKey, p.Gender, p.Ethnicity, p.IDSealed, p.IDIndex,
		string(p.IDNumber), dateOf(p.BirthOn), p.PhoneSealed, nullBytes(p.PhoneIndex), string(p.Phone), p.Education,
		p.HometownCode, p.HometownVillage, dateOf(p.LeftHomeOn), p.CityCode, p.DistrictCode, p.Address, p.Employer,
		p.EmployerUSCC, p.Industry, p.Occupation, int64(p.OriginOrgID), at, at}
}

func insertPersonChunk(ctx context.Context, tx Tx, ps []PersonRow, now time.Time) ([]domain.PersonID, error) {
	for i := range ps {
		if len(ps[i].IDIndex) == 0 {
			return nil, fmt.Errorf("store: insert persons: a row without an ID number")
		}
	}
	if tx.Dialect() == Postgres {
		return copyPersons(ctx, tx, ps, now)
	}
	args := make([]any, 0, len(ps)*len(personInsertColumns))
	at := ts(now)
	for i := range ps {
		args = append(args, personValues(&ps[i], at, func(d domain.Date) any { return d })...)
	}
	query := `INSERT INTO persons (` + strings.Join(personInsertColumns, ", ") + `) VALUES ` +
		values(tx.Dialect(), len(ps), len(personInsertColumns)) + ` RETURNING id, id_index`
	st, err := prepared(ctx, tx, len(ps), query)
	if err != nil {
		return nil, fmt.Errorf("store: insert persons: %w", err)
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = tx.QueryContext(ctx, query, args...)
	}
	if isUnique(err) {
		return nil, domain.Conflict("id_number", "person.id_taken", nil)
	}
	if err != nil {
		return nil, fmt.Errorf("store: insert persons: %w", err)
	}
	defer rows.Close()
	// The order of RETURNING rows is not promised for a multi-row
	// INSERT, so ids are matched back through the unique blind index.
	byIndex := make(map[string]domain.PersonID, len(ps))
	for rows.Next() {
		var id domain.PersonID
		var idx []byte
		if err := rows.Scan(&id, &idx); err != nil {
			return nil, fmt.Errorf("store: insert persons: %w", err)
		}
		byIndex[string(idx)] = id
	}
	if err := rows.Err(); err != nil {
		if isUnique(err) {
			return nil, domain.Conflict("id_number", "person.id_taken", nil)
		}
		return nil, fmt.Errorf("store: insert persons: %w", err)
	}
	ids := make([]domain.PersonID, len(ps))
	for i, p := range ps {
		if ids[i] = byIndex[string(p.IDIndex)]; ids[i] == 0 {
			return nil, fmt.Errorf("store: insert persons: no id returned for row %d", i)
		}
	}
	return ids, nil
}

func insertMemberships(ctx context.Context, tx Tx, ps []PersonRow, ids []domain.PersonID) error {
	var args []any
	n := 0
	for i, p := range ps {
		if m := p.Membership; m != nil {
			args = append(args, ids[i], string(m.Status), m.JoinedOn, m.FullOn, m.HomeOrgID, nullOrg(m.MobileOrgID),
				m.CertificateNo, m.CertificateTo, m.CertificateFrom, m.LastContactOn, contactState(m.ContactState),
				m.ContactStateOn)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (person_id, status, joined_on, full_on, home_org_id,
		mobile_org_id, certificate_no, certificate_to, certificate_from, last_contact_on, contact_state,
		contact_state_on) VALUES `+values(tx.Dialect(), n, 12), args...); err != nil {
		return fmt.Errorf("store: insert memberships: %w", err)
	}
	return nil
}

func insertEvents(ctx context.Context, tx Tx, ids []domain.PersonID, kind, detail, actor string, on domain.Date, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if tx.Dialect() == Postgres {
		at, day := ts(now), pgDate(on)
		i := 0
		_, err := tx.copyFrom(ctx, "person_events", []string{"person_id", "kind", "on_date", "detail", "actor_name", "recorded_at"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == len(ids) {
					return nil, nil
				}
				i++
				return []any{int64(ids[i-1]), kind, day, detail, actor, at}, nil
			}))
		if err != nil {
			return fmt.Errorf("store: insert person events: %w", err)
		}
		return nil
	}
	args := make([]any, 0, len(ids)*6)
	at := ts(now)
	for _, id := range ids {
		args = append(args, id, kind, on, detail, actor, at)
	}
	query := `INSERT INTO person_events (person_id, kind, on_date, detail, actor_name, recorded_at)
		VALUES ` + values(tx.Dialect(), len(ids), 6)
	st, err := prepared(ctx, tx, len(ids), query)
	if err == nil && st != nil {
		_, err = st.ExecContext(ctx, args...)
	} else if err == nil {
		_, err = tx.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return fmt.Errorf("store: insert person events: %w", err)
	}
	return nil
}

// copyPersons writes new people on PostgreSQL with COPY (Tx.copyFrom),
// which returns no rows: their ids are drawn from the table's sequence
// first, one round trip for the chunk, and written with them.
func copyPersons(ctx context.Context, tx Tx, ps []PersonRow, now time.Time) ([]domain.PersonID, error) {
	ids := make([]domain.PersonID, 0, len(ps))
	rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('persons', 'id')) FROM generate_series(1, $1)`,
		len(ps))
	if err != nil {
		return nil, fmt.Errorf("store: insert persons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id domain.PersonID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: insert persons: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) != len(ps) {
		return nil, fmt.Errorf("store: insert persons: %d ids for %d people: %w", len(ids), len(ps), err)
	}
	rows.Close()
	at := ts(now)
	i := 0
	_, err = tx.copyFrom(ctx, "persons", append([]string{"id"}, personInsertColumns...), pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(ps) {
			return nil, nil
		}
		i++
		return append([]any{int64(ids[i-1])}, personValues(&ps[i-1], at, pgDate)...), nil
	}))
	if isUnique(err) {
		return nil, domain.Conflict("id_number", "person.id_taken", nil)
	}
	if err != nil {
		return nil, fmt.Errorf("store: insert persons: %w", err)
	}
	return ids, nil
}

// pgDate is a date as COPY's binary format takes it: NULL when unset.
func pgDate(d domain.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// UpdateImportedPerson overwrites the fields a roster carries for a
// registered person whose version is still p.Version (ID number, birth
// date, gender and organizations stay), upserts the membership when p
// has one, and records the change as an event.
func UpdateImportedPerson(ctx context.Context, tx Tx, p PersonRow, kind, detail, actor string, on domain.Date, now time.Time) error {
	if err := exec1(ctx, tx, "update imported person", `UPDATE persons SET name = $3, pinyin = $4, initials = $5,
		sort_key = $6, ethnicity = $7, phone_sealed = $8, phone_index = $9, phone_masked = $10, education = $11,
		hometown_code = $12, hometown_village = $13, left_home_on = $14, city_code = $15, district_code = $16, address = $17,
		employer = $18, employer_uscc = $19, industry = $20, occupation = $21, updated_at = $22, version = version + 1
		WHERE id = $1 AND version = $2`, p.ID, p.Version, p.Name, p.Pinyin, p.Initials, p.SortKey, p.Ethnicity, p.PhoneSealed,
		nullBytes(p.PhoneIndex), string(p.Phone), p.Education, p.HometownCode, p.HometownVillage, p.LeftHomeOn, p.CityCode,
		p.DistrictCode, p.Address, p.Employer, p.EmployerUSCC, p.Industry, p.Occupation, ts(now)); err != nil {
		return err
	}
	if m := p.Membership; m != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (person_id, status, joined_on, full_on, home_org_id,
			mobile_org_id, certificate_no, certificate_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (person_id) DO UPDATE SET status = excluded.status, joined_on = excluded.joined_on,
			full_on = excluded.full_on, certificate_no = excluded.certificate_no, version = memberships.version + 1`,
			p.ID, string(m.Status), m.JoinedOn, m.FullOn, m.HomeOrgID, nullOrg(m.MobileOrgID), m.CertificateNo,
			m.CertificateTo); err != nil {
			return fmt.Errorf("store: upsert membership: %w", err)
		}
	}
	return AddPersonEvent(ctx, tx, p.ID, kind, on, detail, actor, now)
}

// contactState is the stored form of a state, ok when none was set.
func contactState(c domain.ContactState) string {
	if c == "" {
		return string(domain.ContactOK)
	}
	return string(c)
}
