package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// County journey 4: reveal one member's ID number with a reason; the page
// shows it once and the audit log has the reveal. The host street
// committee, whose agreement grants no sensitive data, is refused; a
// person outside its reach is not found.

func revealEntries(t *testing.T, db *store.DB) []store.AuditEntry {
	t.Helper()
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "person.reveal"})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestRevealInTheBrowser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPeopleWorld(t, db)
		page := personPath(w.people["单雄信"])
		county := w.signIn(t, "county")
		r := county.get(page)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "110105********002X", "138****5678", `action="`+page+`/reveal"`, `name="field" value="id_number"`,
			`name="field" value="phone"`, "杭州建工集团", "正式党员", "组织V", "组织MB")
		wantMasked(t, "person page", r.body)

		// No reason: the form comes back with the message, nothing shown.
		r = county.post(page+"/reveal", url.Values{"field": {"id_number"}, "reason": {"  "}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "查看完整信息须填写事由")
		wantMasked(t, "reveal without reason", r.body)
		if n := len(revealEntries(t, db)); n != 0 {
			t.Fatalf("%d reveal entries before any reveal", n)
		}

		r = county.post(page+"/reveal", url.Values{"field": {"id_number"}, "reason": {"核对组织关系转接"}})
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `<code class="secret">`+shanID+`</code>`, "本次查看已记入审计日志", `name="next" value="`+page+`"`)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		if strings.Contains(r.Header.Get("Set-Cookie"), shanID) {
			t.Error("the clear value went into a cookie")
		}
		entries := revealEntries(t, db)
		if len(entries) != 1 || entries[0].Outcome != "ok" || entries[0].ActorName != "county" ||
			entries[0].ObjectID != itoa(w.people["单雄信"]) || !strings.Contains(entries[0].Detail, "核对组织关系转接") ||
			strings.Contains(entries[0].Detail, shanID) {
			t.Fatalf("reveal audit %+v", entries)
		}
		// The next view of the page is masked again.
		wantMasked(t, "page after the reveal", county.get(page).body)
		r = county.post(page+"/reveal", url.Values{"field": {"phone"}, "reason": {"联系本人"}})
		wantBody(t, r, `<code class="secret">13812345678</code>`)
		// A person with no ID number recorded has no form for it.
		r = county.get(personPath(w.people["张伟"]))
		wantNot(t, r, `name="field" value="id_number"`)
		wantBody(t, r, `name="field" value="phone"`)
		// A garbled field is refused above the page.
		r = county.post(page+"/reveal", url.Values{"field": {"address"}, "reason": {"x"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "只能查看身份证号或手机号")

		// The host reads the covered member but may not reveal: the page
		// says why, and the refusal is audited.
		host := w.signIn(t, "host")
		r = host.get(page)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "您的账号无权查看完整的身份证号和手机号")
		wantNot(t, r, `/reveal"`)
		r = host.post(page+"/reveal", url.Values{"field": {"id_number"}, "reason": {"联系"}})
		wantStatus(t, r, http.StatusForbidden)
		wantBody(t, r, "您无权查看此人的完整信息", "110105********002X")
		wantMasked(t, "host's refused reveal", r.body)
		// 李四 (placed in M2, under no agreement in force) is out of reach.
		r = host.post(personPath(w.people["李四"])+"/reveal", url.Values{"field": {"id_number"}, "reason": {"联系"}})
		wantStatus(t, r, http.StatusNotFound)
		wantMasked(t, "host's reveal out of reach", r.body)
		wantStatus(t, host.get(personPath(w.people["李四"])), http.StatusNotFound)
		wantStatus(t, host.get("/people/999999"), http.StatusNotFound)
		wantStatus(t, host.get("/people/abc"), http.StatusNotFound)

		entries = revealEntries(t, db)
		if len(entries) != 3 || entries[0].Outcome != "denied" || entries[0].ActorName != "host" {
			t.Fatalf("audit after the host's attempts %+v", entries)
		}
	})
}
