package store

// What a member's own actions and the activity certificate change: the
// certificate on the membership, and where the member works.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// SetCertificate records a member's activity certificate (number and
// validity) if the membership's version is still version.
func SetCertificate(ctx context.Context, q Q, id domain.PersonID, version int64, no string, from, to domain.Date) error {
	return exec1(ctx, q, "set certificate", `UPDATE memberships SET certificate_no = $3, certificate_from = $4, certificate_to = $5,
		version = version + 1 WHERE person_id = $1 AND version = $2`, id, version, no, from, to)
}

// CertificateHolder finds another member than except who holds the
// certificate number no; zero when none does.
func CertificateHolder(ctx context.Context, q Q, no string, except domain.PersonID) (domain.PersonID, error) {
	var id domain.PersonID
	err := q.QueryRowContext(ctx, `SELECT person_id FROM memberships WHERE certificate_no = $1 AND person_id <> $2
		ORDER BY person_id LIMIT 1`, no, except).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: certificate holder: %w", err)
	}
	return id, nil
}

// SetPersonWork records where a person works now: city, district and
// employer (with its credit code), bumping the record's version.
func SetPersonWork(ctx context.Context, q Q, p PersonRow, now time.Time) error {
	return exec1(ctx, q, "set person work", `UPDATE persons SET city_code = $3, district_code = $4, employer = $5, employer_uscc = $6,
		updated_at = $7, version = version + 1 WHERE id = $1 AND version = $2`,
		p.ID, p.Version, p.CityCode, p.DistrictCode, p.Employer, p.EmployerUSCC, ts(now))
}
