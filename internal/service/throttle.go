package service

import (
	"context"
	"fmt"
	"math"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/throttle"
)

// throttle takes one of the actor's allowance for a bulk-reading action
// (package throttle says why). The program's own work is not limited. A
// refusal says how long to wait; the first refusal in a minute is audited,
// so an auditor sees a scraper without a line for each of its requests.
func (s *Service) throttle(ctx context.Context, a *authz.Actor, action string) error {
	if a == nil || a == authz.System {
		return nil
	}
	v := s.limiter.Allow(fmt.Sprint(a.AccountID), action, s.Now())
	if v.OK {
		return nil
	}
	secs := int(math.Ceil(v.RetryAfter.Seconds()))
	if v.Report {
		s.recordAlone(ctx, a, "throttle.refused", "account", fmt.Sprint(a.AccountID), "denied",
			map[string]any{"action": action, "retry_after_s": secs})
	}
	return &domain.Error{Code: domain.CodeLocked, MsgID: throttleMsg[action], Args: map[string]any{"Seconds": secs}}
}

// throttleMsg names the refusal of each action.
var throttleMsg = map[string]string{
	throttle.Search: "throttle.search",
	throttle.Export: "throttle.export",
	throttle.Import: "throttle.import",
	throttle.Reveal: "throttle.reveal",
}

// throttleLimits are the limits the service runs with.
func throttleLimits(l throttle.Limits) *throttle.Limiter {
	if l == nil {
		l = throttle.Defaults()
	}
	return throttle.New(l)
}
