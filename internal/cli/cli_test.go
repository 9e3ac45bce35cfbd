package cli_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

var ctx = context.Background()

func TestUsage(t *testing.T) {
	s := sqliteSite(t)
	none := s.runRaw(ctx)
	none.want(t, 2, "gongjian migrate up|status")
	if none.out != "" {
		t.Errorf("usage without a command went to stdout: %q", none.out)
	}
	help := s.runRaw(ctx, "help", "--lang", "en")
	help.want(t, 0, "gongjian backup DEST")
	if help.err != "" {
		t.Errorf("help wrote to stderr: %q", help.err)
	}
	unknown := s.runRaw(ctx, "frobnicate", "--lang", "en")
	unknown.want(t, 2, `unknown command "frobnicate"`, "Usage:")
	if !strings.HasPrefix(unknown.err, "gongjian: unknown command") {
		t.Errorf("the error line does not come first: %q", unknown.err)
	}
	s.runRaw(ctx, "serve", "-h").want(t, 0, "gongjian serve")
	s.runRaw(ctx, "serve", "--no-such-flag", "--lang", "en").want(t, 2, "flag provided but not defined")
	s.runRaw(ctx, "migrate", "sideways", "--lang", "en").want(t, 2, "migrate up")
	s.runRaw(ctx, "user", "add", "--lang", "en").want(t, 2, "give exactly one account name")
	s.runRaw(ctx, "version").want(t, 0, "gongjian ", "go1.")
}

func TestMessagesFollowLang(t *testing.T) {
	s := sqliteSite(t)
	zh := s.runRaw(ctx, "serve", "--db", "mysql://x")
	zh.want(t, 2, "须为 sqlite:路径")
	s.env["LANG"] = "en_US.UTF-8"
	s.runRaw(ctx, "serve", "--db", "mysql://x").want(t, 2, "must be sqlite:PATH")
	s.env["GONGJIAN_LANG"] = "zh-CN"
	s.runRaw(ctx, "serve", "--db", "mysql://x").want(t, 2, "须为 sqlite:路径")
	s.runRaw(ctx, "serve", "--db", "mysql://x", "--lang", "en").want(t, 2, "must be sqlite:PATH")
}

// A wrong --db is reported before anything is created: no database file,
// no key file, no data folder.
func TestBadDBCreatesNothing(t *testing.T) {
	for _, dsn := range []string{"mysql://x", "sqlite:", "gongjian.db", "sqlite:/no/such/folder/x.db"} {
		s := sqliteSite(t)
		s.dsn = dsn
		r := s.run(ctx, "serve", "--data-dir", filepath.Join(s.dir, "data"))
		r.want(t, 2, "--db")
		r.oneErrorLine(t)
		if ents, _ := os.ReadDir(s.dir); len(ents) != 0 {
			t.Errorf("--db %q left %d files behind", dsn, len(ents))
		}
	}
}

func TestUnreachablePostgres(t *testing.T) {
	s := sqliteSite(t)
	s.dsn = "postgres://postgres@127.0.0.1:1/x?connect_timeout=5"
	r := s.run(ctx, "migrate", "up")
	r.want(t, 1, "cannot reach PostgreSQL at 127.0.0.1:1", "check --db")
	r.oneErrorLine(t)
}

// A database written by a newer gongjian is refused, untouched, by every
// command that would migrate or report on it.
func TestDatabaseNewerThanBinary(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		s.run(ctx, "migrate", "up").want(t, 0, "schema is at version")
		db := s.open(t)
		_, known, err := db.Versions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, TRUE)`, known+1)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"serve", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(s.dir, "data")},
			{"migrate", "up"}, {"migrate", "status"}, {"user", "list"}} {
			r := s.run(ctx, args...)
			r.want(t, 1, "schema version "+itoa(known+1), "up to version "+itoa(known))
			r.oneErrorLine(t)
		}
		if cur, _, err := db.Versions(ctx); err != nil || cur != known+1 {
			t.Fatalf("the newer version row was touched: version %d, %v", cur, err)
		}
	})
}

func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := sqliteSite(t)
	r := s.run(ctx, "serve", "--addr", ln.Addr().String())
	r.want(t, 1, "address "+ln.Addr().String()+" is in use; choose another with --addr")
	r.oneErrorLine(t)
	if strings.Contains(r.out, "running at") {
		t.Errorf("the URL was announced before the bind failed: %q", r.out)
	}
}

func TestDataDirMustBeWritableFolder(t *testing.T) {
	s := sqliteSite(t)
	file := filepath.Join(s.dir, "afile")
	os.WriteFile(file, nil, 0o600)
	s.run(ctx, "serve", "--data-dir", file).want(t, 2, "is not a folder", "--data-dir")
	r := s.run(ctx, "serve", "--data-dir", unwritableDir(t))
	r.want(t, 2, "cannot write to the data folder", "--data-dir")
	r.oneErrorLine(t)
}

func TestDataDirDefaultsBesideTheDatabase(t *testing.T) {
	s := sqliteSite(t)
	s.run(ctx, "demo", "--load-only", "--people", "2000").want(t, 0)
	st, err := os.Stat(filepath.Join(s.dir, "data"))
	if err != nil || !st.IsDir() || st.Mode().Perm() != 0o700 {
		t.Fatalf("data folder: %v %v", st, err)
	}
	if st, err := os.Stat(filepath.Join(s.dir, "gj.db")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("database file: %v %v", st.Mode(), err)
	}
}

func TestMigrate(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		if strings.HasPrefix(s.dsn, "sqlite:") {
			s.run(ctx, "migrate", "status").want(t, 2, "does not exist")
		}
		// The version is the newest migration this binary carries.
		db := storetest.SQLite(t)
		_, known, err := db.Versions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s.run(ctx, "migrate", "up").want(t, 0, fmt.Sprintf("schema is at version %d", known))
		st := s.run(ctx, "migrate", "status")
		st.want(t, 0, "00001\t00001_foundation.sql\tapplied", "0 pending")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// unwritableDir returns a folder this process cannot write to: a 0500
// folder, or for root (whom modes do not stop) Linux's /sys.
func unwritableDir(t *testing.T) string {
	if os.Geteuid() != 0 {
		ro := filepath.Join(t.TempDir(), "ro")
		os.Mkdir(ro, 0o500)
		return ro
	}
	if f, err := os.CreateTemp("/sys", ".probe-*"); err == nil {
		f.Close()
		os.Remove(f.Name())
	} else if os.IsPermission(err) {
		return "/sys"
	}
	t.Skip("running as root without a read-only /sys: no folder is unwritable")
	return ""
}
