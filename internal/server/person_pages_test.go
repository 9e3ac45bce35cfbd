package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// County journey 3 and the people list in the browser: search by every
// kind of text, the filters, scope by role, paging, registration and the
// member's own page.

// listedNames are the names of the list's rows, in order.
func listedNames(r resp) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<td><a href="/people/\d+">([^<]+)</a>`).FindAllStringSubmatch(r.body, -1) {
		out = append(out, m[1])
	}
	return out
}

func wantNames(t *testing.T, r resp, want ...string) {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	if got := listedNames(r); !slices.Equal(got, want) {
		t.Errorf("%s %s: names %v, want %v", r.Request.Method, r.Request.URL, got, want)
	}
}

func TestPeopleSearchByEveryKindOfText(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		county := w.signIn(t, "county")
		wantBody(t, county.get("/"), `href="/people"`)
		r := county.get("/people")
		wantNames(t, r, "李四", "单雄信", "王芳", "张伟", "张薇")
		wantBody(t, r, "共 5 人", "110105********002X", "138****5678", "139****5678", `action="/people/search"`)

		// Names and pinyin: POST, then redirected to an address that
		// carries them.
		for text, want := range map[string][]string{"雄": {"单雄信"}, "zhangwei": {"张伟", "张薇"}, "zw": {"张伟", "张薇"}, "SXX": {"单雄信"}} {
			r := county.post("/people/search", url.Values{"q": {text}})
			if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/people?") {
				t.Fatalf("search %q: %d %s", text, r.StatusCode, r.location())
			}
			wantNames(t, county.get(r.location()), want...)
		}
		// ID numbers and phones: answered by the POST itself, and no link
		// or address on the page repeats them.
		for text, want := range map[string]string{"11010519491231002x": "单雄信", "139-1234-5678": "张伟", "150 1234 5678": "李四"} {
			r := county.post("/people/search", url.Values{"q": {text}})
			wantNames(t, r, want)
			wantBody(t, r, `value="`+text+`"`, "共 1 人")
			for _, href := range regexp.MustCompile(`(href|action)="([^"]*)"`).FindAllStringSubmatch(r.body, -1) {
				if regexp.MustCompile(`\d{6}`).MatchString(href[2]) && !strings.HasPrefix(href[2], "/static/") {
					t.Errorf("search %q: address %q carries digits", text, href[2])
				}
			}
			wantBody(t, r, `name="next" value="/people"`)
		}
		// An ID number typed into an address is ignored, with a notice.
		r = county.get("/people?q=" + shanID)
		wantNames(t, r, "李四", "单雄信", "王芳", "张伟", "张薇")
		wantBody(t, r, "按身份证号或手机号查找只能通过查询表单提交")

		// Journey 3: Hangzhou, construction, probationary, initials zw.
		r = county.post("/people/search", url.Values{"q": {"zw"}, "city": {"330100"}, "industry": {"E"}, "status": {"probationary"}})
		wantNames(t, county.get(r.location()), "张薇")
		// The other filters, alone.
		for query, want := range map[string][]string{
			"members=1":                           {"李四", "单雄信", "王芳", "张薇"},
			"members=0":                           {"张伟"},
			"employer=" + url.QueryEscape("建工"):   {"单雄信"},
			"org=" + itoa(w.orgs["M2"].ID):        {"李四"},
			"org=" + itoa(w.orgs["T"].ID):         {"李四", "单雄信", "王芳", "张伟", "张薇"},
			"org_name=" + url.QueryEscape("组织MB"): {"单雄信", "王芳", "张薇"},
			"status=activist":                     {"王芳"},
			"city=320500":                         {"李四"},
			"industry=c":                          {"李四"},
		} {
			wantNames(t, county.get("/people?"+query), want...)
		}
		r = county.get("/people?org_name=" + url.QueryEscape("不存在的组织"))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "找不到名为“不存在的组织”的组织")
	})
}

func TestPeopleScopeByRole(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		for role, want := range map[string][]string{
			"county": {"李四", "单雄信", "王芳", "张伟", "张薇"},
			"home":   {"李四", "单雄信", "张薇"},
			"mobile": {"单雄信", "王芳", "张薇"},
			"host":   {"单雄信", "王芳", "张薇"},
		} {
			b := w.signIn(t, role)
			wantNames(t, b.get("/people"), want...)
			for name, id := range w.people {
				status := http.StatusNotFound
				if slices.Contains(want, name) {
					status = http.StatusOK
				}
				if r := b.get(personPath(id)); r.StatusCode != status {
					t.Errorf("%s opening %s: %d, want %d", role, name, r.StatusCode, status)
				}
			}
		}
		// The host cannot widen its view with a filter naming an
		// organization it does not see.
		host := w.signIn(t, "host")
		r := host.get("/people?org=" + itoa(w.orgs["V"].ID))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "所选组织不存在，或不在您的查看范围内")
		if got := listedNames(r); len(got) != 0 {
			t.Errorf("host filtering by V: %v", got)
		}
		wantNot(t, host.get("/people"), `name="clear"`, `href="/people/new"`)
		// Accounts without person:read get no list and no link to it.
		for _, role := range []string{"member", "cases"} {
			b := w.signIn(t, role)
			wantNot(t, b.get("/"), `href="/people"`)
			wantStatus(t, b.get("/people"), http.StatusForbidden)
			wantStatus(t, b.get("/people/export.xlsx"), http.StatusForbidden)
		}
	})
}

func TestPeoplePaging(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		county := w.actorOf(t, "county")
		for i := range 55 {
			name := "钱" + string([]rune("一二三四五六七八九十")[i%10]) + string([]rune("甲乙丙丁戊己庚辛壬癸")[i/10])
			if _, err := w.svc.CreatePerson(ctx, county, service.NewPerson{Name: name, OriginOrgID: w.orgs["T"].ID}); err != nil {
				t.Fatal(err)
			}
		}
		b := w.signIn(t, "county")
		r := b.get("/people?members=0")
		first := listedNames(r)
		wantBody(t, r, "共 56 人")
		next := regexp.MustCompile(`href="(/people\?[^"]*after=[^"]*)"`).FindStringSubmatch(r.body)
		if len(first) != 50 || next == nil {
			t.Fatalf("first page: %d rows, next %v", len(first), next)
		}
		link := strings.ReplaceAll(next[1], "&amp;", "&")
		if !strings.Contains(link, "members=0") || strings.Contains(link, "qian") {
			t.Errorf("next link %q", link)
		}
		r = b.get(link)
		rest := listedNames(r)
		if len(rest) != 6 || slices.Contains(first, rest[0]) || !strings.Contains(r.body, `href="/people?members=0"`) {
			t.Errorf("second page %v", rest)
		}
		wantNot(t, r, "after=")
		// A garbled cursor is the first page.
		if got := listedNames(b.get("/people?members=0&after=%%%")); len(got) != 50 {
			t.Errorf("garbled cursor: %d rows", len(got))
		}
	})
}

func TestRegisterPerson(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		o := w.orgs
		county := w.signIn(t, "county")
		r := county.get("/people/new")
		wantStatus(t, r, http.StatusOK)
		for _, k := range []string{"C", "T", "V"} {
			wantBody(t, r, `<option value="`+itoa(o[k].ID)+`"`)
		}
		wantBody(t, r, `name="mobile_org"`, `<option value="`+itoa(o["MB"].ID)+`"`, "汉族")
		id := withCheck("32072419920808551")
		wrong := id[:17] + "0"
		if wrong == id {
			wrong = id[:17] + "1"
		}
		form := url.Values{"name": {"赵六"}, "id_number": {wrong}, "phone": {"18612345678"}, "origin_org": {itoa(o["V"].ID)},
			"member": {"on"}, "status": {"full"}, "mobile_org": {itoa(o["MB"].ID)}, "city_code": {"330100"}, "industry": {"F"}}
		// A wrong check character: the form comes back with the
		// service's message beside the field and everything kept.
		r = county.post("/people/new", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "身份证号校验码不对", `value="赵六"`, `value="`+form.Get("id_number")+`"`, `name="member" value="on" checked`)
		form.Set("id_number", id)
		form.Set("gender", "女")
		r = county.post("/people/new", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "填写的性别与身份证号不一致")
		form.Del("gender")
		r = county.post("/people/new", form)
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/people/") {
			t.Fatalf("register: %d %s\n%s", r.StatusCode, r.location(), r.body)
		}
		r = county.get(r.location())
		wantBody(t, r, "人员已登记", "赵六", id[:6]+"********"+id[14:], "186****5678", "正式党员", "组织MB")
		wantMasked(t, "new person's page", r.body)
		// The same ID number again is a conflict on the form.
		r = county.post("/people/new", form)
		wantStatus(t, r, http.StatusConflict)
		wantBody(t, r, "已有一名人员登记了这个身份证号")
		// The host may not register people; the home secretary only at V.
		host := w.signIn(t, "host")
		wantStatus(t, host.get("/people/new"), http.StatusForbidden)
		home := w.signIn(t, "home")
		r = home.get("/people/new")
		wantBody(t, r, `<option value="`+itoa(o["V"].ID)+`"`)
		wantNot(t, r, `<option value="`+itoa(o["T"].ID)+`"`)
		r = home.post("/people/new", url.Values{"name": {"孙七"}, "origin_org": {itoa(o["T"].ID)}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "请选择人员所属的流出地组织")
	})
}

func TestMemberOwnPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		b := w.memberAccount(t, "shanxx", "单雄信")
		wantBody(t, b.get("/"), `href="/me"`)
		r := b.get("/me")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "我的党员档案", "110105********002X", "138****5678", "组织MB", `href="/me" aria-current="page"`)
		wantMasked(t, "/me", r.body)
		// A member whose account is linked to no record sees the notice.
		r = w.memberAccount(t, "nobody", "无名氏").get("/me")
		wantBody(t, r, "您的账号尚未关联党员档案")
		// An official's /me has roles and no record.
		r = w.signIn(t, "county").get("/me")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "此页面供党员查看本人信息")
		wantNot(t, r, "我的党员档案")
	})
}

func TestPeopleFormsNeedCSRF(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		county := w.signIn(t, "county")
		county.get("/people")
		id := personPath(w.people["单雄信"])
		for path, form := range map[string]url.Values{
			"/people/search":      {"q": {shanID}},
			id + "/reveal":        {"field": {"id_number"}, "reason": {"核对"}},
			"/people/new":         {"name": {"赵六"}, "origin_org": {itoa(w.orgs["V"].ID)}},
			"/people/export.xlsx": {"clear": {"1"}},
			"/people/export.csv":  {"clear": {"1"}},
		} {
			for _, token := range []string{"", "forged"} {
				form.Set("csrf", token)
				r := county.postRaw(path, form)
				wantStatus(t, r, http.StatusForbidden)
				wantMasked(t, "refused "+path, r.body)
			}
		}
		for _, action := range []string{"person.reveal", "person.export"} {
			if entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: action}); len(entries) != 0 {
				t.Errorf("refused posts reached the service: %+v", entries)
			}
		}
		if page, _ := w.svc.SearchPersons(ctx, w.actorOf(t, "county"), service.PersonSearch{}); page.Total != 5 {
			t.Errorf("a refused registration wrote: %d people", page.Total)
		}
	})
}
