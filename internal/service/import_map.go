package service

import (
	"strings"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/roster"
)

// sheetMap is one sheet's header: which column holds which field, and
// each column's header as the file writes it (the name error messages
// use).
type sheetMap struct {
	sheet string
	hm    roster.HeaderMatch
}

func newSheetMap(sheet string, hm roster.HeaderMatch) *sheetMap {
	return &sheetMap{sheet: sheet, hm: hm}
}

// cell returns the cell of field key in row (an empty cell when the
// column is absent or the row ends before it).
func (m *sheetMap) cell(row roster.Row, key string) roster.Cell {
	if i, ok := m.hm.Columns[key]; ok && i < len(row.Cells) {
		return row.Cells[i]
	}
	return roster.Cell{}
}

// text is the cell's text, trimmed, with placeholders (无, /, 不详 …)
// read as empty.
func (m *sheetMap) text(row roster.Row, key string) string {
	t := strings.TrimSpace(m.cell(row, key).Text)
	if idcheck.IsPlaceholder(t) {
		return ""
	}
	return t
}

func (m *sheetMap) has(key string) bool { _, ok := m.hm.Columns[key]; return ok }

// header is the header of field key's column, "" when the file has none.
func (m *sheetMap) header(key string) string {
	if i, ok := m.hm.Columns[key]; ok && i < len(m.hm.Headers) {
		return m.hm.Headers[i]
	}
	return ""
}

// issue places a message at a row and a field's column.
func (m *sheetMap) issue(row roster.Row, key, msgID string, args map[string]any) ImportIssue {
	return ImportIssue{Sheet: m.sheet, Row: row.Number, Column: m.header(key), MsgID: msgID, Args: args}
}

// columns is the mapping the preview shows, in column order.
func (m *sheetMap) columns() []ImportColumn {
	byCol := map[int]string{}
	for k, c := range m.hm.Columns {
		byCol[c] = k
	}
	var out []ImportColumn
	for c := range m.hm.Headers {
		if k, ok := byCol[c]; ok {
			out = append(out, ImportColumn{Sheet: m.sheet, Column: roster.ColumnName(c), Header: m.hm.Headers[c], Field: k})
		}
	}
	return out
}

// fieldLabel is the usual Chinese label of a field (its first alias).
func fieldLabel(key string) string {
	for _, f := range roster.PersonFields {
		if f.Key == key && len(f.Labels) > 0 {
			return f.Labels[0]
		}
	}
	return key
}

// columnOfField maps the fields preparePerson and checkPersonOrgs name in
// their errors to roster columns.
func columnOfField(field string) string {
	switch field {
	case "gender":
		return "sex"
	case "employer_uscc":
		return "credit_code"
	case "hometown_code":
		return "hukou"
	case "city_code", "district_code":
		return "work_place"
	case "origin_org", "home_org", "mobile_org":
		return "branch"
	case "status":
		return "party_status"
	}
	return field
}

// fieldSet records which fields a row gave (column present, cell not
// blank): an update overwrites those and keeps the record's other values.
type fieldSet uint32

const (
	fName fieldSet = 1 << iota
	fEthnicity
	fPhone
	fEducation
	fHometown
	fLeftHome
	fWork
	fEmployer
	fUSCC
	fIndustry
	fOccupation
	fMembership
)

// rowInput is a row read into the registration form's input.
type rowInput struct {
	person NewPerson
	fields fieldSet
	warns  []ImportIssue
}

// mapRow reads one data row. A rejection names the column at fault; the
// checks NewPerson gets in preparePerson (name, ID check character,
// gender against the ID, phone, credit code, ethnicity, region codes)
// are not repeated here.
func (im *importer) mapRow(m *sheetMap, row roster.Row) (rowInput, *ImportIssue) {
	var in rowInput
	p := &in.person
	reject := func(key, msgID string, args map[string]any) (rowInput, *ImportIssue) {
		is := m.issue(row, key, msgID, args)
		return in, &is
	}
	warn := func(key, msgID string, args map[string]any) {
		in.warns = append(in.warns, m.issue(row, key, msgID, args))
	}
	if row.Hidden {
		warn("", "import.hidden_row", nil)
	}
	p.Name = m.text(row, "name")
	if _, warns, err := idcheck.NormalizeName(p.Name); err == nil {
		for _, w := range warns {
			warn("name", "import.warn."+w, nil)
		}
	}
	in.fields |= fName

	// The ID number is the key of the import: required, and read from
	// the raw cell, since a number cell has lost its last digits.
	idCell := m.cell(row, "id_number")
	if idCell.IsNumber && roster.LostDigits(idCell) {
		return reject("id_number", "check."+idcheck.CodeIDScientific, nil)
	}
	p.IDNumber = m.text(row, "id_number")
	if p.IDNumber == "" {
		return reject("id_number", "check."+idcheck.CodeIDEmpty, nil)
	}
	id, err := idcheck.ParseID(p.IDNumber, im.now.In(domain.China))
	if err != nil {
		e := idErr("id_number", err).(*domain.Error)
		return reject("id_number", e.MsgID, e.Args)
	}
	for _, w := range id.Warnings {
		warn("id_number", "import.warn."+w, nil)
	}
	p.Gender = m.text(row, "sex")
	if m.text(row, "birth_date") != "" {
		d, prec, w, err := im.cellDate(m.cell(row, "birth_date"))
		switch {
		case err != nil:
			e := idErr("birth_date", err).(*domain.Error)
			return reject("birth_date", e.MsgID, e.Args)
		case w != "":
			warn("birth_date", w, map[string]any{"Value": m.text(row, "birth_date")})
		case !sameBirth(d, prec, id.Birth):
			return reject("birth_date", "check."+idcheck.CodeIDBirthDiff,
				map[string]any{"birth": d.String(), "id_birth": id.Birth.Format(time.DateOnly)})
		}
	}
	if p.Ethnicity = m.text(row, "ethnicity"); p.Ethnicity != "" {
		in.fields |= fEthnicity
	}
	if msg := im.pickPhone(p, m.text(row, "phone")); msg != "" {
		warn("phone", msg, nil)
	}
	if p.Phone != "" {
		in.fields |= fPhone
	}
	if p.Education = m.text(row, "education"); p.Education != "" {
		in.fields |= fEducation
	}
	if p.Employer = m.text(row, "employer"); p.Employer != "" {
		in.fields |= fEmployer
	}
	if p.EmployerUSCC = m.text(row, "credit_code"); p.EmployerUSCC != "" {
		in.fields |= fUSCC
	}
	if p.Occupation = m.text(row, "occupation"); p.Occupation != "" {
		in.fields |= fOccupation
	}
	if t := m.text(row, "industry"); t != "" {
		if code, ok := industryOf(t); ok {
			p.Industry, in.fields = code, in.fields|fIndustry
		} else {
			warn("industry", "import.industry_unknown", map[string]any{"Value": t})
		}
	}
	if m.text(row, "out_date") != "" {
		d, _, w, err := im.cellDate(m.cell(row, "out_date"))
		if err != nil {
			e := idErr("out_date", err).(*domain.Error)
			return reject("out_date", e.MsgID, e.Args)
		}
		if w != "" {
			warn("out_date", w, map[string]any{"Value": m.text(row, "out_date")})
		}
		if !d.IsZero() {
			p.LeftHomeOn, in.fields = d, in.fields|fLeftHome
		}
	}
	if rej := im.mapMembership(m, row, &in); rej != nil {
		return in, rej
	}
	origin := im.origin
	if p.OriginOrgID != 0 {
		origin = im.orgs.byID[p.OriginOrgID]
	}
	if t := m.text(row, "hukou"); t != "" {
		pl := im.resolvePlace(t, origin.RegionCode)
		if pl.code == "" {
			p.HometownVillage = t
			warn("hukou", "import.place_unresolved", map[string]any{"Value": t})
		} else {
			p.HometownCode, p.HometownVillage = pl.code, pl.rest
		}
		in.fields |= fHometown
	}
	if t := m.text(row, "work_place"); t != "" {
		city, district, rest, ok := im.workPlace(t)
		if !ok {
			warn("work_place", "import.place_unresolved", map[string]any{"Value": t})
		}
		p.CityCode, p.DistrictCode = city, district
		if !ok || rest != "" {
			p.Address = t // the street, or a place the table does not know, is kept as written
		}
		in.fields |= fWork
	}
	return in, nil
}

// sameBirth compares a stated birth date with the ID's, to the precision
// the roster gave (出生年月 1990.01 states the month only).
func sameBirth(d domain.Date, prec idcheck.Precision, birth time.Time) bool {
	if d.IsZero() {
		return true
	}
	t := d.Time()
	if prec == idcheck.PrecisionMonth {
		return t.Year() == birth.Year() && t.Month() == birth.Month()
	}
	return t.Year() == birth.Year() && t.Month() == birth.Month() && t.Day() == birth.Day()
}

// pickPhone takes the first mobile number of a cell that may hold several
// (SplitPhones); a cell of landlines only gives no phone and a warning.
// Anything else goes to preparePerson as it is, to be refused there with
// the phone's own message. It returns the warning's message ID, or "".
func (im *importer) pickPhone(p *NewPerson, cell string) string {
	parts := idcheck.SplitPhones(cell)
	if len(parts) == 0 {
		return ""
	}
	landlines := 0
	for i, part := range parts {
		if ph, err := idcheck.ParsePhone(part); err == nil {
			p.Phone = ph.Number
			switch {
			case len(ph.Warnings) > 0:
				return "import.warn." + ph.Warnings[0]
			case i > 0 || len(parts) > 1:
				return "import.phone_extra"
			}
			return ""
		}
		if _, err := idcheck.ParseLandline(part); err == nil {
			landlines++
		}
	}
	if landlines == len(parts) {
		return "import.phone_landline"
	}
	p.Phone = parts[0]
	return ""
}
