package web

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/idcheck"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

func init() { moreSamples = append(moreSamples, personSamples) }

// samplePeople are a placed member, an unplaced one and a worker, in the
// shapes the person templates branch on.
func samplePeople() []personRow {
	member := domain.Person{ID: 1, Name: "单雄信", Pinyin: "shanxiongxin", Initials: "sxx", Gender: 2, Ethnicity: "01",
		IDNumber: "320724********123X", Phone: "138****5678", Education: "高中", HometownCode: "320724", HometownVillage: "新安村",
		LeftHomeOn: d2005, CityCode: "330100", DistrictCode: "330106", Address: "西湖区<b>", Employer: "杭州建工集团",
		EmployerUSCC: "91330100MA2AXXXX0X", Industry: "E", Occupation: "钢筋工", OriginOrgID: 3, OriginOrgName: "新安镇党委",
		Membership: &domain.Membership{Status: domain.StatusProbationary, JoinedOn: d2026, HomeOrgID: 3, HomeOrgName: "新安镇党委",
			MobileOrgID: 4, MobileOrgName: "灌南县驻杭州流动党委第三支部", CertificateNo: "GN-2026-0001", CertificateTo: d2027}}
	unplaced := member
	unplaced.ID, unplaced.Name, unplaced.Membership = 2, "阿依古丽·买买提", &domain.Membership{Status: domain.StatusFull, HomeOrgID: 3, HomeOrgName: "新安镇党委"}
	worker := domain.Person{ID: 3, Name: "张伟", Pinyin: "zhangwei", Gender: 1, Phone: "139****5678", OriginOrgID: 2, OriginOrgName: "灌南县委"}
	return []personRow{{member}, {unplaced}, {worker}}
}

func personSamples() map[string][]any {
	rows := samplePeople()
	orgs := []orgOption{{ID: 1, Label: "灌南县委", Side: domain.SideOrigin, Group: true}, {ID: 3, Label: "\u3000新安镇党委", Side: domain.SideOrigin, Closes: true},
		{ID: 4, Label: "灌南县驻杭州流动党委", Side: domain.SideMobile, Group: true, Closes: true}}
	filter := form(map[string]string{"q": "zw", "org": "3", "status": "full", "members": "1", "industry": "E", "city": "330100"}, nil, "")
	hidden := []hiddenField{{"q", "zw"}, {"org", "3"}}
	county := domain.Org{ID: 1, Name: "灌南县委", Side: domain.SideOrigin, Kind: domain.KindCommittee}
	mobile := domain.Org{ID: 4, Name: "灌南县驻杭州流动党委", Side: domain.SideMobile, Kind: domain.KindCommittee}
	bad := form(map[string]string{"name": "李4", "id_number": "110105194912310021", "member": "on", "status": "full", "origin_org": "1",
		"mobile_org": "4", "ethnicity": "01", "gender": "女", "industry": "E"},
		map[string]string{"name": "姓名中不能有数字", "id_number": "校验码不对", "origin_org": "请选择"}, "已有一名人员登记了这个身份证号")
	reason := form(map[string]string{"field": "phone", "reason": ""}, map[string]string{"reason": "须填写事由"}, "")
	garbled := form(map[string]string{"field": "x"}, nil, "只能查看身份证号或手机号")
	return map[string][]any{
		"person_list": {
			personListData{Form: filter, Rows: rows, Total: 120, Searched: true, Hidden: hidden, NextURL: "/people?q=zw&after=abc",
				FirstURL: "/people?q=zw", Orgs: orgs, Statuses: domain.MemberStatuses(), Industries: industryCodes(), CanClear: true, CanCreate: true},
			personListData{Form: form(map[string]string{"q": "13912345678"}, nil, ""), Rows: rows[2:], Total: 1, Searched: true, Posted: true,
				Hidden: []hiddenField{{"q", "13912345678"}}, NextAfter: "abc", Orgs: orgs, Statuses: domain.MemberStatuses(), Industries: industryCodes()},
			personListData{Form: form(map[string]string{"q": "王"}, nil, ""), Rows: rows, Total: 1000, Capped: true, Searched: true,
				Posted: true, Hidden: []hiddenField{{"q", "王"}}, NextAfter: "abc", Orgs: orgs, Statuses: domain.MemberStatuses(),
				Industries: industryCodes()},
			personListData{Form: form(nil, map[string]string{"org_name": "找不到"}, ""), Notice: "web.person.text_by_form",
				Statuses: domain.MemberStatuses(), Industries: industryCodes()},
		},
		"person": {
			personPageData{P: rows[0], CanReveal: true},
			personPageData{P: rows[0], History: []store.PersonEvent{{Kind: "placed", On: domain.NewDate(2026, 3, 1), ActorName: "county"},
				{Kind: "updated", On: domain.NewDate(2026, 2, 1)}, {Kind: "registered", On: domain.NewDate(2026, 1, 1), ActorName: "system"}}},
			personPageData{P: rows[0], CanReveal: true, Revealed: true, Field: "id_number", Value: "32072419900101123X"},
			personPageData{P: rows[2], CanReveal: true, Revealed: true, Field: "id_number"},
			personPageData{P: rows[1], CanReveal: true, Reveal: reason},
			personPageData{P: rows[1], CanReveal: true, Reveal: garbled, Refused: refusedUnlessShown(garbled)},
			personPageData{P: rows[2], Refused: "您无权查看"},
		},
		"person_new": {
			personNewData{Form: bad, Origins: []domain.Org{county}, Mobile: []domain.Org{mobile}, Ethnic: idcheck.EthnicGroups(),
				Statuses: domain.MemberStatuses(), Industries: industryCodes()},
			personNewData{Form: form(nil, nil, ""), Ethnic: idcheck.EthnicGroups(), Statuses: domain.MemberStatuses()},
		},
		"me": {
			meData{Name: "单雄信", Grants: grants, Member: true, Person: &rows[0]},
			meData{Name: "张伟", Grants: grants, Member: true, Person: &rows[2]},
			meData{Name: "li4", Member: true, Pending: true},
			meData{Name: "county", Grants: grants[:1]},
		},
	}
}

// personKeyRE finds keys of the people catalogue that reached a page
// unrendered.
var personKeyRE = regexp.MustCompile(`\bweb\.(person|me)\.[a-z_]+(\.[a-z_]+)*\b`)

// The person pages render every key, escape names, mark the navigation
// and, in the samples that hold no revealed value, show no full ID number
// or phone.
func TestPersonPagesRenderEveryKey(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(assets.Templates())
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{pages: pages, log: discardLog()}
	actor := &authz.Actor{AccountID: 7, Grants: []domain.Grant{{Role: authz.RoleMember}},
		Reach: []authz.Reach{{Role: authz.RoleCountyOfficer, OrgID: 1, Path: "/1/", Side: domain.SideOrigin}}}
	fullID, fullPhone := regexp.MustCompile(`\d{17}[\dX]`), regexp.MustCompile(`1[3-9]\d{9}`)
	for name, variants := range personSamples() {
		for i, d := range variants {
			for _, lang := range i18n.Languages() {
				l := &recorder{Localizer: bundle.For(lang)}
				page := Page{L: l, Title: "web.person.title", Account: &account, CSRF: "tok", Static: static, Path: "/people", Data: d,
					Nav: navFor(actor, "/people/1")}
				w := httptest.NewRecorder()
				h.execute(w, 200, name, page)
				out := w.Body.String()
				if w.Code != 200 || len(l.missing) > 0 {
					t.Fatalf("%s/%d/%s: status %d, missing %v\n%s", name, i, lang, w.Code, l.missing, out)
				}
				text := regexp.MustCompile(`value="[^"]*"|href="[^"]*"|name="[^"]*"|(id|for|class)="[^"]*"`).ReplaceAllString(out, "")
				if m := personKeyRE.FindString(text); m != "" {
					t.Errorf("%s/%d/%s: unrendered key %q", name, i, lang, m)
				}
				if strings.Contains(out, "西湖区<b>") {
					t.Errorf("%s/%d: an address is not escaped", name, i)
				}
				if !strings.Contains(out, `href="/people" aria-current="page"`) || !strings.Contains(out, `href="/me"`) {
					t.Errorf("%s/%d: the navigation lacks people or me", name, i)
				}
				// Only a revealed value or a value typed into the form may
				// be whole.
				if pd, ok := d.(personPageData); (!ok || !pd.Revealed) && name != "person_new" && name != "person_list" {
					if m := fullID.FindString(out) + fullPhone.FindString(out); m != "" {
						t.Errorf("%s/%d: full value %q", name, i, m)
					}
				}
			}
		}
	}
}

func TestCSVIsGB18030AndDefused(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{{"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\x00x", "safe"},
		{"𠮷野家", "a,b", "引号\"在内", "两行\r\n文字", "'已引", "", " 空格", "阿依古丽·买买提"}}
	if err := writeCSV(&buf, []string{"姓名", "单位"}, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("\r\n")) || bytes.Contains(buf.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Errorf("line ends or BOM: %q", buf.Bytes())
	}
	dec, err := io.ReadAll(simplifiedchinese.GB18030.NewDecoder().Reader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(bytes.NewReader(dec))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, dec)
	}
	// With CRLF line ends encoding/csv writes no lone CR at all: the cell
	// that began with one keeps the defusing quote and loses the CR.
	want := [][]string{{"姓名", "单位"},
		{"'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'x", "'\x00x", "safe"},
		{"𠮷野家", "a,b", "引号\"在内", "两行\n文字", "'已引", "", " 空格", "阿依古丽·买买提"}}
	if len(recs) != len(want) {
		t.Fatalf("records %q", recs)
	}
	for i := range want {
		for j := range want[i] {
			if recs[i][j] != want[i][j] {
				t.Errorf("cell %d,%d = %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
}

func TestSensitiveTextAndCursor(t *testing.T) {
	for s, want := range map[string]bool{"张伟": false, "zw": false, "zhang wei": false, "13912345678": true, "3207241990": true,
		"139 1234": true, "１３９": true, "": false} {
		if got := sensitiveText(s); got != want {
			t.Errorf("sensitiveText(%q) = %v", s, got)
		}
	}
	c := "zhang\x01wei\x00" + "42"
	if got := decodeCursor(encodeCursor(c)); got != c {
		t.Errorf("cursor round trip: %q", got)
	}
	for _, bad := range []string{"", "!!", "YWJj"} {
		if got := decodeCursor(bad); got != "" {
			t.Errorf("decodeCursor(%q) = %q", bad, got)
		}
	}
}
