package web

import (
	"net/http"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// A member's own page, laid out for a phone: the account's roles and, when
// the service can tell which person record is the account's own, that
// record, masked. Accounts are not linked to person records yet (the link
// comes with the activity certificate); until then the service matches the
// account's display name to exactly one member where it holds the member
// role, and the page says so when it finds none.

type meData struct {
	Name    string
	Grants  []domain.Grant
	Member  bool       // the account holds the member role
	Person  *personRow // the own record, when found
	Pending bool       // a member whose record could not be matched yet
	// Meetings are the member's latest meetings (partials/me_meetings.html).
	Meetings ownMeetingsData
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) {
	p := h.principal(r)
	d := meData{Name: p.Account.DisplayName, Grants: p.Actor.Grants, Member: p.Actor.Has(authz.RoleMember)}
	if d.Name == "" {
		d.Name = p.Account.Name
	}
	if d.Member {
		own, err := h.svc.OwnPerson(r.Context(), p.Actor)
		switch {
		case err == nil:
			d.Person = &personRow{own}
		case domain.CodeOf(err) == domain.CodeNotFound:
			d.Pending = true
		default:
			h.fail(w, r, err)
			return
		}
		if d.Meetings, err = h.myMeetings(r, 3); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "me", "web.me.title", d)
}
