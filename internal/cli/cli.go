// Package cli is gongjian's command line and its composition root: the only
// place that reads the configuration and wires the concrete parts together
// (database, keys, service, messages, static files, HTTP server). Run is
// the whole program and has no global state, so tests run it in-process
// with their own arguments, streams and environment.
//
// Exit status: 0 for success, 2 for bad usage or configuration (the
// operator must change the command), 1 for failures at run time (the
// database is unreachable, the port is taken, the audit chain is broken).
// Every error is one line on standard error, "gongjian: what is wrong; how
// to fix it", in the language of --lang, GONGJIAN_LANG or LANG.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"gongjian/internal/auth"
	"gongjian/internal/config"
	"gongjian/internal/i18n"
)

// Stdio is the process's standard streams.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Env is everything Run takes from the world outside the arguments.
type Env struct {
	Stdio
	// Getenv reads an environment variable (os.Getenv in main).
	Getenv func(string) string
	// Listening, when set, is called with the bound address once serve or
	// demo listens and before it serves: tests start the server on
	// 127.0.0.1:0 and learn the port here.
	Listening func(addr net.Addr)
	// PasswordParams replaces the argon2id costs when not zero; tests use
	// auth.TestParams so that creating accounts takes microseconds.
	PasswordParams auth.Params
}

// Run runs the command line args and returns the exit status.
func Run(ctx context.Context, args []string, stdio Stdio, getenv func(string) string) int {
	return RunEnv(ctx, args, Env{Stdio: stdio, Getenv: getenv})
}

// RunEnv is Run with the test hooks of Env.
func RunEnv(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	bundle, err := i18n.New()
	if err != nil {
		// The catalogues are embedded; failing here is a broken build.
		fmt.Fprintf(env.Err, "gongjian: %v; rebuild gongjian from a clean checkout\n", err)
		return 1
	}
	r := &runner{
		env:    env,
		bundle: bundle,
		l:      bundle.For(startLang(args, env.Getenv)),
		log:    slog.New(slog.NewJSONHandler(env.Err, nil)),
	}
	return r.run(ctx, args)
}

// runner carries one run's streams, language and logger.
type runner struct {
	env    Env
	bundle *i18n.Bundle
	l      *i18n.Localizer
	log    *slog.Logger
}

func (r *runner) commands() map[string]func(context.Context, []string) error {
	return map[string]func(context.Context, []string) error{
		"serve":   r.serve,
		"demo":    r.demo,
		"migrate": r.migrate,
		"user":    r.user,
		"backup":  r.backup,
		"audit":   r.audit,
		"region":  r.region,
		"import":  r.importCmd,
		"keys":    r.keys,
		"version": r.version,
	}
}

func (r *runner) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(r.env.Err, r.l.T("cli.usage"))
		return exitUsage
	}
	if args[0] == "help" || isHelp(args[0]) {
		fmt.Fprint(r.env.Out, r.l.T("cli.usage"))
		return exitOK
	}
	cmd, ok := r.commands()[args[0]]
	if !ok {
		status := r.exit(usageError("cli.unknown_command", "Command", args[0]))
		fmt.Fprint(r.env.Err, "\n"+r.l.T("cli.usage"))
		return status
	}
	err := cmd(ctx, args[1:])
	if errors.Is(err, errHelp) {
		fmt.Fprint(r.env.Out, r.l.T("cli.usage"))
		return exitOK
	}
	return r.exit(err)
}

// say prints one line of a command's result on standard output.
func (r *runner) say(msgID string, kv ...any) {
	fmt.Fprintln(r.env.Out, r.l.T(msgID, kv...))
}

// notice prints one line for the operator on standard error: something
// that is not the command's result but must not be missed.
func (r *runner) notice(msgID string, kv ...any) {
	fmt.Fprintln(r.env.Err, "gongjian: "+oneLine(r.l.T(msgID, kv...)))
}

// startLang is the language for messages printed before a command has
// parsed its flags (an unknown command, a bad flag): --lang when the
// arguments hold one, else the environment's.
func startLang(args []string, getenv func(string) string) string {
	for i, a := range args {
		v, ok := "", false
		switch {
		case a == "--lang" || a == "-lang":
			if i+1 < len(args) {
				v, ok = args[i+1], true
			}
		case strings.HasPrefix(a, "--lang="), strings.HasPrefix(a, "-lang="):
			v, ok = a[strings.Index(a, "=")+1:], true
		}
		if lang, valid := config.NormalizeLang(v); ok && valid {
			return lang
		}
	}
	return config.LangFromEnv(getenv)
}
