package store

import (
	"context"
	"time"

	"gongjian/internal/domain"
)

// UpdatePerson overwrites a person's own fields (not the organizations)
// if the version is still p.Version. A second record with the same ID
// number is a conflict on "id_number".
func UpdatePerson(ctx context.Context, q Q, p PersonRow, now time.Time) error {
	err := exec1(ctx, q, "update person", `UPDATE persons SET name = $3, pinyin = $4, initials = $5, sort_key = $6, gender = $7,
		ethnicity = $8, id_sealed = $9, id_index = $10, id_masked = $11, birth_on = $12, phone_sealed = $13, phone_index = $14,
		phone_masked = $15, education = $16, hometown_code = $17, hometown_village = $18, left_home_on = $19, city_code = $20,
		district_code = $21, address = $22, employer = $23, employer_uscc = $24, industry = $25, occupation = $26,
		updated_at = $27, version = version + 1 WHERE id = $1 AND version = $2`,
		p.ID, p.Version, p.Name, p.Pinyin, p.Initials, p.SortKey, p.Gender, p.Ethnicity, p.IDSealed, nullBytes(p.IDIndex),
		string(p.IDNumber), p.BirthOn, p.PhoneSealed, nullBytes(p.PhoneIndex), string(p.Phone), p.Education, p.HometownCode,
		p.HometownVillage, p.LeftHomeOn, p.CityCode, p.DistrictCode, p.Address, p.Employer, p.EmployerUSCC, p.Industry,
		p.Occupation, ts(now))
	if isUnique(err) {
		return domain.Conflict("id_number", "person.id_taken", nil)
	}
	return err
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
