// Command peopleload is the people-query load benchmark of issue #4. It
// drives concurrent clients (16 by default) against a running gongjian
// through the JSON API with a personal API token, one kind of query at a
// time, and prints requests per second, p50 and p99 latency for each:
//
//	peopleload run -url http://127.0.0.1:8080 -token-file TOKEN -people 200000
//
// Queries are drawn from the data the token can see, sampled through the
// API before the clock starts (persons, their surnames and initials, the
// organizations in scope), so each query is one an officer with that
// token could make; exact ID numbers are the demo's (demo.DemoIDNumber),
// so a database loaded by `gongjian demo --people N` is what it expects.
//
// The tool runs on the same machine as the server in bench/people.sh, so
// its own CPU use counts against the server's: figures are a lower bound
// of what the server does alone.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		fmt.Fprintln(os.Stderr, "usage: peopleload run [flags]; peopleload run -h lists them")
		os.Exit(2)
	}
	if err := runCmd(os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "peopleload:", err)
		os.Exit(1)
	}
}
