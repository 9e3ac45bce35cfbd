package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// PersonRow is a person as stored: the sealed values and their blind
// indexes travel with the record but never leave the service.
type PersonRow struct {
	domain.Person
	SortKey     string
	IDSealed    string
	IDIndex     []byte
	PhoneSealed string
	PhoneIndex  []byte
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// CreatePerson inserts a person (and the membership, when there is one).
// A second record with the same ID number is a conflict on "id_number".
func CreatePerson(ctx context.Context, q Q, p PersonRow, now time.Time) (domain.PersonID, error) {
	var id domain.PersonID
	err := q.QueryRowContext(ctx, `INSERT INTO persons (name, pinyin, initials, sort_key, gender, ethnicity, id_sealed, id_index,
		id_masked, birth_on, phone_sealed, phone_index, phone_masked, education, hometown_code, hometown_village, left_home_on,
		city_code, district_code, address, employer, employer_uscc, industry, occupation, origin_org_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $26)
		RETURNING id`,
		p.Name, p.Pinyin, p.Initials, p.SortKey, p.Gender, p.Ethnicity, p.IDSealed, nullBytes(p.IDIndex), string(p.IDNumber),
		p.BirthOn, p.PhoneSealed, nullBytes(p.PhoneIndex), string(p.Phone), p.Education, p.HometownCode, p.HometownVillage,
		p.LeftHomeOn, p.CityCode, p.DistrictCode, p.Address, p.Employer, p.EmployerUSCC, p.Industry, p.Occupation,
		p.OriginOrgID, ts(now)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("id_number", "person.id_taken", nil)
	}
	if err != nil {
		return 0, fmt.Errorf("store: create person: %w", err)
	}
	if m := p.Membership; m != nil {
		if _, err := q.ExecContext(ctx, `INSERT INTO memberships (person_id, status, joined_on, full_on, home_org_id, mobile_org_id,
			certificate_no, certificate_to, certificate_from, last_contact_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			id, string(m.Status), m.JoinedOn, m.FullOn, m.HomeOrgID, nullOrg(m.MobileOrgID), m.CertificateNo, m.CertificateTo,
			m.CertificateFrom, m.LastContactOn); err != nil {
			return 0, fmt.Errorf("store: create membership: %w", err)
		}
	}
	return id, nil
}

const personCols = `p.id, p.name, p.pinyin, p.initials, p.sort_key, p.gender, p.ethnicity, p.id_sealed, p.id_masked, p.birth_on,
	p.phone_sealed, p.phone_masked, p.education, p.hometown_code, p.hometown_village, p.left_home_on, p.city_code, p.district_code,
	p.address, p.employer, p.employer_uscc, p.industry, p.occupation, p.origin_org_id, oo.name, p.created_at, p.updated_at, p.version,
	m.status, m.joined_on, m.full_on, m.home_org_id, ho.name, m.mobile_org_id, mo.name, m.certificate_no, m.certificate_to, m.version,
	m.certificate_from, m.last_contact_on, m.contact_state, m.contact_state_on`

const personFrom = ` FROM persons p` + personJoins

// personJoins are the joins personCols reads from, after persons p.
const personJoins = ` JOIN orgs oo ON oo.id = p.origin_org_id
	LEFT JOIN memberships m ON m.person_id = p.id
	LEFT JOIN orgs ho ON ho.id = m.home_org_id
	LEFT JOIN orgs mo ON mo.id = m.mobile_org_id`

func scanPerson(row interface{ Scan(...any) error }) (PersonRow, error) {
	var p PersonRow
	err := scanPersonThen(row, &p)
	return p, err
}

// scanPersonThen scans personCols into p, and the columns after them
// into more.
func scanPersonThen(row interface{ Scan(...any) error }, p *PersonRow, more ...any) error {
	var idMasked, phoneMasked string
	var status, homeName, mobileName, certNo, contact sql.NullString
	var homeID, mobileID, mVersion sql.NullInt64
	var joined, full, certTo, certFrom, lastContact, contactOn domain.Date
	err := row.Scan(append([]any{&p.ID, &p.Name, &p.Pinyin, &p.Initials, &p.SortKey, &p.Gender, &p.Ethnicity, &p.IDSealed, &idMasked,
		&p.BirthOn, &p.PhoneSealed, &phoneMasked, &p.Education, &p.HometownCode, &p.HometownVillage, &p.LeftHomeOn, &p.CityCode,
		&p.DistrictCode, &p.Address, &p.Employer, &p.EmployerUSCC, &p.Industry, &p.Occupation, &p.OriginOrgID, &p.OriginOrgName,
		&p.CreatedAt, &p.UpdatedAt, &p.Version, &status, &joined, &full, &homeID, &homeName, &mobileID, &mobileName, &certNo, &certTo,
		&mVersion, &certFrom, &lastContact, &contact, &contactOn}, more...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: scan person: %w", err)
	}
	p.IDNumber, p.Phone = domain.Masked(idMasked), domain.Masked(phoneMasked)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if status.Valid {
		p.Membership = &domain.Membership{Status: domain.MemberStatus(status.String), JoinedOn: joined, FullOn: full,
			HomeOrgID: domain.OrgID(homeID.Int64), HomeOrgName: homeName.String, MobileOrgID: domain.OrgID(mobileID.Int64),
			MobileOrgName: mobileName.String, CertificateNo: certNo.String, CertificateTo: certTo, Version: mVersion.Int64,
			CertificateFrom: certFrom, LastContactOn: lastContact, ContactState: domain.ContactState(contact.String), ContactStateOn: contactOn}
	}
	return nil
}

// PersonByID reads one person. The caller checks the scope on the
// organizations it returns (PersonScope).
func PersonByID(ctx context.Context, q Q, id domain.PersonID) (PersonRow, error) {
	return scanPerson(q.QueryRowContext(ctx, `SELECT `+personCols+personFrom+` WHERE p.id = $1`, id))
}

// PersonWithPaths reads one person and the organization paths it belongs
// to: the origin organization, and for members the home and mobile
// organizations, for the caller to check its scope on, in one query (a
// request for one person is mostly this query).
func PersonWithPaths(ctx context.Context, q Q, id domain.PersonID) (PersonRow, []string, error) {
	if onSQLite(q) {
		return personWithPathsJSON(ctx, q, id)
	}
	var origin string
	var home, mobile sql.NullString
	var p PersonRow
	err := scanPersonThen(q.QueryRowContext(ctx, `SELECT `+personCols+`, oo.path, ho.path, mo.path`+personFrom+` WHERE p.id = $1`, id),
		&p, &origin, &home, &mobile)
	if err != nil {
		return p, nil, err
	}
	paths := []string{origin}
	for _, path := range []sql.NullString{home, mobile} {
		if path.Valid {
			paths = append(paths, path.String)
		}
	}
	return p, paths, nil
}

// AddPersonEvent records one change in a person's history.
func AddPersonEvent(ctx context.Context, q Q, id domain.PersonID, kind string, on domain.Date, detail, actor string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO person_events (person_id, kind, on_date, detail, actor_name, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, kind, on, detail, actor, ts(now))
	if err != nil {
		return fmt.Errorf("store: person event: %w", err)
	}
	return nil
}

// SetPlacement places a member in a mobile organization (zero: unplaced)
// if the membership's version is still version.
func SetPlacement(ctx context.Context, q Q, id domain.PersonID, version int64, org domain.OrgID) error {
	return exec1(ctx, q, "set placement", `UPDATE memberships SET mobile_org_id = $3, version = version + 1
		WHERE person_id = $1 AND version = $2`, id, version, nullOrg(org))
}

// PersonEvent is one entry of a person's history.
type PersonEvent struct {
	Kind       string // registered, placed, imported …
	On         domain.Date
	Detail     string // JSON
	ActorName  string
	RecordedAt time.Time
}

// PersonEvents is a person's history, newest first.
func PersonEvents(ctx context.Context, q Q, id domain.PersonID) ([]PersonEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, on_date, detail, actor_name, recorded_at FROM person_events
		WHERE person_id = $1 ORDER BY id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("store: person events: %w", err)
	}
	defer rows.Close()
	var out []PersonEvent
	for rows.Next() {
		var e PersonEvent
		if err := rows.Scan(&e.Kind, &e.On, &e.Detail, &e.ActorName, &e.RecordedAt); err != nil {
			return nil, err
		}
		e.RecordedAt = e.RecordedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
