package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one step of the schema, applied once and in order. Its
// version is its place in the list, counted from 1.
type migration struct {
	Name string // the file name, e.g. "0001_settings.sql"
	SQL  string
}

// migrations is the embedded list for SQLite, pgMigrations for
// PostgreSQL, both in order. The schema version of a database is the
// number of migrations applied to it.
//
// One set of files serves SQLite and PostgreSQL alike: portable SQL. Where
// a statement must differ (triggers: SQLite's RAISE against PostgreSQL's
// PL/pgSQL) one step is a pair of files, NNNN_x.sqlite.sql and
// NNNN_x.postgres.sql, chosen by back end. The pair is recorded under the
// one name NNNN_x.sql, so that both back ends have the same list of names
// (a backup of one restores into the other).
var (
	migrations   = mustLoadMigrations(migrationFiles, "migrations", false)
	pgMigrations = mustLoadMigrations(migrationFiles, "migrations", true)
)

// migrationsFor returns the list for the back end.
func migrationsFor(postgres bool) []migration {
	if postgres {
		return pgMigrations
	}
	return migrations
}

// ErrSchemaTooNew is returned when the database has more migrations applied
// than this binary knows: it was written by a newer version of narvard.
var ErrSchemaTooNew = errors.New("databasen har ett nyare schema än programmet")

// The suffixes of a pair's two files.
const (
	sqliteSuffix   = ".sqlite.sql"
	postgresSuffix = ".postgres.sql"
)

// loadMigrations reads dir's *.sql files sorted by name, for SQLite or for
// PostgreSQL. Each name must start with its version, four digits counted
// from 0001 without gaps, so that the order cannot change by accident. A
// step is either one portable file or a pair (see migrations), never both.
func loadMigrations(fsys fs.FS, dir string, postgres bool) ([]migration, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.sql")) // sorted
	if err != nil {
		return nil, err
	}
	type step struct{ portable, sqlite, postgres string }
	steps := map[string]*step{}
	var names []string
	for _, f := range files {
		base := path.Base(f)
		name, slot := base, 0
		if n, ok := strings.CutSuffix(base, sqliteSuffix); ok {
			name, slot = n+".sql", 1
		} else if n, ok := strings.CutSuffix(base, postgresSuffix); ok {
			name, slot = n+".sql", 2
		}
		st := steps[name]
		if st == nil {
			st = &step{}
			steps[name] = st
			names = append(names, name)
		}
		switch slot {
		case 0:
			st.portable = f
		case 1:
			st.sqlite = f
		case 2:
			st.postgres = f
		}
	}
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for i, name := range names {
		num, _, ok := strings.Cut(name, "_")
		if v, err := strconv.Atoi(num); !ok || err != nil || v != i+1 || len(num) != 4 {
			return nil, fmt.Errorf("migrering %s: namnet ska börja med %04d_", name, i+1)
		}
		st := steps[name]
		file := st.portable
		switch {
		case st.portable != "" && (st.sqlite != "" || st.postgres != ""):
			return nil, fmt.Errorf("migrering %s: både en gemensam fil och en för en databas", name)
		case st.portable == "" && (st.sqlite == "" || st.postgres == ""):
			return nil, fmt.Errorf("migrering %s: filen för SQLite eller PostgreSQL saknas", name)
		case st.portable == "" && postgres:
			file = st.postgres
		case st.portable == "":
			file = st.sqlite
		}
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{Name: name, SQL: string(b)})
	}
	return out, nil
}

func mustLoadMigrations(fsys fs.FS, dir string, postgres bool) []migration {
	m, err := loadMigrations(fsys, dir, postgres)
	if err != nil {
		panic(err) // the embedded files are fixed at build time; the tests load them
	}
	return m
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// migrate applies the migrations the database lacks, all in one
// transaction: either the schema reaches the newest version or nothing
// changes. It refuses a database whose applied migrations do not match the
// list's names, or that has more than the list. On PostgreSQL it takes the
// writer lock first, so two servers starting at once migrate one after
// the other.
func migrate(ctx context.Context, db *sql.DB, list []migration, postgres bool) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrering: %w", err)
	}
	defer tx.Rollback() // a no-op after Commit
	if postgres {
		if err := lockWriters(ctx, tx); err != nil {
			return fmt.Errorf("migrering: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
		return fmt.Errorf("migrering: schema_migrations: %w", err)
	}
	applied, err := appliedNames(ctx, tx)
	if err != nil {
		return err
	}
	if len(applied) > len(list) {
		return fmt.Errorf("%w: version %d, programmet känner till %d", ErrSchemaTooNew, len(applied), len(list))
	}
	for i, name := range applied {
		if name != list[i].Name {
			return fmt.Errorf("migrering %d heter %q i databasen men %q i programmet", i+1, name, list[i].Name)
		}
	}
	for i := len(applied); i < len(list); i++ {
		m := list[i]
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrering %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			i+1, m.Name, now()); err != nil {
			return fmt.Errorf("migrering %s: %w", m.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrering: %w", err)
	}
	return nil
}

// appliedNames returns the names of the applied migrations by version,
// checking that the versions run 1, 2, 3 … without gaps.
func appliedNames(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("migrering: läs schema_migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return nil, fmt.Errorf("migrering: läs schema_migrations: %w", err)
		}
		if v != len(names)+1 {
			return nil, fmt.Errorf("migrering: schema_migrations saknar version %d", len(names)+1)
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// SchemaVersion returns the number of migrations applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: schemaversion: %w", err)
	}
	return n, nil
}
