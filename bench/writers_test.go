package bench

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"narvard/internal/followup/gen"
)

// The formats the benchmark reads, each as a user may have the files:
// Parquet as parquet-go writes it (snappy, dictionary pages for the
// repeated columns, PLAIN for the ids, row groups of a million rows) and
// as DuckDB writes it (zstd, row groups of 122 880 rows); CSV as gen
// writes it (comma, LF) and as Excel saves it ("CSV UTF-8": semicolons,
// CRLF, a byte order mark).
const (
	formatParquet = "parquet"
	formatDuckDB  = "duckdb"
	formatCSV     = "csv"
	formatExcel   = "excel"
)

// tables are the files of a run.
var tables = []string{"listings", "clinicians", "visits"}

// ext is the files' extension in a format.
func ext(format string) string {
	if format == formatDuckDB || format == formatParquet {
		return "parquet"
	}
	return "csv"
}

// prepareFormat makes the files of size (visits) in format once, and
// returns their folder.
func prepareFormat(b *testing.B, size string, visits int, format string) string {
	dir := filepath.Join(*dataDir, size+"-"+format)
	switch format {
	case formatParquet, formatCSV:
		prepare(b, dir, gen.Options{Year: lastYear, Persons: visits / 10, Visits: visits, Seed: 2023, Format: format, More: true})
	case formatDuckDB:
		from := prepareFormat(b, size, visits, formatParquet)
		convert(b, dir, func() error { return inChild("duckdb-write", from, dir) })
	case formatExcel:
		from := prepareFormat(b, size, visits, formatCSV)
		convert(b, dir, func() error { return excelCSV(from, dir) })
	default:
		b.Fatalf("-formats: %q is none of parquet, duckdb, csv, excel", format)
	}
	return dir
}

// convert makes dir's files with write once; a finished set is marked.
func convert(b *testing.B, dir string, write func() error) {
	done := filepath.Join(dir, "klar")
	if _, err := os.Stat(done); err == nil {
		return
	}
	t0 := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := write(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("skrev %s på %.0f s\n", dir, time.Since(t0).Seconds())
}

// inChild runs a conversion in a process of its own, so that what it
// takes (DuckDB's memory) is not counted in the peak memory of the runs,
// which a child started from this process inherits.
func inChild(engine, from, to string) error {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NARVARD_BENCH_ENGINE="+engine, "NARVARD_BENCH_DIR="+to, "NARVARD_BENCH_FROM="+from)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", engine, err, out)
	}
	return nil
}

// duckdbParquet has DuckDB write the Parquet files again, with zstd.
func duckdbParquet(from, to string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	for _, t := range tables {
		q := fmt.Sprintf("COPY (FROM read_parquet('%s/%s.parquet')) TO '%s/%s.parquet' (FORMAT parquet, COMPRESSION zstd)", from, t, to, t)
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	return nil
}

// excelCSV writes the CSV files again as Excel saves them. The generated
// files have no quotes, so every comma is a separator.
func excelCSV(from, to string) error {
	for _, t := range tables {
		if err := excelFile(filepath.Join(from, t+".csv"), filepath.Join(to, t+".csv")); err != nil {
			return err
		}
	}
	return nil
}

func excelFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	w.WriteString("\xef\xbb\xbf")
	r := bufio.NewScanner(in)
	r.Buffer(make([]byte, 1<<20), 1<<20)
	for r.Scan() {
		w.Write(bytes.ReplaceAll(r.Bytes(), []byte{','}, []byte{';'}))
		w.WriteString("\r\n")
	}
	if err := r.Err(); err != nil {
		out.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
