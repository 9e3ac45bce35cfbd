// Command gongjian is the whole product in one binary: the web server, the
// demo, and the operator's commands (migrate, user, backup, audit). All of
// it lives in internal/cli; main only connects the process to it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"gongjian/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal starts a graceful shutdown, a second one
	// falls through to the default action and ends the process at once.
	go func() { <-ctx.Done(); stop() }()
	code := cli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}
