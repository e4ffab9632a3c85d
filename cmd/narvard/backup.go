package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"narvard/internal/audit"
	"narvard/internal/store"
)

// runBackup is `narvard backup`: a consistent copy of the database while
// the server runs, in the portable format of store.Backup.
func runBackup(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	dir := fs.String("data", "", "datakatalog")
	dbURL := fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite")
	out := fs.String("out", "", "filen att skriva säkerhetskopian till (narvard-backup/1, gzip)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: --out krävs", errUsage)
	}
	ctx := context.Background()
	var s *store.Store
	var err error
	if *dbURL == "" && *dir != "" {
		s, err = store.OpenReadOnly(*dir) // no migration, no write: the server may be running
	} else {
		s, err = openStore(ctx, *dir, *dbURL)
	}
	if err != nil {
		return err
	}
	defer s.Close()
	// Written beside the target and renamed into place when complete, so
	// that a file named --out is always a whole backup. Mode 0600: it
	// holds the password hashes.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".narvard-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	st, err := s.Backup(ctx, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Säkerhetskopia skriven till %s: %d tabeller, %d rader, %d poster i granskningsloggen.\n", *out, st.Tables, st.Rows, st.Entries)
	return nil
}

// runRestore is `narvard restore`: a backup into an empty data directory
// or database, then audit verify on the result.
func runRestore(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f, fs := newAuditFlags("restore", stderr)
	in := fs.String("in", "", "säkerhetskopian (narvard backup)")
	cpFile := fs.String("checkpoint", "", "en signerad checkpoint att kontrollera den återlästa kedjan mot")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return fmt.Errorf("%w: --in krävs", errUsage)
	}
	if *f.dbURL == "" && *f.dir == "" {
		return fmt.Errorf("%w: --data (eller --db) krävs", errUsage)
	}
	var cp *audit.Checkpoint
	if *cpFile != "" {
		b, pub, err := f.checkpointFile(*cpFile)
		if err != nil {
			return err
		}
		c, err := audit.ParseCheckpoint(b, pub)
		if err != nil {
			return fmt.Errorf("%s: %w", *cpFile, err)
		}
		cp = &c
	}
	file, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer file.Close()
	if *f.dbURL == "" {
		if _, err := os.Stat(filepath.Join(*f.dir, store.FileName)); err == nil {
			return fmt.Errorf("%w: %s finns redan (återläs till en ny datakatalog)", store.ErrNotEmpty, filepath.Join(*f.dir, store.FileName))
		}
	}
	ctx := context.Background()
	s, err := openStore(ctx, *f.dir, *f.dbURL)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Restore(ctx, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Återläst från %s: %d tabeller, %d rader, %d poster i granskningsloggen.\n", *in, st.Tables, st.Rows, st.Entries)
	v, err := verifyBooks(ctx, s, cp)
	if err != nil {
		return err
	}
	return reportVerification(v, cp, stdout, stderr)
}
