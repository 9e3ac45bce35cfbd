package store

import (
	"fmt"
	"strconv"
	"strings"

	"gongjian/internal/domain"
)

// A list of people reads the fields a list shows (PersonQuery.Summary,
// decision 0018) from person_summaries: one narrow row per person, part
// of the people index (person_index.go writes it for the people marked
// stale, migration 00021), holding the fields packed in one text. Reading
// them from persons and memberships took two seeks into wide rows per
// person and seventeen columns through the driver — each a type check, a
// copy, a conversion and, in the pure-Go SQLite, two mutex calls — most
// of a list page's time (measured at 200,000 people, decision 0018,
// "since session 6"). The integers come first, each followed by a comma; each
// text is its length in bytes, a colon and the text, so any byte may
// appear in a name or an employer.

// packSummary is p's list fields in the packed form; the organizations'
// names are not in it (they come from OrgNames).
func packSummary(p *PersonRow) string {
	var home, mobile domain.OrgID
	var status domain.MemberStatus
	if m := p.Membership; m != nil {
		home, mobile, status = m.HomeOrgID, m.MobileOrgID, m.Status
	}
	b := make([]byte, 0, 160)
	for _, n := range []int64{int64(p.ID), int64(p.Gender), int64(p.OriginOrgID), p.Version, int64(home), int64(mobile)} {
		b = append(strconv.AppendInt(b, n, 10), ',')
	}
	for _, t := range []string{p.Name, p.Pinyin, p.Initials, p.SortKey, string(p.IDNumber), string(p.Phone), p.CityCode,
		p.DistrictCode, p.Employer, p.Industry, string(status)} {
		b = append(append(strconv.AppendInt(b, int64(len(t)), 10), ':'), t...)
	}
	return string(b)
}

// packed reads the fields of one packed text in order; the first fault
// sticks and the rest read as zero.
type packed struct {
	s   string
	err error
}

func (r *packed) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("store: malformed list row (%d bytes unread)", len(r.s))
	}
	r.s = ""
}

func (r *packed) upTo(sep byte) int64 {
	i := strings.IndexByte(r.s, sep)
	if i < 0 {
		r.fail()
		return 0
	}
	n, err := strconv.ParseInt(r.s[:i], 10, 64)
	if err != nil {
		r.fail()
		return 0
	}
	r.s = r.s[i+1:]
	return n
}

func (r *packed) int() int64 { return r.upTo(',') }

func (r *packed) text() string {
	n := r.upTo(':')
	if n < 0 || n > int64(len(r.s)) {
		r.fail()
		return ""
	}
	t := r.s[:n]
	r.s = r.s[n:]
	return t
}

// summaryScanner reads rows of a packed summary, then the columns in
// more, and hands out the memberships of a page from one slab.
type summaryScanner struct {
	text    string
	dest    []any
	members []domain.Membership
}

func newSummaryScanner(more ...any) *summaryScanner {
	s := &summaryScanner{}
	s.dest = append([]any{&s.text}, more...)
	return s
}

// membership hands out the next membership of the slab; a full slab is
// left to the rows that point into it and a new one begun, so a small
// page (most of a committee's) does not clear room for 50.
func (s *summaryScanner) membership() *domain.Membership {
	if len(s.members) == cap(s.members) {
		s.members = make([]domain.Membership, 0, 16)
	}
	s.members = s.members[:len(s.members)+1]
	return &s.members[len(s.members)-1]
}

// scan reads the current row into p.
func (s *summaryScanner) scan(row interface{ Scan(...any) error }, p *PersonRow) error {
	if err := row.Scan(s.dest...); err != nil {
		return fmt.Errorf("store: scan person: %w", err)
	}
	return s.unpack(s.text, p)
}

// unpack sets p from one packed text; the strings share its memory.
func (s *summaryScanner) unpack(text string, p *PersonRow) error {
	r := packed{s: text}
	p.ID, p.Gender, p.OriginOrgID, p.Version = domain.PersonID(r.int()), int(r.int()), domain.OrgID(r.int()), r.int()
	home, mobile := domain.OrgID(r.int()), domain.OrgID(r.int())
	p.Name, p.Pinyin, p.Initials, p.SortKey = r.text(), r.text(), r.text(), r.text()
	p.IDNumber, p.Phone = domain.Masked(r.text()), domain.Masked(r.text())
	p.CityCode, p.DistrictCode, p.Employer, p.Industry = r.text(), r.text(), r.text(), r.text()
	status := r.text()
	if r.err == nil && r.s != "" {
		r.fail()
	}
	if r.err != nil {
		return r.err
	}
	if status != "" {
		p.Membership = s.membership()
		*p.Membership = domain.Membership{Status: domain.MemberStatus(status), HomeOrgID: home, MobileOrgID: mobile}
	}
	return nil
}
