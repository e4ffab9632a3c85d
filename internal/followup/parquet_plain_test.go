package followup

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestPlainPagesAsParquetGo reads visits whose ids are PLAIN text, written
// as pages of both versions, by each codec the plain reader takes, with
// and without nulls and with many pages a row group, once by plain pages
// and once by parquet-go: the results must be the same, bad rows
// included, and the plain pages must have been read here.
func TestPlainPagesAsParquetGo(t *testing.T) {
	type plainVisit struct {
		PatientID  *string `parquet:"patient_id,optional,plain"`
		Datum      string  `parquet:"datum,plain"`
		EnhetID    string  `parquet:"enhet_id,plain"`
		Vardgivare string  `parquet:"vardgivare_id,plain"`
		Yrke       string  `parquet:"yrke,dict"`
		Kontakttyp string  `parquet:"kontakttyp,dict"`
	}
	listings := listHead
	for i := range 400 {
		listings += fmt.Sprintf("P%d,25,E1,,0,K,1960\n", i)
	}
	visits := func(nullEvery int) []plainVisit {
		r := rand.New(rand.NewPCG(7, 8))
		var rows []plainVisit
		for i := range 6000 {
			id := fmt.Sprintf("P%d", r.IntN(420))
			v := plainVisit{PatientID: &id, Datum: fmt.Sprintf("2023-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28)), EnhetID: "E1",
				Vardgivare: fmt.Sprintf("D%d", r.IntN(9)), Yrke: "lakare", Kontakttyp: "fysisk"}
			if nullEvery > 0 && (i%nullEvery == 0 || i%nullEvery == 3) {
				v.PatientID = nil
			}
			if i == 4321 {
				v.Vardgivare = ""
			}
			rows = append(rows, v)
		}
		return rows
	}
	codecs := map[string]parquet.WriterOption{"none": parquet.Compression(&parquet.Uncompressed), "snappy": parquet.Compression(&parquet.Snappy), "zstd": parquet.Compression(&parquet.Zstd)}
	for _, version := range []int{1, 2} {
		for codec, option := range codecs {
			for _, nullEvery := range []int{0, 5, 11} {
				name := fmt.Sprintf("v%d/%s/nulls%d", version, codec, nullEvery)
				file := writeParquet(t, visits(nullEvery), 1500, option, parquet.DataPageVersion(version))
				if !readsPlain(t, file) {
					t.Fatalf("%s: the ids are not read as plain pages", name)
				}
				in := func() Input {
					return Input{ListingsName: "l", VisitsName: "v.parquet", Listings: strings.NewReader(listings), Visits: bytes.NewReader(file)}
				}
				plain, err := Compute(context.Background(), in(), year2023)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				readPlain = false
				byParquetGo, err := Compute(context.Background(), in(), year2023)
				readPlain = true
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !reflect.DeepEqual(plain, byParquetGo) {
					t.Errorf("%s: plain pages and parquet-go differ:\n%+v\n%+v", name, plain, byParquetGo)
				}
				nulls, first := 0, `v.parquet:4322: vardgivare_id "" saknas`
				for _, v := range visits(nullEvery) {
					if v.PatientID == nil {
						nulls, first = nulls+1, `v.parquet:1: patient_id "" saknas`
					}
				}
				if plain.VisitsUsed == 0 || len(plain.Bad) != 1 || plain.Bad[0].Count != nulls+1 || !strings.Contains(plain.Bad[0].Summary(), first) {
					t.Errorf("%s: used %d, bad rows %s", name, plain.VisitsUsed, plain.Bad[0].Summary())
				}
			}
		}
	}
}

// readsPlain reports whether the patient_id of a visits file's first row
// group is read as plain pages.
func readsPlain(t *testing.T, file []byte) bool {
	t.Helper()
	tab, err := openParquet("v.parquet", bytes.NewReader(file), int64(len(file)), visitColumns, DefaultMaxParquetPage, nil)
	if err != nil {
		t.Fatal(err)
	}
	leaf := tab.cols[0]
	meta := tab.f.Metadata().RowGroups[0].Columns[leaf.ColumnIndex].MetaData
	b := pageBudget{r: tab.r, size: tab.size, max: tab.maxPage}
	if err := b.check(&meta); err != nil {
		t.Fatal(err)
	}
	return plainChunk(&b, leaf, meta.Codec, &plainBuffers{}, &zstdPages{budget: tab.maxPage}) != nil
}

func TestDefinitionLevels(t *testing.T) {
	uvarint := func(v uint64) []byte { return binary.AppendUvarint(nil, v) }
	run := func(count uint64, level byte) []byte { return append(uvarint(count<<1), level) }
	packed := func(groups ...byte) []byte { return append(uvarint(uint64(len(groups))<<1|1), groups...) }
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name string
		src  []byte
		n    int
		want []byte // nil: no nulls
		bad  bool
	}{
		{"one run of values", run(10, 1), 10, nil, false},
		{"a run longer than the page", run(100, 1), 10, nil, false},
		{"nulls then values", join(run(2, 0), run(3, 1)), 5, []byte{0, 0, 1, 1, 1}, false},
		{"bit-packed, low bit first, padding ignored", packed(0b10110101, 0b11111101), 12, []byte{1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1}, false},
		{"runs and packs mixed", join(run(3, 1), packed(0b11111110), run(2, 0)), 13, []byte{1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0}, false},
		{"bit-packed, all values", packed(0xff, 0xff), 16, nil, false},
		{"empty", nil, 3, nil, true},
		{"too few levels", run(2, 1), 3, nil, true},
		{"a level beyond the width", run(3, 2), 3, nil, true},
		{"a run without its level", uvarint(6), 3, nil, true},
		{"groups beyond the data", append(uvarint(3<<1|1), 0xff), 24, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := definitionLevels(tt.src, tt.n, 1, &plainBuffers{})
			if (err != nil) != tt.bad {
				t.Fatalf("err = %v, want an error: %v", err, tt.bad)
			}
			if err == nil && (!bytes.Equal(got, tt.want) || (got == nil) != (tt.want == nil)) {
				t.Errorf("levels %v, want %v", got, tt.want)
			}
		})
	}
}

// plainPageOf is a PLAIN page of the values: each one's length in 4
// bytes, then its bytes.
func plainPageOf(values ...string) []byte {
	var b []byte
	for _, v := range values {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(v)))
		b = append(b, v...)
	}
	return b
}

// TestPlainPageRead takes a page of plainPages by fill, two rows at a
// time, without nulls (fillPlain) and with them (nextSlow): the values as
// they lie, and an error at the row whose length runs past the page or is
// cut short, or at the last row when bytes are left.
func TestPlainPageRead(t *testing.T) {
	read := func(data []byte, def []byte, n int) ([]string, int, error) {
		c := &cursor{data: data, def: def, n: n, mode: pagePlain, maxDef: 1}
		c.fast = c.fastRows()
		b := newColumnBatch(1)
		var got []string
		for c.pos < n {
			start := c.pos
			k, err := c.fill(b, 0, min(2, n-start))
			for _, v := range b.vals[:k] {
				got = append(got, string(v))
			}
			if err != nil {
				return got, start + k, err
			}
		}
		return got, n, nil
	}
	good := plainPageOf("P1", "", "P12345")
	if got, _, err := read(good, nil, 3); err != nil || !reflect.DeepEqual(got, []string{"P1", "", "P12345"}) {
		t.Errorf("without nulls: %q, %v", got, err)
	}
	if got, _, err := read(good, []byte{1, 0, 1, 1}, 4); err != nil || !reflect.DeepEqual(got, []string{"P1", "", "", "P12345"}) {
		t.Errorf("with a null: %q, %v", got, err)
	}
	long := binary.LittleEndian.AppendUint32(plainPageOf("P1", "P2"), 1<<31)
	for _, tt := range []struct {
		name string
		data []byte
		def  []byte
		n    int
		row  int // the row the error names
	}{
		{"a length beyond the page", long, nil, 3, 2},
		{"a length beyond the page, nulls", long, []byte{1, 0, 1, 1}, 4, 3},
		{"more bytes than the values", append(bytes.Clone(good), 0), nil, 3, 2},
		{"more bytes than the values, nulls", append(bytes.Clone(good), 0), []byte{1, 1, 1, 0}, 4, 3},
		{"a length cut short", good[:len(good)-1], nil, 3, 2},
		{"a length cut short, nulls", good[:len(good)-1], []byte{0, 1, 1, 1}, 4, 3},
		{"fewer values than rows", good, nil, 4, 3},
		{"fewer values than levels", good, []byte{1, 1, 1, 1}, 4, 3},
		{"a value's length in two bytes", good[:2], nil, 3, 0},
	} {
		if _, row, err := read(tt.data, tt.def, tt.n); err == nil || row != tt.row {
			t.Errorf("%s: row %d, %v; want an error at row %d", tt.name, row, err, tt.row)
		}
	}
}
