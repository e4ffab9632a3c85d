package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"narvard/internal/agreement"
	"narvard/internal/money"
	"narvard/internal/verify"
)

// errFindings makes `verify --strict` exit 1 once its output is written.
var errFindings = errors.New("avvikelser hittades")

func runVerify(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("verify", stderr)
	id := fs.String("agreement", "", agreementFlagHelp())
	tol := fs.Int64("tolerance", int64(verify.DefaultTolerance), "största tillåtna avvikelse per cell i kronor")
	format := fs.String("format", "text", "format: text eller csv")
	out := fs.String("out", "", "skriv till FIL i stället för standard ut")
	strict := fs.Bool("strict", false, "avsluta med status 1 om någon avvikelse listas")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return fmt.Errorf("%w: --agreement krävs", errUsage)
	}
	if *tol < 0 {
		return fmt.Errorf("%w: --tolerance kan inte vara negativ", errUsage)
	}
	if *format != "text" && *format != "csv" {
		return fmt.Errorf("%w: okänt format %q (välj text eller csv)", errUsage, *format)
	}
	a, err := agreement.Builtin().Get(*id)
	if err != nil {
		return err
	}
	findings, err := verify.Check(a, money.Kr(*tol))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if *format == "csv" {
		err = verify.WriteCSV(&buf, findings)
	} else {
		err = verify.WriteText(&buf, a, findings, money.Kr(*tol))
	}
	if err != nil {
		return err
	}
	if err := emit(stdout, *out, buf.Bytes()); err != nil {
		return err
	}
	if *strict && len(findings) > 0 {
		return errFindings
	}
	return nil
}
