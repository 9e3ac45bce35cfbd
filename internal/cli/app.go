package cli

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/config"
	"gongjian/internal/region"
	"gongjian/internal/seal"
	"gongjian/internal/sender"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// sessionIdle is how long a session may sit unused. The service enforces
// it and the purge job uses it, so it is set here once for both.
const sessionIdle = 30 * time.Minute

// app is the wired program for one command.
type app struct {
	cfg  config.Config
	db   *store.DB
	keys *seal.Keyring
	svc  *service.Service
}

func (a *app) close() { a.db.Close() }

// keyPolicy says whether a command may create a missing secret file.
type keyPolicy bool

const (
	keysMayCreate keyPolicy = true  // serve, demo, user: a fresh install starts here
	keysMustExist keyPolicy = false // audit verify: a new key would "break" every entry
)

// open opens and migrates the database, loads the keys and builds the
// service: what every command that runs use cases needs.
func (r *runner) open(ctx context.Context, cfg config.Config, mustExist bool, keys keyPolicy) (*app, error) {
	db, err := r.openDB(ctx, cfg, mustExist)
	if err != nil {
		return nil, err
	}
	a, err := r.wire(ctx, cfg, db, keys)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (r *runner) wire(ctx context.Context, cfg config.Config, db *store.DB, keys keyPolicy) (*app, error) {
	if err := r.migrateDB(ctx, db); err != nil {
		return nil, err
	}
	k, err := r.loadKeys(ctx, cfg, db, keys)
	if err != nil {
		return nil, err
	}
	params := r.env.PasswordParams
	if params.Time == 0 {
		params = auth.DefaultParams
	}
	svc, err := service.New(db, service.Config{Keys: k, PasswordParams: params, SessionIdle: sessionIdle, Log: r.log,
		DataDir: cfg.DataDir, Regions: knownRegion, Limits: cfg.Limits, Senders: r.senders(cfg), Messages: r.bundle,
		MeetingFileBytes: int64(cfg.MeetingFileMB) << 20, MeetingTotalBytes: int64(cfg.MeetingFilesMB) << 20})
	if err != nil {
		return nil, runtimeError("cli.failed", "Err", err)
	}
	return &app{cfg: cfg, db: db, keys: k, svc: svc}, nil
}

// senders are the outbox's channels: the log always, SMS and e-mail as
// configured (unconfigured, they refuse, and the outbox records why).
func (r *runner) senders(cfg config.Config) []sender.Sender {
	return []sender.Sender{sender.Log{Log: r.log}, sender.SMS{Gateway: cfg.SMSGateway, Token: cfg.SMSToken},
		sender.Mail{Addr: cfg.SMTPAddr, From: cfg.MailFrom}}
}

// openDB opens the database of --db. mustExist refuses a SQLite file that
// is not there, for commands that read (backup, status, verify), which
// would otherwise create an empty database and report on it.
func (r *runner) openDB(ctx context.Context, cfg config.Config, mustExist bool) (*store.DB, error) {
	if path, ok := strings.CutPrefix(cfg.DB, "sqlite:"); ok {
		_, err := os.Stat(path)
		if err != nil && mustExist {
			return nil, usageError("cli.db.missing", "Path", path)
		}
		if errors.Is(err, fs.ErrNotExist) {
			createPrivate(path)
		}
	}
	db, err := store.Open(ctx, cfg.DB)
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, store.ErrBadDSN):
		return nil, usageError("cli.db.bad", "Err", err.Error())
	case !strings.HasPrefix(cfg.DB, "sqlite:"):
		return nil, runtimeError("cli.db.unreachable", "Addr", pgAddr(cfg.DB), "Err", driverCause(err))
	default:
		return nil, runtimeError("cli.db.open", "Err", err.Error())
	}
}

// createPrivate makes an empty SQLite file readable by its owner only.
// SQLite would create it with the umask's mode, often world-readable, and
// it gives its -wal and -shm files the mode of the database file, so
// this one step keeps all three private. An empty file is a valid empty
// database; any failure here resurfaces, better worded, in store.Open.
func createPrivate(path string) {
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
}

// driverCause is the driver's part of an open error: store's own words
// would repeat the address, and pgx lists each connection attempt (with
// and without TLS) on its own line, often twice the same.
func driverCause(err error) string {
	if u := errors.Unwrap(err); u != nil {
		err = u
	}
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " ")
}

// pgAddr is the host:port a PostgreSQL URL points at, for messages; the
// URL itself may hold a password.
func pgAddr(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "localhost:5432"
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "5432")
	}
	return u.Host
}

func (r *runner) migrateDB(ctx context.Context, db *store.DB) error {
	err := db.Migrate(ctx)
	if errors.Is(err, store.ErrTooNew) {
		cur, known, _ := db.Versions(ctx)
		return runtimeError("cli.db.too_new", "Current", cur, "Known", known)
	}
	if err != nil {
		return runtimeError("cli.db.migrate", "Err", err.Error())
	}
	return nil
}

// loadKeys loads the secret file, creating it only for a database that
// holds nothing sealed yet: a new key over existing data would make every
// encrypted field unreadable and every audit entry look altered, so a
// missing file there means a wrong --secret-file or a lost key, and the
// operator must be told rather than handed a fresh key.
func (r *runner) loadKeys(ctx context.Context, cfg config.Config, db *store.DB, policy keyPolicy) (*seal.Keyring, error) {
	if _, err := os.Stat(cfg.SecretFile); errors.Is(err, fs.ErrNotExist) {
		used, err := hasData(ctx, db)
		if err != nil {
			return nil, runtimeError("cli.failed", "Err", err.Error())
		}
		if used {
			return nil, usageError("cli.keys.missing_with_data", "Path", cfg.SecretFile)
		}
		if policy == keysMustExist {
			return nil, usageError("cli.keys.missing", "Path", cfg.SecretFile)
		}
	}
	k, created, err := seal.LoadOrCreate(cfg.SecretFile, cfg.CryptoSuite)
	switch {
	case errors.Is(err, seal.ErrSuiteMismatch):
		return nil, usageError("cli.keys.suite_mismatch", "Path", cfg.SecretFile, "Suite", cfg.CryptoSuite)
	case err != nil:
		return nil, usageError("cli.keys.load", "Path", cfg.SecretFile, "Err", err.Error())
	}
	if created {
		r.notice("cli.keys.created", "Path", cfg.SecretFile)
	}
	return k, nil
}

// hasData reports whether the database holds accounts or audit entries,
// both of which depend on the keys.
func hasData(ctx context.Context, db *store.DB) (bool, error) {
	n, err := store.CountAccounts(ctx, db.Read())
	if err != nil || n > 0 {
		return n > 0, err
	}
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 1})
	return len(entries) > 0, err
}

// knownRegion accepts a GB/T 2260 code that is current or historical, so an
// organization founded before a county became a district keeps its code.
func knownRegion(code string) bool {
	_, ok := region.Lookup(code)
	return ok
}
