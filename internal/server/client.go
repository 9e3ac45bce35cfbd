package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address the audit log and the login throttle see: the
// peer's, or behind a proxy the right-most X-Forwarded-For entry, which is
// the one our own proxy added (entries to its left are whatever the client
// claimed).
func (s *server) clientAddr(r *http.Request) string {
	if s.o.BehindProxy {
		if vs := r.Header.Values("X-Forwarded-For"); len(vs) > 0 {
			last := vs[len(vs)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a, err := netip.ParseAddr(strings.TrimSpace(last)); err == nil {
				return a.Unmap().String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// scheme is "https" or "http", as the client used it.
func (s *server) scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if s.o.BehindProxy {
		p, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
		if strings.EqualFold(strings.TrimSpace(p), "https") {
			return "https"
		}
	}
	return "http"
}
