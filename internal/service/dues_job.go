package service

import (
	"context"
	"fmt"
	"strconv"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// The dues work the program does on its own. Both runs are idempotent and
// have the shape of a scheduled job (func(ctx) (result, error)), so the
// job runner calls RunDuesYear and RunDuesCheck as they are, daily: a run
// that finds nothing to do changes nothing and sends nothing twice.

// RenewDuesStandards fixes every member's standard for a year (年初核定)
// from the last declaration before it — the same basis and income, the
// amount under the rules in force — for members who have a standard
// before the year and none from its January. It reports how many it set.
func (s *Service) RenewDuesStandards(ctx context.Context, year int) (int, error) {
	rules, err := s.DuesRules(ctx)
	if err != nil {
		return 0, err
	}
	jan := domain.NewMonth(year, 1)
	n := 0
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		n = 0
		last, err := store.StandardsToRenew(ctx, tx, jan)
		if err != nil {
			return err
		}
		for _, st := range last {
			next := domain.DuesStandard{PersonID: st.PersonID, From: jan, Basis: st.Basis, Income: st.Income,
				Amount: rules.MonthlyDues(st.Basis, st.Income), SetBy: authz.System.Name, SetAt: s.Now()}
			added, err := store.AddDuesStandardOnce(ctx, tx, next)
			if err != nil {
				return err
			}
			if added {
				n++
			}
		}
		if n == 0 {
			return nil
		}
		return s.record(ctx, tx, authz.System, "dues.renew", "job", "dues_year", "ok", map[string]any{"year": year, "members": n})
	})
	return n, err
}

// RunDuesYear renews the standards for the year of today: the scheduled
// job's run.
func (s *Service) RunDuesYear(ctx context.Context) (string, error) {
	n, err := s.RenewDuesStandards(ctx, s.Today().Time().Year())
	return fmt.Sprintf("renewed=%d", n), err
}

// LapseResult is what one run of the dues check found.
type LapseResult struct {
	Month  domain.Month
	Lapsed int // members with LapseMonths or more complete months unpaid in a row
	Told   int // of them, members whose secretaries were found and told
}

// String is the run's short result, for the job's lease row and the log.
func (r LapseResult) String() string { return fmt.Sprintf("lapsed=%d told=%d", r.Lapsed, r.Told) }

// CheckDuesLapses finds the members who have not paid for the rules'
// LapseMonths complete months in a row (party-rules.md §2.4: self-lapse,
// and a sign of lost contact) and tells the secretaries of the home and
// the mobile organization, once per member and month however often it
// runs. The run is audited once.
func (s *Service) CheckDuesLapses(ctx context.Context, today domain.Date) (LapseResult, error) {
	res := LapseResult{Month: domain.MonthOf(today)}
	rules, err := s.DuesRules(ctx)
	if err != nil {
		return res, err
	}
	err = s.db.Tx(ctx, func(tx store.Tx) error {
		res.Lapsed, res.Told = 0, 0
		members, err := store.DuesMembers(ctx, tx, store.DuesMemberQuery{All: true, Current: res.Month})
		if err != nil {
			return err
		}
		secretaries := map[string][]domain.AccountID{}
		for _, m := range members {
			st := domain.Standing(m.Start, res.Month, m.Paid, m.LastPaid, rules.LapseMonths)
			if !st.Lapsed {
				continue
			}
			res.Lapsed++
			to, err := s.lapseReaders(ctx, tx, m, secretaries)
			if err != nil {
				return err
			}
			if len(to) == 0 {
				continue
			}
			res.Told++
			id := strconv.FormatInt(int64(m.PersonID), 10)
			if err := s.notify(ctx, tx, to, Notice{Kind: "dues_lapse", MsgID: "dues.notice.lapsed",
				Args: map[string]any{"Name": m.Name, "Org": m.HomeOrg, "Months": st.Streak, "Since": st.Start.String()},
				Link: "/people/" + id + "/dues", Key: "dues_lapse:" + id + ":" + res.Month.String()}); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, authz.System, "dues.check", "job", "dues_check", "ok",
			map[string]any{"month": res.Month.String(), "lapsed": res.Lapsed, "told": res.Told, "lapse_months": rules.LapseMonths})
	})
	return res, err
}

// lapseReaders are the secretaries told about a lapsed member: the home
// side's (or the county's) and the mobile organization's, looked up once
// per organization in a run.
func (s *Service) lapseReaders(ctx context.Context, q store.Q, m store.DuesMember, seen map[string][]domain.AccountID) ([]domain.AccountID, error) {
	var out []domain.AccountID
	for _, side := range []struct {
		org   domain.OrgID
		roles []string
	}{
		{m.HomeOrgID, []string{authz.RoleHomeSecretary, authz.RoleCountyOfficer}},
		{m.MobileOrgID, []string{authz.RoleMobileSecretary}},
	} {
		if side.org == 0 {
			continue
		}
		key := fmt.Sprint(side.org, side.roles)
		to, ok := seen[key]
		if !ok {
			var err error
			if to, err = s.responsibleFor(ctx, q, side.org, side.roles...); err != nil {
				return nil, err
			}
			seen[key] = to
		}
		out = append(out, to...)
	}
	return out, nil
}

// RunDuesCheck runs CheckDuesLapses for today: the scheduled job's run.
func (s *Service) RunDuesCheck(ctx context.Context) (string, error) {
	r, err := s.CheckDuesLapses(ctx, s.Today())
	return r.String(), err
}
