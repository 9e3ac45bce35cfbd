package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// Flash messages travel from a POST to the page its redirect shows in a
// cookie that lives a minute and is cleared as soon as a page shows it.
// The cookie holds a message key and its arguments, never text: on the way
// back only a key the catalogue knows is shown, so a forged cookie can at
// most show one of the product's own messages. Nothing secret goes into a
// flash (a new API token, for instance, is shown by the POST's own page).

const flashMaxAge = 60 // seconds

// SetFlash queues the message key (with name/value argument pairs) for the
// next page.
func SetFlash(w http.ResponseWriter, secure bool, key string, args ...string) {
	v := url.Values{"k": {key}}
	for i := 0; i+1 < len(args); i += 2 {
		v.Set("a."+args[i], truncateRunes(args[i+1], 200))
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(v.Encode())),
		Path: "/", MaxAge: flashMaxAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// takeFlash reads and clears the flash, returning its text in l's
// language; "" when there is none or it names no known message.
func takeFlash(w http.ResponseWriter, r *http.Request, secure bool, l Localizer) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return ""
	}
	v, err := url.ParseQuery(string(raw))
	if err != nil {
		return ""
	}
	key := v.Get("k")
	if key == "" || !l.Has(key) {
		return ""
	}
	args := map[string]any{}
	for name := range v {
		if arg, ok := strings.CutPrefix(name, "a."); ok {
			args[arg] = v.Get(name)
		}
	}
	return l.T(key, args)
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
