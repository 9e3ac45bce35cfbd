package store

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/domain"
)

// UpdatePerson overwrites a person's own fields (not the organizations)
// if the version is still p.Version. The ID number (with the birth date)
// and the phone are written only when setID and setPhone say so: their
// blind indexes never leave the store, so a kept value is left alone. A
// second record with the same ID number is a conflict on "id_number".
func UpdatePerson(ctx context.Context, q Q, p PersonRow, setID, setPhone bool, now time.Time) error {
	if err := exec1(ctx, q, "update person", `UPDATE persons SET name = $3, pinyin = $4, initials = $5, sort_key = $6, gender = $7,
		ethnicity = $8, education = $9, hometown_code = $10, hometown_village = $11, left_home_on = $12, city_code = $13,
		district_code = $14, address = $15, employer = $16, employer_uscc = $17, industry = $18, occupation = $19,
		updated_at = $20, version = version + 1 WHERE id = $1 AND version = $2`,
		p.ID, p.Version, p.Name, p.Pinyin, p.Initials, p.SortKey, p.Gender, p.Ethnicity, p.Education, p.HometownCode,
		p.HometownVillage, p.LeftHomeOn, p.CityCode, p.DistrictCode, p.Address, p.Employer, p.EmployerUSCC, p.Industry,
		p.Occupation, ts(now)); err != nil {
		return err
	}
	if setID {
		_, err := q.ExecContext(ctx, `UPDATE persons SET id_sealed = $2, id_index = $3, id_masked = $4, birth_on = $5 WHERE id = $1`,
			p.ID, p.IDSealed, nullBytes(p.IDIndex), string(p.IDNumber), p.BirthOn)
		if isUnique(err) {
			return domain.Conflict("id_number", "person.id_taken", nil)
		}
		if err != nil {
			return fmt.Errorf("store: update person id: %w", err)
		}
	}
	if setPhone {
		if _, err := q.ExecContext(ctx, `UPDATE persons SET phone_sealed = $2, phone_index = $3, phone_masked = $4 WHERE id = $1`,
			p.ID, p.PhoneSealed, nullBytes(p.PhoneIndex), string(p.Phone)); err != nil {
			return fmt.Errorf("store: update person phone: %w", err)
		}
	}
	return nil
}

// UpdateMembership writes a membership's status, dates and home
// organization if its version is still version, and moves the person's
// origin along with the home when origin moves too (origin non-zero).
func UpdateMembership(ctx context.Context, q Q, id domain.PersonID, version int64, m domain.Membership, origin domain.OrgID) error {
	if err := exec1(ctx, q, "update membership", `UPDATE memberships SET status = $3, joined_on = $4, full_on = $5,
		home_org_id = $6, version = version + 1 WHERE person_id = $1 AND version = $2`,
		id, version, string(m.Status), m.JoinedOn, m.FullOn, m.HomeOrgID); err != nil {
		return err
	}
	if origin == 0 {
		return nil
	}
	return exec1(ctx, q, "move origin", `UPDATE persons SET origin_org_id = $2, version = version + 1 WHERE id = $1`, id, origin)
}
