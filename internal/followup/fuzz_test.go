package followup

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
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
	f.Add(bomb(f, 484<<20))
	f.Fuzz(func(t *testing.T, data []byte) {
		o := year2023
		o.MaxParquetPage = 1 << 20
		res, err := Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(data), Visits: strings.NewReader(visitHead)}, o)
		checkOutcome(t, res, err)
	})
}
