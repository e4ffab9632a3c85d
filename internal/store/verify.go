package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"narvard/internal/audit"
)

// Verification is what VerifyBooks finds.
type Verification struct {
	Entries int64  // entries in the log
	Head    string // the hash of the last entry (audit.Genesis for none)
	Rows    int    // rows of the books checked against their seals
	// Break is where the chain stops being intact: an edited, removed or
	// reordered entry, a head that does not match, a log emptied while
	// the books have rows, or a chain shorter than, or rewritten behind,
	// the checkpoint. Nil when intact.
	Break *audit.Break
	// Mismatches are rows of the books (documents, ledger transactions
	// with their lines, settings) that differ from the newest entry that
	// sealed them, were removed, or were never sealed; and ledger
	// transactions that do not balance.
	Mismatches []audit.Mismatch
}

// OK reports whether nothing was found.
func (v Verification) OK() bool { return v.Break == nil && len(v.Mismatches) == 0 }

// VerifyBooks checks the audit chain, the rows of the books against the
// seals in it, that every ledger transaction balances, and, given a
// checkpoint (already checked against its signing key), that the chain
// still holds the checkpoint's head.
func (t *Tx) VerifyBooks(cp *audit.Checkpoint) (Verification, error) {
	var v Verification
	entries, err := t.AuditLog(0, false)
	if err != nil {
		return v, err
	}
	v.Entries, v.Head = int64(len(entries)), audit.Genesis
	if len(entries) > 0 {
		v.Head = entries[len(entries)-1].Hash
	}
	_, v.Break, err = t.VerifyAudit()
	if err != nil {
		return v, err
	}
	if v.Break == nil && cp != nil {
		v.Break = audit.CheckCheckpoint(*cp, entries)
	}
	rows, err := t.allRowHashes()
	if err != nil {
		return v, err
	}
	v.Rows = len(rows)
	if v.Break == nil && len(entries) == 0 && len(rows) > 0 {
		v.Break = &audit.Break{Seq: 1, Reason: fmt.Sprintf("saknas: loggen är tom men böckerna har %d rader (loggen har tömts)", len(rows))}
	}
	sealed, seqs := audit.Latest(entries)
	v.Mismatches = audit.CheckRows(sealed, seqs, rows)
	if err := t.CheckLedger(); err != nil {
		v.Mismatches = append(v.Mismatches, audit.Mismatch{Object: "ledger", Reason: err.Error()})
	}
	return v, nil
}

// OpenReadOnly opens the SQLite database in dir for reading only, without
// migrating or writing anything: for `audit verify` on a copy, on a
// read-only file system too. A file with a write-ahead log or shared
// memory beside it (a server running on it, or a copy taken with its log)
// is opened read-only, so that the log is read and a running writer is
// respected; a file alone is opened immutable, which creates nothing
// beside it. If the read-only open fails (a read-only folder
// where the shared-memory file cannot be made), the immutable one is
// tried.
func OpenReadOnly(dir string) (*Store, error) {
	path, err := filepath.Abs(filepath.Join(dir, FileName))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	modes := []string{"mode=ro&immutable=1"}
	for _, side := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + side); err == nil {
			modes = []string{"mode=ro", "mode=ro&immutable=1"}
		}
	}
	var errs []error
	for _, mode := range modes {
		dsn := "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath() + "?" + mode + "&_query_only=1"
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		db.SetMaxOpenConns(1)
		s := &Store{path: path, read: db}
		if err := s.checkSchema(context.Background()); err != nil {
			db.Close()
			errs = append(errs, err)
			continue
		}
		return s, nil
	}
	return nil, fmt.Errorf("store: öppna %s för läsning: %w", path, errors.Join(errs...))
}

// checkSchema checks that the database has every migration this binary
// knows and no more.
func (s *Store) checkSchema(ctx context.Context) error {
	n, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if want := len(migrationsFor(s.postgres)); n != want {
		return fmt.Errorf("databasen har schemaversion %d, programmet %d (starta narvard serve mot en kopia först för att uppgradera den)", n, want)
	}
	return nil
}
