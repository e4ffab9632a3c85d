package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"narvard/internal/app"
	"narvard/internal/auth"
)

// runPlan is "narvard plan outcome": a file of the recipient's books (SIE
// 4 or CSV) read into its plan as its officers read it through the API,
// with the operator named in the audit log.
func runPlan(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	const usage = "narvard plan outcome --data DIR|--db URL --plan ID --file FIL"
	if len(args) == 0 || args[0] != "outcome" {
		return fmt.Errorf("%w: %s", errUsage, usage)
	}
	fs := newFlags("plan outcome", stderr)
	dir := fs.String("data", "", "datakatalog")
	dbURL := fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite")
	planID := fs.String("plan", "", "planens id (P-…)")
	file := fs.String("file", "", "SIE 4-fil eller CSV-fil (datum,konto,kostnadsobjekt,belopp)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *planID == "" || *file == "" {
		return fmt.Errorf("%w: ange --plan och --file (%s)", errUsage, usage)
	}
	data, err := readLimited(*file, app.MaxOutcomeFile)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, done, err := openApp(ctx, *dir, *dbURL, quietLog())
	if err != nil {
		return err
	}
	defer done()
	p, err := a.Plan(ctx, auth.Actor{Role: auth.Auditor}, *planID)
	if err != nil {
		return err
	}
	who := operator()
	officer := auth.Actor{Email: "kommandorad:" + who, Name: who, Org: p.Recipient, Role: auth.RecipientOfficer}
	res, err := a.ImportOutcome(ctx, officer, *planID, *file, data)
	if err != nil {
		return fmt.Errorf("%s: %w", *file, err)
	}
	if !res.Added {
		fmt.Fprintf(stdout, "Filen lästes redan in %s (%s); inget lades till nu.\n", res.ImportedAt.Format("2006-01-02 15:04"), res.ID)
		return nil
	}
	fmt.Fprintf(stdout, "Inläst som %s: %d kostnadsrader på planens kostnadsobjekt.\n", res.ID, res.Lines)
	return nil
}

// readLimited reads a whole file of at most limit bytes.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: filen är större än %d MB; inget lästes in", name, limit>>20)
	}
	return data, nil
}
