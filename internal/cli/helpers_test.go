package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gongjian/internal/auth"
	"gongjian/internal/cli"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// syncBuffer is a bytes.Buffer safe to read while a server goroutine
// writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// result is what one run of the command line left behind.
type result struct {
	code     int
	out, err string
}

// site is one database (and its key file) that a test runs commands on.
type site struct {
	t     *testing.T
	dir   string // the temporary folder holding the key, the data folder and the SQLite file
	dsn   string
	env   map[string]string
	stdin string
	lang  string // of the messages: "en" unless a test checks Chinese
}

// sqliteSite is a fresh SQLite site in a temporary folder.
func sqliteSite(t *testing.T) *site {
	dir := t.TempDir()
	return &site{t: t, dir: dir, dsn: "sqlite:" + filepath.Join(dir, "gj.db"), env: map[string]string{}, lang: "en"}
}

// eachDB runs body on SQLite and on a fresh PostgreSQL schema (skipped
// when PostgreSQL is unreachable, failed under CI=true).
func eachDB(t *testing.T, body func(t *testing.T, s *site)) {
	t.Run("sqlite", func(t *testing.T) { body(t, sqliteSite(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn, ok := storetest.NewPGSchema(t)
		if !ok {
			return
		}
		s := sqliteSite(t)
		s.dsn = dsn
		body(t, s)
	})
}

// common are the flags every command of a site takes.
func (s *site) common() []string {
	return []string{"--db", s.dsn, "--secret-file", filepath.Join(s.dir, "gj.key"), "--lang", s.lang}
}

// run runs a command with the site's database, key file and language.
func (s *site) run(ctx context.Context, args ...string) result {
	s.t.Helper()
	return s.runRaw(ctx, append(args, s.common()...)...)
}

// runRaw runs exactly args.
func (s *site) runRaw(ctx context.Context, args ...string) result {
	var out, errb syncBuffer
	env := cli.Env{
		Stdio:          cli.Stdio{In: strings.NewReader(s.stdin), Out: &out, Err: &errb},
		Getenv:         func(k string) string { return s.env[k] },
		PasswordParams: auth.TestParams,
	}
	code := cli.RunEnv(ctx, args, env)
	return result{code: code, out: out.String(), err: errb.String()}
}

// want fails the test unless the run ended with code and stderr or stdout
// contains each of texts.
func (r result) want(t *testing.T, code int, texts ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.out, r.err)
	}
	for _, s := range texts {
		if !strings.Contains(r.out+r.err, s) {
			t.Fatalf("output lacks %q\nstdout: %s\nstderr: %s", s, r.out, r.err)
		}
	}
}

// oneErrorLine checks the error contract: one line, "gongjian: …; …".
func (r result) oneErrorLine(t *testing.T) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.err), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "gongjian: ") || !strings.Contains(last, "; ") {
		t.Fatalf("error line %q is not \"gongjian: what; how\"", last)
	}
}

// open opens the site's database directly, as an operator with database
// access would.
func (s *site) open(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
