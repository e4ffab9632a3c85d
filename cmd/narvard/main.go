// Command narvard runs the state's stimulus grants to health care: it
// allocates agreements, verifies published tables and serves the web app.
// This file only dispatches to one file per command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one subcommand: its one-line help and what it runs.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"allocate":     {"fördela en överenskommelses medel (tabeller, förklaring)", runAllocate},
	"verify":       {"jämför de publicerade bilagorna med exakt beräkning", runVerify},
	"indicators":   {"uppföljningens indikatorer: fast läkarkontakt, kontinuitet (COC, UPC), listade per läkare", runIndicators},
	"gen-followup": {"skriv syntetiska uppföljningsfiler för test och prestandamätning", runGenFollowup},
	"serve":        {"starta webbappen och API:t (--demo för demodata)", runServe},
	"user":         {"user add: lägg till en användare (lösenordet från standard in)", runUser},
	"token":        {"token create: skapa en API-token för en användare", runToken},
	"audit":        {"audit verify | checkpoint: kontrollera granskningsloggen och böckerna, signera kedjans huvud", runAudit},
	"bank":         {"bank import: läs bankens camt.054-avisering (återbetalningar, bekräftade betalningar, omatchat)", runBank},
	"backup":       {"backup: en säkerhetskopia av databasen medan servern kör (--data DIR|--db URL --out FIL)", runBackup},
	"restore":      {"restore: återläs en säkerhetskopia till en tom datakatalog eller databas och kontrollera den", runRestore},
	"plan":         {"plan outcome: läs in mottagarens bokföring (SIE 4 eller CSV) till dess plan", runPlan},
	"remind":       {"remind: skriv dagens påminnelser och sammanfattningar till utkorgen en gång (--smtp: skicka dem)", runRemind},
	"allocation":   {"allocation correct: bokför överenskommelsens bindande tilldelning som rättelse, med skäl", runAllocation},
}

// errUsage marks errors in how the command was called (exit status 2).
var errUsage = errors.New("fel användning")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "narvard: okänt kommando %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	err := cmd.run(args[1:], stdin, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "narvard %s: %v\n", args[0], err)
		return 2
	case errors.Is(err, errFindings):
		return 1
	}
	fmt.Fprintf(stderr, "narvard %s: %v\n", args[0], err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Användning: narvard KOMMANDO [flaggor]\n\nKommandon:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nnarvard KOMMANDO -h visar kommandots flaggor.")
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("narvard "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args and refuses stray positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: oväntat argument %q", errUsage, fs.Arg(0))
	}
	return nil
}
