package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Tx is a transaction the domain's work runs in: everything done through
// one Tx is written together or not at all.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
	w   *writeState // nil in a read transaction
	// ledgerOK is set once the transaction has found every ledger
	// transaction balanced (checkLedger).
	ledgerOK bool
}

// Update runs fn in a write transaction, committed if fn returns nil.
// Writes are serialised: one writer at a time, on PostgreSQL across all
// processes that share the database. fn must return the error of a failed
// statement rather than go on: PostgreSQL refuses every later statement of
// a transaction in which one has failed.
//
// The transaction's audit entries are written when fn returns, the last
// one sealing every row of the books fn wrote (seal.go); a transaction
// that wrote such a row without an audit entry is refused.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		t := &Tx{ctx: ctx, tx: tx, w: newWriteState()}
		if err := fn(t); err != nil {
			return err
		}
		return t.flush()
	})
}

// View runs fn in a read-only transaction: a consistent snapshot.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.postgres {
		// READ COMMITTED, PostgreSQL's default, takes a new snapshot
		// for every statement; a SQLite read transaction keeps one.
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("börja lästransaktion: %w", err)
	}
	defer tx.Rollback() // read-only: nothing to commit
	return fn(&Tx{ctx: ctx, tx: tx})
}

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	if t.w != nil {
		t.w.noteWrite(query)
	}
	return t.tx.ExecContext(t.ctx, query, args...)
}

func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.ctx, query, args...)
}

func (t *Tx) queryRow(query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, query, args...)
}

// nextID returns one more than the largest id in the table's column; safe
// because writes are serialised (on PostgreSQL by the writer lock, taken
// before this read).
func (t *Tx) nextID(table, column string) (int64, error) {
	var n int64
	err := t.queryRow("SELECT COALESCE(MAX(" + column + "), 0) + 1 FROM " + table).Scan(&n)
	return n, err
}

// ErrDuplicate is returned when a write would break a uniqueness rule.
var ErrDuplicate = errors.New("finns redan")

// isUnique reports whether err is a unique-constraint violation: SQLite's
// extended result codes for UNIQUE and PRIMARY KEY, or PostgreSQL's
// SQLSTATE 23505 (unique_violation, which covers primary keys too).
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation
}

// pgUniqueViolation is PostgreSQL's SQLSTATE for a unique violation.
const pgUniqueViolation = "23505"

// Times are kept as RFC 3339 UTC text of fixed width, so that text order is
// time order, and dates as YYYY-MM-DD.
const timeLayout = time.DateOnly + "T15:04:05.000000Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s) // written by fmtTime; "" gives zero
	return t
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func parseDate(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// notFound turns sql.ErrNoRows into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
