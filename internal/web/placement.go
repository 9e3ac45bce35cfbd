package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// On a member's page, when a placement is due and for those who may place
// the member: the mobile branches the service suggests (place first, then
// trade, then room), each with its reasons in words and a button that
// places the member there. A reported move's notice links here.

// placementView is what the person page's member section shows.
type placementView struct {
	Suggestions []service.Suggestion
	Version     int64 // the membership's, for the place form
	Current     domain.OrgID
}

// placementFor reads the suggestions for a member the actor may place,
// when a placement is due: the member is unplaced, or the latest change in
// the history is a reported move. Otherwise, and for anyone who may not
// place the member (the service decides), it is nil: ranking reads every
// mobile branch's member count, too much for every page view.
func (h *Handler) placementFor(r *http.Request, a *authz.Actor, p domain.Person, history []store.PersonEvent) *placementView {
	if p.Membership == nil || !canSomewhere(a, authz.PersonWrite) {
		return nil
	}
	moved := len(history) > 0 && history[0].Kind == "move_reported"
	if p.Membership.MobileOrgID != 0 && !moved {
		return nil
	}
	sg, err := h.svc.SuggestPlacement(r.Context(), a, p.ID)
	if err != nil {
		return nil
	}
	for i := range sg {
		sg[i].Reasons = inWords(sg[i].Reasons)
	}
	return &placementView{Suggestions: sg, Version: p.Membership.Version, Current: p.Membership.MobileOrgID}
}

// placePerson places the member in the mobile branch of the form.
func (h *Handler) placePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm(r, "org", "version")
	org, _ := strconv.ParseInt(f.Get("org"), 10, 64)
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	err = h.svc.Place(r.Context(), h.principal(r).Actor, domain.PersonID(id), domain.OrgID(org), version)
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		h.showPerson(w, r, StatusOf(domain.CodeOf(err)), personPageData{Refused: h.visit(r).L.Err(err)})
		return
	}
	h.flash(w, "web.place.done")
	redirect(w, r, personURL(domain.PersonID(id)))
}
