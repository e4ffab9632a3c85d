package followup_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"narvard/internal/followup"
	"narvard/internal/followup/gen"
)

// BenchmarkCompute computes COC by county on generated CSV files of
// 100 000 persons and 1 000 000 visits.
func BenchmarkCompute(b *testing.B) { benchCompute(b, gen.FormatCSV) }

// BenchmarkComputeParquet is BenchmarkCompute on the same rows as Parquet
// files, the path that reads column pages (cursor) and dictionary codes.
func BenchmarkComputeParquet(b *testing.B) { benchCompute(b, gen.FormatParquet) }

func benchCompute(b *testing.B, format string) {
	dir := b.TempDir()
	if err := gen.Write(dir, gen.Options{Year: 2023, Persons: 100000, Visits: 1000000, Seed: 1, Format: format}); err != nil {
		b.Fatal(err)
	}
	o := followup.Options{From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), By: followup.ByLan, MinCell: 5}
	b.ResetTimer()
	for b.Loop() {
		l, _ := os.Open(filepath.Join(dir, "listings."+format))
		v, _ := os.Open(filepath.Join(dir, "visits."+format))
		c, _ := os.Open(filepath.Join(dir, "clinicians."+format))
		if _, err := followup.Compute(context.Background(), followup.Input{ListingsName: "l", VisitsName: "v", CliniciansName: "c", Listings: l, Visits: v, Clinicians: c}, o); err != nil {
			b.Fatal(err)
		}
		l.Close()
		v.Close()
		c.Close()
	}
	b.ReportMetric(1e6/(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9), "visits/s")
}
