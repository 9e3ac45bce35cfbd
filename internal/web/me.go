package web

import (
	"net/http"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// A member's own page, laid out for a phone: the account's roles and, when
// the account is linked to its person record (the security officer links
// them from the ID number the member presents), that record, masked, with
// the ways to the activity certificate and to report a move. A member
// whose account is not linked yet is told whom to ask.

type meData struct {
	Name    string
	Grants  []domain.Grant
	Member  bool       // the account holds the member role
	Person  *personRow // the own record, when linked
	Pending bool       // a member whose account is not linked to a record yet
	// Conduct is the member's own feedback and evaluation history.
	Conduct *service.ConductRecord
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
			if d.Conduct, err = h.svc.OwnConduct(r.Context(), p.Actor); err != nil {
				h.fail(w, r, err)
				return
			}
		case domain.CodeOf(err) == domain.CodeNotFound:
			d.Pending = true
		default:
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "me", "web.me.title", d)
}
