package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"gongjian/internal/config"
	"gongjian/internal/demo"
)

// demo is serve with the demo's own database and key file, and the
// Guannan scenario loaded into an empty database first, with --people
// workers (the county's 200,000 by default).
func (r *runner) demo(ctx context.Context, args []string) error {
	fs := newFlags("demo")
	loadOnly := fs.Bool("load-only", false, "load the scenario and exit")
	people := fs.Int("people", demo.DefaultPeople, "how many workers the scenario registers")
	cfg, _, err := r.configure(fs, args, config.Common|config.Server, config.DemoDefaults(), 0, "cli.demo.usage")
	if err != nil {
		return err
	}
	if *people < 0 || *people > demo.MaxPeople {
		return usageError("cli.demo.people_range", "Value", *people, "Max", demo.MaxPeople)
	}
	a, err := r.start(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.close()
	sc := demo.Guannan()
	sc.People = *people
	sc.Progress = func(done, total int) { r.say("cli.demo.people_progress", "Done", done, "Total", total) }
	start := time.Now()
	res, err := sc.Load(ctx, a.svc)
	if err != nil {
		return runtimeError("cli.demo.load", "Err", err.Error())
	}
	switch {
	case res.Loaded:
		r.say("cli.demo.loaded", "Count", len(sc.Accounts))
		r.say("cli.demo.people_loaded", "People", sc.People, "Members", demo.MembersFor(sc.People),
			"Seconds", fmt.Sprintf("%.1f", time.Since(start).Seconds()))
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
