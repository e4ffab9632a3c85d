package followup

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Typed Parquet rows, as a database export would have them: integers, a
// date, booleans, optional columns with nulls, dictionary encoding.
type pqListing struct {
	PatientID string  `parquet:"patient_id"`
	Lan       int32   `parquet:"lan"` // 1 for "01": padded back to two digits
	EnhetID   string  `parquet:"enhet_id,dict"`
	GP        *string `parquet:"fast_lakare_id,optional"`
	Sabo      bool    `parquet:"sabo"`
	Kon       string  `parquet:"kon,dict"`
	Fodelsear int64   `parquet:"fodelsear"`
}

type pqVisit struct {
	PatientID  *string `parquet:"patient_id,optional"`
	Datum      int32   `parquet:"datum,date"`
	EnhetID    string  `parquet:"enhet_id,dict"`
	Vardgivare string  `parquet:"vardgivare_id,dict"`
	Yrke       string  `parquet:"yrke,dict"`
	Kontakttyp string  `parquet:"kontakttyp,dict"`
	Extra      int64   `parquet:"extra"` // columns not asked for are ignored
}

func writeParquet[T any](t testing.TB, rows []T, rowGroup int, options ...parquet.WriterOption) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf, append([]parquet.WriterOption{parquet.MaxRowsPerRowGroup(int64(rowGroup)), parquet.PageBufferSize(4096)}, options...)...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestParquetMatchesCSV computes the same data from CSV and from typed
// Parquet files with many row groups (so several workers), for every
// grouping, and requires the same result, bad rows included.
func TestParquetMatchesCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var lcsv, vcsv strings.Builder
	lcsv.WriteString(listHead)
	vcsv.WriteString(visitHead)
	var lpq []pqListing
	var vpq []pqVisit
	for i := range 2000 {
		l := pqListing{PatientID: fmt.Sprintf("P%d", i), Lan: int32([]int{1, 3, 25}[r.IntN(3)]), EnhetID: fmt.Sprintf("E%d", r.IntN(7)),
			Sabo: r.IntN(10) == 0, Kon: []string{"K", "M"}[r.IntN(2)], Fodelsear: int64(1925 + r.IntN(98))}
		gp := ""
		if r.IntN(3) > 0 {
			gp = fmt.Sprintf("D%d", r.IntN(30))
			l.GP = &gp
		}
		sabo := 0
		if l.Sabo {
			sabo = 1
		}
		if i == 700 { // a bad row in both: born in the future
			l.Fodelsear = 2030
		}
		lpq = append(lpq, l)
		fmt.Fprintf(&lcsv, "%s,%02d,%s,%s,%d,%s,%d\n", l.PatientID, l.Lan, l.EnhetID, gp, sabo, l.Kon, l.Fodelsear)
	}
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 30000 {
		id := fmt.Sprintf("P%d", r.IntN(2100))
		day := time.Date(2022, 12, 15, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(400))
		v := pqVisit{PatientID: &id, Datum: int32(day.Sub(epoch).Hours() / 24), EnhetID: "E1", Vardgivare: fmt.Sprintf("D%d", r.IntN(9)*r.IntN(5)),
			Yrke: []string{"lakare", "lakare", "psykolog"}[r.IntN(3)], Kontakttyp: "fysisk", Extra: int64(i)}
		switch i {
		case 5000:
			v.Yrke = "tandlakare"
		case 9000:
			v.PatientID = nil // a null: a missing patient id
			id = ""
		case 12000, 12001: // dictionary entries that fail the check: looked at once, reported every time
			v.Vardgivare = ""
		case 13000:
			v.Vardgivare = strings.Repeat("D", 300)
		}
		vpq = append(vpq, v)
		fmt.Fprintf(&vcsv, "%s,%s,%s,%s,%s,%s\n", id, day.Format(time.DateOnly), v.EnhetID, v.Vardgivare, v.Yrke, v.Kontakttyp)
	}
	lbytes, vbytes := writeParquet(t, lpq, 300), writeParquet(t, vpq, 4096)
	for _, by := range []string{ByRiket, ByLan, ByEnhet, ByKon, ByAldersgrupp} {
		o := year2023
		o.By, o.MinCell = by, 3
		fromCSV := compute(t, lcsv.String(), vcsv.String(), "", o)
		fromPQ, err := Compute(context.Background(), Input{ListingsName: "listings.csv", VisitsName: "visits.csv", Listings: bytes.NewReader(lbytes), Visits: bytes.NewReader(vbytes)}, o)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fromCSV.Rows, fromPQ.Rows) {
			t.Errorf("%s: CSV and Parquet differ:\n%+v\n%+v", by, fromCSV.Rows, fromPQ.Rows)
		}
		if fromPQ.VisitsRead != fromCSV.VisitsRead || fromPQ.VisitsUsed != fromCSV.VisitsUsed || fromPQ.VisitsUsed == 0 {
			t.Errorf("%s: visits read/used %d/%d from Parquet, %d/%d from CSV", by, fromPQ.VisitsRead, fromPQ.VisitsUsed, fromCSV.VisitsRead, fromCSV.VisitsUsed)
		}
		// Rows are numbered from 1 in Parquet, from the header's line 1 in
		// CSV: the same row is one more in CSV.
		if len(fromPQ.Bad) != 2 || !strings.Contains(fromPQ.Bad[0].Summary(), `listings.csv:701: fodelsear "2030"`) ||
			!strings.Contains(fromPQ.Bad[1].Summary(), `visits.csv:5001: yrke "tandlakare"`) || !strings.Contains(fromPQ.Bad[1].Summary(), `visits.csv:9001: patient_id "" saknas`) ||
			!strings.Contains(fromPQ.Bad[1].Summary(), `visits.csv:12002: vardgivare_id "" saknas`) || !strings.Contains(fromPQ.Bad[1].Summary(), `visits.csv:13001: vardgivare_id "DDD`) ||
			fromPQ.Bad[1].Count != 5 {
			t.Errorf("%s: bad rows from Parquet: %+v", by, fromPQ.Bad)
		}
	}
}

// TestParquetDictionaryVouching reads visits whose date, unit and kind are
// dictionary-encoded, sorted by date so that some row groups lie wholly in
// the period (and are not read row by row) and some do not, and a kind
// that is bad in one row group only: the result must be the CSV's.
func TestParquetDictionaryVouching(t *testing.T) {
	type dictVisit struct {
		PatientID  string `parquet:"patient_id"`
		Datum      string `parquet:"datum,dict"`
		EnhetID    string `parquet:"enhet_id,dict"`
		Vardgivare string `parquet:"vardgivare_id,dict"`
		Yrke       string `parquet:"yrke,dict"`
		Kontakttyp string `parquet:"kontakttyp,dict"`
	}
	r := rand.New(rand.NewPCG(5, 6))
	listings := listHead
	for i := range 300 {
		listings += fmt.Sprintf("P%d,25,E1,,0,K,1960\n", i)
	}
	var rows []dictVisit
	for i := range 20000 {
		day := time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*500/20000)
		v := dictVisit{PatientID: fmt.Sprintf("P%d", r.IntN(320)), Datum: day.Format(time.DateOnly), EnhetID: "E1",
			Vardgivare: fmt.Sprintf("D%d", r.IntN(4)), Yrke: "lakare", Kontakttyp: []string{"fysisk", "digital"}[r.IntN(2)]}
		if i == 9000 {
			v.Kontakttyp = "brevduva"
		}
		rows = append(rows, v)
	}
	var csv strings.Builder
	csv.WriteString(visitHead)
	for _, v := range rows {
		fmt.Fprintf(&csv, "%s,%s,%s,%s,%s,%s\n", v.PatientID, v.Datum, v.EnhetID, v.Vardgivare, v.Yrke, v.Kontakttyp)
	}
	fromCSV := compute(t, listings, csv.String(), "", year2023)
	fromPQ, err := Compute(context.Background(), Input{ListingsName: "l", VisitsName: "visits.csv", Listings: strings.NewReader(listings), Visits: bytes.NewReader(writeParquet(t, rows, 1000))}, year2023)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromCSV.Rows, fromPQ.Rows) || fromCSV.VisitsRead != fromPQ.VisitsRead || fromCSV.VisitsUsed != fromPQ.VisitsUsed {
		t.Errorf("CSV and Parquet differ:\n%+v %d %d\n%+v %d %d", fromCSV.Rows, fromCSV.VisitsRead, fromCSV.VisitsUsed, fromPQ.Rows, fromPQ.VisitsRead, fromPQ.VisitsUsed)
	}
	if len(fromPQ.Bad) != 1 || fromPQ.Bad[0].Count != 1 || !strings.Contains(fromPQ.Bad[0].Summary(), `visits.csv:9001: kontakttyp "brevduva"`) {
		t.Errorf("bad rows: %+v", fromPQ.Bad)
	}
}

func TestParquetFileErrors(t *testing.T) {
	good := writeParquet(t, []pqListing{{PatientID: "p1", Lan: 25, EnhetID: "E", Kon: "K", Fodelsear: 1950}}, 10)
	type short struct {
		PatientID string `parquet:"patient_id"`
		Lan       string `parquet:"lan"`
	}
	type listy struct {
		PatientID []string `parquet:"patient_id,list"`
		Lan       string   `parquet:"lan"`
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"missing column", writeParquet(t, []short{{"p1", "25"}}, 10), `l.parquet: kolumnen "enhet_id" saknas`},
		{"magic and garbage", append([]byte("PAR1"), bytes.Repeat([]byte{0xff}, 100)...), "l.parquet: inte en läsbar Parquet-fil"},
		{"cut short", good[:len(good)-20], "l.parquet: inte en läsbar Parquet-fil"},
		{"a list column", writeParquet(t, []listy{{[]string{"a"}, "25"}}, 10), `kolumnen "patient_id" ska vara ett enkelt värde per rad`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(tt.data), Visits: strings.NewReader(visitHead)}, year2023)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// Corrupt a data page of a good file: an error, never a panic.
	rows := make([]pqListing, 5000)
	for i := range rows {
		rows[i] = pqListing{PatientID: fmt.Sprintf("p%d", i), Lan: 25, EnhetID: "E", Kon: "K", Fodelsear: 1950}
	}
	data := writeParquet(t, rows, 1000)
	for off := 100; off < len(data)/2; off += 997 {
		bad := bytes.Clone(data)
		bad[off] ^= 0x5a
		Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(bad), Visits: strings.NewReader(visitHead)}, year2023)
	}
}

// TestCSVBlocksKeepLineNumbers reads a file larger than a block with
// several workers: bad rows keep their lines and their order, and every
// row is read once.
func TestCSVBlocksKeepLineNumbers(t *testing.T) {
	var b strings.Builder
	b.WriteString("\n" + visitHead) // a blank line first: the header is line 2
	lines, good := 2, 0
	var badLines []int
	for i := 0; b.Len() < 3*blockSize; i++ {
		lines++
		switch {
		case i%50000 == 7:
			b.WriteString("p1,2023-02-30,E,D,lakare,fysisk\r\n")
			badLines = append(badLines, lines)
		case i%70001 == 3:
			b.WriteString("   \n") // blank
		default:
			fmt.Fprintf(&b, "p%d,2023-01-01,E,D%d,lakare,fysisk\n", i, i%7)
			good++
		}
	}
	tab, err := openTable("v.csv", strings.NewReader(b.String()), visitColumns, DefaultMaxParquetPage, nil)
	if err != nil {
		t.Fatal(err)
	}
	vr := newCountRows()
	bad, err := tab.scan(3, vr)
	if err != nil {
		t.Fatal(err)
	}
	if bad.Count != len(badLines) {
		t.Fatalf("%d bad rows, want %d", bad.Count, len(badLines))
	}
	for i, r := range bad.Reports {
		if want := fmt.Sprintf("v.csv:%d: datum", badLines[i]); !strings.HasPrefix(r, want) {
			t.Errorf("report %d = %q, want prefix %q", i, r, want)
		}
	}
	if got := vr.rows[0] + vr.rows[1] + vr.rows[2]; got != good {
		t.Errorf("%d good rows read, want %d", got, good)
	}
	if vr.rows[0] == 0 || vr.rows[1]+vr.rows[2] == 0 {
		t.Errorf("rows per worker %v: the blocks were not shared", vr.rows)
	}
}

// countRows counts rows per worker and reports bad dates. The first
// worker to see a row waits there until another worker sees one, so that
// the blocks are shared between workers however the machine schedules
// them (a wait of at most 10 s; the test fails if no other worker came).
type countRows struct {
	rows  [3]int
	mu    sync.Mutex
	first int // the first worker to see a row; -1 before
	other chan struct{}
	once  sync.Once
}

func newCountRows() *countRows { return &countRows{first: -1, other: make(chan struct{})} }

func (c *countRows) row(w int, bad *BadRows, line int, f [][]byte) {
	c.mu.Lock()
	switch {
	case c.first < 0:
		c.first = w
		c.mu.Unlock()
		select {
		case <-c.other:
		case <-time.After(10 * time.Second):
		}
	case w != c.first:
		c.once.Do(func() { close(c.other) })
		c.mu.Unlock()
	default:
		c.mu.Unlock()
	}
	if _, ok := dayNumber(f[1]); !ok {
		bad.add(line, "datum", string(f[1]), "är inte ett datum")
		return
	}
	c.rows[w]++
}
func (c *countRows) end(int) {}

func TestIDIndex(t *testing.T) {
	x := newIDIndex()
	want := map[string]int32{}
	r := rand.New(rand.NewPCG(1, 2))
	for range 50000 {
		k := fmt.Sprintf("id-%d", r.IntN(30000))
		id, isNew := x.add([]byte(k))
		old, had := want[k]
		if isNew == had || (had && id != old) {
			t.Fatalf("add(%q) = %d, %v; had %d, %v", k, id, isNew, old, had)
		}
		if !had {
			want[k] = id
		}
	}
	if x.len() != len(want) {
		t.Errorf("len %d, want %d", x.len(), len(want))
	}
	var keys [][]byte
	for i := range 40000 {
		keys = append(keys, []byte(fmt.Sprintf("id-%d", i)))
	}
	keys = append(keys, bytes.Repeat([]byte("x"), 300))
	ids, found := make([]int32, len(keys)), make([]bool, len(keys))
	x.lookupBatch(keys, make([]uint64, len(keys)), ids, found)
	for i, k := range keys {
		w, ok := want[string(k)]
		if found[i] != ok || (ok && ids[i] != w) {
			t.Errorf("lookupBatch %q = %d %v, want %d %v", k, ids[i], found[i], w, ok)
		}
		if id, ok2 := x.lookup(k); ok2 != ok || id != ids[i] {
			t.Errorf("lookup %q = %d %v", k, id, ok2)
		}
	}
}
