// Package gen writes synthetic follow-up extracts for tests and
// benchmarks: listings, visits and clinicians with a realistic skew. The
// same seed gives the same rows, as CSV or as Parquet. Visits are written as
// they are drawn, so any number fits in memory.
package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"time"

	"narvard/internal/geo"
)

// The file formats Write can produce.
const (
	FormatCSV     = "csv"
	FormatParquet = "parquet"
)

// Options sizes the data and picks the file format.
type Options struct {
	Persons int
	Visits  int
	Seed    uint64
	// Year is the calendar year the visits fall in; birth years lie in
	// the 98 years before it.
	Year int
	// Years, when more than one, spreads the visits over that many
	// calendar years ending with Year (each of 365 days).
	Years int
	// Format is FormatCSV (also when empty) or FormatParquet.
	Format string
	// More adds the listings' optional columns fast_vardkontakt_id and
	// kommun, and writes Stays inpatient stays as slutenvard, drawn from
	// a random source of their own: the other rows stay as they are.
	More  bool
	Stays int
}

// The tables, their columns and the order they are written in.
var (
	listingsHeader   = []string{"patient_id", "lan", "enhet_id", "fast_lakare_id", "sabo", "kon", "fodelsear"}
	cliniciansHeader = []string{"vardgivare_id", "yrke", "st"}
	visitsHeader     = []string{"patient_id", "datum", "enhet_id", "vardgivare_id", "yrke", "kontakttyp"}
	listingsMore     = append(slices.Clone(listingsHeader), "fast_vardkontakt_id", "kommun")
	staysHeader      = []string{"patient_id", "lan", "inskrivning", "utskrivning", "akut"}
)

var counties = geo.CountyCodes() // the people are spread over these

var others = []string{"sjukskoterska", "fysioterapeut", "arbetsterapeut", "psykolog", "kurator", "dietist", "annan"}

var kinds = []string{"fysisk", "fysisk", "fysisk", "digital", "telefon", "hembesok"}

const (
	docsPerUnit = 6
	bornYears   = 98 // birth years: the 98 years before the visits' year
	oldAge      = 80 // residents of special housing (SÄBO) are drawn among those older
)

// Write writes listings, clinicians and visits into dir, as listings.csv,
// clinicians.csv and visits.csv or as the same names ending in .parquet.
// The files are written to temporary files in dir and renamed into place
// only when all three are complete: a failure while generating leaves no
// new file, and no file is ever seen partly written.
func Write(dir string, o Options) error {
	format, err := o.check()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var outs []*output
	defer func() {
		for _, f := range outs {
			f.discard() // a no-op once renamed
		}
	}()
	g := newGenerator(o)
	for _, t := range g.tables() {
		f, err := create(dir, t.name, format, t.header)
		if err != nil {
			return err
		}
		outs = append(outs, f)
		if err := t.body(f.rows); err != nil {
			return err
		}
		if err := f.finish(); err != nil {
			return err
		}
	}
	for _, f := range outs {
		if err := os.Rename(f.tmp, f.path); err != nil {
			return err
		}
	}
	return nil
}

// table is one file to write.
type table struct {
	name   string
	header []string
	body   func(rowWriter) error
}

// tables are the files to write, in order.
func (g *generator) tables() []table {
	tables := []table{
		{"listings", listingsHeader, g.listings},
		{"clinicians", cliniciansHeader, g.clinicians},
		{"visits", visitsHeader, g.visits},
	}
	if g.o.More {
		tables[0].header = listingsMore
		tables = append(tables, table{"slutenvard", staysHeader, g.stays})
	}
	return tables
}

// generator draws the rows. The draws happen in one fixed order whatever
// the format, so a seed gives the same rows as CSV and as Parquet.
type generator struct {
	o      Options
	r      *rand.Rand
	more   *rand.Rand // the optional columns' and the stays' draws
	units  int
	people []person

	// Field values, formatted once.
	counties, others, kinds [][]byte
	unitIDs, nurseIDs       [][]byte // E<unit>, S<unit>
	doctorIDs               [][]byte // L<unit>-<doctor> at unit*docsPerUnit+doctor
	dates                   [][]byte // the year's first day at 1, ... its last (non-leap) day at 365
	years                   [][]byte // firstBorn+i at i
	firstBorn               int
	zero, one, k, m, doctor []byte
}

type person struct {
	unit int
	gp   int // doctor within the unit, -1 without a named GP
	born int
}

func newGenerator(o Options) *generator {
	units := max(1, o.Persons/2000)
	g := &generator{
		o:        o,
		r:        rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)),
		more:     rand.New(rand.NewPCG(o.Seed^0x5bd1e995, o.Seed)),
		units:    units,
		counties: toBytes(counties),
		others:   toBytes(others),
		kinds:    toBytes(kinds),
		zero:     []byte("0"),
		one:      []byte("1"),
		k:        []byte("K"),
		m:        []byte("M"),
		doctor:   []byte("lakare"),
	}
	g.unitIDs = make([][]byte, units)
	g.nurseIDs = make([][]byte, units)
	g.doctorIDs = make([][]byte, units*docsPerUnit)
	for u := range units {
		g.unitIDs[u] = strconv.AppendInt([]byte("E"), int64(u), 10)
		g.nurseIDs[u] = strconv.AppendInt([]byte("S"), int64(u), 10)
		for d := range docsPerUnit {
			id := strconv.AppendInt([]byte("L"), int64(u), 10)
			id = append(id, '-')
			g.doctorIDs[u*docsPerUnit+d] = strconv.AppendInt(id, int64(d), 10)
		}
	}
	g.dates = make([][]byte, 1+365*g.span())
	for y := range g.span() {
		year := o.Year - g.span() + 1 + y
		for day := 1; day <= 365; day++ {
			g.dates[y*365+day] = fmt.Appendf(nil, "%04d-%02d-%02d", year, monthOf(day), dayOf(day))
		}
	}
	g.firstBorn = o.Year - bornYears
	g.years = make([][]byte, bornYears)
	for i := range g.years {
		g.years[i] = strconv.AppendInt(nil, int64(g.firstBorn+i), 10)
	}
	return g
}

func toBytes(s []string) [][]byte {
	b := make([][]byte, len(s))
	for i, v := range s {
		b[i] = []byte(v)
	}
	return b
}

func (g *generator) listings(w rowWriter) error {
	r := g.r
	g.people = make([]person, g.o.Persons)
	fields := make([][]byte, len(listingsHeader), len(listingsMore))
	var id []byte
	for i := range g.people {
		p := person{unit: r.IntN(g.units), gp: -1}
		if r.IntN(100) < 65 {
			p.gp = r.IntN(docsPerUnit)
		}
		g.people[i] = p
		born := r.IntN(bornYears)
		sabo := g.zero
		if g.o.Year-(g.firstBorn+born) > oldAge && r.IntN(100) < 15 {
			sabo = g.one
		}
		var gp []byte
		if p.gp >= 0 {
			gp = g.doctorIDs[p.unit*docsPerUnit+p.gp]
		}
		kon := g.k
		if r.IntN(2) == 1 {
			kon = g.m
		}
		id = strconv.AppendInt(append(id[:0], 'P'), int64(i), 10)
		fields[0], fields[1], fields[2], fields[3] = id, g.counties[p.unit%len(counties)], g.unitIDs[p.unit], gp
		fields[4], fields[5], fields[6] = sabo, kon, g.years[born]
		g.people[i].born = g.firstBorn + born
		if g.o.More {
			fields = append(fields[:7], g.contact(p), g.kommun(p))
		}
		if err := w.row(fields); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) clinicians(w rowWriter) error {
	fields := make([][]byte, len(cliniciansHeader))
	nurse := []byte("sjukskoterska")
	for u := range g.units {
		for d := range docsPerUnit {
			st := g.zero
			if d == docsPerUnit-1 {
				st = g.one
			}
			fields[0], fields[1], fields[2] = g.doctorIDs[u*docsPerUnit+d], g.doctor, st
			if err := w.row(fields); err != nil {
				return err
			}
		}
		fields[0], fields[1], fields[2] = g.nurseIDs[u], nurse, g.zero
		if err := w.row(fields); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) visits(w rowWriter) error {
	r := g.r
	fields := make([][]byte, len(visitsHeader))
	var id []byte
	for range g.o.Visits {
		// Some patients visit often, most rarely (a skewed pick).
		i := int(float64(g.o.Persons) * r.Float64() * r.Float64())
		p := g.people[i]
		day := 1 + r.IntN(365*g.span())
		id = strconv.AppendInt(append(id[:0], 'P'), int64(i), 10)
		fields[0], fields[1], fields[2] = id, g.dates[day], g.unitIDs[p.unit]
		if r.IntN(5) == 0 {
			fields[3], fields[4] = g.nurseIDs[p.unit], g.others[r.IntN(len(others))]
		} else {
			doc := p.gp
			if doc < 0 || r.IntN(100) < 30 { // Zipf-like: the first doctors take most visits
				doc = min(int(r.ExpFloat64()*1.2), docsPerUnit-1)
			}
			fields[3], fields[4] = g.doctorIDs[p.unit*docsPerUnit+doc], g.doctor
		}
		fields[5] = g.kinds[r.IntN(len(kinds))]
		if err := w.row(fields); err != nil {
			return err
		}
	}
	return nil
}

var monthDays = []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// check refuses options that make no files, and returns the format.
func (o Options) check() (string, error) {
	switch {
	case o.Persons <= 0 || o.Visits < 0:
		return "", fmt.Errorf("ange ett positivt antal personer och ett icke-negativt antal besök")
	case o.Year <= 0 || o.Year > 9999:
		return "", fmt.Errorf("ange besökens år med fyra siffror, inte %d", o.Year)
	case o.Years < 0 || o.Years > 50:
		return "", fmt.Errorf("ange 1–50 år som besöken sprids över, inte %d", o.Years)
	}
	switch o.Format {
	case "", FormatCSV:
		return FormatCSV, nil
	case FormatParquet:
		return FormatParquet, nil
	}
	return "", fmt.Errorf("okänt filformat %q: välj %s eller %s", o.Format, FormatCSV, FormatParquet)
}

// span is how many calendar years the visits span.
func (g *generator) span() int { return max(1, g.o.Years) }

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

// kommunsByCounty are each county's municipalities, in the order of
// counties.
var kommunsByCounty = func() [][][]byte {
	out := make([][][]byte, len(counties))
	for _, k := range geo.Municipalities() {
		i := slices.Index(counties, k.County)
		out[i] = append(out[i], []byte(k.Code))
	}
	return out
}()

// kommun draws a listed person's municipality: one of the unit's
// county's, none for one in ten.
func (g *generator) kommun(p person) []byte {
	ks := kommunsByCounty[p.unit%len(counties)]
	if g.more.IntN(10) == 0 || len(ks) == 0 {
		return nil
	}
	return ks[g.more.IntN(len(ks))]
}

// contact draws a named care contact: one of three nurses of the unit
// for about half the people.
func (g *generator) contact(p person) []byte {
	if g.more.IntN(2) == 0 {
		return nil
	}
	return fmt.Appendf(nil, "V%d-%d", p.unit, g.more.IntN(3))
}

// stays writes Options.Stays inpatient stays, mostly of the old: a stay
// of 0 to 9 days in the year, acute seven times in ten, and four times in
// ten another stay soon after (admitted 0 to 39 days after the discharge,
// or overlapping it), so that readmissions, transfers on the same day and
// overlaps all occur; some fall after the year's end.
func (g *generator) stays(w rowWriter) error {
	r := g.more
	start := time.Date(g.o.Year, time.January, 1, 0, 0, 0, 0, time.UTC)
	fields := make([][]byte, len(staysHeader))
	var id, in, out []byte
	written := 0
	write := func(i int, from, to int, akut bool) error {
		p := g.people[i]
		id = strconv.AppendInt(append(id[:0], 'P'), int64(i), 10)
		in = start.AddDate(0, 0, from).AppendFormat(in[:0], time.DateOnly)
		out = start.AddDate(0, 0, to).AppendFormat(out[:0], time.DateOnly)
		fields[0], fields[1], fields[2], fields[3], fields[4] = id, g.counties[p.unit%len(counties)], in, out, g.zero
		if akut {
			fields[4] = g.one
		}
		written++
		return w.row(fields)
	}
	for written < g.o.Stays {
		i := r.IntN(len(g.people))
		if g.o.Year-g.people[i].born < 60 && r.IntN(4) > 0 {
			continue // most stays are of the old
		}
		from := r.IntN(365)
		to := from + r.IntN(10)
		if err := write(i, from, to, r.IntN(10) < 7); err != nil {
			return err
		}
		if written < g.o.Stays && r.IntN(10) < 4 {
			next := to + r.IntN(40)
			if r.IntN(10) == 0 {
				next = max(from, to-2) // overlapping
			}
			if err := write(i, next, next+r.IntN(5), r.IntN(10) < 7); err != nil {
				return err
			}
		}
	}
	return nil
}
