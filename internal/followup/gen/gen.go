// Package gen writes synthetic follow-up extracts for tests and
// benchmarks: listings, visits and clinicians with a realistic skew. The
// same seed gives the same files. Visits are written as they are drawn, so
// any number fits in memory.
package gen

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

var counties = []string{"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22", "23", "24", "25"}

var others = []string{"sjukskoterska", "fysioterapeut", "arbetsterapeut", "psykolog", "kurator", "dietist", "annan"}

var kinds = []string{"fysisk", "fysisk", "fysisk", "digital", "telefon", "hembesok"}

// Options sizes the data.
type Options struct {
	Persons int
	Visits  int
	Seed    uint64
}

// Write writes listings.csv, visits.csv and clinicians.csv into dir.
func Write(dir string, o Options) error {
	if o.Persons <= 0 || o.Visits < 0 {
		return fmt.Errorf("ange ett positivt antal personer och ett icke-negativt antal besök")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	units := max(1, o.Persons/2000)
	const docsPerUnit = 6
	type person struct {
		unit int
		gp   int // doctor within the unit, -1 without a named GP
	}
	people := make([]person, o.Persons)
	err := writeFile(filepath.Join(dir, "listings.csv"), "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear", func(w *bufio.Writer) {
		for i := range people {
			p := person{unit: r.IntN(units), gp: -1}
			if r.IntN(100) < 65 {
				p.gp = r.IntN(docsPerUnit)
			}
			people[i] = p
			born := 1925 + r.IntN(98)
			sabo := 0
			if born < 1943 && r.IntN(100) < 15 {
				sabo = 1
			}
			gp := ""
			if p.gp >= 0 {
				gp = fmt.Sprintf("L%d-%d", p.unit, p.gp)
			}
			fmt.Fprintf(w, "P%d,%s,E%d,%s,%d,%s,%d\n", i, counties[p.unit%len(counties)], p.unit, gp, sabo, []string{"K", "M"}[r.IntN(2)], born)
		}
	})
	if err != nil {
		return err
	}
	err = writeFile(filepath.Join(dir, "clinicians.csv"), "vardgivare_id,yrke,st", func(w *bufio.Writer) {
		for u := range units {
			for d := range docsPerUnit {
				st := 0
				if d == docsPerUnit-1 {
					st = 1
				}
				fmt.Fprintf(w, "L%d-%d,lakare,%d\n", u, d, st)
			}
			fmt.Fprintf(w, "S%d,sjukskoterska,0\n", u)
		}
	})
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "visits.csv"), "patient_id,datum,enhet_id,vardgivare_id,yrke,kontakttyp", func(w *bufio.Writer) {
		for range o.Visits {
			// Some patients visit often, most rarely (a skewed pick).
			i := int(float64(o.Persons) * r.Float64() * r.Float64())
			p := people[i]
			day := 1 + r.IntN(365)
			date := fmt.Sprintf("2023-%02d-%02d", monthOf(day), dayOf(day))
			if r.IntN(5) == 0 {
				fmt.Fprintf(w, "P%d,%s,E%d,S%d,%s,%s\n", i, date, p.unit, p.unit, others[r.IntN(len(others))], kinds[r.IntN(len(kinds))])
				continue
			}
			doc := p.gp
			if doc < 0 || r.IntN(100) < 30 { // Zipf-like: the first doctors take most visits
				doc = min(int(r.ExpFloat64()*1.2), docsPerUnit-1)
			}
			fmt.Fprintf(w, "P%d,%s,E%d,L%d-%d,lakare,%s\n", i, date, p.unit, p.unit, doc, kinds[r.IntN(len(kinds))])
		}
	})
}

var monthDays = []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func monthOf(day int) int {
	for m, n := range monthDays {
		if day <= n {
			return m + 1
		}
		day -= n
	}
	return 12
}

func dayOf(day int) int {
	for _, n := range monthDays {
		if day <= n {
			return day
		}
		day -= n
	}
	return 31
}

// writeFile writes a CSV file through a temporary file and a rename.
func writeFile(path, header string, body func(*bufio.Writer)) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gen-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	fmt.Fprintln(w, header)
	body(w)
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
