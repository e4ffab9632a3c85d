package followup_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"narvard/internal/followup"
	"narvard/internal/followup/gen"
)

// BenchmarkCompute computes COC by county on generated files of 100 000
// persons and 1 000 000 visits.
func BenchmarkCompute(b *testing.B) {
	dir := b.TempDir()
	if err := gen.Write(dir, gen.Options{Year: 2023, Persons: 100000, Visits: 1000000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	o := followup.Options{From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), By: followup.ByLan, MinCell: 5}
	b.ResetTimer()
	for b.Loop() {
		l, _ := os.Open(filepath.Join(dir, "listings.csv"))
		v, _ := os.Open(filepath.Join(dir, "visits.csv"))
		c, _ := os.Open(filepath.Join(dir, "clinicians.csv"))
		if _, err := followup.Compute(followup.Input{ListingsName: "l", VisitsName: "v", CliniciansName: "c", Listings: l, Visits: v, Clinicians: c}, o); err != nil {
			b.Fatal(err)
		}
		l.Close()
		v.Close()
		c.Close()
	}
	b.ReportMetric(1e6/(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9), "visits/s")
}
