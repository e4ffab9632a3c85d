package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"narvard/internal/followup"
)

// TestMain lets the test binary act as one engine's process, so that
// each engine's peak memory is measured alone.
func TestMain(m *testing.M) {
	if os.Getenv("NARVARD_BENCH_ENGINE") == "duckdb-write" {
		if err := duckdbParquet(os.Getenv("NARVARD_BENCH_FROM"), os.Getenv("NARVARD_BENCH_DIR")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if engine := os.Getenv("NARVARD_BENCH_ENGINE"); engine != "" {
		if err := child(engine, os.Getenv("NARVARD_BENCH_DIR"), os.Getenv("NARVARD_BENCH_FORMAT"), os.Getenv("NARVARD_BENCH_YEARS")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// spawn runs one engine in a child process and reads its answer, time,
// CPU time and peak resident memory.
func spawn(b *testing.B, engine, dir, format string, years int) run {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NARVARD_BENCH_ENGINE="+engine, "NARVARD_BENCH_DIR="+dir, "NARVARD_BENCH_FORMAT="+format,
		"NARVARD_BENCH_YEARS="+strconv.Itoa(years))
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
	r.CPUSeconds = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return r
}

// child is the engine's process: it computes, and prints the answer and
// the time as JSON.
func child(engine, dir, format, years string) error {
	n, err := strconv.Atoi(years)
	if err != nil {
		return err
	}
	if path := os.Getenv("NARVARD_BENCH_CPUPROFILE"); path != "" && engine == "narvard" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if path := os.Getenv("NARVARD_BENCH_MEMPROFILE"); path != "" && engine == "narvard" {
		runtime.MemProfileRate = 64 << 10
		defer writeHeapProfile(path)
	}
	t0 := time.Now()
	var rows []county
	switch engine {
	case "narvard":
		rows, err = narvard(dir, format, n)
	case "duckdb":
		rows, err = duckdb(dir, format)
	default:
		err = fmt.Errorf("unknown engine %q", engine)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(run{Seconds: time.Since(t0).Seconds(), Rows: rows})
}

// writeHeapProfile writes what was allocated, for `go tool pprof
// -sample_index=alloc_space`.
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer f.Close()
	runtime.GC() // the profile is as of the last collection
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

// periods are the calendar years ending with lastYear.
func periods(n int) []followup.Period {
	var out []followup.Period
	for y := lastYear - n + 1; y <= lastYear; y++ {
		out = append(out, followup.Period{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)})
	}
	return out
}

func narvard(dir, format string, years int) ([]county, error) {
	in := followup.Input{ListingsName: "listings." + ext(format), VisitsName: "visits." + ext(format), CliniciansName: "clinicians." + ext(format)}
	for _, f := range []struct {
		name string
		r    *io.Reader
	}{{in.ListingsName, &in.Listings}, {in.VisitsName, &in.Visits}, {in.CliniciansName, &in.Clinicians}} {
		file, err := os.Open(filepath.Join(dir, f.name))
		if err != nil {
			return nil, err
		}
		defer file.Close()
		*f.r = file
	}
	o := followup.Options{Periods: periods(years), By: followup.ByLan}
	if os.Getenv("NARVARD_BENCH_STAGES") != "" {
		o.Progress = stageTimes()
	}
	res, err := followup.Compute(context.Background(), in, o)
	if err != nil {
		return nil, err
	}
	if len(res.Bad) > 0 {
		return nil, fmt.Errorf("bad rows: %s", res.Bad[0].Summary())
	}
	var rows []county
	for _, r := range res.Rows {
		if r.Group != followup.ByRiket {
			rows = append(rows, countyOf(r))
		}
	}
	return rows, nil
}

// stageTimes prints, to standard error, when each stage of a run begins.
func stageTimes() func(followup.Progress) {
	var mu sync.Mutex
	t0, last := time.Now(), followup.Stage("")
	return func(p followup.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Stage != last {
			last = p.Stage
			fmt.Fprintf(os.Stderr, "%6.2f s: steg %v\n", time.Since(t0).Seconds(), p.Stage)
		}
	}
}

func duckdb(dir, format string) ([]county, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	q, err := db.Query(duckSQL(dir, format))
	if err != nil {
		return nil, err
	}
	defer q.Close()
	var rows []county
	for q.Next() {
		var r county
		if err := q.Scan(r.fields()...); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, q.Err()
}
