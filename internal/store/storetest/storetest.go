// Package storetest opens real databases for tests, so that the same tests
// run on both of the store's back ends: a SQLite file in a temporary
// folder, and a fresh PostgreSQL database, created for the test and
// dropped after it, on the server that NARVARD_TEST_POSTGRES names (an
// admin URL such as postgres://postgres:pw@127.0.0.1:5432/postgres).
//
// There are two ways to run a test on both:
//
//   - A package whose tests open their store through Open (the app and API
//     tests) calls Main from its TestMain. Main runs the package's tests on
//     SQLite, then once more on PostgreSQL.
//   - A single test calls Each, which runs its body as two subtests,
//     "sqlite" and "postgres".
//
// Without NARVARD_TEST_POSTGRES the PostgreSQL runs are skipped, except
// when CI is set: there they fail, because CI must run them. Setting
// NARVARD_TEST_BACKEND to sqlite or postgres makes Main run one pass only.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"narvard/internal/store"
)

// The environment variables storetest reads.
const (
	// EnvPostgres names the PostgreSQL server to test against: a URL to a
	// database the user may run CREATE DATABASE from.
	EnvPostgres = "NARVARD_TEST_POSTGRES"
	// EnvBackend, "sqlite" or "postgres", makes Main run one pass only.
	EnvBackend = "NARVARD_TEST_BACKEND"
)

// The back ends' names, as Backend returns them and EnvBackend takes them.
const (
	sqliteName   = "sqlite"
	postgresName = "postgres"
)

// backend is the back end Open uses, set by Main for each pass.
var backend = sqliteName

// Backend returns the back end Open uses in this pass: "sqlite" or
// "postgres".
func Backend() string { return backend }

// Main runs the package's tests on SQLite and then, if PostgreSQL is
// available, again on PostgreSQL, and returns the exit code for os.Exit:
//
//	func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
//
// The second pass runs the same tests, under the same names, after a line
// that says so. It is left out when the first pass only listed tests,
// fuzzed or benchmarked (benchmarks choose their own back end), and after
// a failure with -failfast.
func Main(m *testing.M) int {
	switch b := os.Getenv(EnvBackend); b {
	case "":
	case sqliteName, postgresName:
		backend = b
		if b == postgresName && !postgresAvailable() {
			return 1
		}
		return m.Run()
	default:
		fmt.Fprintf(os.Stderr, "storetest: %s=%q: want %q or %q\n", EnvBackend, b, sqliteName, postgresName)
		return 2
	}
	backend = sqliteName
	code := m.Run()
	if flagSet("test.list") || flagSet("test.fuzz") || flagSet("test.bench") || (code != 0 && flagOn("test.failfast")) {
		return code
	}
	if os.Getenv(EnvPostgres) == "" && os.Getenv("CI") == "" {
		return code // local run without PostgreSQL: skip, as Postgres does
	}
	if !postgresAvailable() {
		return 1
	}
	backend = postgresName
	fmt.Printf("storetest: the same tests once more on PostgreSQL (%s)\n", redact(os.Getenv(EnvPostgres)))
	if code2 := m.Run(); code == 0 {
		code = code2
	}
	return code
}

// postgresAvailable reports whether EnvPostgres is set, explaining on
// stderr when it is not.
func postgresAvailable() bool {
	if os.Getenv(EnvPostgres) != "" {
		return true
	}
	fmt.Fprintf(os.Stderr, "storetest: %s is not set; .ci/run must start PostgreSQL and set it\n", EnvPostgres)
	return false
}

func flagSet(name string) bool {
	f := flag.Lookup(name)
	return f != nil && f.Value.String() != ""
}

func flagOn(name string) bool {
	f := flag.Lookup(name)
	return f != nil && f.Value.String() == "true"
}

// Open returns a fresh, empty store on the back end of this pass (see
// Main), closed when the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	if backend == postgresName {
		return Postgres(t)
	}
	return SQLite(t)
}

// Each runs fn as two subtests, "sqlite" and "postgres", each with a
// fresh store. The PostgreSQL one is skipped, or fails in CI, as
// PostgresURL says.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run(sqliteName, func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run(postgresName, func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a store on a new SQLite file in a temporary folder,
// closed when the test ends.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Postgres returns a store on a new PostgreSQL database (see
// PostgresURL), closed when the test ends.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	u := PostgresURL(t)
	s, err := store.OpenPostgres(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresURL creates an empty database on the EnvPostgres server and
// returns its URL; the database is dropped when the test ends, even with
// connections still open. Without EnvPostgres the test is skipped, except
// in CI (CI set), where it fails: CI must run it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set in CI; .ci/run must start PostgreSQL and set it", EnvPostgres)
		}
		t.Skipf("%s is not set: no PostgreSQL to test against", EnvPostgres)
	}
	u, err := url.Parse(admin)
	if err != nil || u.Scheme == "" {
		t.Fatalf("%s must be a postgres:// URL", EnvPostgres)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "narvard_test_" + hex.EncodeToString(b)
	if err := adminExec(admin, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database on %s: %v", redact(admin), err)
	}
	t.Cleanup(func() {
		if err := adminExec(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	t.Logf("PostgreSQL database %s", name)
	u.Path = "/" + name
	return u.String()
}

// adminExec runs one statement on the admin database.
func adminExec(admin, query string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, query)
	return err
}

// redact hides a URL's password.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "?"
	}
	return u.Redacted()
}
