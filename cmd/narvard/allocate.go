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
	basis := fs.String("basis", basisComputed, "vilka belopp: computed (exakt beräkning enligt nyckeln) eller binding (de bindande, enligt överenskommelsens fil: bilagan där den gäller)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *basis != basisComputed && *basis != basisBinding {
		return fmt.Errorf("%w: --basis %q är okänt (välj %s eller %s)", errUsage, *basis, basisComputed, basisBinding)
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
	if spec, ok := a.Table(tableID); ok && *basis == basisBinding && spec.Binding == agreement.BindingPublished {
		if *explain != "" {
			return fmt.Errorf("%w: --explain förklarar beräkningen och går inte med --basis binding för tabellen %s, vars bindande belopp är bilagans", errUsage, tableID)
		}
		if *dir != "" {
			return fmt.Errorf("%w: --inputs gäller beräkningen och går inte med --basis binding för tabellen %s, vars bindande belopp är bilagans", errUsage, tableID)
		}
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
	if *basis == basisBinding {
		if t, err = alloc.Binding(t); err != nil {
			return err
		}
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

// The values of allocate's --basis.
const (
	basisComputed = "computed" // the exact computation from the keys
	basisBinding  = "binding"  // the amounts that bind, as the agreement file says per table
)

// agreementFlagHelp describes --agreement with the ids of the embedded
// agreements.
func agreementFlagHelp() string {
	var ids []string
	for _, a := range agreement.Builtin().All() {
		ids = append(ids, a.ID)
	}
	return "överenskommelsens id, t.ex. " + strings.Join(ids, " eller ")
}
