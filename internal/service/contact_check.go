package service

import (
	"context"
	"fmt"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// CheckResult is what one run of the lost-contact check changed.
type CheckResult struct {
	On        domain.Date
	AtRisk    int // members newly at risk
	Lost      int // members newly lost (from ok or at risk)
	Recovered int // members back to ok (a contact the check saw first, a status change)
	Notices   int // organizations told
}

// String is the run's short result, for the job's lease row and the log.
func (r CheckResult) String() string {
	return fmt.Sprintf("at_risk=%d lost=%d ok=%d notices=%d", r.AtRisk, r.Lost, r.Recovered, r.Notices)
}

// CheckContacts reads every member's last contact against the thresholds
// on today, writes the states that change with an event each, tells the
// responsible secretaries of the home and the mobile organizations about
// newly flagged members (one notice per organization and day, so a
// re-run or a second server sends nothing twice) and audits the run once.
// It is the program's own work: the scheduled job calls it.
func (s *Service) CheckContacts(ctx context.Context, today domain.Date) (CheckResult, error) {
	res := CheckResult{On: today}
	th, err := s.ContactThresholds(ctx)
	if err != nil {
		return res, err
	}
	atRiskOn, lostOn := th.Cutoffs(today)
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		changes, err := store.ApplyContactStates(ctx, tx, atRiskOn, lostOn, today, authz.System.Name, s.Now())
		if err != nil {
			return err
		}
		flagged := map[domain.OrgID]*orgFlags{}
		var order []domain.OrgID
		add := func(org domain.OrgID, home bool, c store.StateChange) {
			if org == 0 {
				return
			}
			f := flagged[org]
			if f == nil {
				f = &orgFlags{home: home}
				flagged[org] = f
				order = append(order, org)
			}
			if c.To == domain.ContactLost {
				f.lost += c.Count
			} else {
				f.atRisk += c.Count
			}
		}
		for _, c := range changes {
			switch c.To {
			case domain.ContactOK:
				res.Recovered += c.Count
				continue
			case domain.ContactLost:
				res.Lost += c.Count
			default:
				res.AtRisk += c.Count
			}
			add(c.HomeOrgID, true, c)
			add(c.MobileOrgID, false, c)
		}
		for _, org := range order {
			told, err := s.noticeFlagged(ctx, tx, org, flagged[org], today)
			if err != nil {
				return err
			}
			if told {
				res.Notices++
			}
		}
		return s.record(ctx, tx, authz.System, "contact.check", "job", "contact_check", "ok",
			map[string]any{"on": today, "at_risk": res.AtRisk, "lost": res.Lost, "ok": res.Recovered, "notices": res.Notices,
				"at_risk_months": th.AtRiskMonths, "lost_months": th.LostMonths})
	})
	return res, err
}

// orgFlags counts one organization's newly flagged members in a run.
type orgFlags struct {
	home         bool // the home side: its secretaries hold the relationship
	atRisk, lost int
}

// noticeFlagged tells the secretaries nearest to an organization how many
// of its members were newly flagged, with a link to its list. The key
// names the organization and the day: the notice arrives once.
func (s *Service) noticeFlagged(ctx context.Context, tx store.Tx, org domain.OrgID, f *orgFlags, today domain.Date) (bool, error) {
	role := authz.RoleMobileSecretary
	if f.home {
		role = authz.RoleHomeSecretary
	}
	to, err := s.responsibleFor(ctx, tx, org, role, authz.RoleCountyOfficer)
	if err != nil || len(to) == 0 {
		return false, err
	}
	o, err := store.OrgByID(ctx, tx, org)
	if err != nil {
		return false, err
	}
	id := strconv.FormatInt(int64(org), 10)
	return true, s.notify(ctx, tx, to, Notice{Kind: "lost_contact", MsgID: "contact.notice.flagged",
		Args: map[string]any{"Org": o.Name, "AtRisk": f.atRisk, "Lost": f.lost}, Link: "/people/contact?org=" + id,
		Key: "contact:" + id + ":" + today.String()})
}

// WarningSearch filters the lost-contact list.
type WarningSearch struct {
	State domain.ContactState // at_risk or lost; empty: both
	Org   domain.OrgID        // the home or mobile organization lies under it
	Page  int                 // from 1
	Limit int
}

// WarningPage is one page of flagged members with the counts by state.
type WarningPage struct {
	Rows         []store.ContactWarning
	AtRisk, Lost int // in the whole filtered list (both states, whatever State says)
	Total        int // rows the page's filter pages through
	Page, Pages  int
	Today        domain.Date
}

// ContactWarnings lists the members at risk and lost in the actor's
// scope, longest without contact first: the home side sees its members,
// the mobile and host side those placed in the organizations it reaches.
func (s *Service) ContactWarnings(ctx context.Context, a *authz.Actor, f WarningSearch) (WarningPage, error) {
	out := WarningPage{Today: s.Today(), Page: max(f.Page, 1)}
	if f.State != "" && !f.State.Flagged() {
		return out, domain.Invalid("state", "contact.state_invalid", nil)
	}
	limit := f.Limit
	if limit <= 0 || limit > maxWarningLimit {
		limit = 50
	}
	q := store.ContactWarningQuery{Scope: a.Filter(authz.PersonRead)}
	if f.Org != 0 {
		o, err := s.orgFor(ctx, s.db.Read(), a, f.Org)
		if err != nil {
			return out, err
		}
		q.Org = o.Path
	}
	var err error
	if out.AtRisk, out.Lost, err = store.CountContactWarnings(ctx, s.db.Read(), q); err != nil {
		return out, err
	}
	out.Total = out.AtRisk + out.Lost
	switch f.State {
	case domain.ContactAtRisk:
		out.Total = out.AtRisk
	case domain.ContactLost:
		out.Total = out.Lost
	}
	out.Pages = max((out.Total+limit-1)/limit, 1)
	q.State, q.Limit, q.Offset = f.State, limit, (out.Page-1)*limit
	out.Rows, err = store.ContactWarnings(ctx, s.db.Read(), s.db.Dialect(), q)
	return out, err
}

// maxWarningLimit is the largest page of the list; an export asks for it.
const maxWarningLimit = 5000

// ExportContactWarnings is the whole filtered list (up to 5,000 rows) for
// an export, audited with its filter and size: a list of names with
// their organizations is personal data leaving the system.
func (s *Service) ExportContactWarnings(ctx context.Context, a *authz.Actor, f WarningSearch) (WarningPage, error) {
	if a.Filter(authz.PersonRead).Empty() {
		return WarningPage{}, s.denied(ctx, a, "contact.export", "person", "", domain.ErrForbidden)
	}
	f.Page, f.Limit = 1, maxWarningLimit
	page, err := s.ContactWarnings(ctx, a, f)
	if err != nil {
		return page, err
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		return s.record(ctx, tx, a, "contact.export", "person", "", "ok",
			map[string]any{"state": f.State, "org": f.Org, "rows": len(page.Rows)})
	})
	return page, err
}
