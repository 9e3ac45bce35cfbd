package cli

import (
	"errors"
	"flag"
	"io"

	"gongjian/internal/config"
)

// errHelp asks Run to print the usage and succeed (-h on a command).
var errHelp = errors.New("cli: help requested")

// isHelp reports whether arg asks for help, for the commands whose first
// argument is a subcommand (migrate, user, audit).
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// newFlags makes a command's flag set. It prints nothing itself: errors go
// through the one-line error path, help through the usage text.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags wherever they stand, so that both
// `user add NAME --display-name X` and `user add --display-name X NAME`
// work (the flag package alone stops at the first argument), and returns
// the positional arguments. Everything after "--" is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError("cli.bad_flag", "Err", err.Error())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// configure parses a command's arguments with the configuration flags of
// groups (plus any the command registered on fs), resolves and validates
// the configuration, and switches messages to its language. It returns
// the positional arguments; want is how many the command takes (-1: any).
func (r *runner) configure(fs *flag.FlagSet, args []string, groups config.Group, d config.Defaults, want int, usageID string) (config.Config, []string, error) {
	config.Register(fs, groups)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return config.Config{}, nil, err
	}
	cfg, err := config.Resolve(fs, r.env.Getenv, d)
	if err != nil {
		return cfg, nil, err
	}
	r.l = r.bundle.For(cfg.Lang)
	if err := cfg.Validate(groups); err != nil {
		return cfg, nil, err
	}
	if want >= 0 && len(pos) != want {
		return cfg, nil, usageError(usageID)
	}
	return cfg, pos, nil
}
