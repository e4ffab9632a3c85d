package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"narvard/internal/audit"
	"narvard/internal/store"
)

// runAudit is `narvard audit verify` and `narvard audit checkpoint`.
func runAudit(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	const use = "narvard audit verify --data DIR|--db URL [--checkpoint FIL] | audit checkpoint --data DIR|--db URL [--out FIL]"
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, use)
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(args[1:], stdout, stderr)
	case "checkpoint":
		return runAuditCheckpoint(args[1:], stdout, stderr)
	}
	return fmt.Errorf("%w: %s", errUsage, use)
}

// auditFlags are the flags both audit commands take.
type auditFlags struct {
	dir, dbURL, key *string
}

func newAuditFlags(name string, stderr io.Writer) (*auditFlags, *flag.FlagSet) {
	fs := newFlags(name, stderr)
	return &auditFlags{
		dir:   fs.String("data", "", "datakatalog"),
		dbURL: fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite"),
		key: fs.String("key", "", "signeringsnyckelns fil (annars $"+audit.KeyEnv+", annars DIR.audit-key bredvid datakatalogen); "+
			"aldrig i databasen"),
	}, fs
}

// keyPath is the signing key's file.
func (f *auditFlags) keyPath() (string, error) {
	if *f.key != "" {
		return *f.key, nil
	}
	if p := audit.KeyPath(*f.dir); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("%w: ange signeringsnyckelns fil med --key eller $%s", errUsage, audit.KeyEnv)
}

// openForAudit opens the database without writing to it: SQLite read-only
// (a copy on a read-only disk too), PostgreSQL as usual.
// checkpointFile reads a checkpoint file and the public half of the key
// that must have signed it.
func (f *auditFlags) checkpointFile(file string) ([]byte, ed25519.PublicKey, error) {
	path, err := f.keyPath()
	if err != nil {
		return nil, nil, err
	}
	key, err := audit.LoadKey(path)
	if err != nil {
		return nil, nil, err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	return b, key.Public().(ed25519.PublicKey), nil
}

func (f *auditFlags) open(ctx context.Context) (*store.Store, error) {
	if *f.dbURL == "" && *f.dir != "" {
		return store.OpenReadOnly(*f.dir)
	}
	return openStore(ctx, *f.dir, *f.dbURL)
}

func runAuditVerify(args []string, stdout, stderr io.Writer) error {
	f, fs := newAuditFlags("audit verify", stderr)
	cpFile := fs.String("checkpoint", "", "en signerad checkpoint (narvard audit checkpoint): kedjan ska hålla dess huvud")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var cp *audit.Checkpoint
	if *cpFile != "" {
		b, pub, err := f.checkpointFile(*cpFile)
		if err != nil {
			return err
		}
		c, err := audit.ParseCheckpoint(b, pub)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", *cpFile, err)
			return errFindings
		}
		cp = &c
	}
	ctx := context.Background()
	s, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := verifyBooks(ctx, s, cp)
	if err != nil {
		return err
	}
	return reportVerification(v, cp, stdout, stderr)
}

func verifyBooks(ctx context.Context, s *store.Store, cp *audit.Checkpoint) (store.Verification, error) {
	var v store.Verification
	err := s.View(ctx, func(tx *store.Tx) error {
		var err error
		v, err = tx.VerifyBooks(cp)
		return err
	})
	return v, err
}

// reportVerification prints what verify found: on stdout when all is
// well, else on stderr with errFindings (exit status 1).
func reportVerification(v store.Verification, cp *audit.Checkpoint, stdout, stderr io.Writer) error {
	if v.Break != nil {
		fmt.Fprintf(stderr, "Granskningsloggen är bruten vid %v.\n", v.Break)
	}
	for _, m := range v.Mismatches {
		fmt.Fprintf(stderr, "Böckerna stämmer inte med granskningsloggen: %v.\n", m)
	}
	if !v.OK() {
		return errFindings
	}
	fmt.Fprintf(stdout, "Granskningsloggen är hel (%d poster).\n", v.Entries)
	fmt.Fprintf(stdout, "Böckerna stämmer med loggen (%d rader).\n", v.Rows)
	if cp != nil {
		fmt.Fprintf(stdout, "Checkpointen från %s (%d poster) stämmer.\n", cp.At.Format(time.RFC3339), cp.Entries)
	}
	return nil
}

func runAuditCheckpoint(args []string, stdout, stderr io.Writer) error {
	f, fs := newAuditFlags("audit checkpoint", stderr)
	out := fs.String("out", "", "fil att skriva checkpointen till (annars standard ut)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	path, err := f.keyPath()
	if err != nil {
		return err
	}
	ctx := context.Background()
	s, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := verifyBooks(ctx, s, nil)
	if err != nil {
		return err
	}
	if !v.OK() {
		fmt.Fprintln(stderr, "Ingen checkpoint: böckerna eller loggen stämmer inte.")
		return reportVerification(v, nil, stdout, stderr)
	}
	key, created, err := audit.LoadOrCreateKey(path)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(stderr, "Ny signeringsnyckel skapad: %s (läsbar bara för ägaren; förvara den utanför databasen och säkerhetskopiera den för sig).\n", path)
	}
	cp := audit.SignCheckpoint(key, v.Entries, v.Head, time.Now())
	b, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *out == "" {
		_, err = stdout.Write(b)
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Checkpoint skriven till %s: %d poster, huvud %s.\n", *out, cp.Entries, audit.Short(cp.Head))
	return nil
}
