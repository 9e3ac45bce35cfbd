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

// Party dues through HTTP, on the people world (clock: 29 November 2026):
// the API's refusals with their statuses and fields, the pages and their
// forms, the exports, the host side kept out, a member's own dues, and
// every answer scanned for clear personal data.

type duesJSON struct {
	Person  struct{ ID int64 }
	Current *struct {
		AmountFen int64 `json:"amount_fen"`
	}
	Payments []struct {
		Month       string
		AmountFen   int64              `json:"amount_fen"`
		RetainedFen int64              `json:"retained_fen"`
		CollectedBy struct{ ID int64 } `json:"collected_by"`
	}
	Standing struct {
		Owed   int `json:"owed_months"`
		Lapsed bool
	}
}

type orgDuesJSON struct {
	Members, Total int
	Due            int   `json:"due_this_month"`
	Paid           int   `json:"paid_this_month"`
	Collected      int64 `json:"collected_fen"`
	Months         []struct {
		ClosedBy string `json:"closed_by"`
	}
	Rows []struct{ Cells []struct{ State string } }
}

func TestDuesAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		shan := itoa(w.people["单雄信"])
		call := func(who, method, path, body string) resp {
			r := w.api(t, who, method, path, body)
			wantMasked(t, who+" "+method+" "+path, r.body)
			return r
		}
		r := call("mobile", http.MethodPost, "/api/v1/people/"+shan+"/dues/standards", `{"from":"2026-01","basis":"wage","income_fen":800000}`)
		wantStatus(t, r, http.StatusCreated)
		wantBody(t, r, `"amount_fen":12000`)
		wantAPIError(t, call("mobile", http.MethodPost, "/api/v1/people/"+shan+"/dues/standards", `{"from":"2026-1","basis":"wage","income_fen":1}`),
			http.StatusBadRequest, "invalid", "from")

		pay := `{"months":["2026-10","2026-11"],"channel":"wechat","paid_on":"2026-11-20","side":"mobile"}`
		r = call("mobile", http.MethodPost, "/api/v1/people/"+shan+"/dues/payments", pay)
		wantStatus(t, r, http.StatusCreated)
		wantBody(t, r, `"retained_fen":6000`, `"month":"2026-11"`)
		wantAPIError(t, call("mobile", http.MethodPost, "/api/v1/people/"+shan+"/dues/payments", pay), http.StatusConflict, "conflict", "months")
		wantAPIError(t, call("mobile", http.MethodPost, "/api/v1/people/"+shan+"/dues/payments",
			`{"months":["2026-12"],"channel":"wechat","paid_on":"2026-11-20","side":"mobile"}`), http.StatusBadRequest, "invalid", "months")
		wantAPIError(t, call("home", http.MethodPost, "/api/v1/people/"+shan+"/dues/payments",
			`{"months":["2026-09"],"channel":"cash","paid_on":"2026-11-20","side":"mobile"}`), http.StatusForbidden, "forbidden", "")

		r = call("mobile", http.MethodPost, "/api/v1/orgs/"+itoa(w.orgs["M"].ID)+"/dues/closed-months", `{"month":"2026-09"}`)
		wantStatus(t, r, http.StatusCreated)
		wantAPIError(t, call("mobile", http.MethodPost, "/api/v1/people/"+shan+"/dues/payments",
			`{"months":["2026-09"],"channel":"cash","paid_on":"2026-11-20","side":"mobile"}`), http.StatusUnprocessableEntity, "rule_violation", "months")
		below := `{"months":["2026-08"],"amount_fen":100,"channel":"cash","paid_on":"2026-11-20","side":"origin"}`
		wantAPIError(t, call("home", http.MethodPost, "/api/v1/people/"+shan+"/dues/payments", below), http.StatusUnprocessableEntity,
			"rule_violation", "hardship")

		d := decodeJSON[duesJSON](t, call("home", http.MethodGet, "/api/v1/people/"+shan+"/dues", ""))
		if d.Current == nil || d.Current.AmountFen != 12000 || len(d.Payments) != 2 || d.Standing.Owed != 9 || d.Standing.Lapsed { // October paid: no streak
			t.Fatalf("member dues %+v", d)
		}
		wantAPIError(t, call("host", http.MethodGet, "/api/v1/people/"+shan+"/dues", ""), http.StatusNotFound, "not_found", "")
		wantAPIError(t, call("host", http.MethodGet, "/api/v1/orgs/"+itoa(w.orgs["M"].ID)+"/dues", ""), http.StatusForbidden, "forbidden", "")

		od := decodeJSON[orgDuesJSON](t, call("mobile", http.MethodGet, "/api/v1/orgs/"+itoa(w.orgs["M"].ID)+"/dues?year=2026", ""))
		if od.Members != 2 || od.Due != 1 || od.Paid != 1 || od.Collected != 24000 || od.Months[8].ClosedBy != "组织M" || len(od.Rows) != 2 {
			t.Fatalf("org dues %+v", od)
		}
		r = call("county", http.MethodGet, "/api/v1/orgs/"+itoa(w.orgs["C"].ID)+"/dues/payments?year=2026", "")
		wantStatus(t, r, http.StatusOK)
		var ps struct{ Payments []json.RawMessage }
		if err := json.Unmarshal([]byte(r.body), &ps); err != nil || len(ps.Payments) != 2 {
			t.Fatalf("payments %s", r.body)
		}

		wantAPIError(t, call("mobile", http.MethodPut, "/api/v1/dues/rules", `{"wage":[{"up_to_fen":0,"per_10000":100}],"retiree":[{"up_to_fen":0,"per_10000":50}],"farmer_fen":50,"flat_fen":20,"retain_per_100":50,"lapse_months":6,"backpay_months":6}`),
			http.StatusForbidden, "forbidden", "")
		wantAPIError(t, call("county", http.MethodPut, "/api/v1/dues/rules", `{"wage":[{"up_to_fen":300000,"per_10000":50}],"retiree":[{"up_to_fen":0,"per_10000":50}],"farmer_fen":50,"flat_fen":20,"retain_per_100":50,"lapse_months":6,"backpay_months":6}`),
			http.StatusBadRequest, "invalid", "bands")
		r = call("county", http.MethodPut, "/api/v1/dues/rules", `{"wage":[{"up_to_fen":0,"per_10000":100}],"retiree":[{"up_to_fen":0,"per_10000":50}],"farmer_fen":30,"flat_fen":20,"retain_per_100":40,"lapse_months":6,"backpay_months":3}`)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, call("member", http.MethodGet, "/api/v1/dues/rules", ""), `"farmer_fen":30`, `"retain_per_100":40`)

		// A member's own dues, with a session as on a phone.
		b := w.memberAccount(t, "shan", "单雄信")
		r = b.get("/api/v1/me/dues")
		wantStatus(t, r, http.StatusOK)
		wantMasked(t, "own dues", r.body)
		if own := decodeJSON[duesJSON](t, r); own.Person.ID != int64(w.people["单雄信"]) || len(own.Payments) != 2 {
			t.Fatalf("own dues %s", r.body)
		}
	})
}

func TestDuesPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		shan, zhang := w.people["单雄信"], w.people["张薇"]
		mobile := w.signIn(t, "mobile")
		get := func(b *browser, path string, status int) resp {
			t.Helper()
			r := b.get(path)
			wantStatus(t, r, status)
			wantMasked(t, path, r.body)
			return r
		}
		wantRedirect(t, mobile.get("/dues"), "/orgs/"+itoa(w.orgs["M"].ID)+"/dues")

		// Set a standard and pay through the member's page.
		page := personPath(shan) + "/dues"
		get(mobile, page, http.StatusOK)
		r := mobile.post(page+"/standard", url.Values{"from": {"2026-01"}, "basis": {"wage"}, "income": {"8,000"}})
		wantRedirect(t, r, page)
		r = get(mobile, page, http.StatusOK)
		wantBody(t, r, "120.00", `name="months" value="2026-11"`)
		r = mobile.post(page+"/payments", url.Values{"months": {"2026-10", "2026-11"}, "channel": {"alipay"}, "paid_on": {"2026-11-28"},
			"side": {"mobile"}})
		wantRedirect(t, r, page)
		// Refused: the form comes back with the message beside the field
		// and the months still checked.
		r = mobile.post(page+"/payments", url.Values{"months": {"2026-09"}, "amount": {"50"}, "channel": {"cash"}, "paid_on": {"2026-11-28"},
			"side": {"mobile"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "困难减免", `value="2026-09" checked`)
		r = mobile.post(page+"/payments", url.Values{"months": {"2026-09"}, "amount": {"5x"}, "channel": {"cash"}, "paid_on": {"2026-11-28"},
			"side": {"mobile"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "最多两位小数")

		// The organization's grid, its exports, closing a month.
		org := "/orgs/" + itoa(w.orgs["M"].ID) + "/dues"
		r = get(mobile, org, http.StatusOK)
		wantBody(t, r, "单雄信", "张薇", "120.00", "240.00")
		r = mobile.post(org+"/close", url.Values{"month": {"2026-12"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantRedirect(t, mobile.post(org+"/close", url.Values{"month": {"2026-10"}}), org)
		wantBody(t, get(mobile, org, http.StatusOK), "已关账")
		rows := xlsxStrings(t, get(mobile, org+".xlsx?year=2026", http.StatusOK))
		if len(rows) != 3 || rows[1][0] != "单雄信" || rows[1][5+9] != "120.00" || rows[2][0] != "张薇" {
			t.Fatalf("grid export %v", rows)
		}
		rows = xlsxStrings(t, get(mobile, org+"/payments.xlsx?year=2026", http.StatusOK))
		if len(rows) != 3 || rows[1][0] != "2026-10" || rows[1][4] != "60.00" {
			t.Fatalf("payments export %v", rows)
		}

		// The person page shows the card where dues may be read.
		wantBody(t, get(mobile, personPath(shan), http.StatusOK), `href="/people/`+itoa(shan)+`/dues"`)
		host := w.signIn(t, "host")
		if r := get(host, personPath(zhang), http.StatusOK); strings.Contains(r.body, "/dues\"") {
			t.Error("the host sees a dues card")
		}
		get(host, org, http.StatusForbidden)
		get(host, personPath(shan)+"/dues", http.StatusNotFound)
		get(host, "/dues/rules", http.StatusNotFound)

		// The rules: read by secretaries, changed by the county.
		if r := get(mobile, "/dues/rules", http.StatusOK); strings.Contains(r.body, `action="/dues/rules"`) {
			t.Error("a secretary may edit the rules")
		}
		county := w.signIn(t, "county")
		get(county, "/dues/rules", http.StatusOK)
		form := url.Values{"wage_rows": {"4"}, "retiree_rows": {"2"}, "farmer": {"0.3"}, "flat": {"0.2"}, "retain": {"50"}, "lapse": {"6"},
			"backpay": {"6"}, "wage_up_0": {"3000"}, "wage_rate_0": {"0.5"}, "wage_up_1": {"5000"}, "wage_rate_1": {"1"},
			"wage_up_2": {"10000"}, "wage_rate_2": {"1.5"}, "wage_rate_3": {"2"}, "retiree_up_0": {"5000"}, "retiree_rate_0": {"0.5"},
			"retiree_rate_1": {"1"}}
		wantRedirect(t, county.post("/dues/rules", form), "/dues/rules")
		rules, _ := w.svc.DuesRules(ctx)
		if rules.Farmer != 30 || len(rules.Wage) != 4 || rules.Wage[2].UpTo != 1000000 {
			t.Fatalf("rules saved %+v", rules)
		}
		form.Set("wage_up_3", "20000")
		r = county.post("/dues/rules", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "最后一档应不设上限")

		// A member's own page on a phone shows the dues card.
		b := w.memberAccount(t, "shan", "单雄信")
		wantBody(t, get(b, "/me", http.StatusOK), "我的党费", "2026-11")
		get(b, page, http.StatusNotFound)
	})
}
