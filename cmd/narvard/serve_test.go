package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/clock"
	"narvard/internal/store"
	"narvard/internal/web"
)

// TestServeFollowUpDir checks --uppfoljning-dir before the server starts:
// a missing folder or a file is a usage error (exit status 2).
func TestServeFollowUpDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "fil.csv", "x\n")
	for _, arg := range []string{filepath.Join(dir, "saknas"), filepath.Join(dir, "fil.csv")} {
		code, _, stderr := runCLI(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--uppfoljning-dir", arg)
		if code != 2 || !strings.Contains(stderr, "--uppfoljning-dir") {
			t.Errorf("--uppfoljning-dir %s: exit %d, %q", arg, code, stderr)
		}
	}
	if got, err := followupFolder(dir); err != nil || got != dir {
		t.Errorf("followupFolder(%s) = %q, %v", dir, got, err)
	}
}

// TestRoutes: the server wires the JSON API and the web pages side by
// side; each answers in its own way, and every request is logged.
func TestRoutes(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := app.New(context.Background(), st, agreement.Builtin(), clock.System{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	h := routes(a, slog.New(slog.NewTextHandler(&logs, nil)), web.Options{})
	for _, tc := range []struct {
		path, contentType string
		status            int
		body              string
	}{
		{"/api/v1/requisitions", "application/json", 401, `"unauthenticated"`},
		{"/api/v1/finns-inte", "application/json", 404, `"not_found"`},
		{"/", "text/html; charset=utf-8", 200, `lang="sv"`},
		{"/healthz", "text/plain; charset=utf-8", 200, "ok"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.contentType) || !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("GET %s: %d %s %.200s", tc.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no security headers", tc.path)
		}
		if tc.path != "/healthz" && !strings.Contains(logs.String(), "path="+tc.path) { // health checks log at debug level
			t.Errorf("GET %s not logged", tc.path)
		}
	}
}
