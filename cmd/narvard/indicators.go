package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"narvard/internal/app"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/followup"
	"narvard/internal/followup/gen"
)

var indicatorFormats = []string{"csv", "json", "text", "xlsx"}

func runIndicators(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "compare" {
		return runCompare(args[1:], stdout, stderr)
	}
	fs := newFlags("indicators", stderr)
	listings := fs.String("listings", "", "listningar (CSV eller Parquet)")
	visits := fs.String("visits", "", "besök (CSV eller Parquet)")
	clinicians := fs.String("clinicians", "", "vårdgivare (CSV eller Parquet), för listade per läkare")
	from := fs.String("from", "", "periodens första dag (standard: förra årets första dag)")
	to := fs.String("to", "", "periodens sista dag (standard: förra årets sista dag)")
	by := fs.String("by", followup.ByRiket, "gruppering: "+strings.Join(app.IndicatorGroupings, ", "))
	yrke := fs.String("yrke", "lakare", "COC till läkare (lakare) eller alla yrken (alla)")
	minCell := fs.Int("min-cell", app.DefaultMinCell, "minsta antal personer i en redovisad cell")
	format := fs.String("format", "csv", "format: csv, json, text eller xlsx")
	out := fs.String("out", "", "skriv till FIL i stället för standard ut")
	strict := fs.Bool("strict", false, "vägra en fil med felaktiga rader")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *listings == "" || *visits == "":
		return fmt.Errorf("%w: --listings och --visits krävs", errUsage)
	case !slices.Contains(indicatorFormats, *format):
		return fmt.Errorf("%w: okänt format %q (välj %v)", errUsage, *format, indicatorFormats)
	}
	q := app.IndicatorQuery{From: *from, To: *to, By: *by, Yrke: *yrke, MinCell: strconv.Itoa(*minCell), Strict: *strict}
	o, err := q.Options(clock.System{}.Now())
	if err != nil {
		return usageFields(err, map[string]string{"min_cell": "min-cell"})
	}
	in := followup.Input{ListingsName: baseName(*listings), VisitsName: baseName(*visits), CliniciansName: baseName(*clinicians)}
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for _, f := range []struct {
		path string
		r    *io.Reader
	}{{*listings, &in.Listings}, {*visits, &in.Visits}, {*clinicians, &in.Clinicians}} {
		if f.path == "" {
			continue
		}
		file, err := os.Open(f.path)
		if err != nil {
			return err
		}
		closers = append(closers, file)
		*f.r = file
	}
	res, err := app.ComputeIndicators(followup.Compute, in, o)
	if err != nil {
		return err
	}
	for _, b := range res.Bad {
		fmt.Fprintf(stderr, "%s: %d rader uteslutna:\n%s\n", b.File, b.Count, b.Summary())
	}
	var buf bytes.Buffer
	switch *format {
	case "json":
		err = followup.WriteJSON(&buf, res)
	case "text":
		err = followup.WriteText(&buf, res)
	case "xlsx":
		err = followup.WriteXLSX(&buf, res)
	default:
		err = followup.WriteCSV(&buf, res)
	}
	if err != nil {
		return err
	}
	return emit(stdout, *out, buf.Bytes())
}

// usageFields turns an invalid request into a usage error that names each
// flag (the field's name, or flags' spelling of it) with its message.
func usageFields(err error, flagOf map[string]string) error {
	var f *fault.Error
	if !errors.As(err, &f) || len(f.Fields) == 0 {
		return err
	}
	var msgs []string
	for _, field := range slices.Sorted(maps.Keys(f.Fields)) {
		name := field
		if n, ok := flagOf[field]; ok {
			name = n
		}
		msgs = append(msgs, "--"+name+": "+f.Fields[field])
	}
	return fmt.Errorf("%w: %s", errUsage, strings.Join(msgs, " "))
}

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

func runGenFollowup(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("gen-followup", stderr)
	persons := fs.Int("persons", 10000, "antal listade personer")
	visits := fs.Int("visits", 100000, "antal besök")
	seed := fs.Uint64("seed", 1, "slumpfrö")
	lastYear, _ := app.LastWholeYear(clock.System{}.Now())
	year := fs.Int("year", lastYear.Year(), "besökens år (standard: förra året)")
	format := fs.String("format", gen.FormatCSV, "filformat: csv eller parquet")
	out := fs.String("out", "", "katalog att skriva listings, visits och clinicians i (.csv eller .parquet)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: --out krävs", errUsage)
	}
	name := map[string]string{gen.FormatCSV: "CSV", gen.FormatParquet: "Parquet"}[*format]
	if name == "" {
		return fmt.Errorf("%w: --format ska vara csv eller parquet, inte %q", errUsage, *format)
	}
	if err := gen.Write(*out, gen.Options{Year: *year, Persons: *persons, Visits: *visits, Seed: *seed, Format: *format}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Skrev %d personer och %d besök som %s i %s.\n", *persons, *visits, name, *out)
	return nil
}

func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("indicators compare", stderr)
	base := fs.String("base", "", "indikatorer för basåret (CSV från narvard indicators)")
	current := fs.String("current", "", "indikatorer för jämförelseåret")
	out := fs.String("out", "", "skriv till FIL i stället för standard ut")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *base == "" || *current == "" {
		return fmt.Errorf("%w: --base och --current krävs", errUsage)
	}
	b, err := os.Open(*base)
	if err != nil {
		return err
	}
	defer b.Close()
	c, err := os.Open(*current)
	if err != nil {
		return err
	}
	defer c.Close()
	var buf bytes.Buffer
	if err := followup.Compare(&buf, baseName(*base), b, baseName(*current), c); err != nil {
		return err
	}
	return emit(stdout, *out, buf.Bytes())
}
