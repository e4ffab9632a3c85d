package gen_test

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"narvard/internal/followup/gen"
)

var headers = map[string][]string{
	"listings":   {"patient_id", "lan", "enhet_id", "fast_lakare_id", "sabo", "kon", "fodelsear"},
	"visits":     {"patient_id", "datum", "enhet_id", "vardgivare_id", "yrke", "kontakttyp"},
	"clinicians": {"vardgivare_id", "yrke", "st"},
}

// The CSV files for 2 000 persons, 20 000 visits and seed 3 as the
// generator wrote them before Parquet was added: a seed must keep giving
// the same data.
func TestCSVUnchanged(t *testing.T) {
	dir := t.TempDir()
	if err := gen.Write(dir, gen.Options{Year: 2023, Persons: 2000, Visits: 20000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"listings.csv":   "a67b3f9647fd2aad9ecdbcb6b3500266e7b611e4dcc6bbfbc177a3e67e4075b0",
		"visits.csv":     "4395fc5f4ae42284feff44d978c1ac2cc09738d696426df066e8473247a158cd",
		"clinicians.csv": "70d172b2b32e7ae8831020f2601c4e7af5483e64bfa13bebba87c044d7a186e4",
	}
	for name, sum := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s changed for the same seed; starts %q", name, b[:min(len(b), 200)])
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in the directory, want 3", len(entries))
	}
}

func TestParquetSameRowsAsCSV(t *testing.T) {
	defer gen.SetRowGroupRows(3000)()
	const persons, visits = 2000, 20000
	csvDir, pqDir := t.TempDir(), t.TempDir()
	if err := gen.Write(csvDir, gen.Options{Year: 2023, Persons: persons, Visits: visits, Seed: 11, Format: "csv"}); err != nil {
		t.Fatal(err)
	}
	if err := gen.Write(pqDir, gen.Options{Year: 2023, Persons: persons, Visits: visits, Seed: 11, Format: "parquet"}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(pqDir)
	if len(entries) != 3 {
		t.Errorf("%d files in the Parquet directory, want 3", len(entries))
	}
	wantRows := map[string]int{"listings": persons, "visits": visits, "clinicians": 7}
	for table, header := range headers {
		t.Run(table, func(t *testing.T) {
			want := readCSV(t, filepath.Join(csvDir, table+".csv"))
			if !slices.Equal(want[0], header) {
				t.Fatalf("CSV header %v, want %v", want[0], header)
			}
			want = want[1:]
			f := openParquet(t, filepath.Join(pqDir, table+".parquet"))
			checkSchema(t, f, header)
			got := readParquet(t, f, len(header))
			if len(got) != wantRows[table] || len(want) != wantRows[table] {
				t.Fatalf("%d Parquet rows and %d CSV rows, want %d", len(got), len(want), wantRows[table])
			}
			for i := range want {
				if !slices.Equal(got[i], want[i]) {
					t.Fatalf("row %d: Parquet %q, CSV %q", i+1, got[i], want[i])
				}
			}
			if table == "listings" && !slices.ContainsFunc(got, func(r []string) bool { return r[3] == "" }) {
				t.Error("no listing without a named GP (empty fast_lakare_id)")
			}
			if n := len(f.RowGroups()); n != (len(want)+2999)/3000 {
				t.Errorf("%d row groups, want %d of at most 3000 rows", n, (len(want)+2999)/3000)
			}
		})
	}
}

// checkSchema checks that the columns are the header's, in order, each a
// required UTF-8 string, Snappy-compressed, in version 2 data pages that
// are dictionary-encoded except for patient_id.
func checkSchema(t *testing.T, f *parquet.File, header []string) {
	t.Helper()
	fields := f.Schema().Fields()
	var names []string
	for _, field := range fields {
		names = append(names, field.Name())
		lt := field.Type().LogicalType()
		if !field.Leaf() || !field.Required() || field.Type().Kind() != parquet.ByteArray || lt == nil {
			t.Errorf("column %s: %v, want a required string", field.Name(), field.Type())
		} else if _, ok := lt.Value.(*format.StringType); !ok {
			t.Errorf("column %s: %v, want a required string", field.Name(), field.Type())
		}
	}
	if !slices.Equal(names, header) {
		t.Fatalf("columns %v, want %v", names, header)
	}
	for _, rg := range f.Metadata().RowGroups {
		if rg.NumRows > 3000 {
			t.Errorf("row group of %d rows", rg.NumRows)
		}
		for i, c := range rg.Columns {
			md := c.MetaData
			if md.Codec != format.Snappy {
				t.Errorf("%s: codec %v, want SNAPPY", header[i], md.Codec)
			}
			wantEnc := format.RLEDictionary
			if header[i] == "patient_id" {
				wantEnc = format.Plain
			}
			dataPages := 0
			for _, s := range md.EncodingStats {
				switch s.PageType {
				case format.DictionaryPage:
					if wantEnc == format.Plain {
						t.Errorf("%s: a dictionary page, want plain encoding", header[i])
					}
				case format.DataPageV2:
					dataPages += int(s.Count)
					if s.Encoding != wantEnc {
						t.Errorf("%s: data pages in %v, want %v", header[i], s.Encoding, wantEnc)
					}
				default:
					t.Errorf("%s: %d pages of type %v, want version 2 data pages", header[i], s.Count, s.PageType)
				}
			}
			if dataPages == 0 && rg.NumRows > 0 {
				t.Errorf("%s: no version 2 data pages", header[i])
			}
		}
	}
}

func TestParquetNoVisits(t *testing.T) {
	dir := t.TempDir()
	if err := gen.Write(dir, gen.Options{Year: 2023, Persons: 1, Visits: 0, Seed: 1, Format: "parquet"}); err != nil {
		t.Fatal(err)
	}
	f := openParquet(t, filepath.Join(dir, "visits.parquet"))
	checkSchema(t, f, headers["visits"])
	if n := f.NumRows(); n != 0 {
		t.Errorf("%d visits, want 0", n)
	}
	if rows := readParquet(t, openParquet(t, filepath.Join(dir, "listings.parquet")), 7); len(rows) != 1 || rows[0][0] != "P0" {
		t.Errorf("listings %q, want one row for P0", rows)
	}
}

func TestBadOptionsWriteNothing(t *testing.T) {
	for _, o := range []gen.Options{
		{Year: 2023, Persons: 0, Visits: 10},
		{Year: 2023, Persons: -5, Visits: 10, Format: "parquet"},
		{Year: 2023, Persons: 10, Visits: -1},
		{Year: 2023, Persons: 10, Visits: 10, Format: "xml"},
		{Year: 2023, Persons: 10, Visits: 10, Format: "Parquet"},
		{Persons: 10, Visits: 10},
		{Year: -1, Persons: 10, Visits: 10},
	} {
		dir := filepath.Join(t.TempDir(), "ut")
		if err := gen.Write(dir, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%+v: the directory was created (%v)", o, err)
		}
		existing := t.TempDir()
		gen.Write(existing, o)
		if entries, _ := os.ReadDir(existing); len(entries) != 0 {
			t.Errorf("%+v: wrote %v", o, entries)
		}
	}
}

// A failure (here: visits.csv is a directory that cannot be replaced)
// is an error and leaves no temporary file behind.
func TestFailureLeavesNoTemporaryFiles(t *testing.T) {
	for _, f := range []string{"csv", "parquet"} {
		dir := t.TempDir()
		blocker := filepath.Join(dir, "visits."+f)
		if err := os.MkdirAll(filepath.Join(blocker, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := gen.Write(dir, gen.Options{Year: 2023, Persons: 100, Visits: 100, Format: f}); err == nil {
			t.Fatalf("%s: no error with %s a non-empty directory", f, blocker)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("%s: left %s", f, e.Name())
			}
		}
		if st, err := os.Stat(blocker); err != nil || !st.IsDir() {
			t.Errorf("%s: %s was replaced", f, blocker)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func openParquet(t *testing.T, path string) *parquet.File {
	t.Helper()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	st, err := r.Stat()
	if err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(r, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

// readParquet reads every row of f as text, row group by row group.
func readParquet(t *testing.T, f *parquet.File, cols int) [][]string {
	t.Helper()
	var out [][]string
	buf := make([]parquet.Row, 1000)
	for _, rg := range f.RowGroups() {
		rows := rg.Rows()
		for {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				rec := make([]string, cols)
				if len(row) != cols {
					t.Fatalf("a row of %d values, want %d", len(row), cols)
				}
				for _, v := range row {
					if v.IsNull() {
						t.Fatalf("null in column %d", v.Column())
					}
					rec[v.Column()] = string(v.ByteArray())
				}
				out = append(out, rec)
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		rows.Close()
	}
	if int64(len(out)) != f.NumRows() {
		t.Fatalf("read %d rows, the file says %d", len(out), f.NumRows())
	}
	return out
}

func BenchmarkWriteParquet(b *testing.B) {
	benchWrite(b, "parquet")
}

func BenchmarkWriteCSV(b *testing.B) {
	benchWrite(b, "csv")
}

func benchWrite(b *testing.B, format string) {
	dir := b.TempDir()
	for b.Loop() {
		if err := gen.Write(dir, gen.Options{Year: 2023, Persons: 100000, Visits: 1000000, Seed: 1, Format: format}); err != nil {
			b.Fatal(err)
		}
	}
}
