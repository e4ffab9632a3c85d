package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"narvard/internal/followup"
	"narvard/internal/followup/gen"
)

var (
	sizes   = flag.String("sizes", "10M,100M", "visit counts to compare at, each with a tenth as many listed persons")
	dataDir = flag.String("data", filepath.Join(os.TempDir(), "narvard-bench"), "folder for the generated files, kept between runs")
)

// The computation both engines make: the physicians' continuity of care
// (COC) per county in 2023, the mean over the listed patients with at
// least two visits, from listings.parquet and visits.parquet.
var (
	from = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)
)

// duckSQL is the same computation in DuckDB's SQL: visits per (patient,
// clinician), then per patient N, Σn² and max n, then the mean COC per
// county of the patients' listing.
const duckSQL = `
WITH v AS (
  SELECT patient_id, vardgivare_id, count(*) AS n
  FROM read_parquet('%[1]s/visits.parquet')
  WHERE yrke = 'lakare' AND datum BETWEEN '2023-01-01' AND '2023-12-31'
  GROUP BY patient_id, vardgivare_id),
p AS (
  SELECT patient_id, sum(n) AS nn, sum(n * n) AS s2
  FROM v GROUP BY patient_id HAVING sum(n) >= 2)
SELECT l.lan, count(*) AS patients, avg((p.s2 - p.nn) / (p.nn * (p.nn - 1))) AS coc
FROM p JOIN read_parquet('%[1]s/listings.parquet') l USING (patient_id)
GROUP BY l.lan ORDER BY l.lan`

// countyCOC is one engine's answer.
type countyCOC struct {
	Lan      string
	Patients int
	COC      float64
}

// run is one engine's run in a process of its own.
type run struct {
	Seconds float64
	PeakMB  float64
	Rows    []countyCOC
}

// TestMain lets the test binary act as one engine's process, so that
// each engine's peak memory is measured alone.
func TestMain(m *testing.M) {
	if engine := os.Getenv("NARVARD_BENCH_ENGINE"); engine != "" {
		if err := child(engine, os.Getenv("NARVARD_BENCH_DIR")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func BenchmarkFollowup(b *testing.B) {
	for _, size := range strings.Split(*sizes, ",") {
		visits, err := parseSize(size)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(size, func(b *testing.B) {
			dir := filepath.Join(*dataDir, size)
			prepare(b, dir, visits)
			var nv, dk run
			for b.Loop() {
				nv = spawn(b, "narvard", dir)
				dk = spawn(b, "duckdb", dir)
			}
			compare(b, nv.Rows, dk.Rows)
			b.ReportMetric(nv.Seconds, "narvard-s")
			b.ReportMetric(dk.Seconds, "duckdb-s")
			b.ReportMetric(dk.Seconds/nv.Seconds, "duckdb/narvard")
			b.ReportMetric(nv.PeakMB, "narvard-peak-MB")
			b.ReportMetric(dk.PeakMB, "duckdb-peak-MB")
			fmt.Printf("%s besök: narvard %.2f s (topp %.0f MB), DuckDB %.2f s (topp %.0f MB), DuckDB/narvard %.2f\n",
				size, nv.Seconds, nv.PeakMB, dk.Seconds, dk.PeakMB, dk.Seconds/nv.Seconds)
		})
	}
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
		return 0, fmt.Errorf("-sizes: %q is not a count such as 10M", s)
	}
	return n * mult, nil
}

// prepare generates the files once; a finished set is marked by a file.
func prepare(b *testing.B, dir string, visits int) {
	done := filepath.Join(dir, "klar")
	if _, err := os.Stat(done); err == nil {
		return
	}
	t0 := time.Now()
	if err := gen.Write(dir, gen.Options{Year: 2023, Persons: visits / 10, Visits: visits, Seed: 2023, Format: "parquet"}); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("genererade %d besök i %s på %.0f s\n", visits, dir, time.Since(t0).Seconds())
}

// spawn runs one engine in a child process and reads its answer, time
// and peak resident memory.
func spawn(b *testing.B, engine, dir string) run {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NARVARD_BENCH_ENGINE="+engine, "NARVARD_BENCH_DIR="+dir)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v\n%s", engine, err, errOut.String())
	}
	var r run
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		b.Fatalf("%s: %v: %s", engine, err, out.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	return r
}

// child is the engine's process: it computes, and prints the answer and
// the time as JSON.
func child(engine, dir string) error {
	t0 := time.Now()
	var rows []countyCOC
	var err error
	switch engine {
	case "narvard":
		rows, err = narvard(dir)
	case "duckdb":
		rows, err = duckdb(dir)
	default:
		err = fmt.Errorf("unknown engine %q", engine)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(run{Seconds: time.Since(t0).Seconds(), Rows: rows})
}

func narvard(dir string) ([]countyCOC, error) {
	l, err := os.Open(filepath.Join(dir, "listings.parquet"))
	if err != nil {
		return nil, err
	}
	defer l.Close()
	v, err := os.Open(filepath.Join(dir, "visits.parquet"))
	if err != nil {
		return nil, err
	}
	defer v.Close()
	res, err := followup.Compute(context.Background(), followup.Input{ListingsName: "listings.parquet", VisitsName: "visits.parquet", Listings: l, Visits: v},
		followup.Options{From: from, To: to, By: followup.ByLan})
	if err != nil {
		return nil, err
	}
	var rows []countyCOC
	for _, r := range res.Rows {
		if r.Group != followup.ByRiket {
			rows = append(rows, countyCOC{Lan: r.Group, Patients: r.PatienterCOC, COC: r.COC})
		}
	}
	return rows, nil
}

func duckdb(dir string) ([]countyCOC, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	q, err := db.Query(fmt.Sprintf(duckSQL, dir))
	if err != nil {
		return nil, err
	}
	defer q.Close()
	var rows []countyCOC
	for q.Next() {
		var r countyCOC
		if err := q.Scan(&r.Lan, &r.Patients, &r.COC); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, q.Err()
}

// compare checks that both engines computed the same thing.
func compare(b *testing.B, nv, dk []countyCOC) {
	if len(nv) != len(dk) || len(nv) == 0 {
		b.Fatalf("narvard has %d counties, DuckDB %d", len(nv), len(dk))
	}
	for i := range nv {
		if nv[i].Lan != dk[i].Lan || nv[i].Patients != dk[i].Patients || math.Abs(nv[i].COC-dk[i].COC) > 1e-9 {
			b.Errorf("county %d: narvard %+v, DuckDB %+v", i, nv[i], dk[i])
		}
	}
}
