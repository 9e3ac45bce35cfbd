package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// Corrections of the dues ledger through HTTP (people world, clock at 29
// November 2026): voiding a payment and reopening a month, by the API with
// the reason in the JSON body and by the pages' folded forms, with their
// refusals.

func TestDuesCorrectionsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		shan := "/api/v1/people/" + itoa(w.people["单雄信"]) + "/dues"
		m, mb := "/api/v1/orgs/"+itoa(w.orgs["M"].ID)+"/dues/closed-months", "/api/v1/orgs/"+itoa(w.orgs["MB"].ID)+"/dues/closed-months"
		call := func(who, method, path, body string) resp {
			r := w.api(t, who, method, path, body)
			wantMasked(t, who+" "+method+" "+path, r.body)
			return r
		}
		wantStatus(t, call("mobile", http.MethodPost, shan+"/standards", `{"from":"2026-01","basis":"wage","income_fen":800000}`), http.StatusCreated)
		pay := `{"months":["2026-10"],"amount_fen":15000,"channel":"wechat","paid_on":"2026-11-20","side":"mobile"}`
		wantStatus(t, call("mobile", http.MethodPost, shan+"/payments", pay), http.StatusCreated)
		wantBody(t, call("mobile", http.MethodGet, shan, ""), `"may_void":["2026-10"]`)
		if r := call("home", http.MethodGet, shan, ""); strings.Contains(r.body, "may_void") {
			t.Errorf("the home secretary may void a payment the mobile branch collected: %s", r.body)
		}

		void := shan + "/payments/2026-10"
		reason := `{"reason":"金额记错，应为120元"}`
		wantAPIError(t, call("mobile", http.MethodDelete, void, ""), http.StatusUnsupportedMediaType, "invalid", "")
		wantAPIError(t, call("mobile", http.MethodDelete, void, `{"reason":"  "}`), http.StatusBadRequest, "invalid", "reason")
		wantAPIError(t, call("mobile", http.MethodDelete, void, `{"why":"x"}`), http.StatusBadRequest, "invalid", "why")
		wantAPIError(t, call("mobile", http.MethodDelete, shan+"/payments/2026-13", reason), http.StatusNotFound, "not_found", "")
		wantAPIError(t, call("mobile", http.MethodDelete, shan+"/payments/2026-09", reason), http.StatusNotFound, "not_found", "month")
		wantAPIError(t, call("home", http.MethodDelete, void, reason), http.StatusForbidden, "forbidden", "")
		wantAPIError(t, call("host", http.MethodDelete, void, reason), http.StatusNotFound, "not_found", "")
		wantStatus(t, call("mobile", http.MethodDelete, void, reason), http.StatusNoContent)
		wantAPIError(t, call("mobile", http.MethodDelete, void, reason), http.StatusNotFound, "not_found", "month")
		pay = `{"months":["2026-10"],"channel":"wechat","paid_on":"2026-11-20","side":"mobile"}`
		r := call("mobile", http.MethodPost, shan+"/payments", pay)
		wantStatus(t, r, http.StatusCreated)
		wantBody(t, r, `"amount_fen":12000`)

		// M closes October: the payment cannot be voided, the branch below
		// cannot reopen it, and M reopens it with a reason.
		wantStatus(t, call("mobile", http.MethodPost, m, `{"month":"2026-10"}`), http.StatusCreated)
		e := wantAPIError(t, call("mobile", http.MethodDelete, void, reason), http.StatusUnprocessableEntity, "rule_violation", "month")
		if !strings.Contains(e.Error.Message, "组织M") || !strings.Contains(e.Error.Message, "2026-10") {
			t.Errorf("void in a closed month: %q", e.Error.Message)
		}
		e = wantAPIError(t, call("mobile", http.MethodDelete, mb+"/2026-10", `{"reason":"误关"}`), http.StatusUnprocessableEntity,
			"rule_violation", "month")
		if !strings.Contains(e.Error.Message, "组织M") {
			t.Errorf("reopen below names %q", e.Error.Message)
		}
		wantAPIError(t, call("mobile", http.MethodDelete, m+"/2026-08", `{"reason":"误关"}`), http.StatusConflict, "conflict", "month")
		wantAPIError(t, call("mobile", http.MethodDelete, m+"/2026-10", `{}`), http.StatusBadRequest, "invalid", "reason")
		wantAPIError(t, call("host", http.MethodDelete, m+"/2026-10", `{"reason":"误关"}`), http.StatusForbidden, "forbidden", "")
		wantAPIError(t, call("home", http.MethodDelete, m+"/2026-10", `{"reason":"误关"}`), http.StatusNotFound, "not_found", "")
		wantStatus(t, call("mobile", http.MethodDelete, m+"/2026-10", `{"reason":"误关"}`), http.StatusNoContent)
		wantStatus(t, call("mobile", http.MethodDelete, void, reason), http.StatusNoContent)

		// Both corrections are in the audit log with what they removed.
		entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "dues.", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range entries {
			if x.Outcome == "ok" && (x.Action == "dues.void" || x.Action == "dues.reopen") {
				got = append(got, x.Action+" "+x.Detail)
			}
		}
		if len(got) != 3 || !strings.Contains(got[0], `"amount":12000`) || !strings.Contains(got[1], `"closed_by":"mobile"`) ||
			!strings.Contains(got[2], `"amount":15000`) {
			t.Fatalf("audit %v", got)
		}
	})
}

func TestDuesCorrectionsPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		mobile := w.signIn(t, "mobile")
		get := func(b *browser, path string, status int) resp {
			t.Helper()
			r := b.get(path)
			wantStatus(t, r, status)
			wantMasked(t, path, r.body)
			return r
		}
		page := personPath(w.people["单雄信"]) + "/dues"
		get(mobile, page, http.StatusOK)
		wantRedirect(t, mobile.post(page+"/standard", url.Values{"from": {"2026-01"}, "basis": {"wage"}, "income": {"8000"}}), page)
		wantRedirect(t, mobile.post(page+"/payments", url.Values{"months": {"2026-10", "2026-11"}, "channel": {"cash"},
			"paid_on": {"2026-11-28"}, "side": {"mobile"}}), page)
		void := page + "/payments/2026-10/void"
		wantBody(t, get(mobile, page, http.StatusOK), `action="`+void+`"`, `action="`+page+`/payments/2026-11/void"`, "撤销这笔登记")

		// No reason: the row's fold comes back open with the message.
		r := mobile.post(void, url.Values{"reason": {" "}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, `<details class="row-fold" open>`, "请填写原因")
		if strings.Count(r.body, `<details class="row-fold" open>`) != 1 {
			t.Error("more than one fold open")
		}
		wantRedirect(t, mobile.post(void, url.Values{"reason": {"记错了月份"}}), page)
		r = get(mobile, page, http.StatusOK)
		wantBody(t, r, "已撤销 2026-10 的交纳登记", `name="months" value="2026-10"`)
		if strings.Contains(r.body, `action="`+void+`"`) {
			t.Error("the voided payment still has its form")
		}
		host := w.signIn(t, "host")
		host.get(personPath(w.people["单雄信"]))
		wantStatus(t, host.post(page+"/payments/2026-11/void", url.Values{"reason": {"x"}}), http.StatusNotFound)

		// M closes November: the payment has no form, and voiding it
		// anyway names M and says to reopen first.
		org := "/orgs/" + itoa(w.orgs["M"].ID) + "/dues"
		get(mobile, org, http.StatusOK)
		wantRedirect(t, mobile.post(org+"/close", url.Values{"month": {"2026-11"}}), org)
		if r := get(mobile, page, http.StatusOK); strings.Contains(r.body, "/payments/2026-11/void") {
			t.Error("a payment of a closed month offers a void")
		}
		r = mobile.post(page+"/payments/2026-11/void", url.Values{"reason": {"记错了"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "组织M 已对 2026-11 关账", "请先重新开放该月")

		// The branch below cannot reopen M's closing; M can, with a reason.
		reopen := org + "/closed/2026-11/reopen?year=2026"
		r = get(mobile, org, http.StatusOK)
		wantBody(t, r, `action="`+strings.ReplaceAll(reopen, "&", "&amp;")+`"`, "重新开放该月", "本组织 2026 年已关账的月份")
		mbOrg := "/orgs/" + itoa(w.orgs["MB"].ID) + "/dues"
		if r := get(mobile, mbOrg, http.StatusOK); strings.Contains(r.body, "/reopen") {
			t.Error("MB offers to reopen M's closing")
		}
		r = mobile.post(mbOrg+"/closed/2026-11/reopen?year=2026", url.Values{"reason": {"误关"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "2026-11 是 组织M 关的账")
		r = mobile.post(reopen, url.Values{"reason": {""}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, `<details class="row-fold" open>`, "请填写原因")
		wantStatus(t, host.post(reopen, url.Values{"reason": {"误关"}}), http.StatusForbidden)
		wantRedirect(t, mobile.post(reopen, url.Values{"reason": {"误关，还有人未登记"}}), org+"?year=2026")
		r = get(mobile, org+"?year=2026", http.StatusOK)
		wantBody(t, r, "2026-11 已重新开放", "本年还没有关账的月份")
		wantRedirect(t, mobile.post(page+"/payments/2026-11/void", url.Values{"reason": {"记错了"}}), page)
	})
}
