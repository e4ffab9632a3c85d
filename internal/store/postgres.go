package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL is the second back end, for a state that has outgrown one
// file or wants the database on a server of its own. It uses the same
// Store, the same SQL and the same migrations as SQLite; what differs is
// kept to this file and a few lines in store.go and tx.go:
//
//   - Writers. PostgreSQL lets many connections write at once, but ids are
//     allocated as MAX(id)+1 (Tx.nextID) and the audit chain is extended
//     from its head, both of which need one writer at a time. Every write
//     transaction therefore starts with pg_advisory_xact_lock(writerLock),
//     held until commit or rollback. The lock is taken before any read, and
//     under READ COMMITTED each later statement sees everything committed
//     before it, so the transaction reads the latest head. This was chosen
//     over SERIALIZABLE with retries because the writes are short and
//     always touch the same few hot rows (the audit head, the ids' maxima):
//     under SERIALIZABLE nearly every pair of concurrent writers would
//     conflict and retry, and every caller would have to be safe to rerun.
//     The lock is a database-wide rule, so it holds for several narvard
//     servers on one database too. Within one process the writer pool has
//     one connection, as with SQLite, so waiting writers queue in Go
//     rather than holding server connections.
//   - Readers. A separate pool whose sessions default to read-only
//     transactions (default_transaction_read_only), as SQLite's read pool
//     is query_only. View runs REPEATABLE READ, so that all of fn's queries
//     see one snapshot, as a SQLite read transaction does.
//   - Errors. A unique violation is SQLSTATE 23505 (isUnique). A failed
//     statement aborts a PostgreSQL transaction, so callers must return the
//     error rather than carry on in the same transaction (they do).
//   - Close does not checkpoint; that is SQLite's write-ahead log.
//
// Text sorts by byte order in SQLite and by the database's collation in
// PostgreSQL. The ids and times the product sorts on are ASCII of fixed
// shape and sort alike under any collation; create the database with
// LC_COLLATE 'C' (or C.UTF-8) to have names sort as in SQLite too.

// writerLock is the advisory lock key every PostgreSQL write transaction
// takes first ("narvard" in a number).
const writerLock = 7_402_023

// pgReaders bounds the PostgreSQL read pool.
const pgReaders = 16

// OpenPostgres opens the PostgreSQL database that dsn names (a
// postgres://user:password@host:port/dbname?sslmode=… URL or a key=value
// connection string) and brings its schema up to date with the same
// migrations as SQLite. The database must exist; narvard creates only its
// tables. Messages name the URL without its password.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	name := redact(dsn)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the string, password and all.
		return nil, errors.New("store: ogiltig adress till PostgreSQL, skriv den som postgres://användare:lösenord@värd:5432/databas")
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "narvard"
	}
	s := &Store{path: name, postgres: true}
	s.write = stdlib.OpenDB(*cfg)
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	s.write.SetConnMaxIdleTime(5 * time.Minute)

	rcfg := cfg.Copy()
	rcfg.RuntimeParams["default_transaction_read_only"] = "on"
	s.read = stdlib.OpenDB(*rcfg)
	s.read.SetMaxOpenConns(pgReaders)
	s.read.SetMaxIdleConns(pgReaders / 2)
	s.read.SetConnMaxIdleTime(5 * time.Minute)

	for _, db := range []*sql.DB{s.write, s.read} {
		if err := db.PingContext(ctx); err != nil {
			s.Close()
			return nil, fmt.Errorf("store: anslut till %s: %w", name, err)
		}
	}
	if err := migrate(ctx, s.write, pgMigrations, true); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: %s: %w", name, err)
	}
	return s, nil
}

// lockWriters takes the writer lock for the rest of the transaction.
func lockWriters(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", writerLock); err != nil {
		return fmt.Errorf("vänta på skrivlåset: %w", err)
	}
	return nil
}

// redact returns the connection URL without its password, whether in the
// user part or in a password parameter, for messages and logs. A
// key=value connection string is not shown at all.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "PostgreSQL-databasen"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
