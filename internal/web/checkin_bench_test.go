package web

import (
	"net/http/httptest"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/web/assets"
)

// BenchmarkCheckinPage renders the page a member's phone shows after the
// scan, as the check-in benchmark's GET does (bench/checkin): the frame
// of a signed-in member and the meeting with the confirm button. Fifty
// scanners a second render it fifty times a second.
func BenchmarkCheckinPage(b *testing.B) {
	bundle, err := i18n.New()
	if err != nil {
		b.Fatal(err)
	}
	pages, err := parsePages(assets.Templates())
	if err != nil {
		b.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		b.Fatal(err)
	}
	h := &Handler{pages: pages, log: discardLog()}
	member := &authz.Actor{AccountID: 7, Name: "dangyuan1", Grants: []domain.Grant{{Role: authz.RoleMember, OrgID: 4}}}
	d := checkinData{Token: "AAAAAAAAAAcAAAAAA2W7mwxxxxxxxxxxxxxxxxxxxxx", M: mtg{sampleMeetings()[0]},
		Line: lineRow{Attendance: sampleLines()[1]}}
	page := Page{L: bundle.For(i18n.ZhCN), Title: "web.checkin.title", Account: &account, CSRF: "csrf-token-of-the-session",
		Static: static, Path: "/checkin/" + d.Token, Nav: navFor(member, "/checkin/"+d.Token), Data: d}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.execute(w, 200, "checkin", page)
	}
	reportCPU(b, start)
}
