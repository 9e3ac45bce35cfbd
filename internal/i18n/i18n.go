// Package i18n holds the message catalogues and turns message IDs into text
// in the user's language. The catalogues are go-i18n v2 TOML files embedded
// from locales/, one pair per area (core.zh-CN.toml and core.en.toml,
// auth.zh-CN.toml and auth.en.toml …), so that each part of the product adds
// its own messages without editing a shared file. Simplified Chinese is the
// default; English is the second language.
//
// Message IDs are dotted (nav.home, error.not_found). Because go-i18n reads
// a table whose keys are all plural or meta words as one message, the last
// part of an ID must not be one of id, description, hash, leftdelim,
// rightdelim, zero, one, two, few, many, other or translation; New refuses
// such files. Placeholders use text/template syntax: {{.Name}}.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	i18ntemplate "github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"

	"gongjian/internal/domain"
)

// The supported languages, as the tags the rest of the product stores and
// compares (account preference, <html lang>, cookies).
const (
	ZhCN    = "zh-CN"
	En      = "en"
	Default = ZhCN
)

// Languages returns the supported languages, the default first.
func Languages() []string { return []string{ZhCN, En} }

//go:embed locales/*.toml
var locales embed.FS

// supported is in the order of Languages(): the matcher falls back to the
// first entry, which makes zh-CN the default.
var supported = []language.Tag{language.MustParse(ZhCN), language.English}

// parser renders placeholders with missingkey=error, so a forgotten argument
// is caught (T then returns the message ID) rather than printed as
// "<no value>" to the user.
var parser = &i18ntemplate.TextParser{Option: "missingkey=error"}

// Bundle is the loaded set of catalogues. It is read-only after New and safe
// for concurrent use.
type Bundle struct {
	bundle     *goi18n.Bundle
	matcher    language.Matcher
	localizers map[string]*Localizer
	// messages keeps every message by language and ID, for Keys and for
	// the catalogue tests (placeholders must agree between languages).
	messages map[string]map[string]*goi18n.Message
}

// New loads every *.toml file in the embedded locales directory.
func New() (*Bundle, error) {
	return load(locales, "locales")
}

// load reads the catalogues in dir of fsys; it is separate from New so tests
// can feed broken catalogues.
func load(fsys fs.FS, dir string) (*Bundle, error) {
	b := &Bundle{
		bundle:     goi18n.NewBundle(supported[0]),
		matcher:    language.NewMatcher(supported),
		localizers: map[string]*Localizer{},
		messages:   map[string]map[string]*goi18n.Message{},
	}
	for _, lang := range Languages() {
		b.messages[lang] = map[string]*goi18n.Message{}
	}
	files, err := fs.Glob(fsys, path.Join(dir, "*.toml"))
	if err != nil {
		return nil, fmt.Errorf("i18n: list catalogues: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("i18n: no catalogues found")
	}
	// origin remembers which file defined each message, to name both files
	// when two areas claim the same ID.
	origin := map[string]string{}
	for _, file := range files {
		if err := b.loadFile(fsys, file, origin); err != nil {
			return nil, err
		}
	}
	for _, lang := range Languages() {
		l := &Localizer{
			lang:  lang,
			b:     b,
			local: goi18n.NewLocalizer(b.bundle, lang),
		}
		// Every message rendered without arguments, once: a page asks for
		// dozens of them per request, and go-i18n matches the language
		// and looks the message up anew each time. The text is what
		// Localize gives, fallbacks included, so nothing changes but the
		// cost.
		l.plain = map[string]string{}
		for _, msgs := range b.messages {
			for id := range msgs {
				if _, done := l.plain[id]; !done {
					l.plain[id] = l.localize(id, nil)
				}
			}
		}
		b.localizers[lang] = l
	}
	return b, nil
}

func (b *Bundle) loadFile(fsys fs.FS, file string, origin map[string]string) error {
	name := path.Base(file)
	parts := strings.Split(name, ".")
	if len(parts) != 3 || parts[0] == "" {
		return fmt.Errorf("i18n: %s: catalogue names are AREA.LANG.toml", name)
	}
	lang := parts[1]
	if !slices.Contains(Languages(), lang) {
		return fmt.Errorf("i18n: %s: unsupported language %q (have %v)", name, lang, Languages())
	}
	buf, err := fs.ReadFile(fsys, file)
	if err != nil {
		return fmt.Errorf("i18n: read %s: %w", name, err)
	}
	msgs, err := goi18n.ParseMessageBytes(buf, toml.Unmarshal)
	if err != nil {
		return fmt.Errorf("i18n: parse %s: %w", name, err)
	}
	for _, m := range msgs {
		key := lang + "\x00" + m.ID
		if prev, dup := origin[key]; dup {
			return fmt.Errorf("i18n: %s: message %q is already defined in %s", name, m.ID, prev)
		}
		origin[key] = name
		if m.Other == "" {
			// Either an empty value or a table go-i18n read as one
			// message because its keys are reserved words.
			return fmt.Errorf("i18n: %s: message %q has no text (is the last part of an ID a reserved word?)", name, m.ID)
		}
		if err := checkTemplates(m); err != nil {
			return fmt.Errorf("i18n: %s: %w", name, err)
		}
		b.messages[lang][m.ID] = m
	}
	if err := b.bundle.AddMessages(supported[slices.Index(Languages(), lang)], msgs...); err != nil {
		return fmt.Errorf("i18n: add %s: %w", name, err)
	}
	return nil
}

// checkTemplates parses every form of a message now, so a typo in a
// placeholder stops the program at start instead of showing a message ID to
// a user later.
func checkTemplates(m *goi18n.Message) error {
	for _, src := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
		if !strings.Contains(src, "{{") {
			continue
		}
		if _, err := template.New(m.ID).Parse(src); err != nil {
			return fmt.Errorf("message %q: %w", m.ID, err)
		}
	}
	return nil
}

// Match picks the language for a request: the account's saved choice when
// it names a supported language, else the best match for the Accept-Language
// header, else the default (zh-CN). It always returns ZhCN or En.
func (b *Bundle) Match(acceptLanguage, preferred string) string {
	if preferred != "" {
		if tag, err := language.Parse(preferred); err == nil {
			if _, i, conf := b.matcher.Match(tag); conf >= language.High {
				return Languages()[i]
			}
		}
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := b.matcher.Match(tags...)
	// Low confidence means "same language family, different script or
	// region" (zh-TW against zh-CN); zh-CN is still the better answer than
	// English for such a reader, and it is also the default, so taking the
	// index is right either way. No confidence falls back to the default.
	if conf == language.No {
		return Default
	}
	return Languages()[i]
}

// For returns the Localizer of lang; an unsupported lang gets the default
// language's.
func (b *Bundle) For(lang string) *Localizer {
	if l, ok := b.localizers[lang]; ok {
		return l
	}
	return b.localizers[Default]
}

// Keys returns the sorted message IDs defined for lang, nil for an
// unsupported language.
func (b *Bundle) Keys(lang string) []string {
	msgs, ok := b.messages[lang]
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(msgs))
	for id := range msgs {
		keys = append(keys, id)
	}
	sort.Strings(keys)
	return keys
}

// Localizer renders messages in one language. Templates call it as
// {{.L.T "nav.home"}} and {{.L.T "audit.verify_broken" "Seq" .Seq}}. It is
// read-only and shared between requests.
type Localizer struct {
	lang  string
	b     *Bundle
	local *goi18n.Localizer
	// plain holds every catalogue message rendered without arguments
	// (read-only after New).
	plain map[string]string
}

// Lang returns the language tag, ZhCN or En, for <html lang> and forms.
func (l *Localizer) Lang() string { return l.lang }

// Has reports whether the message id exists in this language.
func (l *Localizer) Has(id string) bool {
	_, ok := l.b.messages[l.lang][id]
	return ok
}

// T renders message id. args are either one map[string]any or alternating
// name/value pairs; a value named Count also selects the plural form. T
// never fails: an unknown id, a missing argument or any other problem
// returns id itself, which keeps the page usable and makes the slip visible
// (and lets callers pass text that is not a message ID through unchanged).
func (l *Localizer) T(id string, args ...any) string {
	data := templateData(args)
	if data == nil {
		if msg, ok := l.plain[id]; ok {
			return msg
		}
	}
	return l.localize(id, data)
}

// localize is T without the cache of plain messages.
func (l *Localizer) localize(id string, data map[string]any) string {
	lc := &goi18n.LocalizeConfig{MessageID: id, TemplateParser: parser}
	if data != nil {
		lc.TemplateData = data
		if n, ok := data["Count"]; ok && isCount(n) {
			lc.PluralCount = n
		}
	}
	// go-i18n returns a best-effort text together with an error when it
	// fell back to the default language or to the "other" plural form;
	// that text is still better than the ID, so only an empty result counts
	// as failure.
	msg, _ := l.local.Localize(lc)
	if msg == "" {
		return id
	}
	return msg
}

// Err renders err for a user: a *domain.Error through its MsgID and Args
// (falling back to the generic message of its Code when the catalogue lacks
// the MsgID), anything else as "error.internal", because foreign errors may
// carry internals that users must not see.
func (l *Localizer) Err(err error) string {
	if err == nil {
		return ""
	}
	e := domain.AsError(err)
	if e.MsgID != "" && l.Has(e.MsgID) {
		return l.T(e.MsgID, e.Args)
	}
	if generic := "error." + string(e.Code); l.Has(generic) {
		return l.T(generic, e.Args)
	}
	return l.T("error.internal")
}

// templateData normalises T's arguments into the map go-i18n executes the
// message template with.
func templateData(args []any) map[string]any {
	switch len(args) {
	case 0:
		return nil
	case 1:
		switch m := args[0].(type) {
		case map[string]any:
			return m
		case map[string]string:
			out := make(map[string]any, len(m))
			for k, v := range m {
				out[k] = v
			}
			return out
		}
		return nil
	}
	out := make(map[string]any, len(args)/2)
	// An odd trailing argument has no name; it is dropped rather than
	// panicking in the middle of rendering a page.
	for i := 0; i+1 < len(args); i += 2 {
		k, ok := args[i].(string)
		if !ok {
			k = fmt.Sprint(args[i])
		}
		out[k] = args[i+1]
	}
	return out
}

// isCount reports whether v is a type go-i18n accepts as a plural count, so
// that a Count of another type is simply used as a placeholder.
func isCount(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, string:
		return true
	}
	return false
}
