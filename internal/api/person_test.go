package api

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/domain"
)

// A person goes out masked, without its birth date (the middle of the ID
// number), and with absent parts left out.
func TestPersonShape(t *testing.T) {
	p := domain.Person{ID: 3, Name: "单雄信", Pinyin: "shanxiongxin", Gender: 2, IDNumber: "110105********002X", Phone: "138****5678",
		BirthOn: domain.NewDate(1949, 12, 31), OriginOrgID: 1, OriginOrgName: "村支部",
		Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: 1, HomeOrgName: "村支部", JoinedOn: domain.NewDate(1970, 7, 1)}}
	b, _ := json.Marshal(toPerson(p))
	out := string(b)
	for _, want := range []string{`"id_number":"110105********002X"`, `"phone":"138****5678"`, `"origin":{"id":1,"name":"村支部"}`,
		`"membership":{"status":"full","joined_on":"1970-07-01","home":{"id":1,"name":"村支部"}}`} {
		if !strings.Contains(out, want) {
			t.Errorf("%s lacks %s", out, want)
		}
	}
	for _, not := range []string{"1949", "birth", "mobile", "full_on", "certificate"} {
		if strings.Contains(out, not) {
			t.Errorf("%s has %q", out, not)
		}
	}
	p.Membership = nil
	if b, _ := json.Marshal(toPerson(p)); strings.Contains(string(b), "membership") {
		t.Errorf("a worker has a membership: %s", b)
	}
}

func TestPersonQueryRefusesText(t *testing.T) {
	for _, q := range []string{"q=zw", "text=11010519491231002X", "q="} {
		v, _ := url.ParseQuery(q)
		_, err := personQuery(v)
		if e := domain.AsError(err); e == nil || e.MsgID != "web.person.api.text_in_url" {
			t.Errorf("%s: %v", q, err)
		}
	}
	v, _ := url.ParseQuery("members=true&limit=20&status=full&org=4&after=" + encodeCursor("shan\x001"))
	f, err := personQuery(v)
	if err != nil || f.Members == nil || !*f.Members || f.Limit != 20 || f.Status != domain.StatusFull || f.Org != 4 || f.After != "shan\x001" {
		t.Errorf("filters: %+v %v", f, err)
	}
	if got, err := decodeCursor(encodeCursor("a\x00b")); err != nil || got != "a\x00b" {
		t.Errorf("cursor round trip: %q %v", got, err)
	}
	if _, err := decodeCursor("bm8gbnVs"); err == nil { // "no nul"
		t.Error("a token without the separator is taken")
	}
}
