package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"gongjian/internal/config"
	"gongjian/internal/demo"
)

// demo is serve with the demo's own database and key file, and the
// Guannan scenario loaded into an empty database first.
func (r *runner) demo(ctx context.Context, args []string) error {
	fs := newFlags("demo")
	loadOnly := fs.Bool("load-only", false, "load the scenario and exit")
	cfg, _, err := r.configure(fs, args, config.Common|config.Server, config.DemoDefaults(), 0, "cli.demo.usage")
	if err != nil {
		return err
	}
	a, err := r.start(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.close()
	sc := demo.Guannan()
	res, err := sc.Load(ctx, a.svc)
	if err != nil {
		return runtimeError("cli.demo.load", "Err", err.Error())
	}
	switch {
	case res.Loaded:
		r.say("cli.demo.loaded", "Count", len(sc.Accounts))
	case res.Present:
		r.say("cli.demo.present")
	default:
		// A database with data of its own: the demo leaves it alone and
		// has no accounts to show.
		r.notice("cli.demo.not_empty", "DB", cfg.DB)
	}
	if res.Present {
		r.printAccounts(sc.Accounts)
	}
	if *loadOnly {
		return nil
	}
	return r.listenAndServe(ctx, a)
}

// printAccounts lists the demo accounts: the ASCII columns first, aligned,
// then the Chinese ones, which tabwriter cannot measure.
func (r *runner) printAccounts(accounts []demo.Account) {
	r.say("cli.demo.accounts")
	w := tabwriter.NewWriter(r.env.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.l.T("cli.demo.col_name"), r.l.T("cli.demo.col_password"),
		r.l.T("cli.demo.col_totp"), r.l.T("cli.demo.col_role"))
	for _, a := range accounts {
		totp := a.TOTPSecret
		if totp == "" {
			totp = "-"
		}
		role := r.l.T("role."+a.Role) + " · " + a.DisplayName
		if a.Org != "" {
			role += " @ " + a.Org
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", a.Name, a.Password, totp, role)
	}
	w.Flush()
}
