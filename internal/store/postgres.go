package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// writerLock is the advisory lock every PostgreSQL write transaction takes
// first. It serialises writers as SQLite's single writer does, so ids
// allocated as MAX(id)+1 and the audit chain's head stay correct with
// several connections and several servers. Reads do not take it.
const writerLock = 7_402_023

// OpenPostgres opens a PostgreSQL database (a postgres:// URL) and brings
// its schema up to date with the same migrations as SQLite.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: anslut till %s: %w", redact(dsn), err)
	}
	s := &Store{path: redact(dsn), read: db, write: db, postgres: true}
	if err := migrate(ctx, db, migrations, true); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", redact(dsn), err)
	}
	return s, nil
}

// lockWriters takes the writer lock for the rest of the transaction.
func lockWriters(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", writerLock)
	return err
}

// redact hides a URL's password, for messages and logs.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	return u.Redacted()
}
