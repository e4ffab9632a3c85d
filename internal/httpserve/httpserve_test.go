package httpserve

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRequestLog(t *testing.T) {
	var logs bytes.Buffer
	h := LogRequests(slog.New(slog.NewTextHandler(&logs, nil)), http.NotFoundHandler())
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/finns-inte", nil))
	line := logs.String()
	for _, want := range []string{"method=GET", "path=/finns-inte", "status=404", "duration="} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	rec := httptest.NewRecorder()
	SecurityHeaders(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
		if rec.Header().Get(h) == "" {
			t.Errorf("%s missing", h)
		}
	}
}

func TestRecover(t *testing.T) {
	var logs bytes.Buffer
	h := Recover(slog.New(slog.NewTextHandler(&logs, nil)), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("bug") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/x", nil))
	if rec.Code != 500 || !strings.Contains(logs.String(), "bug") {
		t.Errorf("status %d, log %q", rec.Code, logs.String())
	}
}

func TestServeListenerShutsDown(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeListener(ctx, ln, h, nil) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	resp.Body.Close()
	if line != "ok\n" {
		t.Errorf("healthz = %q", line)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeListener: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestServeBadAddress(t *testing.T) {
	if err := Serve(context.Background(), "256.0.0.1:http", http.NotFoundHandler(), nil); err == nil {
		t.Error("a bad address was accepted")
	}
}

func TestTransport(t *testing.T) {
	var seen *http.Request
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r })
	forwarded := func() *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.1:4711"
		r.Header.Add("X-Forwarded-For", "6.6.6.6, 192.0.2.7")
		r.Header.Set("X-Forwarded-Proto", "https")
		return r
	}
	rec := httptest.NewRecorder()
	Transport(false, h).ServeHTTP(rec, forwarded())
	if Secure(seen) || ClientAddr(seen) != "10.0.0.1" || rec.Header().Get("Strict-Transport-Security") != "" || seen.Header.Get("X-Forwarded-Proto") != "" {
		t.Errorf("untrusted proxy believed: secure %v, client %s, HSTS %q", Secure(seen), ClientAddr(seen), rec.Header().Get("Strict-Transport-Security"))
	}
	rec = httptest.NewRecorder()
	Transport(true, h).ServeHTTP(rec, forwarded())
	if !Secure(seen) || ClientAddr(seen) != "192.0.2.7" || rec.Header().Get("Strict-Transport-Security") == "" {
		t.Errorf("trusted proxy: secure %v, client %s, HSTS %q", Secure(seen), ClientAddr(seen), rec.Header().Get("Strict-Transport-Security"))
	}
	r := forwarded()
	r.TLS = &tls.ConnectionState{}
	rec = httptest.NewRecorder()
	Transport(false, h).ServeHTTP(rec, r)
	if !Secure(seen) || rec.Header().Get("Strict-Transport-Security") == "" {
		t.Error("direct TLS is not secure")
	}
}
