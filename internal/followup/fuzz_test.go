package followup

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// checkOutcome is what every input must give: an error and no result, or
// a result and no error, never a panic of narvard's own (a recovered one
// says "internt fel").
func checkOutcome(t *testing.T, res *Result, err error) {
	t.Helper()
	if err != nil {
		if res != nil {
			t.Errorf("a result beside the error %v", err)
		}
		if strings.Contains(err.Error(), "internt fel") {
			t.Errorf("a panic: %v", err)
		}
		return
	}
	if res == nil || len(res.Rows) == 0 || res.Rows[len(res.Rows)-1].Group != "riket" {
		t.Errorf("no error and a result without riket last: %+v", res)
	}
}

// FuzzComputeCSV: any listings and visits files give the indicators or an
// error, never a panic or a partial result.
func FuzzComputeCSV(f *testing.F) {
	f.Add([]byte(listHead+"p1,25,E1,d1,0,K,1950\np2,25,E1,,1,M,1930\n"), []byte(visitHead+"p1,2023-02-01,E1,d1,lakare,fysisk\np1,2023-03-01,E1,d2,lakare,fysisk\n"))
	f.Add([]byte("\ufeffsep=;\npatient_id;lan;enhet_id;fast_lakare_id;sabo;kon;fodelsear\r\np1;\"25\";E1;d1;1;K;1950\r\n"), []byte(visitHead))
	f.Add([]byte(listHead), []byte("patient_id,datum\n\"p1,2023"))
	f.Add([]byte{}, []byte("PAR1"))
	f.Fuzz(func(t *testing.T, listings, visits []byte) {
		o := year2023
		o.MaxParquetPage = 1 << 20
		res, err := Compute(context.Background(), Input{ListingsName: "l.csv", VisitsName: "v.csv", Listings: bytes.NewReader(listings), Visits: bytes.NewReader(visits)}, o)
		checkOutcome(t, res, err)
	})
}

// FuzzComputeParquet: any bytes read as a Parquet listings file (seeded
// with good files in every codec, a dictionary, nulls and a bomb) give
// the indicators or an error, within the page budget.
func FuzzComputeParquet(f *testing.F) {
	rows := []pqListing{{PatientID: "p1", Lan: 25, EnhetID: "E1", Kon: "K", Fodelsear: 1950}, {PatientID: "p2", Lan: 1, EnhetID: "E2", Kon: "M", Fodelsear: 1990, Sabo: true}}
	gp := "d1"
	rows[0].GP = &gp
	for _, c := range []parquet.WriterOption{parquet.Compression(&parquet.Uncompressed), parquet.Compression(&parquet.Snappy), parquet.Compression(&parquet.Gzip),
		parquet.Compression(&parquet.Zstd), parquet.Compression(&parquet.Lz4Raw), parquet.Compression(&parquet.Brotli)} {
		f.Add(writeParquet(f, rows, 1, c))
	}
	type plainListing struct { // ids as PLAIN text, read by plain pages
		PatientID *string `parquet:"patient_id,optional,plain"`
		Lan       string  `parquet:"lan,plain"`
		EnhetID   string  `parquet:"enhet_id,plain"`
		GP        *string `parquet:"fast_lakare_id,optional,plain"`
		Sabo      bool    `parquet:"sabo"`
		Kon       string  `parquet:"kon,plain"`
		Fodelsear int64   `parquet:"fodelsear"`
	}
	p1, p2 := "p1", "p2"
	plain := []plainListing{{PatientID: &p1, Lan: "25", EnhetID: "E1", GP: &gp, Kon: "K", Fodelsear: 1950}, {Lan: "01", EnhetID: "E2", Kon: "M", Fodelsear: 1990}, {PatientID: &p2, Lan: "01", EnhetID: "E2", Kon: "M", Fodelsear: 1990}}
	for _, version := range []int{1, 2} {
		f.Add(writeParquet(f, plain, 2, parquet.Compression(&parquet.Zstd), parquet.DataPageVersion(version)))
		f.Add(writeParquet(f, plain, 3, parquet.Compression(&parquet.Snappy), parquet.DataPageVersion(version)))
	}
	f.Add(bomb(f, 484<<20))
	f.Fuzz(func(t *testing.T, data []byte) {
		o := year2023
		o.MaxParquetPage = 1 << 20
		res, err := Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(data), Visits: strings.NewReader(visitHead)}, o)
		checkOutcome(t, res, err)
	})
}

// FuzzParquetMetadata changes the numbers a Parquet file's metadata and
// first page header state about themselves (rows, sizes, counts,
// offsets) in a good file: whatever they claim, the file is read or
// refused within the page budget, never by taking what they claim.
func FuzzParquetMetadata(f *testing.F) {
	rows := []pqListing{{PatientID: "p1", Lan: 25, EnhetID: "E1", Kon: "K", Fodelsear: 1950}, {PatientID: "p2", Lan: 1, EnhetID: "E2", Kon: "M", Fodelsear: 1990}}
	listings := writeParquet(f, rows, 2, parquet.Compression(&parquet.Snappy))
	p1 := "p1"
	visits := writeParquet(f, []pqVisit{{PatientID: &p1, Datum: 19400, EnhetID: "E1", Vardgivare: "d1", Yrke: "lakare", Kontakttyp: "fysisk"},
		{PatientID: &p1, Datum: 19420, EnhetID: "E1", Vardgivare: "d2", Yrke: "lakare", Kontakttyp: "fysisk"}}, 2, parquet.Compression(&parquet.Zstd))
	f.Add(false, uint8(0), int64(2), int64(2), int32(0), int32(2), int64(0), int64(0), int64(0))
	f.Add(false, uint8(2), int64(1<<31-1), int64(1<<40), int32(1<<30), int32(1<<30), int64(-1), int64(1<<40), int64(1<<40))
	f.Add(true, uint8(3), int64(2), int64(2), int32(0), int32(1<<20), int64(4), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, asVisits bool, col uint8, numRows, groupRows int64, uncompressed, values int32, dictOffset, totalCompressed, totalUncompressed int64) {
		good, c := listings, int(col)%7
		if asVisits {
			good = visits
		}
		file := rewriteChunk(t, good, c, func(h *format.PageHeader, data []byte) []byte {
			if uncompressed != 0 {
				h.UncompressedPageSize = uncompressed
			}
			if values != 0 && h.DataPageHeader.Valid {
				h.DataPageHeader.V.NumValues = values
			}
			if values != 0 && h.DictionaryPageHeader.Valid {
				h.DictionaryPageHeader.V.NumValues = values
			}
			return data
		}, func(m *format.ColumnMetaData) {
			if dictOffset != 0 {
				m.DictionaryPageOffset = dictOffset
			}
			if totalCompressed != 0 {
				m.TotalCompressedSize = totalCompressed
			}
			if totalUncompressed != 0 {
				m.TotalUncompressedSize = totalUncompressed
			}
		})
		file = withRows(t, file, numRows, groupRows)
		var res *Result
		var err error
		n := allocated(func() {
			o := year2023
			o.MaxParquetPage = 1 << 20
			in := Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(file), Visits: strings.NewReader(visitHead)}
			if asVisits {
				in = Input{ListingsName: "l.csv", VisitsName: "v.parquet", Listings: strings.NewReader(listHead + "p1,25,E1,d1,0,K,1950\n"), Visits: bytes.NewReader(file)}
			}
			res, err = Compute(context.Background(), in, o)
		})
		checkOutcome(t, res, err)
		if n > 64<<20 {
			t.Errorf("allocated %d MiB: %v", n>>20, err)
		}
	})
}

// withRows sets the rows a file's metadata and first row group claim.
func withRows(t testing.TB, file []byte, numRows, groupRows int64) []byte {
	var proto thrift.CompactProtocol
	footLen := int(binary.LittleEndian.Uint32(file[len(file)-8:]))
	var md format.FileMetaData
	if err := thrift.Unmarshal(&proto, file[len(file)-8-footLen:len(file)-8], &md); err != nil {
		t.Fatal(err)
	}
	md.NumRows, md.RowGroups[0].NumRows = numRows, groupRows
	foot, err := thrift.Marshal(&proto, &md)
	if err != nil {
		t.Fatal(err)
	}
	out := binary.LittleEndian.AppendUint32(append(bytes.Clone(file[:len(file)-8-footLen]), foot...), uint32(len(foot)))
	return append(out, "PAR1"...)
}

// FuzzSlutenvard: any slutenvard file, CSV or Parquet bytes, with good
// listings and visits, gives the indicators or an error, never a panic.
func FuzzSlutenvard(f *testing.F) {
	const head = "patient_id,lan,inskrivning,utskrivning,akut\n"
	f.Add([]byte(head + "p1,25,2023-03-01,2023-03-05,1\np1,25,2023-03-05,2023-03-09,0\np1,25,2023-04-08,2023-04-09,1\n"))
	f.Add([]byte(head + "p1,25,2023-03-01,2023-02-01,1\n,25,x,y,2\np2;25\n"))
	f.Add([]byte("patient_id;lan;inskrivning;utskrivning;akut\r\np1;\"25\";2023-12-31;2024-01-30;1\r\n"))
	f.Add([]byte("PAR1"))
	f.Fuzz(func(t *testing.T, stays []byte) {
		o := year2023
		o.MaxParquetPage = 1 << 20
		o.Periods = []Period{{day("2023-01-01"), day("2023-06-30")}, {day("2023-07-01"), day("2023-12-31")}}
		res, err := Compute(context.Background(), Input{ListingsName: "l.csv", VisitsName: "v.csv", SlutenvardName: "s.csv",
			Listings: strings.NewReader(listHead + "p1,25,E1,d1,0,K,1950\n"), Visits: strings.NewReader(visitHead), Slutenvard: bytes.NewReader(stays)}, o)
		checkOutcome(t, res, err)
		if err == nil && res.StaysRead < res.StaysUnlisted {
			t.Errorf("read %d, unlisted %d", res.StaysRead, res.StaysUnlisted)
		}
	})
}

// FuzzListingsMore: listings with the optional columns (care contact,
// municipality), grouped by a combination with kommun.
func FuzzListingsMore(f *testing.F) {
	f.Add([]byte(listHeadMore + "p1,25,E1,d1,0,K,1950,v1,2583\np2,25,E1,,1,M,1930,,2584\np3,23,E1,,0,K,1930,,2583\n"))
	f.Add([]byte(listHeadMore + "p1,25,E1,d1,0,K,1950,v1,25\np2,25,E1,,1,M,1930,,x2584\n"))
	f.Fuzz(func(t *testing.T, listings []byte) {
		o := year2023
		o.By, o.MaxParquetPage = "kommun,aldersgrupp", 1<<20
		res, err := Compute(context.Background(), Input{ListingsName: "l.csv", VisitsName: "v.csv",
			Listings: bytes.NewReader(listings), Visits: strings.NewReader(visitHead + "p1,2023-02-01,E1,d1,lakare,fysisk\np1,2023-03-01,E1,d2,lakare,fysisk\n")}, o)
		checkOutcome(t, res, err)
	})
}
