package cli

import (
	"context"
	"fmt"

	"gongjian/internal/config"
	"gongjian/internal/store"
)

// migrate runs `migrate up` and `migrate status`.
func (r *runner) migrate(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("cli.migrate.usage")
	}
	if isHelp(args[0]) {
		return errHelp
	}
	sub, fs := args[0], newFlags("migrate "+args[0])
	if sub != "up" && sub != "status" {
		return usageError("cli.migrate.usage")
	}
	cfg, _, err := r.configure(fs, args[1:], config.Common, config.ServeDefaults(), 0, "cli.migrate.usage")
	if err != nil {
		return err
	}
	db, err := r.openDB(ctx, cfg, sub == "status")
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "up" {
		if err := r.migrateDB(ctx, db); err != nil {
			return err
		}
		cur, _, err := db.Versions(ctx)
		if err != nil {
			return runtimeError("cli.db.migrate", "Err", err.Error())
		}
		r.say("cli.migrate.done", "Version", cur)
		return nil
	}
	return r.migrateStatus(ctx, db)
}

// migrateStatus lists every migration this program knows, applied or
// pending. A database newer than the program is refused: its extra
// versions are unknown here, and a list without them would mislead.
func (r *runner) migrateStatus(ctx context.Context, db *store.DB) error {
	cur, known, err := db.Versions(ctx)
	if err != nil {
		return runtimeError("cli.db.migrate", "Err", err.Error())
	}
	if cur > known {
		return runtimeError("cli.db.too_new", "Current", cur, "Known", known)
	}
	list, err := db.MigrationStatus(ctx)
	if err != nil {
		return runtimeError("cli.db.migrate", "Err", err.Error())
	}
	pending := 0
	for _, m := range list {
		state := r.l.T("cli.migrate.applied")
		if !m.Applied {
			state = r.l.T("cli.migrate.pending")
			pending++
		}
		fmt.Fprintf(r.env.Out, "%05d\t%s\t%s\n", m.Version, m.Name, state)
	}
	r.say("cli.migrate.summary", "Current", cur, "Known", known, "Pending", pending)
	return nil
}
