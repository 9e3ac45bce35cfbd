package cli

import (
	"context"

	"gongjian/internal/config"
)

// audit runs `audit verify`: the whole hash chain, entry by entry.
func (r *runner) audit(ctx context.Context, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		return errHelp
	}
	if len(args) == 0 || args[0] != "verify" {
		return usageError("cli.audit.usage")
	}
	cfg, _, err := r.configure(newFlags("audit verify"), args[1:], config.Common, config.ServeDefaults(), 0, "cli.audit.usage")
	if err != nil {
		return err
	}
	a, err := r.open(ctx, cfg, true, keysMustExist)
	if err != nil {
		return err
	}
	defer a.close()
	brk, n, err := a.svc.VerifyAuditChain(ctx)
	if err != nil {
		return runtimeError("cli.failed", "Err", err.Error())
	}
	if brk != nil {
		return runtimeError("cli.audit.broken", "Seq", brk.Seq, "Reason", r.l.T("cli.audit.reason_"+brk.Reason))
	}
	r.say("cli.audit.intact", "Count", n)
	return nil
}
