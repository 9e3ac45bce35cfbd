package service

import (
	"context"
	"fmt"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// The daily rhythm check: a reminder to the responsible secretary of every
// organization whose current period is about to end without the meetings
// a rule asks for (once per organization, rule and period), and a notice
// about every member absent without reason for the months of the absence
// rule to the secretaries of the member's home and mobile organizations
// (once per member and month), which feeds the lost-contact warning.

// RhythmCheckResult is what one run of the check did.
type RhythmCheckResult struct {
	On        domain.Date
	Reminders int // organization × rule reminders sent (new or not)
	Flagged   int // members absent past the rule
	Notices   int // absence notices written
}

// String is the run's short result, for the job's lease row and the log.
func (r RhythmCheckResult) String() string {
	return fmt.Sprintf("reminders=%d flagged=%d notices=%d", r.Reminders, r.Flagged, r.Notices)
}

// dueMsg is the reminder's message for each kind that a rule may name.
var dueMsg = map[domain.MeetingKind]string{
	domain.MeetingAssembly:    "rhythm.notice.due.assembly",
	domain.MeetingCommittee:   "rhythm.notice.due.committee",
	domain.MeetingGroup:       "rhythm.notice.due.group",
	domain.MeetingLecture:     "rhythm.notice.due.lecture",
	domain.MeetingThemeDay:    "rhythm.notice.due.theme_day",
	domain.MeetingLifeMeeting: "rhythm.notice.due.life_meeting",
	domain.MeetingEvaluation:  "rhythm.notice.due.evaluation",
}

// CheckRhythm runs the check on today, as the program (the scheduled
// job), in one transaction with one audit entry.
func (s *Service) CheckRhythm(ctx context.Context, today domain.Date) (RhythmCheckResult, error) {
	res := RhythmCheckResult{On: today}
	rules, err := s.RhythmRules(ctx)
	if err != nil {
		return res, err
	}
	rule, err := s.AbsenceRule(ctx)
	if err != nil {
		return res, err
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		if res.Reminders, err = s.remindRhythm(ctx, tx, rules, today); err != nil {
			return err
		}
		if res.Flagged, res.Notices, err = s.noticeAbsences(ctx, tx, rule, today); err != nil {
			return err
		}
		return s.record(ctx, tx, authz.System, "rhythm.check", "job", "rhythm_check", "ok",
			map[string]any{"on": today, "reminders": res.Reminders, "flagged": res.Flagged, "notices": res.Notices,
				"absence_months": rule.Months})
	})
	return res, err
}

// remindRhythm tells the secretary of each organization with a due gap in
// a current period, keyed by organization, kind and period.
func (s *Service) remindRhythm(ctx context.Context, tx store.Tx, rules []domain.RhythmRule, today domain.Date) (int, error) {
	orgs, err := activeMobileOrgs(ctx, tx)
	if err != nil {
		return 0, err
	}
	full, err := store.FullPlaced(ctx, tx)
	if err != nil {
		return 0, err
	}
	rows, err := store.HeldMeetings(ctx, tx, store.HeldQuery{Scope: everywhere, Side: domain.SideMobile,
		From: domain.SpanOf(domain.Yearly, today).First, To: today})
	if err != nil {
		return 0, err
	}
	held := heldByOrg(rows)
	n := 0
	for _, o := range orgs {
		for _, g := range domain.Gaps(bindingRules(rules, o.Kind, full[o.ID]), o.Kind, full[o.ID], o.FoundedOn, held[o.ID], today, today) {
			if !g.Due {
				continue
			}
			to, err := s.responsibleFor(ctx, tx, o.ID, authz.RoleMobileSecretary, authz.RoleCountyOfficer)
			if err != nil {
				return n, err
			}
			id := strconv.FormatInt(int64(o.ID), 10)
			if err := s.notify(ctx, tx, to, Notice{Kind: "rhythm", MsgID: dueMsg[g.Meeting],
				Args: map[string]any{"Org": o.Name, "Span": g.Span.Key, "Last": g.Span.Last.String(), "Held": g.Held, "Min": g.Min},
				Link: orgLink(o.ID) + "#rhythm", Key: "rhythm:" + id + ":" + string(g.Meeting) + ":" + g.Span.Key}); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

func orgLink(id domain.OrgID) string { return "/orgs/" + strconv.FormatInt(int64(id), 10) }

// noticeAbsences tells the secretaries of each flagged member's home and
// mobile organizations, keyed by member and month: a member still absent
// next month is named again then.
func (s *Service) noticeAbsences(ctx context.Context, tx store.Tx, rule domain.AbsenceRule, today domain.Date) (flagged, notices int, err error) {
	month := domain.SpanOf(domain.Monthly, today).Key
	responsible := map[string][]domain.AccountID{}
	nearest := func(org domain.OrgID, role string) ([]domain.AccountID, error) {
		k := role + ":" + strconv.FormatInt(int64(org), 10)
		if to, ok := responsible[k]; ok {
			return to, nil
		}
		to, err := s.responsibleFor(ctx, tx, org, role, authz.RoleCountyOfficer)
		responsible[k] = to
		return to, err
	}
	for offset := 0; ; offset += maxAbsenceLimit {
		flags, err := store.AbsenceFlags(ctx, tx, store.AbsenceQuery{All: true, Cutoff: rule.Cutoff(today), Today: today,
			Limit: maxAbsenceLimit, Offset: offset})
		if err != nil {
			return flagged, notices, err
		}
		for _, f := range flags {
			flagged++
			home, err := nearest(f.HomeOrgID, authz.RoleHomeSecretary)
			if err != nil {
				return flagged, notices, err
			}
			mobile, err := nearest(f.MobileOrgID, authz.RoleMobileSecretary)
			if err != nil {
				return flagged, notices, err
			}
			org := f.MobileOrgName
			if org == "" {
				org = f.HomeOrgName
			}
			pid := strconv.FormatInt(int64(f.PersonID), 10)
			if err := s.notify(ctx, tx, append(home, mobile...), Notice{Kind: "absence", MsgID: "absence.notice.flagged",
				Args: map[string]any{"Name": f.Name, "Org": org, "Since": f.Since.String(), "Missed": f.Missed, "Months": rule.Months},
				Link: "/people/" + pid + "#attendance", Key: "absence:" + pid + ":" + month}); err != nil {
				return flagged, notices, err
			}
			notices++
		}
		if len(flags) < maxAbsenceLimit {
			return flagged, notices, nil
		}
	}
}
