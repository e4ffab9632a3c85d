package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"time"

	"narvard/internal/audit"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Exec runs a statement in the transaction, for tests that check what a
// transaction may do.
func (t *Tx) Exec(query string, args ...any) error {
	_, err := t.exec(query, args...)
	return err
}

// QueryInt runs a query that returns one integer.
func (t *Tx) QueryInt(query string, args ...any) (int64, error) {
	var n int64
	err := t.queryRow(query, args...).Scan(&n)
	return n, err
}

// MigrateRaw applies the first n embedded migrations (all when n < 0) to
// db, for tests of one migration's effect on the data before it.
func MigrateRaw(ctx context.Context, db *sql.DB, n int, postgres bool) error {
	list := migrationsFor(postgres)
	if n >= 0 {
		list = list[:n]
	}
	return migrate(ctx, db, list, postgres)
}

// MigrationSQL is the named embedded migration's SQL.
func MigrationSQL(prefix string) string {
	for _, m := range migrations {
		if strings.HasPrefix(m.Name, prefix) {
			return m.SQL
		}
	}
	return ""
}

// OpenRaw opens a database without migrating it: a SQLite file in dir, or
// the PostgreSQL database at the URL.
func OpenRaw(dir, postgresURL string) (*sql.DB, error) {
	if postgresURL != "" {
		cfg, err := pgx.ParseConfig(postgresURL)
		if err != nil {
			return nil, err
		}
		return stdlib.OpenDB(*cfg), nil
	}
	return openPool(filepath.Join(dir, FileName), false, 1)
}

// SetSetting stores a setting with an audit entry of the system's, for
// tests that need a write.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.Update(ctx, func(tx *Tx) error {
		if err := tx.SetSetting(key, value, time.Now()); err != nil {
			return err
		}
		_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "system", Org: "narvard", Action: "setting.set", Object: "setting:" + key})
		return err
	})
}

// RawExec runs a statement on the writer connection outside any
// transaction of the program's: tampering, as someone with the database
// file or a database login could.
func (s *Store) RawExec(query string, args ...any) error {
	_, err := s.write.Exec(query, args...)
	return err
}

// RefuseWrites makes the writer connection refuse writes, as a read-only
// file, file system or server does.
func (s *Store) RefuseWrites() error {
	q := "PRAGMA query_only = 1"
	if s.postgres {
		q = "SET default_transaction_read_only = on"
	}
	_, err := s.write.Exec(q)
	return err
}
