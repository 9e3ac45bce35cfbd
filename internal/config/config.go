// Package config resolves gongjian's configuration into one value that the
// command line passes down; nothing else reads flags or the environment.
// Every setting has a flag and a GONGJIAN_* environment variable, and a flag
// given on the command line wins over its variable, so a service unit can
// set the variables and an operator can still override one by hand.
//
// Resolve and Validate have no side effects, so a bad value is reported
// before anything is created on disk; EnsureDataDir is the one step that
// touches the disk.
package config

import (
	"flag"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/throttle"
)

// Config is the resolved configuration.
type Config struct {
	DB          string // "sqlite:PATH" or a postgres:// URL
	Addr        string // host:port to listen on
	DataDir     string // uploads, exports and other files beside the database
	SecretFile  string // the keyring (see package seal)
	CryptoSuite string // "std" or "gm"; empty: std for a new key file, whatever an existing one holds
	TLSCert     string
	TLSKey      string
	BehindProxy bool   // trust X-Forwarded-* from a proxy that terminates TLS
	Lang        string // language of the command line's own output: zh-CN or en
	// Limits bound each account's searches, exports, imports and reveals
	// (nil: the defaults of package throttle).
	Limits throttle.Limits
	// JobInterval is how often serve runs its scheduled jobs (the
	// lost-contact check): daily unless told otherwise.
	JobInterval time.Duration
	// MeetingFileMB and MeetingFilesMB bound a meeting's photos and
	// documents, each and together, in MiB (zero: the service's defaults).
	MeetingFileMB, MeetingFilesMB int
	// The outbox's senders beside the log: an SMS gateway (a URL taking
	// {"to", "text"} as JSON, with an optional bearer token) and an SMTP
	// relay with its sender address. Unset, those channels refuse.
	SMSGateway string
	SMSToken   string
	SMTPAddr   string
	MailFrom   string
}

// DefaultJobInterval is the scheduled jobs' interval: daily.
const DefaultJobInterval = 24 * time.Hour

// MinJobInterval keeps a typo (1s) from running the county-wide check
// without pause.
const MinJobInterval = time.Minute

// TLS reports whether the server should speak HTTPS itself.
func (c Config) TLS() bool { return c.TLSCert != "" && c.TLSKey != "" }

// Defaults are the values that differ between `serve` and `demo`, so the
// demo never touches a production database or key by accident.
type Defaults struct {
	DB         string
	SecretFile string
}

// ServeDefaults are the defaults of every command except demo.
func ServeDefaults() Defaults {
	return Defaults{DB: "sqlite:gongjian.db", SecretFile: "gongjian.key"}
}

// DemoDefaults are the defaults of the demo command.
func DemoDefaults() Defaults {
	return Defaults{DB: "sqlite:gongjian-demo.db", SecretFile: "gongjian-demo.key"}
}

// Group selects which settings a command accepts.
type Group int

// The groups. Every command takes Common; serve and demo add Server.
const (
	Common Group = 1 << iota // --db, --secret-file, --crypto-suite, --lang
	Server                   // --addr, --data-dir, --tls-cert, --tls-key, --behind-proxy
)

// DefaultAddr is where the server listens unless told otherwise: loopback,
// so a first start exposes nothing to the network.
const DefaultAddr = "127.0.0.1:8080"

// option is one setting: its flag, its variable and where it lands.
type option struct {
	flag, env, usage string
	group            Group
	boolean          bool
	set              func(c *Config, v string) error
}

func options() []option {
	str := func(p func(c *Config) *string) func(c *Config, v string) error {
		return func(c *Config, v string) error { *p(c) = v; return nil }
	}
	return []option{
		{flag: "db", env: "GONGJIAN_DB", group: Common, usage: "database: sqlite:PATH or postgres://…",
			set: str(func(c *Config) *string { return &c.DB })},
		{flag: "secret-file", env: "GONGJIAN_SECRET_FILE", group: Common, usage: "keyring file (created 0600 on first start)",
			set: str(func(c *Config) *string { return &c.SecretFile })},
		{flag: "crypto-suite", env: "GONGJIAN_CRYPTO_SUITE", group: Common, usage: "std or gm",
			set: str(func(c *Config) *string { return &c.CryptoSuite })},
		{flag: "lang", env: "GONGJIAN_LANG", group: Common, usage: "language of messages: zh-CN or en",
			set: setLang},
		{flag: "addr", env: "GONGJIAN_ADDR", group: Server, usage: "address to listen on",
			set: str(func(c *Config) *string { return &c.Addr })},
		{flag: "data-dir", env: "GONGJIAN_DATA_DIR", group: Server, usage: "folder for files (default: data beside the database)",
			set: str(func(c *Config) *string { return &c.DataDir })},
		{flag: "tls-cert", env: "GONGJIAN_TLS_CERT", group: Server, usage: "TLS certificate (PEM); needs --tls-key",
			set: str(func(c *Config) *string { return &c.TLSCert })},
		{flag: "tls-key", env: "GONGJIAN_TLS_KEY", group: Server, usage: "TLS private key (PEM); needs --tls-cert",
			set: str(func(c *Config) *string { return &c.TLSKey })},
		{flag: "behind-proxy", env: "GONGJIAN_BEHIND_PROXY", group: Server, boolean: true,
			usage: "trust X-Forwarded-For/-Proto from a TLS-terminating proxy", set: setProxy},
		{flag: "rate-limits", env: "GONGJIAN_RATE_LIMITS", group: Server,
			usage: "per-account limits, e.g. search=240/m,export=30/h,import=30/h,reveal=60/h (off: none, for load tests)", set: setLimits},
		{flag: "job-interval", env: "GONGJIAN_JOB_INTERVAL", group: Server, usage: "how often scheduled jobs run (default 24h)",
			set: setJobInterval},
		{flag: "meeting-file-mb", env: "GONGJIAN_MEETING_FILE_MB", group: Server, usage: "largest meeting photo or document, MiB (default 20)",
			set: megabytes("meeting-file-mb", "GONGJIAN_MEETING_FILE_MB", func(c *Config) *int { return &c.MeetingFileMB })},
		{flag: "meeting-files-mb", env: "GONGJIAN_MEETING_FILES_MB", group: Server, usage: "most one meeting's files may add up to, MiB (default 200)",
			set: megabytes("meeting-files-mb", "GONGJIAN_MEETING_FILES_MB", func(c *Config) *int { return &c.MeetingFilesMB })},
		{flag: "sms-gateway", env: "GONGJIAN_SMS_GATEWAY", group: Server, usage: "URL of the SMS gateway for the outbox (unset: SMS refused)",
			set: setGateway},
		{flag: "sms-token", env: "GONGJIAN_SMS_TOKEN", group: Server, usage: "bearer token for the SMS gateway",
			set: str(func(c *Config) *string { return &c.SMSToken })},
		{flag: "smtp-addr", env: "GONGJIAN_SMTP_ADDR", group: Server, usage: "host:port of the SMTP relay for the outbox (unset: e-mail refused)",
			set: str(func(c *Config) *string { return &c.SMTPAddr })},
		{flag: "mail-from", env: "GONGJIAN_MAIL_FROM", group: Server, usage: "sender address of the outbox's e-mail",
			set: str(func(c *Config) *string { return &c.MailFrom })},
	}
}

// megabytes sets a size limit of 1 to 10,240 MiB.
func megabytes(flagName, env string, p func(c *Config) *int) func(c *Config, v string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > 10240 {
			return invalid(flagName, env, "cli.config.megabytes", map[string]any{"Value": v})
		}
		*p(c) = n
		return nil
	}
}

func setLimits(c *Config, v string) error {
	l, err := throttle.Parse(v)
	if err != nil {
		return invalid("rate-limits", "GONGJIAN_RATE_LIMITS", "cli.config.rate_limits", map[string]any{"Value": v})
	}
	c.Limits = l
	return nil
}

func setLang(c *Config, v string) error {
	lang, ok := NormalizeLang(v)
	if !ok {
		return invalid("lang", "GONGJIAN_LANG", "cli.config.lang", map[string]any{"Value": v})
	}
	c.Lang = lang
	return nil
}

func setJobInterval(c *Config, v string) error {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < MinJobInterval {
		return invalid("job-interval", "GONGJIAN_JOB_INTERVAL", "cli.config.job_interval", map[string]any{"Value": v})
	}
	c.JobInterval = d
	return nil
}

func setGateway(c *Config, v string) error {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid("sms-gateway", "GONGJIAN_SMS_GATEWAY", "cli.config.sms_gateway", map[string]any{"Value": v})
	}
	c.SMSGateway = u.String()
	return nil
}

func setProxy(c *Config, v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return invalid("behind-proxy", "GONGJIAN_BEHIND_PROXY", "cli.config.bool", map[string]any{"Value": v})
	}
	c.BehindProxy = b
	return nil
}

// Register adds the flags of groups to fs. Their defaults are empty on
// purpose: Resolve must tell "not given" from "given", to fall back to the
// environment.
func Register(fs *flag.FlagSet, groups Group) {
	for _, o := range options() {
		if o.group&groups == 0 {
			continue
		}
		if o.boolean {
			fs.Bool(o.flag, false, o.usage)
		} else {
			fs.String(o.flag, "", o.usage)
		}
	}
}

// Resolve builds the configuration from the flags of fs (already parsed),
// then the environment through getenv, then the defaults d. It checks each
// value's form but not the world; call Validate for that.
func Resolve(fs *flag.FlagSet, getenv func(string) string, d Defaults) (Config, error) {
	given := map[string]string{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = f.Value.String() })
	c := Config{DB: d.DB, SecretFile: d.SecretFile, Addr: DefaultAddr, Lang: LangFromEnv(getenv),
		JobInterval: DefaultJobInterval}
	for _, o := range options() {
		if fs.Lookup(o.flag) == nil {
			continue
		}
		v, ok := given[o.flag]
		if !ok {
			v = getenv(o.env)
		}
		if !ok && v == "" {
			continue
		}
		if err := o.set(&c, v); err != nil {
			return c, err
		}
	}
	if c.DataDir == "" {
		c.DataDir = defaultDataDir(c.DB)
	}
	return c, nil
}

// defaultDataDir is "data" beside a SQLite file, so a database and its
// files move together; ./data for PostgreSQL.
func defaultDataDir(dsn string) string {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && path != "" {
		return filepath.Join(filepath.Dir(path), "data")
	}
	return "data"
}

// LangFromEnv picks the command line's language from GONGJIAN_LANG, else
// LANG (zh… → zh-CN, en… → en), else zh-CN. A LANG the program does not
// speak (C, POSIX, fr_FR) falls back quietly: it is the system's setting,
// not a mistake of the operator.
func LangFromEnv(getenv func(string) string) string {
	for _, k := range []string{"GONGJIAN_LANG", "LANG"} {
		if lang, ok := NormalizeLang(getenv(k)); ok {
			return lang
		}
	}
	return "zh-CN"
}

// NormalizeLang maps a language setting (zh_CN.UTF-8, zh-Hans, en_US, en)
// to zh-CN or en.
func NormalizeLang(v string) (string, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	switch {
	case strings.HasPrefix(v, "zh"):
		return "zh-CN", true
	case strings.HasPrefix(v, "en"):
		return "en", true
	}
	return "", false
}

// Validate checks what Resolve could not: that the values make sense
// together and that the database's folder exists. groups says which
// settings the command uses.
func (c Config) Validate(groups Group) error {
	if err := validateDB(c.DB); err != nil {
		return err
	}
	if c.SecretFile == "" {
		return invalid("secret-file", "GONGJIAN_SECRET_FILE", "cli.config.empty", nil)
	}
	// The suite chooses the algorithms of a new key file. Left unset it
	// accepts the file as it is; set, it must match, so an installation
	// assessed on the national algorithms cannot drift back to std unseen.
	if c.CryptoSuite != "" && c.CryptoSuite != "std" && c.CryptoSuite != "gm" {
		return invalid("crypto-suite", "GONGJIAN_CRYPTO_SUITE", "cli.config.suite", map[string]any{"Value": c.CryptoSuite})
	}
	if groups&Server == 0 {
		return nil
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return invalid("addr", "GONGJIAN_ADDR", "cli.config.addr", map[string]any{"Value": c.Addr})
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return invalid("tls-cert", "GONGJIAN_TLS_CERT", "cli.config.tls_pair", nil)
	}
	if c.DataDir == "" {
		return invalid("data-dir", "GONGJIAN_DATA_DIR", "cli.config.empty", nil)
	}
	return nil
}

// validateDB checks the form of --db the way store.Open reads it, so a
// typo is reported before a file or folder is made.
func validateDB(dsn string) error {
	path, isSQLite := strings.CutPrefix(dsn, "sqlite:")
	switch {
	case isSQLite:
		if path == "" || strings.ContainsAny(path, "?#") {
			return invalid("db", "GONGJIAN_DB", "cli.config.db_path", map[string]any{"Value": dsn})
		}
		dir := filepath.Dir(path)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return invalid("db", "GONGJIAN_DB", "cli.config.db_folder", map[string]any{"Dir": dir})
		}
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
	default:
		return invalid("db", "GONGJIAN_DB", "cli.config.db_scheme", map[string]any{"Value": dsn})
	}
	return nil
}

// invalid is a configuration error naming the flag and its variable, so
// the message can say both ways of fixing it.
func invalid(flagName, env, msgID string, args map[string]any) *domain.Error {
	if args == nil {
		args = map[string]any{}
	}
	args["Flag"], args["Env"] = "--"+flagName, env
	return domain.Invalid(flagName, msgID, args)
}
