// Package storetest opens real databases for tests: a SQLite file in a
// temporary folder, or a fresh PostgreSQL database on the server that
// NARVARD_TEST_POSTGRES names (an admin URL such as
// postgres://postgres:pw@127.0.0.1:5432/postgres?sslmode=disable).
//
// NARVARD_TEST_BACKEND=postgres makes Open use PostgreSQL, so that the same
// tests run on both back ends; .ci/run runs them twice.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"narvard/internal/store"
)

// Open returns a fresh, empty store on the back end the environment asks
// for, closed when the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	if os.Getenv("NARVARD_TEST_BACKEND") == "postgres" {
		return Postgres(t)
	}
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Postgres returns a store on a new PostgreSQL database, dropped when the
// test ends. Without NARVARD_TEST_POSTGRES the test is skipped, except in
// CI (CI set), where it fails: CI must run it.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	admin := os.Getenv("NARVARD_TEST_POSTGRES")
	if admin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NARVARD_TEST_POSTGRES is not set in CI; .ci/run must start PostgreSQL and set it")
		}
		t.Skip("NARVARD_TEST_POSTGRES not set: no PostgreSQL to test against")
	}
	ctx := context.Background()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "narvard_test_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	s, err := store.OpenPostgres(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		if db, err := sql.Open("pgx", admin); err == nil {
			db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			db.Close()
		}
	})
	return s
}
