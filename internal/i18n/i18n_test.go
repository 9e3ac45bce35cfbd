package i18n

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/internal/domain"
)

func mustNew(t *testing.T) *Bundle {
	t.Helper()
	b, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

// TestCataloguesComplete is the guard the architecture asks for: every
// message in every language, none empty. It covers every area's files,
// because New loads them all.
func TestCataloguesComplete(t *testing.T) {
	b := mustNew(t)
	all := map[string]bool{}
	for _, lang := range Languages() {
		for _, id := range b.Keys(lang) {
			all[id] = true
		}
	}
	for id := range all {
		for _, lang := range Languages() {
			m, ok := b.messages[lang][id]
			if !ok {
				t.Errorf("%s: missing %q", lang, id)
				continue
			}
			if strings.TrimSpace(m.Other) == "" {
				t.Errorf("%s: %q is empty", lang, id)
			}
		}
	}
}

// placeholderRE finds the field names used inside {{ }} actions.
var (
	actionRE      = regexp.MustCompile(`\{\{.*?\}\}`)
	placeholderRE = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)
)

func placeholders(forms ...string) []string {
	set := map[string]bool{}
	for _, s := range forms {
		for _, action := range actionRE.FindAllString(s, -1) {
			for _, m := range placeholderRE.FindAllStringSubmatch(action, -1) {
				set[m[1]] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestPlaceholdersAgree(t *testing.T) {
	b := mustNew(t)
	for _, id := range b.Keys(Default) {
		zm := b.messages[Default][id]
		want := placeholders(zm.Zero, zm.One, zm.Two, zm.Few, zm.Many, zm.Other)
		for _, lang := range Languages()[1:] {
			m, ok := b.messages[lang][id]
			if !ok {
				continue // reported by TestCataloguesComplete
			}
			got := placeholders(m.Zero, m.One, m.Two, m.Few, m.Many, m.Other)
			if !slices.Equal(got, want) {
				t.Errorf("%q: %s has placeholders %v, %s has %v", id, lang, got, Default, want)
			}
		}
	}
}

// TestCoreKeys pins the messages other packages rely on by name.
func TestCoreKeys(t *testing.T) {
	b := mustNew(t)
	l := b.For(En)
	for _, id := range []string{
		"app.name", "app.tagline",
		"nav.home", "nav.account", "nav.audit", "nav.accounts", "nav.logout", "nav.language",
		"login.title", "login.name", "login.password", "login.submit", "login.failed",
		"totp.title", "totp.code", "totp.enrol_title", "totp.enrol_instructions", "totp.secret",
		"totp.verify", "totp.wrong_code",
		"password.change_title", "password.current", "password.new", "password.repeat",
		"password.mismatch", "password.changed", "password.expired",
		"account.title", "account.display_name", "account.language", "account.roles",
		"account.sessions", "account.api_tokens",
		"error.not_found", "error.unauthorized", "error.forbidden", "error.internal",
		"error.stale", "error.csrf", "error.bad_request", "error.too_many_requests",
		"error.method_not_allowed",
		"audit.title", "audit.actor", "audit.action", "audit.object", "audit.time",
		"audit.address", "audit.outcome", "audit.filter", "audit.export", "audit.verify_ok",
		"audit.verify_broken",
		"role.sysadmin", "role.secofficer", "role.auditor", "role.county_officer",
		"role.home_secretary", "role.mobile_secretary", "role.host_officer", "role.member",
		"role.case_handler",
		"common.save", "common.cancel", "common.search", "common.previous", "common.next",
		"common.export", "common.yes", "common.no", "common.loading", "common.required",
		"flash.saved",
	} {
		if !l.Has(id) {
			t.Errorf("missing %q", id)
		}
	}
	// Every domain.Code has a generic message, which Err falls back to.
	for _, c := range []domain.Code{
		domain.CodeInvalid, domain.CodeNotFound, domain.CodeConflict, domain.CodeUnauthorized,
		domain.CodeForbidden, domain.CodeRule, domain.CodeLocked, domain.CodeUnavailable,
		domain.CodeInternal,
	} {
		if id := "error." + string(c); !l.Has(id) {
			t.Errorf("missing %q for domain.%s", id, c)
		}
	}
}

func TestT(t *testing.T) {
	b := mustNew(t)
	zh, en := b.For(ZhCN), b.For(En)
	tests := []struct {
		name string
		l    *Localizer
		id   string
		args []any
		want string
	}{
		{"plain zh", zh, "nav.home", nil, "首页"},
		{"plain en", en, "nav.home", nil, "Home"},
		{"missing key", zh, "no.such.key", nil, "no.such.key"},
		{"text passes through", en, "张三", nil, "张三"},
		{"pairs", zh, "password.too_short", []any{"Min", 12}, "密码长度不能少于12位。"},
		{"map", en, "password.too_short", []any{map[string]any{"Min": 12}}, "The password must be at least 12 characters long."},
		{"string map", en, "common.page", []any{map[string]string{"Page": "3"}}, "Page 3"},
		{"missing argument", en, "password.too_short", nil, "password.too_short"},
		{"odd argument count", en, "password.too_short", []any{"Min", 8, "dangling"}, "The password must be at least 8 characters long."},
		{"non-string name", en, "common.page", []any{1, 2}, "common.page"},
		{"count as placeholder", zh, "audit.verify_ok", []any{"Count", 3}, "日志完整性校验通过，共校验3条记录。"},
		{"count of odd type", en, "audit.verify_ok", []any{"Count", 2.5}, "Integrity check passed. Entries checked: 2.5."},
		{"empty id", en, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.T(tt.id, tt.args...); got != tt.want {
				t.Errorf("T(%q, %v) = %q, want %q", tt.id, tt.args, got, tt.want)
			}
		})
	}
}

func TestForUnsupported(t *testing.T) {
	b := mustNew(t)
	if got := b.For("fr").Lang(); got != ZhCN {
		t.Errorf("For(fr).Lang() = %q, want %q", got, ZhCN)
	}
	if got := b.For(En).Lang(); got != En {
		t.Errorf("For(en).Lang() = %q", got)
	}
	if got := b.Keys("fr"); got != nil {
		t.Errorf("Keys(fr) = %v, want nil", got)
	}
}

func TestMatch(t *testing.T) {
	b := mustNew(t)
	tests := []struct {
		accept, preferred, want string
	}{
		{"en-US,en;q=0.9", "", En},
		{"en-GB", "", En},
		{"zh-CN,zh;q=0.9,en;q=0.8", "", ZhCN},
		{"zh-TW", "", ZhCN},
		{"zh-Hant-HK", "", ZhCN},
		{"zh", "", ZhCN},
		{"fr-FR,de;q=0.8", "", ZhCN},
		{"fr-FR,en;q=0.5", "", En},
		{"!!garbage;;q=x", "", ZhCN},
		{"", "", ZhCN},
		{"*", "", ZhCN},
		{"en-US", "zh-CN", ZhCN},
		{"zh-CN", "en", En},
		{"zh-CN", "fr", ZhCN},          // unsupported preference: fall through
		{"en", "not a tag at all", En}, // unparsable preference: fall through
	}
	for _, tt := range tests {
		if got := b.Match(tt.accept, tt.preferred); got != tt.want {
			t.Errorf("Match(%q, %q) = %q, want %q", tt.accept, tt.preferred, got, tt.want)
		}
	}
}

func TestErr(t *testing.T) {
	b := mustNew(t)
	zh, en := b.For(ZhCN), b.For(En)
	tests := []struct {
		name string
		l    *Localizer
		err  error
		want string
	}{
		{"nil", zh, nil, ""},
		{"args rendered", zh, domain.Invalid("password", "password.too_short", map[string]any{"Min": 12}), "密码长度不能少于12位。"},
		{"args rendered en", en, domain.Rule("audit.verify_broken", map[string]any{"Seq": 41}),
			"Integrity check failed: the hash chain breaks at entry 41. The log may have been tampered with; report this to the security officer at once."},
		{"wrapped", en, fmt.Errorf("service: load: %w", domain.ErrNotFound), "The page or record you asked for does not exist."},
		{"sentinel", zh, domain.ErrStale, "该记录已被他人修改，请刷新后重试。"},
		{"unknown msg id falls back to code", en, domain.Conflict("name", "person.no_such_message", nil), "This conflicts with an existing record. Please check and try again."},
		{"no msg id", en, &domain.Error{Code: domain.CodeForbidden}, "You are not allowed to do this."},
		{"unknown code", en, &domain.Error{Code: "weird"}, "Something went wrong on our side. Please try again later; if it keeps happening, contact the system administrator."},
		{"foreign error is hidden", zh, errors.New("pq: relation \"secret_table\" does not exist"), "系统出现异常，请稍后重试。如问题持续存在，请联系系统管理员。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.Err(tt.err); got != tt.want {
				t.Errorf("Err(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestPlural(t *testing.T) {
	fsys := fstest.MapFS{
		"l/x.en.toml":    {Data: []byte("[x.files]\none = \"{{.Count}} file\"\nother = \"{{.Count}} files\"\n")},
		"l/x.zh-CN.toml": {Data: []byte("x.files.other = \"{{.Count}}个文件\"\n")},
	}
	b, err := load(fsys, "l")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang  string
		count any
		want  string
	}{
		{En, 1, "1 file"}, {En, 2, "2 files"}, {En, "0", "0 files"}, {ZhCN, 1, "1个文件"},
	} {
		if got := b.For(tt.lang).T("x.files", "Count", tt.count); got != tt.want {
			t.Errorf("%s Count=%v: got %q, want %q", tt.lang, tt.count, got, tt.want)
		}
	}
}

// TestFallbackToDefault shows that a message missing in English still shows
// its Chinese text rather than its ID (the completeness test keeps this
// from happening in the real catalogues).
func TestFallbackToDefault(t *testing.T) {
	fsys := fstest.MapFS{
		"l/a.zh-CN.toml": {Data: []byte("a.only = \"仅中文\"\n")},
		"l/a.en.toml":    {Data: []byte("a.both = \"both\"\n")},
	}
	b, err := load(fsys, "l")
	if err != nil {
		t.Fatal(err)
	}
	if got := b.For(En).T("a.only"); got != "仅中文" {
		t.Errorf("got %q", got)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no files", map[string]string{"l/readme.txt": "x"}, "no catalogues"},
		{"name without area", map[string]string{"l/en.toml": `a = "b"`}, "AREA.LANG.toml"},
		{"name with extra part", map[string]string{"l/a.b.en.toml": `a = "b"`}, "AREA.LANG.toml"},
		{"unsupported language", map[string]string{"l/a.fr.toml": `a = "b"`}, "unsupported language"},
		{"duplicate across areas", map[string]string{
			"l/a.en.toml": "x.y = \"1\"\n",
			"l/b.en.toml": "[x]\ny = \"2\"\n",
		}, `"x.y" is already defined in a.en.toml`},
		{"reserved leaf only", map[string]string{"l/a.en.toml": "[audit]\ndescription = \"d\"\n"}, "has no text"},
		{"reserved leaf mixed", map[string]string{"l/a.en.toml": "[audit]\ndescription = \"d\"\ntitle = \"t\"\n"}, "reserved"},
		{"empty message", map[string]string{"l/a.en.toml": "a.b = \"\"\n"}, "has no text"},
		{"broken placeholder", map[string]string{"l/a.en.toml": "a.b = \"{{.X\"\n"}, `"a.b"`},
		{"not a string", map[string]string{"l/a.en.toml": "a = 1\n"}, "a.en.toml"},
		{"not toml", map[string]string{"l/a.en.toml": "a = = 1\n"}, "a.en.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := load(fsys, "l")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("load: err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// TestPlainCached: a message without arguments is rendered once, when the
// catalogues load, not on every call (a page asks for dozens per request),
// and gives the same text as rendering it anew, in every language,
// fallbacks and messages with placeholders included.
func TestPlainCached(t *testing.T) {
	b := mustNew(t)
	for _, lang := range Languages() {
		l := b.For(lang)
		for _, id := range b.Keys(ZhCN) {
			if got, want := l.T(id), l.localize(id, nil); got != want {
				t.Errorf("%s: T(%q) = %q, rendered anew %q", lang, id, got, want)
			}
		}
		if n := testing.AllocsPerRun(100, func() { l.T("nav.home") }); n != 0 {
			t.Errorf("%s: T(nav.home) allocates %v times per call, want none", lang, n)
		}
	}
}
