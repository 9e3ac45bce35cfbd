// Command pprofserve is `gongjian` with net/http/pprof on a second,
// loopback-only listener (PPROF_ADDR, default 127.0.0.1:6061), for
// profiling the server under bench/peopleload. It is a bench tool: the
// production binary has no profiling routes.
package main

import (
	"context"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"

	"gongjian/internal/cli"
)

func main() {
	addr := os.Getenv("PPROF_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6061"
	}
	go http.ListenAndServe(addr, nil)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }()
	code := cli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}
