package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/bank"
	"narvard/internal/org"
)

// maxBankFile bounds a bank notification read from a file, as the API does.
const maxBankFile = 16 << 20

// runBank is "narvard bank import": the bank's camt.054.001.02 debit/credit
// notification of a paying agency's account (--agency, Kammarkollegiet's
// unless given; Socialstyrelsen's for the VFU payout) read as the agency's
// payers read it through the API, with the operator named in the audit log.
func runBank(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	const usage = "narvard bank import --data DIR|--db URL [--agency ID] FIL"
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("%w: %s", errUsage, usage)
	}
	args = args[1:]
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	fs := newFlags("bank import", stderr)
	dir := fs.String("data", "", "datakatalog")
	dbURL := fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite")
	agency := fs.String("agency", org.Kammarkollegiet, "den utbetalande myndighet vars konto aviseringen gäller ("+org.Kammarkollegiet+", "+org.Socialstyrelsen+")")
	if file == "" {
		// FILE after the flags: parse up to it, then the flags after it.
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		if rest := fs.Args(); len(rest) > 0 {
			file, args = rest[0], rest[1:]
		} else {
			args = nil
		}
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if file == "" {
		return fmt.Errorf("%w: ange filen (%s)", errUsage, usage)
	}
	if !org.IsPayingAgency(*agency) {
		return fmt.Errorf("%w: --agency %q är ingen utbetalande myndighet; ange en av %s", errUsage, *agency, org.Kammarkollegiet+", "+org.Socialstyrelsen)
	}
	b, err := readBankFile(file)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, done, err := openApp(ctx, *dir, *dbURL, quietLog())
	if err != nil {
		return err
	}
	defer done()
	who := operator()
	v, err := a.ImportBankNotification(ctx, auth.Actor{Email: "kommandorad:" + who, Name: who, Org: *agency, Role: auth.Payer}, b)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	printBankImport(stdout, v)
	return nil
}

// readBankFile reads a bank notification of at most maxBankFile bytes.
func readBankFile(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxBankFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxBankFile {
		return nil, fmt.Errorf("%s: filen är större än 16 MB; inget registrerades", file)
	}
	return b, nil
}

func printBankImport(w io.Writer, v app.BankImportView) {
	if v.AlreadyImported {
		fmt.Fprintf(w, "Meddelandet %s lästes redan in %s (%s); inget registrerades nu.\n", v.MessageID,
			v.ImportedAt.Format(time.DateOnly+" 15:04"), v.ID)
	} else {
		fmt.Fprintf(w, "Meddelandet %s inläst som %s.\n", v.MessageID, v.ID)
	}
	section := func(title string, lines []bank.Line) {
		fmt.Fprintf(w, "%s: %d\n", title, len(lines))
		for _, l := range lines {
			fmt.Fprintf(w, "  post %d  %s  %s  %s  %s  %s\n", l.Entry, l.BookedOn.Format(time.DateOnly), l.Direction.Swedish(),
				l.Amount, orDash(l.Reference), l.Note)
		}
	}
	section("Matchade", v.Matched())
	section("Ej matchade (hanteras för hand)", v.Unmatched())
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
