package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The organization pages as the county and a host street committee use
// them: the three trees, the organization page and its forms.

func link(o domain.Org) string { return `href="/orgs/` + itoa(o.ID) + `"` }

// wantOrder fails unless the substrings appear in body in this order.
func wantOrder(t *testing.T, r resp, subs ...string) {
	t.Helper()
	at := -1
	for _, s := range subs {
		i := strings.Index(r.body, s)
		if i < 0 || i < at {
			t.Fatalf("%s: %q missing or out of order (%v)\n%s", r.Request.URL, s, subs, r.body)
		}
		at = i
	}
}

func wantNot(t *testing.T, r resp, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.body, s) {
			t.Errorf("%s: body has %q", r.Request.URL, s)
		}
	}
}

func TestOrgTreesForCountyAndHost(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		o := w.orgs
		county := w.signIn(t, "county")
		wantBody(t, county.get("/"), `href="/orgs"`, `href="/agreements"`, "共建协议")

		// Origin: county → township → village; no mobile organizations.
		r := county.get("/orgs")
		wantStatus(t, r, http.StatusOK)
		wantOrder(t, r, `aria-current="page">流出地`, link(o["C"]), link(o["T"]), link(o["V"]))
		wantNot(t, r, link(o["M"]), link(o["H"]))
		// Mobile: the county on top, only mobile organizations below it.
		r = county.get("/orgs?side=mobile")
		wantOrder(t, r, link(o["C"]), link(o["M"]), link(o["MB"]), link(o["M2"]))
		wantNot(t, r, link(o["T"]), link(o["V"]))
		// Host: each host organization with what its in-force agreements
		// cover (A1: M); M2 is covered only by a draft and an expired one.
		r = county.get("/orgs?side=host")
		wantOrder(t, r, link(o["H"]), "按生效协议共管的流动党组织", link(o["M"]), link(o["H2"]), `method="post" action="/orgs"`)
		wantNot(t, r, link(o["M2"]))
		// The name filter narrows the tree.
		r = county.get("/orgs?side=origin&name=" + url.QueryEscape("组织V"))
		wantBody(t, r, link(o["V"]), "共 1 个组织")
		wantNot(t, r, link(o["T"]))

		// The host lands on its own view: H and the mobile organization
		// covered; no registration form, no H2.
		host := w.signIn(t, "host")
		r = host.get("/orgs")
		wantOrder(t, r, `aria-current="page">流入地`, link(o["H"]), link(o["M"]))
		wantNot(t, r, link(o["H2"]), link(o["M2"]), `method="post" action="/orgs"`)
		// Its mobile view names the county without a link to it.
		r = host.get("/orgs?side=mobile")
		wantOrder(t, r, `<span class="org-heading">组织C</span>`, link(o["M"]), link(o["MB"]))
		wantNot(t, r, link(o["C"]), link(o["M2"]))
		wantBody(t, host.get("/orgs?side=origin"), "没有可显示的组织")

		// Without any organization permission the page is refused, and
		// the navigation does not offer it.
		member := w.signIn(t, "member")
		wantStatus(t, member.get("/orgs"), http.StatusForbidden)
		wantNot(t, member.get("/"), `href="/orgs"`)
		auditor := w.signIn(t, "auditor")
		wantNot(t, auditor.get("/"), `href="/orgs"`, `href="/agreements"`)
	})
}

func TestOrgPageAndItsForms(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		o := w.orgs
		m := "/orgs/" + itoa(o["M"].ID)
		county := w.signIn(t, "county")
		r := county.get(m)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `<nav class="breadcrumb"`, link(o["C"]), link(o["MB"]), "协议A1", "生效中", "待续签", "成立",
			`action="`+m+`/edit"`, `action="`+m+`/children"`, `action="`+m+`/officers"`, `action="`+m+`/dissolve"`)

		// The host sees M through A1 but changes nothing there; M2 is
		// not found, like any page outside its reach.
		host := w.signIn(t, "host")
		r = host.get(m)
		wantStatus(t, r, http.StatusOK)
		wantNot(t, r, `action="`+m+`/edit"`, `action="`+m+`/children"`, link(o["C"]))
		wantBody(t, r, "组织C")
		r = host.get("/orgs/" + itoa(o["M2"].ID))
		wantStatus(t, r, http.StatusNotFound)
		wantBody(t, r, "您访问的页面或数据不存在")
		wantStatus(t, host.post(m+"/edit", url.Values{"name": {"x"}, "version": {"1"}}), http.StatusForbidden)

		// An organization of the wrong side is refused on the form, which
		// keeps what was typed, and nothing is created.
		before, _ := store.CountOrgs(ctx, db.Read())
		county.get(m)
		r = county.post(m+"/children", url.Values{"name": {"新流出地支部"}, "side": {"origin"}, "kind": {"branch"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "不能在“组织M”下建立这一方的组织", `value="新流出地支部"`)
		if after, _ := store.CountOrgs(ctx, db.Read()); after != before {
			t.Fatalf("a refused organization was created: %d → %d", before, after)
		}
		r = county.post(m+"/children", url.Values{"name": {"杭州第二支部"}, "side": {"mobile"}, "kind": {"branch"},
			"members": {"13"}, "founded_on": {"1998-06-01"}, "industry": {"E"}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/orgs/") {
			t.Fatalf("create child: %d %s\n%s", r.StatusCode, r.location(), r.body)
		}
		second := r.location()
		wantBody(t, county.get(second), "组织已建立", "党员 13 名", "建筑业", link(o["M"]))

		// Editing with a stale version is refused; with the current one it
		// is saved and the history names the changed field.
		version := w.org(t, o["M"].ID).Version
		r = county.post(m+"/edit", url.Values{"name": {"组织M"}, "phone": {"0571-1"}, "version": {itoa(version + 5)}})
		wantStatus(t, r, http.StatusConflict)
		wantBody(t, r, "该记录已被他人修改")
		wantRedirect(t, county.post(m+"/edit", url.Values{"name": {"组织M"}, "phone": {"0571-86001234"}, "version": {itoa(version)}}), m)
		wantBody(t, county.get(m), "组织信息已保存", "0571-86001234", "修改信息", `<span class="badge">联系电话</span>`)

		// Upgrade: the Hangzhou path, branch to general branch.
		mb := "/orgs/" + itoa(o["MB"].ID)
		wantRedirect(t, county.post(mb+"/upgrade", url.Values{"to": {"general_branch"}, "on": {"2010-04-01"}, "members": {"158"},
			"version": {itoa(w.org(t, o["MB"].ID).Version)}}), mb)
		wantBody(t, county.get(mb), "已升格", "党支部 → 党总支", "党员 158 名")

		// Officers: appointed with a masked phone, then the term ends.
		wantRedirect(t, county.post(m+"/officers", url.Values{"name": {"王建国"}, "position": {"secretary"}, "from": {"2020-01-01"},
			"phone": {"13912345678"}}), m)
		r = county.get(m)
		wantBody(t, r, "王建国", "139****5678", "在任")
		wantNot(t, r, "13912345678")
		officers, _ := store.Officers(ctx, db.Read(), o["M"].ID)
		wantRedirect(t, county.post(m+"/officers/"+itoa(officers[0].ID)+"/end", url.Values{"on": {"2026-11-01"}}), m)
		wantBody(t, county.get(m), "离任已登记", "2020-01-01 – 2026-11-01")

		// Merge the new branch into MB by name; both histories record it.
		secondID, _ := strconv.ParseInt(strings.TrimPrefix(second, "/orgs/"), 10, 64)
		wantRedirect(t, county.post(second+"/merge", url.Values{"into": {"组织MB"}, "on": {"2026-11-01"},
			"version": {itoa(w.org(t, domain.OrgID(secondID)).Version)}}), mb)
		r = county.post(second+"/merge", url.Values{"into": {"没有这个组织"}, "on": {"2026-11-01"}, "version": {"1"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "找不到组织“没有这个组织”")
		wantBody(t, county.get(mb), "合并其他组织", `href="`+second+`"`)

		// Dissolution needs its reason.
		v := "/orgs/" + itoa(o["V"].ID)
		r = county.post(v+"/dissolve", url.Values{"on": {"2026-11-01"}, "version": {itoa(w.org(t, o["V"].ID).Version)}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "撤销组织须填写撤销原因")
		wantRedirect(t, county.post(v+"/dissolve", url.Values{"on": {"2026-11-01"}, "note": {"村党组织合并"},
			"version": {itoa(w.org(t, o["V"].ID).Version)}}), v)
		wantBody(t, county.get(v), "组织已撤销", "已撤销", "村党组织合并")
	})
}

func TestRegisterHostOrg(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		county := w.signIn(t, "county")
		county.get("/orgs?side=host")
		r := county.post("/orgs", url.Values{"name": {"姑苏区平江街道党工委"}, "kind": {"committee"}, "region_code": {"3205"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "行政区划代码“3205”格式不对", `value="姑苏区平江街道党工委"`)
		r = county.post("/orgs", url.Values{"name": {"姑苏区平江街道党工委"}, "kind": {"committee"}, "region_code": {"320508"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("register: %d\n%s", r.StatusCode, r.body)
		}
		wantBody(t, county.get(r.location()), "姑苏区平江街道党工委", "流入地", "组织已建立")
		// A host officer may not register counterparties.
		host := w.signIn(t, "host")
		host.get("/orgs")
		r = host.post("/orgs", url.Values{"name": {"另一个街道"}, "kind": {"committee"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "流入地党组织由县委组织部登记")
	})
}

// Host journey 4: the agreement ends at midnight; the next morning the
// host view is empty of the mobile organization and says why.
func TestHostViewTheMorningAfter(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOrgWorld(t, db)
		last := time.Date(2026, 12, 31, 23, 59, 0, 0, domain.China)
		w.clock.Set(last)
		host := w.signIn(t, "host")
		wantBody(t, host.get("/orgs"), link(w.orgs["M"]))
		wantBody(t, host.get("/"), "有 1 份协议将在 60 天内到期")
		w.clock.Set(last.Add(2 * time.Minute))
		r := host.get("/orgs")
		wantStatus(t, r, http.StatusOK)
		wantNot(t, r, link(w.orgs["M"]))
		wantBody(t, r, link(w.orgs["H"]), "协议“协议A1”已于 2027-01-01 起不再有效")
		r = host.get("/")
		wantBody(t, r, "协议“协议A1”已于 2027-01-01 起不再有效")
		wantNot(t, r, "60 天内到期")
	})
}
