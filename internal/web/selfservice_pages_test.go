package web

import (
	"strings"
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

func init() { moreSamples = append(moreSamples, memberSamples) }

// memberSamples are the member's own pages, the certificate and its
// check, the inbox, and more variants of the person and account pages
// (added to their own samples: a later sample set replaces a page's
// earlier one, and this file's init runs after person_pages_test.go's).
func memberSamples() map[string][]any {
	rows := samplePeople()
	withCert := rows[0]
	m := *withCert.Membership
	m.CertificateFrom, m.CertificateTo, m.Version = domain.NewDate(2026, 3, 1), domain.NewDate(2027, 2, 28), 3
	withCert.Membership = &m
	qr, err := qrImage("https://gj.example/verify/c/AQID")
	if err != nil {
		panic(err)
	}
	cert := service.Certificate{Person: withCert.Person, Token: "AQID", CanIssue: true, Policy: service.DefaultCertificatePolicy()}
	today := domain.NewDate(2026, 11, 29)
	check := service.CertificateCheck{State: service.CertValid, Number: "GN-2026-0001", ValidFrom: m.CertificateFrom, ValidTo: m.CertificateTo,
		Name: "单*信", IDNumber: "320724********123X", HomeOrg: "新安镇党委", MobileOrg: "灌南县驻杭州流动党委第三支部"}
	replaced := service.CertificateCheck{State: service.CertReplaced, Number: "GN-2025-0009", ValidTo: m.CertificateFrom}
	bad := form(map[string]string{"number": "gn 1", "valid_from": "2026-03-01", "valid_to": "2028-03-01", "version": "3"},
		map[string]string{"number": "格式不对", "valid_to": "最长 12 个月"}, "")
	move := form(map[string]string{"city_code": "320200", "district_code": "320214", "employer": "无锡某电子厂", "moved_on": "2026-11-20"},
		map[string]string{"employer_uscc": "校验码不对"}, "")
	suggestions := []service.Suggestion{{Org: domain.Org{ID: 9, Name: "灌南县驻无锡流动党支部"}, Score: 90, Members: 12,
		Reasons: inWords([]domain.Advice{{Rule: "placement.same_city", Args: map[string]any{"Code": "320200"}},
			{Rule: "placement.has_room", Args: map[string]any{"Members": 12}}})}}
	notices := []noticeRow{
		{Notification: store.Notification{ID: 2, Kind: "move_report", MsgID: "notice.move_reported", Link: "/people/1", CreatedAt: at},
			Args: map[string]any{"Name": "单雄信", "Place": "江苏省 无锡市 新吴区", "Employer": "无锡某电子厂", "Date": "2026-11-20"}},
		{Notification: store.Notification{ID: 1, Kind: "move_report", MsgID: "notice.move_reported", CreatedAt: at, ReadAt: &at}},
	}
	placement := &placementView{Suggestions: suggestions, Version: 3, Current: 4}
	placed := &placementView{Suggestions: []service.Suggestion{{Org: domain.Org{ID: 4, Name: "灌南县驻杭州流动党委第三支部"}}}, Current: 4}
	linked := form(map[string]string{"id_number": "11010519491231002X"}, map[string]string{"id_number": "已关联到账号 shan"}, "")
	return map[string][]any{
		"certificate": {
			certificateData{C: cert, P: withCert, QR: qr, VerifyURL: "https://gj.example/verify/c/AQID", Form: certificateForm(cert, today), Today: today},
			certificateData{C: cert, P: withCert, QR: qr, VerifyURL: "https://gj.example/verify/c/AQID", Own: true, Today: domain.NewDate(2027, 3, 1)},
			certificateData{C: service.Certificate{Person: rows[1].Person, CanIssue: true}, P: rows[1], Form: bad, Today: today},
			certificateData{C: service.Certificate{Person: rows[1].Person}, P: rows[1], Own: true, Today: today},
			certificateData{C: service.Certificate{Person: rows[2].Person}, P: rows[2], Today: today},
		},
		"verify": {verifyData{Check: check}, verifyData{Check: replaced}, verifyData{Check: service.CertificateCheck{State: service.CertForged}},
			verifyData{Check: service.CertificateCheck{State: service.CertExpired, Number: "GN-2025-0009", ValidFrom: today, ValidTo: today,
				Name: "张*", IDNumber: "320724********123X", HomeOrg: "新安镇党委"}}},
		"move": {
			moveData{Form: move, P: rows[0], Provinces: cityChoices(), Districts: districtChoices("320200"), CityName: "江苏省 无锡市", Today: today},
			moveData{Form: form(nil, map[string]string{"city_code": "请选择城市"}, "请重新选择"), P: rows[2], Provinces: cityChoices(), Today: today},
		},
		"move_done": {moveDoneData{P: rows[0], Suggestions: suggestions}, moveDoneData{P: rows[2]}},
		"inbox":     {inboxData{Rows: notices, MoreURL: "/inbox?before=1", Unread: 1}, inboxData{}},
		"person": append(personSamples()["person"], personPageData{P: withCert, Placement: placement},
			personPageData{P: rows[1], Placement: &placementView{}}, personPageData{P: rows[0], Placement: placed}),
		"account_admin": append(samples()["account_admin"],
			accountAdminData{Account: view, GrantForm: form(nil, nil, ""), ResetForm: form(nil, nil, ""), LinkForm: linked, Person: &rows[0], CanManage: true},
			accountAdminData{Account: view, GrantForm: form(nil, nil, ""), ResetForm: form(nil, nil, ""), Person: &rows[0]}),
	}
}

func TestCityChoices(t *testing.T) {
	var names []string
	for _, p := range cityChoices() {
		for _, c := range p.Cities {
			names = append(names, c.Name)
		}
	}
	all := strings.Join(names, " ")
	for _, want := range []string{"无锡市", "杭州市", "上海市", "北京市", "连云港市"} {
		if !strings.Contains(all, want) {
			t.Errorf("%s is not among the cities", want)
		}
	}
	if len(names) < 300 {
		t.Errorf("only %d cities", len(names))
	}
	ds := districtChoices("320200")
	if len(ds) == 0 || !strings.Contains(ds[len(ds)-1].Code+ds[0].Code, "3202") {
		t.Errorf("districts of Wuxi: %v", ds)
	}
}

func TestInWordsNamesCodes(t *testing.T) {
	got := inWords([]domain.Advice{{Rule: "placement.same_city", Args: map[string]any{"Code": "320200"}}})
	if got[0].Args["Code"] != "江苏省 无锡市" {
		t.Errorf("reason args: %v", got[0].Args)
	}
}
