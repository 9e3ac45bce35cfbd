package service

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/throttle"
)

// The feedback lists: what the writing side still owes this quarter, what
// waits for the home side's answer, and every feedback the actor may see;
// each pages with a cursor and exports whole (bounded), audited.

// ratedStatuses are the members feedback is written for.
var ratedStatuses = []domain.MemberStatus{domain.StatusProbationary, domain.StatusFull}

// maxExportRows bounds an export of one of these lists.
const maxExportRows = 10000

// DueMember is a member still owed a feedback (or a proposal), with the
// organization that owes it.
type DueMember struct {
	Person    domain.Person
	WriterOrg string
}

// DuePage is one page of members owed something for a period.
type DuePage struct {
	Period  string // the quarter ("2026-Q4") or the year ("2026")
	Members []DueMember
	Next    string
}

// feedbackWriters are the places the actor writes feedback from, with the
// organization it writes as (by id, for the query; by name, for the page).
func (s *Service) feedbackWriters(ctx context.Context, q store.Q, a *authz.Actor) ([]store.DueWriter, map[domain.OrgID]string, error) {
	var out []store.DueWriter
	names := map[domain.OrgID]string{}
	for _, r := range a.Reach {
		switch {
		case r.Agreement != 0 && slices.Contains(r.Caps, domain.CapFeedback):
			host, err := s.hostParty(ctx, q, a, r.Agreement)
			if err != nil {
				return nil, nil, err
			}
			out, names[host.ID] = append(out, store.DueWriter{Path: r.Path, Org: host.ID}), host.Name
		case r.Agreement == 0 && r.Side == domain.SideMobile && roleHolds(r.Role, authz.FeedbackWrite):
			out = append(out, store.DueWriter{Path: r.Path})
		}
	}
	return out, names, nil
}

// Sides tells which parts of feedback and evaluations an actor takes, for
// the pages to choose their tabs and links (the service decides again on
// every action).
type Sides struct {
	Writes   bool // writes feedback: an agreement granting it, or a mobile-side role
	Answers  bool // answers feedback and confirms ratings: an origin-side role
	Proposes bool // proposes ratings: a role on the mobile or the origin side
}

// ConductSides reads the actor's sides from its reach.
func ConductSides(a *authz.Actor) Sides {
	var s Sides
	for _, r := range a.Reach {
		switch {
		case r.Agreement != 0:
			s.Writes = s.Writes || slices.Contains(r.Caps, domain.CapFeedback)
		case !roleHolds(r.Role, authz.FeedbackWrite):
		case r.Side == domain.SideMobile:
			s.Writes, s.Proposes = true, true
		case r.Side == domain.SideOrigin:
			s.Answers, s.Proposes = true, true
		}
	}
	return s
}

func roleHolds(role string, p authz.Perm) bool {
	info, ok := authz.Role(role)
	return ok && slices.Contains(info.Perms, p)
}

// FeedbackDue lists the co-managed members without a feedback for the
// quarter (empty: the current one) from an organization the actor writes
// as.
func (s *Service) FeedbackDue(ctx context.Context, a *authz.Actor, quarter, after string, limit int) (DuePage, error) {
	if quarter == "" {
		quarter = s.CurrentQuarter()
	}
	span, err := s.feedbackQuarter(quarter)
	if err != nil {
		return DuePage{}, err
	}
	q, limit := s.db.Read(), listLimit(limit)
	writers, names, err := s.feedbackWriters(ctx, q, a)
	if err != nil {
		return DuePage{}, err
	}
	rows, err := store.FeedbackDue(ctx, q, store.FeedbackDueQuery{Writers: writers, Quarter: span.Key, Statuses: ratedStatuses,
		After: after, Limit: limit})
	if err != nil {
		return DuePage{}, err
	}
	page := DuePage{Period: span.Key, Next: personCursor(rows, limit)}
	paths := map[domain.OrgID]string{}
	for _, r := range rows {
		name, err := s.writerName(ctx, q, r.Person, writers, names, paths)
		if err != nil {
			return page, err
		}
		page.Members = append(page.Members, DueMember{Person: r.Person, WriterOrg: name})
	}
	return page, nil
}

// writerName is the organization that owes a member's feedback: the
// first writer whose subtree holds the member's mobile organization
// (paths read once per organization).
func (s *Service) writerName(ctx context.Context, q store.Q, p domain.Person, writers []store.DueWriter,
	names map[domain.OrgID]string, paths map[domain.OrgID]string) (string, error) {
	m := p.Membership
	path, ok := paths[m.MobileOrgID]
	if !ok {
		o, err := store.OrgByID(ctx, q, m.MobileOrgID)
		if err != nil {
			return "", err
		}
		path, paths[m.MobileOrgID] = o.Path, o.Path
	}
	for _, w := range writers {
		if strings.HasPrefix(path, w.Path) && w.Org != 0 {
			return names[w.Org], nil
		}
		if strings.HasPrefix(path, w.Path) {
			break
		}
	}
	return m.MobileOrgName, nil
}

// personCursor is the cursor after a full page of people.
func personCursor(rows []store.PersonRow, limit int) string {
	if len(rows) < limit || len(rows) == 0 {
		return ""
	}
	last := rows[len(rows)-1]
	return last.SortKey + "\x00" + strconv.FormatInt(int64(last.ID), 10)
}

// FeedbackSearch filters a list of feedback.
type FeedbackSearch struct {
	Quarter string
	State   domain.FeedbackState
	Before  domain.FeedbackID // the cursor: ids below this one
	Limit   int
}

// FeedbackPage is one page of feedback.
type FeedbackPage struct {
	Feedback []domain.Feedback
	Next     domain.FeedbackID // zero on the last page
}

// FeedbackWaiting lists the sent feedback that waits for the actor's
// answer: the home side's list.
func (s *Service) FeedbackWaiting(ctx context.Context, a *authz.Actor, f FeedbackSearch) (FeedbackPage, error) {
	f.State = domain.FeedbackSent
	return s.listFeedback(ctx, a, f, true)
}

// ListFeedback lists every feedback the actor may see: written for a
// member of a home or mobile organization where it holds feedback:write.
func (s *Service) ListFeedback(ctx context.Context, a *authz.Actor, f FeedbackSearch) (FeedbackPage, error) {
	return s.listFeedback(ctx, a, f, false)
}

func (s *Service) listFeedback(ctx context.Context, a *authz.Actor, f FeedbackSearch, home bool) (FeedbackPage, error) {
	if f.Quarter != "" {
		if _, ok := domain.ParseQuarter(f.Quarter); !ok {
			return FeedbackPage{}, domain.Invalid("quarter", "feedback.quarter_invalid", map[string]any{"Value": f.Quarter})
		}
	}
	if f.State != "" && !f.State.Valid() {
		return FeedbackPage{}, domain.Invalid("state", "feedback.state_invalid", nil)
	}
	scope := a.Filter(authz.FeedbackWrite)
	if home {
		scope = homeFilter(a, authz.FeedbackWrite)
	}
	limit := listLimit(f.Limit)
	rows, err := store.ListFeedback(ctx, s.db.Read(), store.FeedbackQuery{Scope: scope, Home: home, Quarter: f.Quarter,
		State: f.State, Before: f.Before, Limit: limit})
	page := FeedbackPage{Feedback: rows}
	if len(rows) == limit {
		page.Next = rows[len(rows)-1].ID
	}
	return page, err
}

// homeFilter is the scope where the actor holds p from the origin side.
func homeFilter(a *authz.Actor, p authz.Perm) authz.OrgFilter {
	var f authz.OrgFilter
	for _, r := range a.Reach {
		if r.Agreement == 0 && r.Side == domain.SideOrigin && roleHolds(r.Role, p) {
			f.Prefixes = append(f.Prefixes, r.Path)
		}
	}
	return f
}

// listLimit is a page's size: 50 unless asked, at most 500; an export asks
// for maxExportRows.
func listLimit(n int) int {
	switch {
	case n == maxExportRows:
		return n
	case n <= 0 || n > 500:
		return 50
	}
	return n
}

// FeedbackList names one of the three lists for an export.
type FeedbackList string

// The lists.
const (
	ListDue     FeedbackList = "due"
	ListWaiting FeedbackList = "waiting"
	ListAll     FeedbackList = "all"
)

// ExportFeedback reads a whole list (at most maxExportRows) for a
// spreadsheet, audited with its filter and row count.
func (s *Service) ExportFeedback(ctx context.Context, a *authz.Actor, list FeedbackList, f FeedbackSearch) (DuePage, []domain.Feedback, error) {
	if err := s.throttle(ctx, a, throttle.Export); err != nil {
		return DuePage{}, nil, err
	}
	var due DuePage
	var rows []domain.Feedback
	var err error
	f.Before, f.Limit = 0, maxExportRows
	switch list {
	case ListDue:
		due, err = s.FeedbackDue(ctx, a, f.Quarter, "", maxExportRows)
	case ListWaiting:
		var p FeedbackPage
		p, err = s.FeedbackWaiting(ctx, a, f)
		rows = p.Feedback
	default:
		list = ListAll
		var p FeedbackPage
		p, err = s.ListFeedback(ctx, a, f)
		rows = p.Feedback
	}
	if err != nil {
		return due, rows, err
	}
	s.recordAlone(ctx, a, "feedback.export", "feedback", "", "ok",
		map[string]any{"list": list, "rows": len(rows) + len(due.Members), "filter": f})
	return due, rows, nil
}
