package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/alloctable"
	"narvard/internal/inputs"
)

func runAllocate(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("allocate", stderr)
	id := fs.String("agreement", "", agreementFlagHelp())
	table := fs.String("table", "", "tabell: regioner, kommuner, landsbygd eller vfu")
	dir := fs.String("inputs", "", "mapp med lan.csv, landsbygd.csv och/eller vfu.csv (annars överenskommelsens egna siffror)")
	format := fs.String("format", "csv", "format: csv, json, text eller xlsx")
	out := fs.String("out", "", "skriv till FIL i stället för standard ut")
	explain := fs.String("explain", "", "förklara hur mottagaren KOD fick sitt belopp")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id == "" || *table == "" {
		return fmt.Errorf("%w: --agreement och --table krävs", errUsage)
	}
	tableID := agreement.TableID(*table)
	if !slices.Contains(agreement.TableIDs, tableID) {
		return fmt.Errorf("%w: okänd tabell %q (välj %v)", errUsage, *table, agreement.TableIDs)
	}
	if !alloctable.ValidFormat(*format) {
		return fmt.Errorf("%w: okänt format %q (välj %v)", errUsage, *format, alloctable.Formats)
	}
	a, err := agreement.Builtin().Get(*id)
	if err != nil {
		return err
	}
	in := alloc.FromAgreement(a)
	if *dir != "" {
		if in, err = inputs.ReadDir(*dir, a, tableID); err != nil {
			return err
		}
	}
	t, err := alloc.Build(a, in, tableID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if *explain != "" {
		err = alloctable.WriteExplain(&buf, t, *explain)
	} else {
		err = alloctable.Write(&buf, t, *format)
	}
	if err != nil {
		return err
	}
	return emit(stdout, *out, buf.Bytes())
}

// agreementFlagHelp describes --agreement with the ids of the embedded
// agreements.
func agreementFlagHelp() string {
	var ids []string
	for _, a := range agreement.Builtin().All() {
		ids = append(ids, a.ID)
	}
	return "överenskommelsens id, t.ex. " + strings.Join(ids, " eller ")
}
