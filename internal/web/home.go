package web

import (
	"net/http"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
)

// card is a link on the home page to something the account can do.
type card struct {
	Title, Text, URL string // message keys, and the address
}

type homeData struct {
	Name    string
	Grants  []domain.Grant
	Cards   []card
	Notices []homeNotice // agreements due for renewal or just ended
}

// home greets the account and lists, as cards, what it may do. Later
// issues put their dashboards here.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	p := h.principal(r)
	name := p.Account.DisplayName
	if name == "" {
		name = p.Account.Name
	}
	h.render(w, r, http.StatusOK, "home", "nav.home", homeData{Name: name, Grants: p.Actor.Grants, Cards: cardsFor(p.Actor),
		Notices: h.agreementNotices(r)})
}

func cardsFor(a *authz.Actor) []card {
	out := orgCards(a)
	if a.Can(authz.AuditRead).Allowed {
		out = append(out, card{Title: "nav.audit", Text: "web.home.card_audit", URL: "/audit"})
	}
	if a.Can(authz.AccountRead).Allowed {
		out = append(out, card{Title: "nav.accounts", Text: "web.home.card_accounts", URL: "/admin/accounts"})
	}
	if a.Can(authz.PolicyManage).Allowed {
		out = append(out, card{Title: "web.nav.policy", Text: "web.home.card_policy", URL: "/admin/policy"})
	}
	return append(out, card{Title: "nav.account", Text: "web.home.card_account", URL: "/account"})
}

// setLang switches the language. A signed-in account keeps the choice in
// its profile (so it follows the account to other devices); everyone also
// gets the cookie, which outlives signing out. The empty choice, offered
// on the account page, means "follow the browser".
func (h *Handler) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if lang != "" && lang != i18n.ZhCN && lang != i18n.En {
		h.Error(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	if p := h.principal(r); p != nil {
		if err := h.svc.SetLocale(r.Context(), p.Actor, lang); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	setLangCookie(w, h.cfg.Secure, lang)
	redirect(w, r, localPath(r.PostFormValue("next")))
}
