package service

import (
	"context"
	"fmt"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// DevCheckResult is what one run of the daily development check did.
type DevCheckResult struct {
	On         domain.Date
	Conversion int // probations due within 30 days
	Approval   int // approvals past their limit
	Eligible   int // activists eligible to become development targets
}

// String is the run's short result, for the job's lease row and the log.
func (r DevCheckResult) String() string {
	return fmt.Sprintf("conversion=%d approval=%d eligible=%d", r.Conversion, r.Approval, r.Eligible)
}

// CheckDevelopment runs the daily check on today, as the program: each
// case on a deadline list is told to both sides once (the notice's key
// names the case and the date or step it is about), in one transaction
// with one audit entry.
func (s *Service) CheckDevelopment(ctx context.Context, today domain.Date) (DevCheckResult, error) {
	res := DevCheckResult{On: today}
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		for _, kind := range DevDeadlineKinds {
			list, err := s.devDeadlines(ctx, tx, everywhere, everywhere, kind, today)
			if err != nil {
				return err
			}
			for _, d := range list {
				key := fmt.Sprintf("development:%s:%d:%s", kind, d.ID, d.Due)
				n := Notice{Kind: "development", MsgID: "development.notice.deadline." + kind, Link: devCaseURL(d.ID), Key: key,
					Args: map[string]any{"Person": d.PersonName, "Date": d.Due.String(), "Step": d.Step}}
				if err := s.tell(ctx, tx, authz.System, d.HomeOrgID, homeRoles, nil, n); err != nil {
					return err
				}
				if err := s.tell(ctx, tx, authz.System, d.MobileOrgID, mobileRoles, nil, n); err != nil {
					return err
				}
			}
			switch kind {
			case store.DeadlineConversion:
				res.Conversion = len(list)
			case store.DeadlineApproval:
				res.Approval = len(list)
			default:
				res.Eligible = len(list)
			}
		}
		return s.record(ctx, tx, authz.System, "development.check", "job", "development_check", "ok",
			map[string]any{"on": today, "conversion": res.Conversion, "approval": res.Approval, "eligible": res.Eligible})
	})
	return res, err
}
