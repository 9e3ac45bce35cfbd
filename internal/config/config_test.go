package config_test

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gongjian/internal/config"
	"gongjian/internal/domain"
)

func resolve(t *testing.T, groups config.Group, args []string, env map[string]string, d config.Defaults) (config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	config.Register(fs, groups)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return config.Resolve(fs, func(k string) string { return env[k] }, d)
}

func TestPrecedence(t *testing.T) {
	env := map[string]string{"GONGJIAN_DB": "sqlite:env.db", "GONGJIAN_ADDR": ":9000", "GONGJIAN_BEHIND_PROXY": "true"}
	c, err := resolve(t, config.Common|config.Server, []string{"--db", "sqlite:flag.db"}, env, config.ServeDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "sqlite:flag.db" || c.Addr != ":9000" || !c.BehindProxy {
		t.Fatalf("flag must beat env, env must beat default: %+v", c)
	}
	if c.SecretFile != "gongjian.key" || c.CryptoSuite != "" || c.Lang != "zh-CN" {
		t.Fatalf("defaults: %+v", c)
	}
	if c.DataDir != "data" {
		t.Fatalf("data dir beside flag.db: %q", c.DataDir)
	}
	c, _ = resolve(t, config.Common|config.Server, []string{"--behind-proxy=false"}, env, config.DemoDefaults())
	if c.DB != "sqlite:env.db" || c.BehindProxy || c.SecretFile != "gongjian-demo.key" {
		t.Fatalf("env and demo defaults: %+v", c)
	}
	c, _ = resolve(t, config.Common|config.Server, nil, nil, config.Defaults{DB: "sqlite:/srv/gj/gj.db", SecretFile: "k"})
	if c.DataDir != filepath.Join("/srv/gj", "data") || c.Addr != config.DefaultAddr {
		t.Fatalf("data dir beside the database: %+v", c)
	}
	c, _ = resolve(t, config.Common, nil, map[string]string{"GONGJIAN_ADDR": ":1"}, config.ServeDefaults())
	if c.Addr != config.DefaultAddr {
		t.Fatalf("a command without server flags took GONGJIAN_ADDR: %q", c.Addr)
	}
}

func TestLang(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, nil, "zh-CN"},
		{map[string]string{"LANG": "en_US.UTF-8"}, nil, "en"},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, nil, "zh-CN"},
		{map[string]string{"LANG": "C.UTF-8"}, nil, "zh-CN"},
		{map[string]string{"LANG": "en_GB", "GONGJIAN_LANG": "zh"}, nil, "zh-CN"},
		{map[string]string{"GONGJIAN_LANG": "zh-CN"}, []string{"--lang", "en"}, "en"},
	}
	for _, c := range cases {
		got, err := resolve(t, config.Common, c.args, c.env, config.ServeDefaults())
		if err != nil || got.Lang != c.want {
			t.Errorf("env %v args %v: %q %v, want %q", c.env, c.args, got.Lang, err, c.want)
		}
	}
	if _, err := resolve(t, config.Common, []string{"--lang", "fr"}, nil, config.ServeDefaults()); domain.AsError(err).Field != "lang" {
		t.Errorf("--lang fr: %v", err)
	}
	if _, err := resolve(t, config.Common|config.Server, nil, map[string]string{"GONGJIAN_BEHIND_PROXY": "maybe"}, config.ServeDefaults()); domain.AsError(err).MsgID != "cli.config.bool" {
		t.Errorf("GONGJIAN_BEHIND_PROXY=maybe: %v", err)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := config.Config{DB: "sqlite:" + filepath.Join(dir, "x.db"), SecretFile: "k", CryptoSuite: "gm", Addr: "127.0.0.1:0", DataDir: "d"}
	if err := good.Validate(config.Common | config.Server); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(c *config.Config)
		field string
		msg   string
	}{
		{"scheme", func(c *config.Config) { c.DB = "mysql://x" }, "db", "cli.config.db_scheme"},
		{"bare path", func(c *config.Config) { c.DB = "gongjian.db" }, "db", "cli.config.db_scheme"},
		{"empty sqlite", func(c *config.Config) { c.DB = "sqlite:" }, "db", "cli.config.db_path"},
		{"query", func(c *config.Config) { c.DB = "sqlite:x.db?mode=ro" }, "db", "cli.config.db_path"},
		{"folder", func(c *config.Config) { c.DB = "sqlite:" + filepath.Join(dir, "no", "x.db") }, "db", "cli.config.db_folder"},
		{"suite", func(c *config.Config) { c.CryptoSuite = "des" }, "crypto-suite", "cli.config.suite"},
		{"secret", func(c *config.Config) { c.SecretFile = "" }, "secret-file", "cli.config.empty"},
		{"addr", func(c *config.Config) { c.Addr = "8080" }, "addr", "cli.config.addr"},
		{"tls half", func(c *config.Config) { c.TLSCert = "c.pem" }, "tls-cert", "cli.config.tls_pair"},
	}
	for _, c := range cases {
		cfg := good
		c.edit(&cfg)
		e := domain.AsError(cfg.Validate(config.Common | config.Server))
		if e == nil || e.Field != c.field || e.MsgID != c.msg || e.Args["Flag"] != "--"+c.field {
			t.Errorf("%s: got %v, want %s on --%s", c.name, e, c.msg, c.field)
		}
	}
	pg := good
	pg.DB = "postgres://u@h/db"
	pg.Addr = "bad"
	if err := pg.Validate(config.Common); err != nil {
		t.Errorf("a command without server flags checked --addr: %v", err)
	}
}

func TestEnsureDataDir(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "a", "data")
	if err := config.EnsureDataDir(fresh); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(fresh); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("created %v %v, want 0700", st.Mode(), err)
	}
	if err := config.EnsureDataDir(fresh); err != nil {
		t.Fatalf("an existing folder: %v", err)
	}
	if ents, _ := os.ReadDir(fresh); len(ents) != 0 {
		t.Fatalf("the write test left %d files", len(ents))
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o600)
	if e := domain.AsError(config.EnsureDataDir(file)); e == nil || e.MsgID != "cli.config.data_dir_not_dir" {
		t.Fatalf("a file: %v", e)
	}
	if e := domain.AsError(config.EnsureDataDir(filepath.Join(file, "sub"))); e == nil || e.Field != "data-dir" {
		t.Fatalf("under a file: %v", e)
	}
	ro := unwritableDir(t)
	if e := domain.AsError(config.EnsureDataDir(ro)); e == nil || e.MsgID != "cli.config.data_dir_unwritable" {
		t.Fatalf("read-only folder: %v", e)
	}
}

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

func TestJobInterval(t *testing.T) {
	c, err := resolve(t, config.Common|config.Server, nil, nil, config.ServeDefaults())
	if err != nil || c.JobInterval != config.DefaultJobInterval {
		t.Fatalf("default: %v %v", c.JobInterval, err)
	}
	c, err = resolve(t, config.Common|config.Server, []string{"--job-interval", "6h"}, map[string]string{"GONGJIAN_JOB_INTERVAL": "1h"}, config.ServeDefaults())
	if err != nil || c.JobInterval.Hours() != 6 {
		t.Fatalf("flag: %v %v", c.JobInterval, err)
	}
	for _, bad := range []string{"daily", "10s", "-1h"} {
		_, err := resolve(t, config.Common|config.Server, []string{"--job-interval", bad}, nil, config.ServeDefaults())
		if e := domain.AsError(err); err == nil || e.Field != "job-interval" || e.MsgID != "cli.config.job_interval" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// The outbox's gateways: an http(s) URL for SMS, the relay and sender of
// e-mail, each from its flag or variable; anything but a URL is refused.
func TestOutboxSenders(t *testing.T) {
	c, err := resolve(t, config.Common|config.Server, []string{"--sms-gateway", "https://sms.example.cn/send", "--mail-from", "gj@example.cn"},
		map[string]string{"GONGJIAN_SMS_TOKEN": "t0k", "GONGJIAN_SMTP_ADDR": "127.0.0.1:25"}, config.ServeDefaults())
	if err != nil || c.SMSGateway != "https://sms.example.cn/send" || c.SMSToken != "t0k" || c.SMTPAddr != "127.0.0.1:25" ||
		c.MailFrom != "gj@example.cn" {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{"sms.example.cn", "ftp://x", "http://"} {
		_, err := resolve(t, config.Common|config.Server, []string{"--sms-gateway", bad}, nil, config.ServeDefaults())
		if e := domain.AsError(err); err == nil || e.Field != "sms-gateway" || e.MsgID != "cli.config.sms_gateway" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
