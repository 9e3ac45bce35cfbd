package cli

import (
	"context"

	"gongjian/internal/config"
)

// keys runs `keys rotate`: a new current key (optionally of another
// suite), every sealed value re-encrypted under it. The key file is saved
// before the database changes, so a crash in between leaves values under
// keys the file still holds; the old keys stay in the file for backups.
func (r *runner) keys(ctx context.Context, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		return errHelp
	}
	if len(args) == 0 || args[0] != "rotate" {
		return usageError("cli.keys.usage")
	}
	cfg, _, err := r.configure(newFlags("keys rotate"), args[1:], config.Common, config.ServeDefaults(), 0, "cli.keys.usage")
	if err != nil {
		return err
	}
	suite := cfg.CryptoSuite
	cfg.CryptoSuite = "" // load whatever the file holds; the new key takes the requested suite
	a, err := r.open(ctx, cfg, true, keysMustExist)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.keys.Rotate(suite); err != nil {
		return usageError("cli.keys.load", "Path", cfg.SecretFile, "Err", err.Error())
	}
	if err := a.keys.Save(cfg.SecretFile); err != nil {
		return runtimeError("cli.failed", "Err", err.Error())
	}
	counts, err := a.svc.Reseal(ctx)
	if err != nil {
		return runtimeError("cli.keys.reseal_failed", "Err", err.Error())
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	r.say("cli.keys.rotated", "Key", a.keys.CurrentKeyID(), "Suite", a.keys.Suite(), "Count", total)
	return nil
}
