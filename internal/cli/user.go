package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/config"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// user runs the account subcommands. They act as the system (whoever runs
// them controls the server) and are audited as such.
func (r *runner) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("cli.user.usage")
	}
	if isHelp(args[0]) {
		return errHelp
	}
	subs := map[string]func(context.Context, []string) error{
		"add":     r.userAdd,
		"passwd":  r.userPasswd,
		"disable": r.userDisable,
		"grant":   r.userGrant,
		"link":    r.userLink,
		"list":    r.userList,
		"token":   r.userToken,
	}
	sub, ok := subs[args[0]]
	if !ok {
		return usageError("cli.user.usage")
	}
	return sub(ctx, args[1:])
}

// userApp configures and opens the program for a user subcommand.
func (r *runner) userApp(ctx context.Context, name string, fs *flag.FlagSet, args []string, want int) (*app, []string, error) {
	cfg, pos, err := r.configure(fs, args, config.Common, config.ServeDefaults(), want, "cli.user.usage_"+name)
	if err != nil {
		return nil, nil, err
	}
	a, err := r.open(ctx, cfg, false, keysMayCreate)
	return a, pos, err
}

func (r *runner) userAdd(ctx context.Context, args []string) error {
	fs := newFlags("user add")
	display := fs.String("display-name", "", "name shown in the interface")
	password := fs.String("password", "", "the password (visible to other users of this machine; prefer GONGJIAN_PASSWORD or the prompt)")
	a, pos, err := r.userApp(ctx, "add", fs, args, 1)
	if err != nil {
		return err
	}
	defer a.close()
	pw, err := r.readPassword(*password)
	if err != nil {
		return err
	}
	id, err := a.svc.BootstrapAccount(ctx, service.NewAccount{Name: pos[0], DisplayName: *display, Password: pw})
	if err != nil {
		return refused("cli.user.add_failed", err, "Name", pos[0])
	}
	r.say("cli.user.added", "Name", store.NormalizeAccountName(pos[0]), "ID", int64(id))
	return nil
}

func (r *runner) userPasswd(ctx context.Context, args []string) error {
	fs := newFlags("user passwd")
	password := fs.String("password", "", "the new password (prefer GONGJIAN_PASSWORD or the prompt)")
	a, pos, err := r.userApp(ctx, "passwd", fs, args, 1)
	if err != nil {
		return err
	}
	defer a.close()
	id, err := accountID(ctx, a, pos[0])
	if err != nil {
		return err
	}
	pw, err := r.readPassword(*password)
	if err != nil {
		return err
	}
	if err := a.svc.BootstrapPassword(ctx, id, pw); err != nil {
		return refused("cli.user.passwd_failed", err, "Name", pos[0])
	}
	r.say("cli.user.passwd_done", "Name", pos[0])
	return nil
}

func (r *runner) userDisable(ctx context.Context, args []string) error {
	fs := newFlags("user disable")
	enable := fs.Bool("enable", false, "enable the account again")
	a, pos, err := r.userApp(ctx, "disable", fs, args, 1)
	if err != nil {
		return err
	}
	defer a.close()
	id, err := accountID(ctx, a, pos[0])
	if err != nil {
		return err
	}
	if err := a.svc.BootstrapSetDisabled(ctx, id, !*enable); err != nil {
		return refused("cli.user.disable_failed", err, "Name", pos[0])
	}
	if *enable {
		r.say("cli.user.enabled", "Name", pos[0])
	} else {
		r.say("cli.user.disabled", "Name", pos[0])
	}
	return nil
}

func (r *runner) userGrant(ctx context.Context, args []string) error {
	fs := newFlags("user grant")
	org := fs.String("org", "", "organization: id, name or short name (not for sysadmin, secofficer, auditor)")
	a, pos, err := r.userApp(ctx, "grant", fs, args, 2)
	if err != nil {
		return err
	}
	defer a.close()
	id, err := accountID(ctx, a, pos[0])
	if err != nil {
		return err
	}
	if err := a.svc.BootstrapGrant(ctx, id, pos[1], *org); err != nil {
		return refused("cli.user.grant_failed", err, "Name", pos[0], "Role", pos[1])
	}
	r.say("cli.user.granted", "Name", pos[0], "Role", pos[1])
	return nil
}

// userToken issues a personal API token to an account and prints it (once:
// only its hash is kept), for scripts such as the load benchmark.
func (r *runner) userToken(ctx context.Context, args []string) error {
	fs := newFlags("user token")
	label := fs.String("label", "cli", "the token's name, to recognise and revoke it later")
	days := fs.Int("days", 30, "days the token stays valid (0: until revoked)")
	a, pos, err := r.userApp(ctx, "token", fs, args, 1)
	if err != nil {
		return err
	}
	defer a.close()
	if *days < 0 {
		return usageError("cli.user.usage_token")
	}
	id, err := accountID(ctx, a, pos[0])
	if err != nil {
		return err
	}
	token, _, err := a.svc.BootstrapAPIToken(ctx, id, *label, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return refused("cli.user.token_failed", err, "Name", pos[0])
	}
	fmt.Fprintln(r.env.Out, token)
	return nil
}

// userLink links an account to the person record whose ID number the
// member presented, or with --unlink removes the link. The output shows
// the record masked only.
func (r *runner) userLink(ctx context.Context, args []string) error {
	fs := newFlags("user link")
	idNumber := fs.String("id-number", "", "the ID number of the account owner's person record")
	unlink := fs.Bool("unlink", false, "remove the account's link instead")
	a, pos, err := r.userApp(ctx, "link", fs, args, 1)
	if err != nil {
		return err
	}
	defer a.close()
	if (*idNumber == "") == !*unlink {
		return usageError("cli.user.usage_link")
	}
	id, err := accountID(ctx, a, pos[0])
	if err != nil {
		return err
	}
	if *unlink {
		if err := a.svc.BootstrapUnlinkPerson(ctx, id); err != nil {
			return refused("cli.user.link_failed", err, "Name", pos[0])
		}
		r.say("cli.user.unlinked", "Name", pos[0])
		return nil
	}
	p, err := a.svc.BootstrapLinkPerson(ctx, id, *idNumber)
	if err != nil {
		return refused("cli.user.link_failed", err, "Name", pos[0])
	}
	r.say("cli.user.linked", "Name", pos[0], "Person", p.Name, "IDNumber", string(p.IDNumber))
	return nil
}

// userList prints one account a line, tab-separated for scripts: name,
// display name, grants as role@organization, disabled, TOTP enabled.
func (r *runner) userList(ctx context.Context, args []string) error {
	a, _, err := r.userApp(ctx, "list", newFlags("user list"), args, 0)
	if err != nil {
		return err
	}
	defer a.close()
	const page = 500
	for after := ""; ; {
		accs, err := a.svc.AllAccounts(ctx, after, page)
		if err != nil {
			return runtimeError("cli.failed", "Err", err.Error())
		}
		for _, v := range accs {
			fmt.Fprintf(r.env.Out, "%s\t%s\t%s\t%t\t%t\n", v.Name, v.DisplayName, grantList(v.Grants), v.Disabled(), v.TOTPEnabled)
		}
		if len(accs) < page {
			return nil
		}
		after = accs[len(accs)-1].Name
	}
}

func grantList(grants []domain.Grant) string {
	parts := make([]string, 0, len(grants))
	for _, g := range grants {
		if g.OrgName == "" {
			parts = append(parts, g.Role)
		} else {
			parts = append(parts, g.Role+"@"+g.OrgName)
		}
	}
	return strings.Join(parts, ",")
}

// accountID finds an account by login name.
func accountID(ctx context.Context, a *app, name string) (domain.AccountID, error) {
	row, err := store.AccountByName(ctx, a.db.Read(), name)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return 0, usageError("cli.user.not_found", "Name", name)
	}
	if err != nil {
		return 0, runtimeError("cli.failed", "Err", err.Error())
	}
	return row.ID, nil
}
