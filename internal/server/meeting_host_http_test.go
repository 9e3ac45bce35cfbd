package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The host side of a joint meeting over HTTP: the host officer records
// its own people on the page (refused input comes back on the form), the
// page, the sheet's export and the API show them apart from the members'
// count; the API adds and removes; a meeting without a host has no host
// side to record.
func TestMeetingHostsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		w.linkedMember(t, "dangyuan1", "孙小军", "32072419920101301", "13812340001")
		mb, h := itoa(w.orgs["MB"].ID), itoa(w.orgs["H"].ID)
		sec := w.signIn(t, "mobile")
		sec.get("/meetings/new?org=" + mb)
		r := sec.post("/meetings", url.Values{"org": {mb}, "kind": {"theme_day"}, "day": {"2026-11-29"}, "start": {"08:30"},
			"place": {"党群服务中心"}, "topic": {"联合主题党日", "x"}, "co_org": {h}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("plan: %d\n%s", r.StatusCode, r.body)
		}
		page := r.location()
		host := w.signIn(t, "host")
		host.get(page)
		r = host.post(page+"/hosts", url.Values{"name": {"钱志文"}, "post": {"拱墅区米市巷街道党工委 组织委员"}, "party": {"yes"}})
		wantRedirect(t, r, page)
		r = host.post(page+"/hosts", url.Values{"post": {"辖区党员和居民"}, "headcount": {"12"}})
		wantRedirect(t, r, page)
		r = host.post(page+"/hosts", url.Values{"name": {"方晓燕 13812345678"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "不登记身份证号、电话等号码") || !strings.Contains(r.body, `value="方晓燕 13812345678"`) {
			t.Fatalf("refused host line:\n%s", r.body)
		}
		r = host.post(page+"/hosts", url.Values{"name": {"方晓燕"}, "party": {"maybe"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		r = host.get(page)
		if !strings.Contains(r.body, `id="host-side"`) || !strings.Contains(r.body, "钱志文") || !strings.Contains(r.body, "辖区党员和居民") ||
			!strings.Contains(r.body, "共 13 人（列名 1 人，另 12 人）；其中党员 1 人") || !strings.Contains(r.body, "应到 1 人") {
			t.Fatalf("meeting page:\n%s", r.body)
		}
		var found bool
		for _, row := range xlsxStrings(t, sec.get(page+"/attendance.xlsx")) {
			found = found || (row[0] == "钱志文" && row[1] == "驻地方" && row[len(row)-2] == "党员" && row[len(row)-1] == "1")
		}
		if !found {
			t.Fatal("the sheet's export has no host line")
		}

		// The API: the detail, an addition and a removal.
		api := "/api/v1/" + strings.TrimPrefix(page, "/")
		res := w.api(t, "host", http.MethodPost, api+"/hosts", `{"name":"叶建华","post":"社区网格员","party_member":false}`)
		var d struct {
			Count     struct{ Expected int }
			HostCount struct{ Named, Unnamed, Total, PartyMembers int } `json:"host_count"`
			Hosts     []struct {
				ID          int64
				Name        string
				PartyMember *bool `json:"party_member"`
				Headcount   int
			} `json:"host_attendees"`
		}
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.body), &d) != nil || len(d.Hosts) != 3 || d.HostCount.Total != 14 ||
			d.HostCount.Named != 2 || d.Count.Expected != 1 || d.Hosts[1].Name != "叶建华" || d.Hosts[1].PartyMember == nil || *d.Hosts[1].PartyMember {
			t.Fatalf("API add: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "host", http.MethodPost, api+"/hosts", `{"post":"居民","headcount":0}`)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.body, `"field":"name"`) {
			t.Fatalf("API bad line: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "mobile", http.MethodDelete, api+"/hosts/"+itoa(d.Hosts[1].ID), "")
		if res.StatusCode != http.StatusOK || strings.Contains(res.body, "叶建华") {
			t.Fatalf("API remove: %d %s", res.StatusCode, res.body)
		}
		res = w.api(t, "mobile", http.MethodDelete, api+"/hosts/"+itoa(d.Hosts[1].ID), "")
		wantStatus(t, res, http.StatusNotFound)

		// A meeting of the branch alone: the host may read it but keeps
		// no host side there, and the secretary is told there is none.
		r = sec.post("/meetings", url.Values{"org": {mb}, "kind": {"theme_day"}, "day": {"2026-11-29"}, "start": {"09:00"},
			"place": {"工地"}, "topic": {"学习党章"}})
		alone := r.location()
		wantStatus(t, host.post(alone+"/hosts", url.Values{"name": {"钱志文"}}), http.StatusForbidden)
		r = sec.post(alone+"/hosts", url.Values{"name": {"钱志文"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "没有联合主办的驻地党组织") {
			t.Fatalf("host side of a meeting without a host: %d\n%s", r.StatusCode, r.body)
		}
		if strings.Contains(sec.get(alone).body, `id="host-side"`) {
			t.Fatal("a meeting without a host shows a host side")
		}
	})
}
