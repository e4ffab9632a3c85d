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

// allocateRequest is what narvard allocate was asked for.
type allocateRequest struct {
	agreement, table, inputs, format, out, explain, basis string
}

func runAllocate(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("allocate", stderr)
	var q allocateRequest
	fs.StringVar(&q.agreement, "agreement", "", agreementFlagHelp())
	fs.StringVar(&q.table, "table", "", "tabell: regioner, kommuner, landsbygd eller vfu")
	fs.StringVar(&q.inputs, "inputs", "", "mapp med lan.csv, landsbygd.csv och/eller vfu.csv (annars överenskommelsens egna siffror)")
	fs.StringVar(&q.format, "format", "csv", "format: csv, json, text eller xlsx")
	fs.StringVar(&q.out, "out", "", "skriv till FIL i stället för standard ut")
	fs.StringVar(&q.explain, "explain", "", "förklara hur mottagaren KOD fick sitt belopp")
	fs.StringVar(&q.basis, "basis", basisComputed, "vilka belopp: computed (exakt beräkning enligt nyckeln) eller binding (de bindande, enligt överenskommelsens fil: bilagan där den gäller)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := q.check(); err != nil {
		return err
	}
	a, err := agreement.Builtin().Get(q.agreement)
	if err != nil {
		return err
	}
	t, err := q.build(a)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if q.explain != "" {
		err = alloctable.WriteExplain(&buf, t, q.explain)
	} else {
		err = alloctable.Write(&buf, t, q.format)
	}
	if err != nil {
		return err
	}
	return emit(stdout, q.out, buf.Bytes())
}

// check refuses flags that do not go together or name nothing known.
func (q allocateRequest) check() error {
	switch {
	case q.basis != basisComputed && q.basis != basisBinding:
		return fmt.Errorf("%w: --basis %q är okänt (välj %s eller %s)", errUsage, q.basis, basisComputed, basisBinding)
	case q.agreement == "" || q.table == "":
		return fmt.Errorf("%w: --agreement och --table krävs", errUsage)
	case !slices.Contains(agreement.TableIDs, agreement.TableID(q.table)):
		return fmt.Errorf("%w: okänd tabell %q (välj %v)", errUsage, q.table, agreement.TableIDs)
	case !alloctable.ValidFormat(q.format):
		return fmt.Errorf("%w: okänt format %q (välj %v)", errUsage, q.format, alloctable.Formats)
	}
	return nil
}

// build computes the table asked for: from the agreement's figures or the
// --inputs folder, then its binding amounts if --basis binding.
func (q allocateRequest) build(a *agreement.Agreement) (*alloc.Table, error) {
	id := agreement.TableID(q.table)
	if spec, ok := a.Table(id); ok && q.basis == basisBinding && spec.Binding == agreement.BindingPublished {
		if q.explain != "" {
			return nil, fmt.Errorf("%w: --explain förklarar beräkningen och går inte med --basis binding för tabellen %s, vars bindande belopp är bilagans", errUsage, id)
		}
		if q.inputs != "" {
			return nil, fmt.Errorf("%w: --inputs gäller beräkningen och går inte med --basis binding för tabellen %s, vars bindande belopp är bilagans", errUsage, id)
		}
	}
	in := alloc.FromAgreement(a)
	if q.inputs != "" {
		var err error
		if in, err = inputs.ReadDir(q.inputs, a, id); err != nil {
			return nil, err
		}
	}
	t, err := alloc.Build(a, in, id)
	if err != nil || q.basis != basisBinding {
		return t, err
	}
	return alloc.Binding(t)
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
