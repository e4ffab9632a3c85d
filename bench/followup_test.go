package bench

import (
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"narvard/internal/followup/gen"
)

var (
	sizes   = flag.String("sizes", "10M,100M", "visit counts to compare at, each with a tenth as many listed persons")
	formats = flag.String("formats", "parquet,duckdb,csv,excel", "file formats to compare on: parquet, duckdb (Parquet as DuckDB writes it), csv, excel (CSV as Excel saves it)")
	years   = flag.Int("years", 5, "BenchmarkFollowupYears: the years of visits, each of -yearsize")
	perYear = flag.String("yearsize", "100M", "BenchmarkFollowupYears: visits per year")
	dataDir = flag.String("data", filepath.Join(os.TempDir(), "narvard-bench"), "folder for the generated files, kept between runs")
)

// The last year of the visits: the one period of BenchmarkFollowup.
const lastYear = 2023

// run is one engine's run in a process of its own.
type run struct {
	Seconds    float64 // wall clock
	CPUSeconds float64 // user and system time
	PeakMB     float64
	Rows       []county
}

// BenchmarkFollowup runs the full default run (every column of the
// listings and visits, one period, by county) with narvard and the same
// columns with DuckDB's SQL, on the same files, each in a process of its
// own and alternately, -benchtime Nx times; it prints every run and the
// spread, and checks that both engines agree.
func BenchmarkFollowup(b *testing.B) {
	printVersions(b)
	for _, size := range strings.Split(*sizes, ",") {
		visits, err := parseSize(size)
		if err != nil {
			b.Fatal(err)
		}
		for _, format := range strings.Split(*formats, ",") {
			b.Run(size+"/"+format, func(b *testing.B) {
				dir := prepareFormat(b, size, visits, format)
				warm(b, dir)
				var nv, dk []run
				for b.Loop() {
					// Each engine goes first every other run, so that
					// neither always finds the other's leftovers
					// (page cache, freed memory) before it.
					if len(nv)%2 == 0 {
						nv = append(nv, spawn(b, "narvard", dir, format, 1))
						dk = append(dk, spawn(b, "duckdb", dir, format, 1))
					} else {
						dk = append(dk, spawn(b, "duckdb", dir, format, 1))
						nv = append(nv, spawn(b, "narvard", dir, format, 1))
					}
				}
				compare(b, nv[0].Rows, dk[0].Rows)
				report(b, size+" besök, "+format, nv, dk)
			})
		}
	}
}

// warm reads every file of dir once, so that the first run of either
// engine does not pay for reading the files from disk: the runs measure
// the engines, on files in the page cache, as a second run finds them.
func warm(b *testing.B, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFollowupYears runs narvard by county and year over -years
// years of -yearsize visits each (500 M by default) from one Parquet
// file, and prints its time, CPU time, peak memory and time per visit.
func BenchmarkFollowupYears(b *testing.B) {
	each, err := parseSize(*perYear)
	if err != nil {
		b.Fatal(err)
	}
	visits := each * *years
	name := fmt.Sprintf("%dx%s", *years, *perYear)
	dir := filepath.Join(*dataDir, name+"-parquet")
	prepare(b, dir, gen.Options{Year: lastYear, Years: *years, Persons: each / 10, Visits: visits, Seed: 2023, Format: gen.FormatParquet, More: true})
	warm(b, dir)
	var nv []run
	for b.Loop() {
		nv = append(nv, spawn(b, "narvard", dir, gen.FormatParquet, *years))
	}
	secs := spread(nv, func(r run) float64 { return r.Seconds })
	fmt.Printf("%s besök (%d år), Parquet: narvard %s s, cpu %s s, topp %s MB, %.1f ns per besök\n", name, *years,
		secs, spread(nv, func(r run) float64 { return r.CPUSeconds }), spread(nv, func(r run) float64 { return r.PeakMB }),
		nv[0].Seconds*1e9/float64(visits))
	b.ReportMetric(nv[0].Seconds, "narvard-s")
	b.ReportMetric(nv[0].PeakMB, "narvard-peak-MB")
	b.ReportMetric(nv[0].Seconds*1e9/float64(visits), "ns/visit")
}

// printVersions prints the DuckDB and Go versions and the machine's cores.
func printVersions(b *testing.B) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SELECT version()").Scan(&v); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("DuckDB %s, %s, %d kärnor\n", v, runtime.Version(), runtime.NumCPU())
}

// report prints each pair of runs, the spread, and reports the first.
func report(b *testing.B, what string, nv, dk []run) {
	for i := range nv {
		fmt.Printf("%s, körning %d: narvard %.2f s (cpu %.2f s, topp %.0f MB), DuckDB %.2f s (cpu %.2f s, topp %.0f MB): DuckDB/narvard %.2f i tid, %.2f i cpu, %.2f i minne\n",
			what, i+1, nv[i].Seconds, nv[i].CPUSeconds, nv[i].PeakMB, dk[i].Seconds, dk[i].CPUSeconds, dk[i].PeakMB,
			dk[i].Seconds/nv[i].Seconds, dk[i].CPUSeconds/nv[i].CPUSeconds, dk[i].PeakMB/nv[i].PeakMB)
	}
	ratio := make([]run, len(nv))
	for i := range nv {
		ratio[i] = run{Seconds: dk[i].Seconds / nv[i].Seconds, CPUSeconds: dk[i].CPUSeconds / nv[i].CPUSeconds, PeakMB: dk[i].PeakMB / nv[i].PeakMB}
	}
	fmt.Printf("%s, %d körningar: DuckDB/narvard %s i tid, %s i cpu, %s i minne\n", what, len(nv),
		spread(ratio, func(r run) float64 { return r.Seconds }), spread(ratio, func(r run) float64 { return r.CPUSeconds }),
		spread(ratio, func(r run) float64 { return r.PeakMB }))
	b.ReportMetric(nv[0].Seconds, "narvard-s")
	b.ReportMetric(dk[0].Seconds, "duckdb-s")
	b.ReportMetric(dk[0].Seconds/nv[0].Seconds, "duckdb/narvard")
	b.ReportMetric(nv[0].PeakMB, "narvard-peak-MB")
	b.ReportMetric(dk[0].PeakMB, "duckdb-peak-MB")
}

// spread is the smallest and largest of a figure over runs, as "a–b".
func spread(runs []run, of func(run) float64) string {
	var v []float64
	for _, r := range runs {
		v = append(v, of(r))
	}
	lo, hi := slices.Min(v), slices.Max(v)
	if hi-lo < 0.005 {
		return strconv.FormatFloat(lo, 'f', 2, 64)
	}
	return strconv.FormatFloat(lo, 'f', 2, 64) + "–" + strconv.FormatFloat(hi, 'f', 2, 64)
}

func parseSize(s string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "M"):
		s, mult = strings.TrimSuffix(s, "M"), 1_000_000
	case strings.HasSuffix(s, "k"):
		s, mult = strings.TrimSuffix(s, "k"), 1_000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a count such as 10M", s)
	}
	return n * mult, nil
}

// prepare generates the files once; a finished set is marked by a file.
func prepare(b *testing.B, dir string, o gen.Options) {
	done := filepath.Join(dir, "klar")
	if _, err := os.Stat(done); err == nil {
		return
	}
	t0 := time.Now()
	if err := gen.Write(dir, o); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("genererade %d besök i %s på %.0f s\n", o.Visits, dir, time.Since(t0).Seconds())
}

// compare checks that both engines computed the same thing.
func compare(b *testing.B, nv, dk []county) {
	if len(nv) != len(dk) || len(nv) == 0 {
		b.Fatalf("narvard has %d counties, DuckDB %d", len(nv), len(dk))
	}
	for i := range nv {
		if !nv[i].equal(dk[i]) {
			b.Errorf("county %d:\nnarvard %+v\nDuckDB  %+v", i, nv[i], dk[i])
		}
	}
}
