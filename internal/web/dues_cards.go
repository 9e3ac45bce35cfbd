package web

import (
	"net/http"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The dues cards other pages include with one line each: on a person's
// page (partials/dues.html "dues_person": the standard, what is owed, the
// latest payments and a link to the member's dues page) and on a member's
// own page, laid out for a phone ("dues_me"). Each is empty when the
// visitor may not read the member's dues or the person pays none.

// duesCard is a card's data: nil D shows nothing.
type duesCard struct {
	L Localizer
	D *service.MemberDues
}

// Recent is the latest payments, at most n.
func (c duesCard) Recent(n int) []domain.DuesPayment {
	if c.D == nil {
		return nil
	}
	return c.D.Payments[:min(n, len(c.D.Payments))]
}

// DuesCard is the person page's dues card.
func (d personPageData) DuesCard(l Localizer) duesCard { return duesCard{L: l, D: d.Dues} }

// DuesCard is the member's own dues card.
func (d meData) DuesCard(l Localizer) duesCard { return duesCard{L: l, D: d.Dues} }

// readDues runs a dues read for a card: nil when there is nothing the
// visitor may see (out of reach, no dues:read, not a paying member), so
// the page around it still shows.
func (h *Handler) readDues(r *http.Request, read func() (service.MemberDues, error)) *service.MemberDues {
	d, err := read()
	switch domain.CodeOf(err) {
	case "":
		return &d
	case domain.CodeNotFound, domain.CodeForbidden, domain.CodeRule:
	default:
		h.log.Error("web: dues card", "path", r.URL.Path, "err", err)
	}
	return nil
}

// personDues is the dues card's data for a person's page.
func (h *Handler) personDues(r *http.Request, id domain.PersonID) *service.MemberDues {
	return h.readDues(r, func() (service.MemberDues, error) { return h.svc.MemberDues(r.Context(), h.principal(r).Actor, id) })
}

// ownDues is the dues card's data for a member's own page.
func (h *Handler) ownDues(r *http.Request) *service.MemberDues {
	return h.readDues(r, func() (service.MemberDues, error) { return h.svc.OwnDues(r.Context(), h.principal(r).Actor) })
}
