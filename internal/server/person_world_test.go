package server_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// peopleWorld is the organization world with five people, registered
// through the service by the county:
//
//	单雄信 member of village V placed in MB (covered by A1)  ID 11010519491231002X, 138 1234 5678
//	张薇   probationary member of V placed in MB           employer "=HYPERLINK(…)" (a formula)
//	李四   member of V placed in M2 (no agreement in force)
//	王芳   activist of township T placed in MB
//	张伟   worker of T, no membership                     139 1234 5678
//
// So the home secretary (V) sees 单雄信, 张薇, 李四; the mobile secretary
// (M) and the host (H, through A1) see 单雄信, 王芳, 张薇; the county all.
type peopleWorld struct {
	*orgWorld
	people map[string]domain.PersonID
}

// The people's clear values, which no list, page, export or API answer
// may show.
var (
	shanID     = "11010519491231002X"
	zhangweiID = withCheck("32072419900315402")
	lisiID     = withCheck("32072419851201301")
	clearIDs   = []string{shanID, zhangweiID, lisiID}
	phones     = map[string]string{"单雄信": "13812345678", "张薇": "13712345678", "李四": "15012345678", "张伟": "13912345678"}
)

// withCheck completes 17 digits with their GB 11643 check character.
func withCheck(s17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range s17 {
		sum += int(c-'0') * weights[i]
	}
	return s17 + string("10X98765432"[sum%11])
}

func newPeopleWorld(t *testing.T, db *store.DB) *peopleWorld {
	t.Helper()
	w := &peopleWorld{orgWorld: newOrgWorld(t, db), people: map[string]domain.PersonID{}}
	county := w.actorOf(t, "county")
	o := w.orgs
	member := func(status domain.MemberStatus, home, mobile string) *domain.Membership {
		return &domain.Membership{Status: status, HomeOrgID: o[home].ID, MobileOrgID: o[mobile].ID, JoinedOn: domain.NewDate(2015, 7, 1)}
	}
	for _, p := range []service.NewPerson{
		{Name: "单雄信", IDNumber: shanID, Phone: "138 1234 5678", Employer: "杭州建工集团", Industry: "e", CityCode: "330100",
			OriginOrgID: o["V"].ID, Membership: member(domain.StatusFull, "V", "MB")},
		{Name: "张薇", IDNumber: zhangweiID, Phone: phones["张薇"], Employer: `=HYPERLINK("http://evil.example","点击")`, Industry: "E",
			CityCode: "330100", OriginOrgID: o["V"].ID, Membership: member(domain.StatusProbationary, "V", "MB")},
		{Name: "李四", IDNumber: lisiID, Phone: phones["李四"], Industry: "C", CityCode: "320500", OriginOrgID: o["V"].ID,
			Membership: member(domain.StatusFull, "V", "M2")},
		{Name: "王芳", OriginOrgID: o["T"].ID, CityCode: "330100", Membership: member(domain.StatusActivist, "T", "MB")},
		{Name: "张伟", Phone: "+86 139-1234-5678", CityCode: "330100", Employer: "+小工", OriginOrgID: o["T"].ID},
	} {
		id, err := w.svc.CreatePerson(ctx, county, p)
		if err != nil {
			t.Fatalf("person %s: %v", p.Name, err)
		}
		w.people[p.Name] = id
	}
	return w
}

// memberAccount makes an account with the member role at MB, linked to
// the named person of the world as the security officer links them.
func (w *peopleWorld) memberAccount(t *testing.T, name, person string) *browser {
	t.Helper()
	id, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: name, DisplayName: person, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.BootstrapGrant(ctx, id, authz.RoleMember, w.orgs["MB"].Name); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Tx(ctx, func(tx store.Tx) error { return store.SetAccountPerson(ctx, tx, id, w.people[person]) }); err != nil {
		t.Fatal(err)
	}
	w.accounts[name] = id
	b := w.browser(t)
	if r := b.login(name, goodPassword); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in of %s: %d", name, r.StatusCode)
	}
	return b
}

// actorOf is the service's actor for one of the world's accounts.
func (w *peopleWorld) actorOf(t *testing.T, name string) *authz.Actor {
	t.Helper()
	a, err := w.svc.ActorFor(ctx, w.accounts[name])
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func personPath(id domain.PersonID) string { return "/people/" + itoa(id) }

// csvRecords decodes a GB18030 CSV export.
func csvRecords(t *testing.T, r resp) [][]string {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=GB18030" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="people-`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	dec, err := io.ReadAll(simplifiedchinese.GB18030.NewDecoder().Reader(strings.NewReader(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(dec)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, dec)
	}
	return recs
}

// xlsxStrings opens an export, checks that every cell is a string (never a
// number or a formula) and returns the rows.
func xlsxStrings(t *testing.T, r resp) [][]string {
	t.Helper()
	rows := xlsxRows(t, r)
	f, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	for i, row := range rows {
		for j := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if row[j] == "" {
				continue
			}
			if typ, err := f.GetCellType(sheet, cell); err != nil || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
				t.Errorf("cell %s (%q) has type %v (%v)", cell, row[j], typ, err)
			}
			if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
				t.Errorf("cell %s holds the formula %q", cell, formula)
			}
		}
	}
	return rows
}

var (
	fullIDRE    = regexp.MustCompile(`\d{17}[\dX]`)
	fullPhoneRE = regexp.MustCompile(`1[3-9]\d{9}`)
	// Hashed asset names and the CSRF token are no personal data but
	// could hold a run of digits by chance.
	noiseRE = regexp.MustCompile(`/static/[^"]*|content="[A-Za-z0-9_-]{43}"|name="csrf" value="[^"]*"`)
)

// wantMasked fails on any full ID number or mobile phone in text, and on
// any of the world's clear values.
func wantMasked(t *testing.T, what, text string) {
	t.Helper()
	text = noiseRE.ReplaceAllString(text, "")
	if m := fullIDRE.FindString(text); m != "" {
		t.Errorf("%s: full ID number %q", what, m)
	}
	if m := fullPhoneRE.FindString(text); m != "" {
		t.Errorf("%s: full phone %q", what, m)
	}
	for _, s := range append(clearIDs, "19491231") {
		if strings.Contains(text, s) {
			t.Errorf("%s: clear value %q", what, s)
		}
	}
}
