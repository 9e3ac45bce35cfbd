package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Set at link time by a release build:
//
//	go build -ldflags "-X gongjian/internal/cli.version=1.0.0 -X gongjian/internal/cli.commit=abc1234" ./cmd/gongjian
//
// Otherwise the module version and the VCS stamp of the build are used.
var (
	version string
	commit  string
)

// build describes this binary.
type build struct {
	Version, Commit, Go string
	Modified            bool // built from a checkout with uncommitted changes
}

func readBuild() build {
	b := build{Version: version, Commit: commit, Go: "unknown"}
	if info, ok := debug.ReadBuildInfo(); ok {
		b.Go = info.GoVersion
		if b.Version == "" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && b.Commit == "":
				b.Commit = s.Value
			case s.Key == "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	return b
}

func (r *runner) version(ctx context.Context, args []string) error {
	if _, err := parseArgs(newFlags("version"), args); err != nil {
		return err
	}
	b := readBuild()
	dirty := ""
	if b.Modified {
		dirty = "+dirty"
	}
	fmt.Fprintf(r.env.Out, "gongjian %s (commit %s%s, %s)\n", b.Version, b.Commit, dirty, b.Go)
	return nil
}
