package web

import (
	"net/http"
	"time"
)

// Cookie names. With Secure set, the session and anti-forgery cookies take
// the __Host- prefix, which browsers accept only from a secure origin,
// without Domain and with Path=/, so neither a sibling subdomain nor a
// plain-HTTP attacker can plant one.
const (
	sessionCookie = "gj_session"
	csrfCookie    = "gj_csrf"
	// LangCookie keeps an anonymous visitor's language choice.
	LangCookie  = "gj_lang"
	flashCookie = "gj_flash"
	hostPrefix  = "__Host-"
)

// SessionCookieName is the session cookie's name.
func SessionCookieName(secure bool) string {
	if secure {
		return hostPrefix + sessionCookie
	}
	return sessionCookie
}

// CSRFCookieName is the name of the double-submit cookie that protects
// forms shown before sign-in.
func CSRFCookieName(secure bool) string {
	if secure {
		return hostPrefix + csrfCookie
	}
	return csrfCookie
}

// SetSessionCookie hands the browser a session token. It is a browser
// session cookie: the server ends the session after 30 idle minutes or 12
// hours in any case, and closing the browser should end it sooner.
func SetSessionCookie(w http.ResponseWriter, secure bool, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookieName(secure), Value: token, Path: "/",
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookieName(secure), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// SetCSRFCookie sets the anonymous double-submit token. SameSite=Strict:
// it is only ever needed by same-site form posts.
func SetCSRFCookie(w http.ResponseWriter, secure bool, token string) {
	http.SetCookie(w, &http.Cookie{Name: CSRFCookieName(secure), Value: token, Path: "/",
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
}

// setLangCookie remembers a visitor's language for a year.
func setLangCookie(w http.ResponseWriter, secure bool, lang string) {
	c := &http.Cookie{Name: LangCookie, Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	if lang == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}
