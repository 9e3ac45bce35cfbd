package web

import (
	"context"
	"net/http"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// What the home page says about organizations and agreements: a card for
// each list the account may open, a notice when agreements are due for
// renewal, and — for the host side above all — a notice that an agreement
// has just ended, so that an emptier host view the morning after is
// explained rather than puzzling.

// homeNotice is one line above the home page's cards: a message key with
// its arguments and where it leads.
type homeNotice struct {
	Key  string
	Args map[string]any
	URL  string
}

// endedWithin is how long an ended agreement is announced.
const endedWithin = 30

// orgCards are the home page's cards for the organization and agreement
// lists, by what the actor may read.
func orgCards(a *authz.Actor) []card {
	var out []card
	if canSomewhere(a, authz.OrgRead) {
		out = append(out, card{Title: "web.org.nav", Text: "web.org.card", URL: "/orgs"})
	}
	if canSomewhere(a, authz.AgreementRead) {
		out = append(out, card{Title: "web.agreement.nav", Text: "web.agreement.card", URL: "/agreements"})
	}
	return out
}

// agreementNotices are the home page's notices. A failure to read them is
// logged and leaves the notices out: the home page must always open.
func (h *Handler) agreementNotices(r *http.Request) []homeNotice {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.AgreementRead) {
		return nil
	}
	ctx := r.Context()
	var out []homeNotice
	due, err := h.svc.ListAgreements(ctx, a, service.AgreementFilter{State: "expiring"})
	if err != nil {
		h.log.Error("web: renewal notice", "err", err)
		return nil
	}
	if len(due) > 0 {
		out = append(out, homeNotice{Key: "web.agreement.home_due", Args: map[string]any{"Count": len(due)}, URL: "/agreements?state=expiring"})
	}
	ended, err := h.recentlyEnded(ctx, a)
	if err != nil {
		h.log.Error("web: ended notice", "err", err)
		return out
	}
	for _, ag := range ended {
		out = append(out, homeNotice{Key: "web.agreement.home_ended", URL: agreementURL(ag.ID),
			Args: map[string]any{"Title": ag.Title, "On": ag.EndedOn().String(), "ID": strconv.FormatInt(int64(ag.ID), 10)}})
	}
	return out
}

// recentlyEnded lists the agreements the actor may read that expired or
// were terminated within the last endedWithin days.
func (h *Handler) recentlyEnded(ctx context.Context, a *authz.Actor) ([]agreementRow, error) {
	if !canSomewhere(a, authz.AgreementRead) {
		return nil, nil
	}
	today := h.svc.Today()
	since := today.AddDays(-endedWithin)
	var out []agreementRow
	for _, st := range []domain.AgreementState{domain.AgreementExpired, domain.AgreementTerminated} {
		list, err := h.svc.ListAgreements(ctx, a, service.AgreementFilter{State: st})
		if err != nil {
			return nil, err
		}
		for _, row := range rowsOf(list, today) {
			end := row.ValidTo
			if st == domain.AgreementTerminated {
				end = row.TerminatedOn
			}
			if !end.Before(since) {
				out = append(out, row)
			}
		}
	}
	return out, nil
}
