package demo

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/pinyin"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// Rehearsal is a theme Party day under way today for n members of one
// mobile branch, each with a member account linked to the record: the
// fixture of the QR check-in benchmarks (2,500 members checking in within
// ten minutes, issue #5). It is built in a few bulk transactions, not
// through the pages, so that preparing it does not dominate the run.
type Rehearsal struct {
	Meeting  domain.MeetingID
	Branch   domain.OrgID
	Accounts []domain.AccountID // in the order of Logins
	Logins   []string           // "scanner0001" …
	Password string
}

// CheckinRehearsal builds a Rehearsal with n members whose accounts share
// password, hashed with params once (cheap parameters keep a load test
// about the check-in rather than about argon2id).
func CheckinRehearsal(ctx context.Context, svc *service.Service, n int, password string, params auth.Params) (Rehearsal, error) {
	r := Rehearsal{Password: password}
	stamp := svc.Now().Format("150405.000000")
	origin, err := svc.BootstrapOrg(ctx, service.NewOrg{Name: "彩排县委 " + stamp, Side: domain.SideOrigin, Kind: domain.KindCommittee})
	if err != nil {
		return r, err
	}
	if r.Branch, err = svc.BootstrapOrg(ctx, service.NewOrg{Name: "彩排流动党支部 " + stamp, ParentID: origin, Side: domain.SideMobile,
		Kind: domain.KindBranch}); err != nil {
		return r, err
	}
	hash, err := auth.Hash(password, params)
	if err != nil {
		return r, err
	}
	now := svc.Now()
	err = svc.DB().Tx(ctx, func(tx store.Tx) error {
		for i := range n {
			name := fmt.Sprintf("党员%04d", i+1)
			py := pinyin.Of(name)
			p := store.PersonRow{Person: domain.Person{Name: name, Pinyin: py.Full, Initials: py.Initials, OriginOrgID: origin,
				Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: origin, MobileOrgID: r.Branch}}, SortKey: py.Sort}
			person, err := store.CreatePerson(ctx, tx, p, now)
			if err != nil {
				return err
			}
			login := fmt.Sprintf("scanner%04d-%s", i+1, stamp)
			acc, err := store.CreateAccount(ctx, tx, store.AccountRow{Account: domain.Account{Name: login, DisplayName: name},
				PasswordHash: hash}, now)
			if err != nil {
				return err
			}
			if _, err := store.AddGrant(ctx, tx, acc, authz.RoleMember, r.Branch, 0, now); err != nil {
				return err
			}
			if err := store.SetAccountPerson(ctx, tx, acc, person); err != nil {
				return err
			}
			r.Accounts, r.Logins = append(r.Accounts, acc), append(r.Logins, login)
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	// It began a few minutes ago (if that is still today in Beijing).
	start := now.Add(-5 * time.Minute)
	if domain.Today(start) != domain.Today(now) {
		start = now
	}
	r.Meeting, err = svc.PlanMeeting(ctx, authz.System, service.NewMeeting{OrgID: r.Branch, Kind: domain.MeetingThemeDay,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Place: "彩排会场", Topic: "扫码签到彩排"})
	return r, err
}
