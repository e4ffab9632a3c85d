package main

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
	"narvard/internal/web"
)

// TestBrokenBooksAreNotServed edits a posting behind the program's back
// (the append-only trigger dropped first): the API refuses figures with
// 503 books_broken and /healthz fails.
func TestBrokenBooksAreNotServed(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	a, err := app.New(ctx, st, agreement.Builtin(), clock.NewFrozen(time.Date(2023, 11, 15, 10, 0, 0, 0, clock.Stockholm)), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser(ctx, "h@nll.se", "", "region-25", auth.RecipientOfficer, "ett långt lösenord"); err != nil {
		t.Fatal(err)
	}
	token, err := a.CreateToken(ctx, "h@nll.se", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	h := routes(a, slog.New(slog.DiscardHandler), web.Options{})
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := get("/api/v1/recipients/region-25/status?agreement=gnv-2023"); rec.Code != 200 {
		t.Fatalf("status before: %d %s", rec.Code, rec.Body)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER postings_append_only_update",
		"UPDATE postings SET amount_kr = amount_kr + 1000000 WHERE tx_id = 1 AND amount_kr > 0"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	rec := get("/api/v1/recipients/region-25/status?agreement=gnv-2023")
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), `"books_broken"`) || !strings.Contains(rec.Body.String(), "balanserar inte") {
		t.Errorf("status of broken books: %d %s", rec.Code, rec.Body)
	}
	// The web page says so too.
	u, err := a.Authenticate(ctx, "h@nll.se", "ett långt lösenord", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := a.NewSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	rec = httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/start?agreement=gnv-2023", nil)
	req.AddCookie(&http.Cookie{Name: "narvard_session", Value: session})
	h.ServeHTTP(rec, req)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "Bokföringen balanserar inte") {
		t.Errorf("start page of broken books: %d %.300s", rec.Code, rec.Body)
	}
	rec = get("/healthz")
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "bokföringen balanserar inte") {
		t.Errorf("healthz of broken books: %d %s", rec.Code, rec.Body)
	}
}

// TestBackupPostgresRestoreSQLite backs up a PostgreSQL database with the
// command and restores it into a new SQLite data directory, which
// verifies; a second restore into the PostgreSQL database is refused.
func TestBackupPostgresRestoreSQLite(t *testing.T) {
	u := storetest.PostgresURL(t)
	ctx := context.Background()
	a, done, err := openApp(ctx, "", u, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser(ctx, "h@nll.se", "", "region-25", auth.RecipientOfficer, "ett långt lösenord"); err != nil {
		t.Fatal(err)
	}
	done()
	file := filepath.Join(t.TempDir(), "pg.backup")
	if code, out, errOut := runCLI(t, "backup", "--db", u, "--out", file); code != 0 || !strings.Contains(out, "3 poster") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v %v", fi, err)
	}
	dir := filepath.Join(t.TempDir(), "data")
	if code, out, errOut := runCLI(t, "restore", "--in", file, "--data", dir); code != 0 || !strings.Contains(out, "Böckerna stämmer") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "restore", "--in", file, "--db", u); code != 1 || !strings.Contains(errOut, "inte tomt") {
		t.Errorf("restore into a non-empty database: %d %q", code, errOut)
	}
}
