package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

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
	from := fs.String("from", "2023-01-01", "periodens första dag")
	to := fs.String("to", "2023-12-31", "periodens sista dag")
	by := fs.String("by", followup.ByRiket, "gruppering: riket, lan, enhet, kon eller aldersgrupp")
	yrke := fs.String("yrke", "lakare", "COC till läkare (lakare) eller alla yrken (alla)")
	minCell := fs.Int("min-cell", 5, "minsta antal personer i en redovisad cell")
	format := fs.String("format", "csv", "format: csv, json, text eller xlsx")
	out := fs.String("out", "", "skriv till FIL i stället för standard ut")
	strict := fs.Bool("strict", false, "vägra en fil med felaktiga rader")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	o := followup.Options{By: *by, AllYrken: *yrke == "alla", MinCell: *minCell, Strict: *strict}
	var err error
	switch {
	case *listings == "" || *visits == "":
		return fmt.Errorf("%w: --listings och --visits krävs", errUsage)
	case !slices.Contains([]string{followup.ByRiket, followup.ByLan, followup.ByEnhet, followup.ByKon, followup.ByAldersgrupp}, *by):
		return fmt.Errorf("%w: okänd gruppering %q", errUsage, *by)
	case *yrke != "lakare" && *yrke != "alla":
		return fmt.Errorf("%w: --yrke är lakare eller alla", errUsage)
	case !slices.Contains(indicatorFormats, *format):
		return fmt.Errorf("%w: okänt format %q (välj %v)", errUsage, *format, indicatorFormats)
	}
	if o.From, err = time.Parse(time.DateOnly, *from); err != nil {
		return fmt.Errorf("%w: --from %q är inte ett datum", errUsage, *from)
	}
	if o.To, err = time.Parse(time.DateOnly, *to); err != nil || o.To.Before(o.From) {
		return fmt.Errorf("%w: --to %q är inte ett datum efter --from", errUsage, *to)
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
	res, err := followup.Compute(in, o)
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
	if err := gen.Write(*out, gen.Options{Persons: *persons, Visits: *visits, Seed: *seed, Format: *format}); err != nil {
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
