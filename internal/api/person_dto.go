package api

import (
	"encoding/base64"
	"strings"
	"time"

	"gongjian/internal/domain"
)

// The shapes of people. ID numbers and phones go out masked, always: the
// clear value of one field comes only from POST /people/{id}/reveal, and
// the sealed values and blind indexes never leave the service. The birth
// date is left out as well: it is the middle of the ID number, so showing
// it beside the masked number would give the number away.

type membershipDTO struct {
	Status        string     `json:"status"`
	JoinedOn      string     `json:"joined_on,omitempty"`
	FullOn        string     `json:"full_on,omitempty"`
	Home          orgRefDTO  `json:"home"`
	Mobile        *orgRefDTO `json:"mobile,omitempty"` // absent: not placed
	CertificateNo string     `json:"certificate_no,omitempty"`
	CertificateTo string     `json:"certificate_to,omitempty"`
}

type personDTO struct {
	ID              int64          `json:"id"`
	Name            string         `json:"name"`
	Pinyin          string         `json:"pinyin"`
	Initials        string         `json:"initials"`
	Gender          int            `json:"gender"` // GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 unstated
	Ethnicity       string         `json:"ethnicity,omitempty"`
	IDNumber        string         `json:"id_number,omitempty"` // masked
	Phone           string         `json:"phone,omitempty"`     // masked
	Education       string         `json:"education,omitempty"`
	HometownCode    string         `json:"hometown_code,omitempty"`
	HometownVillage string         `json:"hometown_village,omitempty"`
	LeftHomeOn      string         `json:"left_home_on,omitempty"`
	CityCode        string         `json:"city_code,omitempty"`
	DistrictCode    string         `json:"district_code,omitempty"`
	Address         string         `json:"address,omitempty"`
	Employer        string         `json:"employer,omitempty"`
	EmployerUSCC    string         `json:"employer_uscc,omitempty"`
	Industry        string         `json:"industry,omitempty"`
	Occupation      string         `json:"occupation,omitempty"`
	Origin          orgRefDTO      `json:"origin"`
	Membership      *membershipDTO `json:"membership,omitempty"` // absent: not a member
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	Version         int64          `json:"version"`
}

type revealDTO struct {
	Field string `json:"field"`
	Value string `json:"value"` // "" when none is recorded
}

func toPerson(p domain.Person) personDTO {
	out := personDTO{ID: int64(p.ID), Name: p.Name, Pinyin: p.Pinyin, Initials: p.Initials, Gender: p.Gender, Ethnicity: p.Ethnicity,
		IDNumber: string(p.IDNumber), Phone: string(p.Phone), Education: p.Education, HometownCode: p.HometownCode,
		HometownVillage: p.HometownVillage, LeftHomeOn: p.LeftHomeOn.String(), CityCode: p.CityCode, DistrictCode: p.DistrictCode,
		Address: p.Address, Employer: p.Employer, EmployerUSCC: p.EmployerUSCC, Industry: p.Industry, Occupation: p.Occupation,
		Origin: orgRefDTO{ID: int64(p.OriginOrgID), Name: p.OriginOrgName}, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Version: p.Version}
	if m := p.Membership; m != nil {
		md := &membershipDTO{Status: string(m.Status), JoinedOn: m.JoinedOn.String(), FullOn: m.FullOn.String(),
			Home: orgRefDTO{ID: int64(m.HomeOrgID), Name: m.HomeOrgName}, CertificateNo: m.CertificateNo,
			CertificateTo: m.CertificateTo.String()}
		if m.MobileOrgID != 0 {
			md.Mobile = &orgRefDTO{ID: int64(m.MobileOrgID), Name: m.MobileOrgName}
		}
		out.Membership = md
	}
	return out
}

// The cursor clients get is the service's, encoded so that it is one
// opaque token (it holds a pinyin sort key, a NUL and a row id).
func encodeCursor(s string) string {
	if s == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeCursor(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.Contains(string(b), "\x00") {
		return "", domain.Invalid("after", "web.person.api.bad_after", nil)
	}
	return string(b), nil
}
