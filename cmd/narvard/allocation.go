package main

import (
	"context"
	"fmt"
	"io"
	"os/user"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/clock"
)

// runAllocation is "narvard allocation correct": it records that the
// ledger's allocations become the agreement file's binding amounts, as an
// audited correction with a reason. serve refuses to start until then
// whenever the ledger departs from the file.
func runAllocation(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	const usage = "narvard allocation correct --data DIR|--db URL --agreement ID --reason TEXT"
	if len(args) == 0 || args[0] != "correct" {
		return fmt.Errorf("%w: %s", errUsage, usage)
	}
	fs := newFlags("allocation correct", stderr)
	dir := fs.String("data", "", "datakatalog")
	dbURL := fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite")
	id := fs.String("agreement", "", agreementFlagHelp())
	reason := fs.String("reason", "", "varför tilldelningen rättas (skrivs i granskningsloggen)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *id == "" || *reason == "" {
		return fmt.Errorf("%w: --agreement och --reason krävs (%s)", errUsage, usage)
	}
	ctx := context.Background()
	s, err := openStore(ctx, *dir, *dbURL)
	if err != nil {
		return err
	}
	defer s.Close()
	done, err := app.CorrectAllocation(ctx, s, agreement.Builtin(), clock.System{}, *id, *reason, operator())
	if err != nil {
		return err
	}
	if len(done) == 0 {
		fmt.Fprintf(stdout, "Inget att rätta: den bokförda tilldelningen i %s är överenskommelsens bindande belopp.\n", *id)
		return nil
	}
	for _, d := range done {
		fmt.Fprintln(stdout, "Rättat: "+d.String())
	}
	fmt.Fprintf(stdout, "%d rättelser bokförda för %s och skrivna i granskningsloggen.\n", len(done), *id)
	return nil
}

// operator names who runs the command, for the audit entry.
func operator() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
