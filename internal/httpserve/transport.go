package httpserve

import (
	"context"
	"net"
	"net/http"
	"strings"
)

// hstsValue asks browsers to use only HTTPS for a year.
const hstsValue = "max-age=31536000; includeSubDomains"

type secureKey struct{}

// Transport believes what a TLS-terminating proxy says only when
// trustProxy is set (serve --trust-proxy): then the last address of
// X-Forwarded-For becomes the request's RemoteAddr and X-Forwarded-Proto
// https makes the request secure. Without it, those headers are removed so
// nothing behind believes them. A secure request (direct TLS, or https
// through a trusted proxy) gets Strict-Transport-Security.
func Transport(trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secure := r.TLS != nil
		if trustProxy {
			if addr := lastForwarded(r.Header.Values("X-Forwarded-For")); addr != "" {
				r.RemoteAddr = net.JoinHostPort(addr, "0")
			}
			if strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https") {
				secure = true
			}
		}
		r.Header.Del("X-Forwarded-For")
		r.Header.Del("X-Forwarded-Proto")
		r.Header.Del("Forwarded")
		if secure {
			w.Header().Set("Strict-Transport-Security", hstsValue)
			r = r.WithContext(context.WithValue(r.Context(), secureKey{}, true))
		}
		next.ServeHTTP(w, r)
	})
}

// lastForwarded is the address the nearest proxy saw: the last of the
// X-Forwarded-For lists (earlier ones are whatever the client claimed).
func lastForwarded(values []string) string {
	if len(values) == 0 {
		return ""
	}
	list := strings.Split(values[len(values)-1], ",")
	addr := strings.TrimSpace(list[len(list)-1])
	if net.ParseIP(addr) == nil {
		return ""
	}
	return addr
}

// Secure reports whether the request came over TLS, directly or through a
// trusted proxy (Transport); cookies then get the Secure flag.
func Secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	s, _ := r.Context().Value(secureKey{}).(bool)
	return s
}

// ClientAddr is the client's IP address: RemoteAddr's host, which
// Transport has set from X-Forwarded-For when the proxy is trusted.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
