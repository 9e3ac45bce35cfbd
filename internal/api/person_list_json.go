package api

import (
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"gongjian/internal/domain"
)

// writePersonList answers a list of people with personList's JSON,
// byte for byte what writeJSON's encoder makes of toSummaries (HTML
// characters escaped, a newline at the end), written without reflection:
// encoding a page of 50 that way was a tenth of a list request's CPU
// (decision 0018, "session 6"). TestPersonListJSON holds the two equal.
func writePersonList(w http.ResponseWriter, people []domain.Person, total int, capped bool, next string) {
	writeAppended(w, http.StatusOK, func(b []byte) []byte { return appendPersonList(b, people, total, capped, next) })
}

// writePerson answers one person with personDTO's JSON, written as
// writePersonList writes a list (TestPersonJSON holds it to toPerson's
// encoding): encoding/json's reflection was a sixteenth of a request for
// one person, issue #4's fastest query (decision 0018, "session 8").
func writePerson(w http.ResponseWriter, status int, p *domain.Person) {
	writeAppended(w, status, func(b []byte) []byte { return append(appendPerson(b, p), '\n') })
}

// writeAppended answers status with the JSON text fill appends to a
// pooled buffer, with its length.
func writeAppended(w http.ResponseWriter, status int, fill func([]byte) []byte) {
	buf := listBuffers.Get().(*[]byte)
	b := fill((*buf)[:0])
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
	if cap(b) <= 1<<20 {
		*buf = b
		listBuffers.Put(buf)
	}
}

// listBuffers keep the pages' JSON between requests: a page of 50 is
// about 20 KB, and growing a fresh buffer to that was most of the garbage
// a list request left.
var listBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

func appendPersonList(b []byte, people []domain.Person, total int, capped bool, next string) []byte {
	b = append(b, `{"people":[`...)
	for i := range people {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendSummary(b, &people[i])
	}
	b = append(b, ']')
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	if capped {
		b = append(b, `,"total_capped":true`...)
	}
	b = appendOptional(b, `,"next":`, next)
	return append(b, "}\n"...)
}

// appendSummary is one personSummaryDTO.
func appendSummary(b []byte, p *domain.Person) []byte {
	b = appendPersonHead(b, p)
	b = appendOptional(b, `,"id_number":`, string(p.IDNumber))
	b = appendOptional(b, `,"phone":`, string(p.Phone))
	b = appendOptional(b, `,"city_code":`, p.CityCode)
	b = appendOptional(b, `,"district_code":`, p.DistrictCode)
	b = appendOptional(b, `,"employer":`, p.Employer)
	b = appendOptional(b, `,"industry":`, p.Industry)
	b = appendOrgRef(append(b, `,"origin":`...), p.OriginOrgID, p.OriginOrgName)
	if m := p.Membership; m != nil {
		b = append(b, `,"membership":{"status":`...)
		b = appendJSONString(b, string(m.Status))
		b = appendOrgRef(append(b, `,"home":`...), m.HomeOrgID, m.HomeOrgName)
		if m.MobileOrgID != 0 {
			b = appendOrgRef(append(b, `,"mobile":`...), m.MobileOrgID, m.MobileOrgName)
		}
		b = append(b, '}')
	}
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, p.Version, 10)
	return append(b, '}')
}

// appendPersonHead opens a person's object with the fields a summary
// and the whole record begin with.
func appendPersonHead(b []byte, p *domain.Person) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(p.ID), 10)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"pinyin":`...)
	b = appendJSONString(b, p.Pinyin)
	b = append(b, `,"initials":`...)
	b = appendJSONString(b, p.Initials)
	b = append(b, `,"gender":`...)
	b = strconv.AppendInt(b, int64(p.Gender), 10)
	return b
}

// appendPerson is one personDTO.
func appendPerson(b []byte, p *domain.Person) []byte {
	b = appendPersonHead(b, p)
	for _, f := range [...]struct{ key, v string }{{`,"ethnicity":`, p.Ethnicity}, {`,"id_number":`, string(p.IDNumber)},
		{`,"phone":`, string(p.Phone)}, {`,"education":`, p.Education}, {`,"hometown_code":`, p.HometownCode},
		{`,"hometown_village":`, p.HometownVillage}, {`,"left_home_on":`, p.LeftHomeOn.String()},
		{`,"city_code":`, p.CityCode}, {`,"district_code":`, p.DistrictCode}, {`,"address":`, p.Address},
		{`,"employer":`, p.Employer}, {`,"employer_uscc":`, p.EmployerUSCC}, {`,"industry":`, p.Industry},
		{`,"occupation":`, p.Occupation}} {
		b = appendOptional(b, f.key, f.v)
	}
	b = appendOrgRef(append(b, `,"origin":`...), p.OriginOrgID, p.OriginOrgName)
	if m := p.Membership; m != nil {
		b = append(b, `,"membership":{"status":`...)
		b = appendJSONString(b, string(m.Status))
		b = appendOptional(b, `,"joined_on":`, m.JoinedOn.String())
		b = appendOptional(b, `,"full_on":`, m.FullOn.String())
		b = appendOrgRef(append(b, `,"home":`...), m.HomeOrgID, m.HomeOrgName)
		if m.MobileOrgID != 0 {
			b = appendOrgRef(append(b, `,"mobile":`...), m.MobileOrgID, m.MobileOrgName)
		}
		b = appendOptional(b, `,"certificate_no":`, m.CertificateNo)
		b = appendOptional(b, `,"certificate_to":`, m.CertificateTo.String())
		b = append(b, '}')
	}
	b = appendTime(append(b, `,"created_at":`...), p.CreatedAt)
	b = appendTime(append(b, `,"updated_at":`...), p.UpdatedAt)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, p.Version, 10)
	return append(b, '}')
}

// appendTime is t as time.Time's MarshalJSON writes it (RFC 3339 with
// the fraction's trailing zeros dropped).
func appendTime(b []byte, t time.Time) []byte {
	return append(t.AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
}

func appendOrgRef(b []byte, id domain.OrgID, name string) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, `,"name":`...)
	return append(appendJSONString(b, name), '}')
}

// appendOptional is an omitempty string field: key, then the value,
// unless the value is empty.
func appendOptional(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	return appendJSONString(append(b, key...), v)
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with HTML escaping:
// quote, backslash and control characters escaped, <, > and & as \u003c,
// \u003e and \u0026, U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}
