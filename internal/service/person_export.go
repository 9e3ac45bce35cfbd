package service

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// What leaves the registry in bulk: the people lists as spreadsheets. A
// member's own record (the data subject's right of access, PIPL art. 45)
// is OwnPerson, in account_link.go.

// MaxExportRows caps one export. The rows are read whole before the file
// is written (so a refusal still gets a clean answer), and at about a
// kilobyte a row this keeps an export near 100 MB; a larger list is to be
// narrowed by its filters first.
const MaxExportRows = 100_000

// exportPage is how many rows each SearchPersons call of an export reads.
const exportPage = 500

// ExportedPerson is one row of a people export: the person as every list
// shows it (masked) and, only when the export asked for clear values and
// the exporter may reveal them where this person belongs, the clear ID
// number and phone.
type ExportedPerson struct {
	domain.Person
	Clear      bool   // the row carries clear values
	ClearID    string // empty unless Clear (or when none is recorded)
	ClearPhone string
}

// ExportPersons is SearchPersons for a spreadsheet: every page of the
// search, masked. With clear, each row whose person the actor may reveal
// (sensitive:reveal at the person's origin, home or mobile organization,
// the check Reveal makes) carries the clear values; the other rows stay
// masked. An exporter who may reveal nothing anywhere is refused. The
// export is one audit entry — filter, rows, whether and how many clear
// values went out — committed before any value leaves.
func (s *Service) ExportPersons(ctx context.Context, a *authz.Actor, f PersonSearch, clear bool) ([]ExportedPerson, error) {
	if clear && a.Filter(authz.SensitiveRead).Empty() {
		return nil, s.denied(ctx, a, "person.export", "person", "", domain.ErrForbidden)
	}
	if err := s.throttle(ctx, a, throttle.Export); err != nil {
		return nil, err
	}
	f.After, f.Limit = "", exportPage
	var out []ExportedPerson
	opened := 0
	for {
		page, err := s.searchPersons(ctx, a, f)
		if err != nil {
			return nil, err
		}
		if page.Total > MaxExportRows {
			return nil, domain.Rule("person.export_too_many", map[string]any{"Count": page.Total, "Max": MaxExportRows})
		}
		if out == nil {
			out = make([]ExportedPerson, 0, page.Total)
		}
		for _, p := range page.People {
			row := ExportedPerson{Person: p}
			if clear {
				if err := s.openExported(ctx, a, &row); err != nil {
					return nil, err
				}
				if row.Clear {
					opened++
				}
			}
			out = append(out, row)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	d := map[string]any{"filter": s.exportFilter(f), "rows": len(out), "clear": opened > 0}
	if clear {
		d["clear_asked"], d["clear_rows"] = true, opened
	}
	if err := s.db.Tx(ctx, func(tx store.Tx) error {
		return s.record(ctx, tx, a, "person.export", "person", "", "ok", d)
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// openExported fills in the clear values of one row when the actor may
// reveal them; a person outside that reach keeps the masked values only.
func (s *Service) openExported(ctx context.Context, a *authz.Actor, row *ExportedPerson) error {
	stored, err := s.personFor(ctx, s.db.Read(), a, row.ID, authz.SensitiveRead)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	for _, v := range []struct {
		sealed string
		aad    []byte
		out    *string
	}{{stored.IDSealed, personIDAAD, &row.ClearID}, {stored.PhoneSealed, personPhoneAAD, &row.ClearPhone}} {
		if v.sealed == "" {
			continue
		}
		b, err := s.cfg.Keys.Open(v.sealed, v.aad)
		if err != nil {
			return fmt.Errorf("service: open export of person %d: %w", row.ID, err)
		}
		*v.out = string(b)
	}
	row.Clear = true
	return nil
}

// exportFilter is the filter as the audit log keeps it. The search text
// may be an ID number or a phone, which the log must not hold in clear
// either: those are masked, and any other text with digits in it (a
// mistyped number) is masked like a phone.
func (s *Service) exportFilter(f PersonSearch) map[string]any {
	m := map[string]any{}
	if t := strings.TrimSpace(f.Text); t != "" {
		m["text"] = s.maskedText(t)
	}
	for k, v := range map[string]string{"employer": f.Employer, "status": string(f.Status), "city_code": f.CityCode, "industry": f.Industry} {
		if v != "" {
			m[k] = v
		}
	}
	if f.Org != 0 {
		m["org"] = f.Org
	}
	if f.Members != nil {
		m["members"] = *f.Members
	}
	return m
}

func (s *Service) maskedText(t string) string {
	if id, err := idcheck.ParseID(t, s.Now().In(domain.China)); err == nil {
		return id.Masked()
	}
	if ph, err := idcheck.ParsePhone(t); err == nil {
		return ph.Masked()
	}
	if strings.ContainsFunc(t, unicode.IsDigit) {
		return domain.MaskPhone(t)
	}
	return t
}
