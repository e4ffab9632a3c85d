package main

import (
	"bytes"
	"context"
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

// indicatorWriters are the output formats of narvard indicators.
var indicatorWriters = map[string]func(io.Writer, *followup.Result) error{
	"csv": followup.WriteCSV, "json": followup.WriteJSON, "text": followup.WriteText, "xlsx": followup.WriteXLSX,
}

var indicatorFormats = []string{"csv", "json", "text", "xlsx"}

// indicatorFiles are the extracts named on the command line.
type indicatorFiles struct{ listings, visits, clinicians, slutenvard string }

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func runIndicators(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "compare" {
		return runCompare(args[1:], stdout, stderr)
	}
	fs := newFlags("indicators", stderr)
	var files indicatorFiles
	fs.StringVar(&files.listings, "listings", "", "listningar (CSV eller Parquet)")
	fs.StringVar(&files.visits, "visits", "", "besök (CSV eller Parquet)")
	fs.StringVar(&files.clinicians, "clinicians", "", "vårdgivare (CSV eller Parquet), för listade per läkare")
	fs.StringVar(&files.slutenvard, "slutenvard", "", "slutenvårdstillfällen (CSV eller Parquet), för återinskrivningar")
	var q app.IndicatorQuery
	var froms, tos, years repeated
	fs.Var(&froms, "from", "periodens första dag (standard: förra årets första dag); upprepa med --to för flera perioder")
	fs.Var(&tos, "to", "periodens sista dag (standard: förra årets sista dag)")
	fs.Var(&years, "period", "ett kalenderår (ÅÅÅÅ); upprepa för flera perioder, den första är basen")
	fs.StringVar(&q.By, "by", followup.ByRiket, "gruppering: "+strings.Join(app.IndicatorGroupings, ", ")+", eller flera åtskilda med komma")
	fs.StringVar(&q.Yrke, "yrke", "lakare", "COC till läkare (lakare) eller alla yrken (alla)")
	minCell := fs.Int("min-cell", app.DefaultMinCell, "minsta antal personer i en redovisad cell")
	fs.BoolVar(&q.Strict, "strict", false, "vägra en fil med felaktiga rader")
	format := fs.String("format", "csv", "format: "+strings.Join(indicatorFormats, ", "))
	out := fs.String("out", "", "skriv till FIL i stället för standard ut")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	write, ok := indicatorWriters[*format]
	switch {
	case files.listings == "" || files.visits == "":
		return fmt.Errorf("%w: --listings och --visits krävs", errUsage)
	case !ok:
		return fmt.Errorf("%w: okänt format %q (välj %v)", errUsage, *format, indicatorFormats)
	}
	q.MinCell = strconv.Itoa(*minCell)
	q.Years = years
	if len(froms) <= 1 && len(tos) <= 1 {
		q.From, q.To = strings.Join(froms, ""), strings.Join(tos, "")
	} else {
		q.Froms, q.Tos = froms, tos
	}
	o, err := q.Options(clock.System{}.Now())
	if err != nil {
		return usageFields(err, map[string]string{"min_cell": "min-cell"})
	}
	res, err := computeFromFiles(files, o)
	if err != nil {
		return err
	}
	for _, b := range res.Bad {
		fmt.Fprintf(stderr, "%s: %d rader uteslutna:\n%s\n", b.File, b.Count, b.Summary())
	}
	var buf bytes.Buffer
	if err := write(&buf, res); err != nil {
		return err
	}
	return emit(stdout, *out, buf.Bytes())
}

// computeFromFiles opens the extracts and computes the indicators.
func computeFromFiles(files indicatorFiles, o followup.Options) (*followup.Result, error) {
	in := followup.Input{ListingsName: baseName(files.listings), VisitsName: baseName(files.visits), CliniciansName: baseName(files.clinicians),
		SlutenvardName: baseName(files.slutenvard)}
	for _, f := range []struct {
		path string
		r    *io.Reader
	}{{files.listings, &in.Listings}, {files.visits, &in.Visits}, {files.clinicians, &in.Clinicians}, {files.slutenvard, &in.Slutenvard}} {
		if f.path == "" {
			continue
		}
		file, err := os.Open(f.path)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		*f.r = file
	}
	return app.ComputeIndicators(context.Background(), followup.Compute, in, o)
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
	years := fs.Int("years", 1, "antal kalenderår som besöken sprids över, det sista --year")
	format := fs.String("format", gen.FormatCSV, "filformat: csv eller parquet")
	more := fs.Bool("more", false, "även fast_vardkontakt_id och kommun i listningarna, och slutenvard")
	stays := fs.Int("stays", 10000, "antal slutenvårdstillfällen med --more")
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
	if err := gen.Write(*out, gen.Options{Year: *year, Years: *years, Persons: *persons, Visits: *visits, Seed: *seed, Format: *format, More: *more, Stays: *stays}); err != nil {
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
