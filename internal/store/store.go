// Package store keeps the product's state in a database: by default an
// embedded SQLite database, one file (narvard.db) in a data directory,
// through the pure-Go driver modernc.org/sqlite (nothing to install,
// nothing to start); or, with OpenPostgres, a PostgreSQL database through
// pgx. Both are the same Store with the same SQL and the same migrations.
//
// Writes go through one connection only (a pool with MaxOpenConns(1) whose
// transactions begin IMMEDIATE), so two writers never race for SQLite's
// single write lock and a transaction never fails halfway on SQLITE_BUSY.
// Reads go through a separate pool of read-only connections, which WAL mode
// lets run while a write is under way. postgres.go tells how PostgreSQL
// keeps the same rules.
//
// The SQL is portable: $1-style placeholders, standard types (TEXT,
// INTEGER, BIGINT), INSERT … ON CONFLICT, CAST(SUM(…) AS BIGINT),
// timestamps as RFC 3339 text written by Go, and no dialect's own syntax in
// the migrations. The tests run on both back ends (package storetest).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database file's name inside the data directory.
const FileName = "narvard.db"

// busyTimeout is how long a connection waits for a lock held by another
// process (a second narvard against the same directory) before giving up.
const busyTimeout = 5 * time.Second

// maxReaders bounds the read pool.
const maxReaders = 8

// Store is the product's database. It is safe for concurrent use.
type Store struct {
	path     string  // the SQLite file, or the PostgreSQL URL without password
	read     *sql.DB // read-only connections, many
	write    *sql.DB // the one writer connection
	postgres bool
}

// Open opens (creating if needed) the database in dir and brings its schema
// up to date. The directory is created with mode 0700 if it does not exist.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: ingen datakatalog angiven")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: skapa datakatalogen: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(dir, FileName))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &Store{path: path}
	// The writer is opened first: it creates the file and switches it to
	// WAL, which read-only connections cannot do.
	if s.write, err = openPool(path, false, 1); err != nil {
		return nil, err
	}
	if err := s.write.Ping(); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("store: öppna %s: %w", path, err)
	}
	if s.read, err = openPool(path, true, maxReaders); err != nil {
		s.write.Close()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := migrate(ctx, s.write, migrations, false); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return s, nil
}

// openPool opens a pool of connections to the file with the product's
// settings: WAL, foreign keys on, synchronous=FULL (a committed transaction
// survives a power cut), a busy timeout, and IMMEDIATE transactions.
func openPool(path string, readOnly bool, conns int) (*sql.DB, error) {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_foreign_keys", "1")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	if readOnly {
		q.Set("_query_only", "1")
		q.Set("_txlock", "deferred")
	} else {
		q.Set("_journal_mode", "WAL")
	}
	dsn := "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Close closes the database. On SQLite a checkpoint folds the write-ahead
// log back into the file first, so a copy of narvard.db alone is a
// complete backup.
func (s *Store) Close() error {
	var errs []error
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		if !s.postgres {
			_, err := s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
			errs = append(errs, err)
		}
		errs = append(errs, s.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: stäng %s: %w", s.path, err)
	}
	return nil
}

// Ping checks that the database answers, on both the read and the write
// connections.
func (s *Store) Ping(ctx context.Context) error {
	for _, db := range []*sql.DB{s.read, s.write} {
		if db == nil {
			continue // a read-only store
		}
		var one int
		if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
			return fmt.Errorf("store: ping: %w", err)
		}
	}
	return nil
}

// Health checks that the database answers, takes a write (a full disk, a
// read-only file, file system or server fails here) and that the ledger
// balances (CheckLedger's fault.BooksBroken otherwise), for /healthz.
func (s *Store) Health(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	err := s.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO health_probe (id, at) VALUES (1, $1)
			ON CONFLICT (id) DO UPDATE SET at = excluded.at`, now())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: skrivning: %w", err)
	}
	return s.View(ctx, func(tx *Tx) error { return tx.CheckLedger() })
}

// Path returns the database file's absolute path, or for PostgreSQL the
// URL without its password.
func (s *Store) Path() string { return s.path }

// Postgres reports whether the store is on PostgreSQL.
func (s *Store) Postgres() bool { return s.postgres }

// inTx runs fn in a write transaction and commits it if fn returns nil.
// On PostgreSQL the transaction first takes the writer lock.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("börja skrivtransaktion: %w", err)
	}
	if s.postgres {
		if err := lockWriters(ctx, tx); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("spara transaktionen: %w", err)
	}
	return nil
}

// now is the time stamps' format: UTC, RFC 3339, sortable as text.
func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }
