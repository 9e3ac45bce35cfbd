package api

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"gongjian/internal/domain"
)

// The shape of a list of people (decision 0018), which writePersonList
// writes by hand; encoding/json's output of these types is the reference.

// personSummaryDTO is a person in a list: the fields a list shows, a
// subset of personDTO's; the whole record is GET /people/{id} (decision
// 0018).
type personSummaryDTO struct {
	ID           int64             `json:"id"`
	Name         string            `json:"name"`
	Pinyin       string            `json:"pinyin"`
	Initials     string            `json:"initials"`
	Gender       int               `json:"gender"`
	IDNumber     string            `json:"id_number,omitempty"` // masked
	Phone        string            `json:"phone,omitempty"`     // masked
	CityCode     string            `json:"city_code,omitempty"`
	DistrictCode string            `json:"district_code,omitempty"`
	Employer     string            `json:"employer,omitempty"`
	Industry     string            `json:"industry,omitempty"`
	Origin       orgRefDTO         `json:"origin"`
	Membership   *memberSummaryDTO `json:"membership,omitempty"` // absent: not a member
	Version      int64             `json:"version"`
}

type memberSummaryDTO struct {
	Status string     `json:"status"`
	Home   orgRefDTO  `json:"home"`
	Mobile *orgRefDTO `json:"mobile,omitempty"` // absent: not placed
}

type personList struct {
	People []personSummaryDTO `json:"people"`
	Total  int                `json:"total"`
	// TotalCapped: total is a lower bound (a search by text, employer
	// or industry is counted with bounded work, up to 1,000).
	TotalCapped bool   `json:"total_capped,omitempty"`
	Next        string `json:"next,omitempty"` // the cursor of the next page; absent on the last
}

func toSummaries(list []domain.Person) []personSummaryDTO {
	out := make([]personSummaryDTO, len(list))
	for i, p := range list {
		out[i] = personSummaryDTO{ID: int64(p.ID), Name: p.Name, Pinyin: p.Pinyin, Initials: p.Initials, Gender: p.Gender,
			IDNumber: string(p.IDNumber), Phone: string(p.Phone), CityCode: p.CityCode, DistrictCode: p.DistrictCode,
			Employer: p.Employer, Industry: p.Industry, Origin: orgRefDTO{ID: int64(p.OriginOrgID), Name: p.OriginOrgName},
			Version: p.Version}
		if m := p.Membership; m != nil {
			out[i].Membership = &memberSummaryDTO{Status: string(m.Status), Home: orgRefDTO{ID: int64(m.HomeOrgID), Name: m.HomeOrgName}}
			if m.MobileOrgID != 0 {
				out[i].Membership.Mobile = &orgRefDTO{ID: int64(m.MobileOrgID), Name: m.MobileOrgName}
			}
		}
	}
	return out
}

// A page written by hand is byte for byte what encoding/json makes of the
// shape: every field present and absent, texts with every character
// class JSON and HTML escape, invalid UTF-8, and random bytes.
func TestPersonListJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	text := func() string { return randomText(r) }
	for round := 0; round < 300; round++ {
		var people []domain.Person // nil on some rounds: "[]" all the same
		for i := 0; i < round%7; i++ {
			p := domain.Person{ID: domain.PersonID(r.Int64()), Name: text(), Pinyin: text(), Initials: text(), Gender: r.IntN(3),
				IDNumber: domain.Masked(text()), Phone: domain.Masked(text()), CityCode: text(), DistrictCode: text(),
				Employer: text(), Industry: text(), OriginOrgID: domain.OrgID(r.Int64N(1000)), OriginOrgName: text(),
				Version: r.Int64()}
			if r.IntN(3) > 0 {
				p.Membership = &domain.Membership{Status: domain.MemberStatus(text()), HomeOrgID: domain.OrgID(r.Int64N(9)),
					HomeOrgName: text()}
				if r.IntN(2) == 0 {
					p.Membership.MobileOrgID, p.Membership.MobileOrgName = domain.OrgID(1+r.Int64N(9)), text()
				}
			}
			people = append(people, p)
		}
		total, capped, next := r.IntN(2000), r.IntN(2) == 0, text()
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(true)
		if err := enc.Encode(personList{People: toSummaries(people), Total: total, TotalCapped: capped, Next: next}); err != nil {
			t.Fatal(err)
		}
		got := appendPersonList(nil, people, total, capped, next)
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("round %d:\n got %s\nwant %s", round, got, want.Bytes())
		}
	}
}

var jsonTexts = []string{"", "张伟", "阿依古丽·买买提", "𠮷野家", "a\"b\\c", "<script>&amp;</script>", "\u2028\u2029x", "tab\tnl\ncr\r",
	"\x00\x01\x1f\x7f", "\b\f", "bad\xff\xfeutf8", "\xe2\x80", "ok ~!@#$%^*()_+"}

// randomText is mostly one of jsonTexts, else random bytes.
func randomText(r *rand.Rand) string {
	if r.IntN(4) > 0 {
		return jsonTexts[r.IntN(len(jsonTexts))]
	}
	b := make([]byte, r.IntN(24))
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return string(b)
}

// One person written by hand is byte for byte what writeJSON made of
// toPerson: every field present and absent, hostile texts, dates set and
// unset, timestamps with and without a fraction.
func TestPersonJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	text := func() string { return randomText(r) }
	date := func() domain.Date {
		if r.IntN(3) == 0 {
			return domain.Date{}
		}
		return domain.NewDate(1950+r.IntN(80), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	}
	instant := func() time.Time {
		t := time.Unix(r.Int64N(4e9), 0).UTC()
		switch r.IntN(3) {
		case 0:
			return t.Add(time.Duration(r.IntN(1e6)) * time.Microsecond)
		case 1:
			return t.Add(120 * time.Millisecond)
		}
		return t
	}
	for round := 0; round < 500; round++ {
		p := domain.Person{ID: domain.PersonID(r.Int64()), Name: text(), Pinyin: text(), Initials: text(), Gender: r.IntN(10),
			Ethnicity: text(), IDNumber: domain.Masked(text()), Phone: domain.Masked(text()), Education: text(),
			HometownCode: text(), HometownVillage: text(), LeftHomeOn: date(), CityCode: text(), DistrictCode: text(),
			Address: text(), Employer: text(), EmployerUSCC: text(), Industry: text(), Occupation: text(),
			OriginOrgID: domain.OrgID(r.Int64N(1000)), OriginOrgName: text(), CreatedAt: instant(), UpdatedAt: instant(),
			Version: r.Int64()}
		if r.IntN(3) > 0 {
			p.Membership = &domain.Membership{Status: domain.MemberStatus(text()), JoinedOn: date(), FullOn: date(),
				HomeOrgID: domain.OrgID(r.Int64N(9)), HomeOrgName: text(), CertificateNo: text(), CertificateTo: date()}
			if r.IntN(2) == 0 {
				p.Membership.MobileOrgID, p.Membership.MobileOrgName = domain.OrgID(1+r.Int64N(9)), text()
			}
		}
		want := httptest.NewRecorder()
		writeJSON(want, http.StatusOK, toPerson(p))
		got := httptest.NewRecorder()
		writePerson(got, http.StatusOK, &p)
		if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			t.Fatalf("round %d:\n got %s\nwant %s", round, got.Body.Bytes(), want.Body.Bytes())
		}
		if got.Header().Get("Content-Length") != strconv.Itoa(want.Body.Len()) {
			t.Fatalf("round %d: Content-Length %s for %d bytes", round, got.Header().Get("Content-Length"), want.Body.Len())
		}
	}
}
