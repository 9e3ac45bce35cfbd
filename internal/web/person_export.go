package web

import (
	"encoding/csv"
	"io"
	"net/http"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/roster"
	"gongjian/internal/service"
)

// The people list's exports: xlsx (every cell a string, through roster's
// writer) and CSV in GB18030 for the older systems offices still feed.
// Both are masked; with clear=1 the rows the exporter may reveal carry the
// clear ID number and phone, and the service audits the export either way.
//
// GET takes the list's filter from the address, except a search text that
// may be an ID number or phone, which must come by POST (the list page's
// export buttons post its filter), as everything sensitive does.

// csvType is the media type of the CSV export, naming its encoding.
const csvType = "text/csv; charset=GB18030"

// exportRequest reads an export's filter and the clear switch.
func (h *Handler) exportRequest(w http.ResponseWriter, r *http.Request) (service.PersonSearch, bool, bool) {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.PersonRead) {
		h.fail(w, r, domain.ErrForbidden)
		return service.PersonSearch{}, false, false
	}
	vals := r.URL.Query()
	if r.Method == http.MethodPost {
		vals = r.PostForm
	}
	f := filterForm(vals)
	if r.Method != http.MethodPost && sensitiveText(f.Get("q")) {
		h.errorPage(w, r, http.StatusUnprocessableEntity, h.visit(r).L.T("web.person.text_by_form"))
		return service.PersonSearch{}, false, false
	}
	s, err := h.personSearch(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return s, false, false
	}
	return s, vals.Get("clear") == "1", true
}

// exportRows reads the whole export and lays it out as a header and rows
// of text in the visitor's language.
func (h *Handler) exportRows(w http.ResponseWriter, r *http.Request) (header []string, rows [][]string, name string, ok bool) {
	s, clear, ok := h.exportRequest(w, r)
	if !ok {
		return nil, nil, "", false
	}
	list, err := h.svc.ExportPersons(r.Context(), h.principal(r).Actor, s, clear)
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, "", false
	}
	l := h.visit(r).L
	for _, k := range []string{"name", "gender", "ethnicity", "id_number", "phone", "education", "hometown_code", "hometown_village",
		"left_home_on", "city_code", "district_code", "address", "employer", "employer_uscc", "industry", "occupation", "origin_org",
		"status", "joined_on", "full_on", "home_org", "mobile_org", "certificate_no", "certificate_to"} {
		header = append(header, l.T("web.person."+k))
	}
	place := func(code string) string {
		if v := regionInfo(code); v != nil {
			return v.Path
		}
		return code
	}
	rows = make([][]string, 0, len(list))
	for _, e := range list {
		p := personRow{e.Person}
		id, phone := string(p.IDNumber), string(p.Phone)
		if e.Clear {
			id, phone = e.ClearID, e.ClearPhone
		}
		industry := ""
		if p.Industry != "" {
			industry = p.Industry + " " + l.T("industry."+p.Industry)
		}
		row := []string{p.Name, l.T(p.GenderKey()), p.EthnicityName(), id, phone, p.Education, place(p.HometownCode), p.HometownVillage,
			p.LeftHomeOn.String(), place(p.CityCode), place(p.DistrictCode), p.Address, p.Employer, p.EmployerUSCC, industry,
			p.Occupation, p.OriginOrgName}
		if m := p.Membership; m != nil {
			row = append(row, l.T(p.StatusKey()), m.JoinedOn.String(), m.FullOn.String(), m.HomeOrgName, m.MobileOrgName,
				m.CertificateNo, m.CertificateTo.String())
		} else {
			row = append(row, "", "", "", "", "", "", "")
		}
		rows = append(rows, row)
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	key := "web.person.export_filename"
	if clear {
		key = "web.person.export_filename_clear"
	}
	return header, rows, l.T(key, "Stamp", stamp), true
}

func (h *Handler) peopleXLSX(w http.ResponseWriter, r *http.Request) {
	header, rows, name, ok := h.exportRows(w, r)
	if !ok {
		return
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, h.visit(r).L.T("web.person.export_sheet"), "people-"+stamp+".xlsx", name+".xlsx", header, rows)
}

func (h *Handler) peopleCSV(w http.ResponseWriter, r *http.Request) {
	header, rows, name, ok := h.exportRows(w, r)
	if !ok {
		return
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	w.Header().Set("Content-Type", csvType)
	w.Header().Set("Content-Disposition", attachment("people-"+stamp+".csv", name+".csv"))
	if err := writeCSV(w, header, rows); err != nil {
		h.log.Error("web: csv export", "err", err)
	}
}

// writeCSV writes a table as RFC 4180 CSV (quoted where needed, CRLF line
// ends) in GB18030. Every cell is defused like the xlsx ones: a value
// starting with = + - @ TAB CR or NUL gets a leading single quote. The
// quoting is done on the UTF-8 text before encoding, which is safe: no
// GB18030 multi-byte sequence contains the bytes of '"', ',', CR or LF.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	enc := transform.NewWriter(w, encoding.ReplaceUnsupported(simplifiedchinese.GB18030.NewEncoder()))
	cw := csv.NewWriter(enc)
	cw.UseCRLF = true
	safe := func(cells []string) []string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = roster.SafeCell(c)
		}
		return out
	}
	if err := cw.Write(safe(header)); err != nil {
		return err
	}
	for _, row := range rows {
		if err := cw.Write(safe(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return enc.Close()
}
