package server

import (
	"net/http"
	"net/url"
	"strings"

	"gongjian/internal/service"
)

// Sign-in happens in stages (service.Stage). A session short of StageFull
// may reach only the pages that complete its stage, and signing out;
// everything else sends it there. The language switch is open to all,
// since the pages of every stage show it, and so is the check of a
// certificate's QR code (/verify/…), which whoever holds the paper opens.

var stagePages = map[service.Stage]struct {
	home    string
	allowed []string
}{
	service.StageTOTP:     {"/login/totp", []string{"/login/totp", "/logout"}},
	service.StageEnrol:    {"/account/totp", []string{"/account/totp", "/account/totp/begin", "/account/totp/qr.png", "/logout"}},
	service.StagePassword: {"/account/password", []string{"/account/password", "/account/totp", "/account/totp/begin", "/account/totp/qr.png", "/logout"}},
}

// gate returns where to send a request that may not reach its page, or ""
// to let it through.
func gate(p *service.Principal, r *http.Request) string {
	path := r.URL.Path
	if path == "/lang" || strings.HasPrefix(path, "/verify/") {
		return ""
	}
	if p == nil {
		if path == "/login" {
			return ""
		}
		return loginURL(r)
	}
	st, limited := stagePages[p.Stage]
	if !limited {
		if path == "/login/totp" {
			return "/"
		}
		return ""
	}
	for _, a := range st.allowed {
		if path == a {
			return ""
		}
	}
	return st.home
}

// loginURL is the sign-in page, remembering a page that was asked for with
// GET so the visitor lands there afterwards.
func loginURL(r *http.Request) string {
	if r.Method != http.MethodGet || r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, "/login") || r.URL.Path == "/logout" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}
